"""``hotline bench scale``: a tiny run completes and reports each figure of issue 7 (or says which piece is
not there yet). No timing is asserted: figures depend on the machine. The run makes its own SQLite file in a
temporary folder (never var/db.sqlite3) and runs its phases in subprocesses."""

from __future__ import annotations

import json
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

if str(settings.BASE_DIR) not in sys.path:   # bench/ sits beside hotline/, outside the installed package
    sys.path.insert(0, str(settings.BASE_DIR))

from bench.scale import Options, verdicts  # noqa: E402

PIECES = ("assessment", "bulletin", "dashboard", "tick", "early_warning")


def _measured_or_missing(piece: dict[str, object]) -> bool:
    return "failed" not in piece and ("missing" in piece or any(k.endswith("seconds") or k.endswith("_s")
                                                                for k in piece))


def test_a_tiny_run_generates_through_the_bulk_path_and_reports_every_figure(tmp_path: Path) -> None:
    out = StringIO()
    call_command("bench", "scale", "--orders", "2100", "--templates", "30", "--database", "sqlite",
                 "--sqlite-path", str(tmp_path / "s.sqlite3"), "--save-dir", str(tmp_path), "--calls", "5",
                 "--json", stdout=out, stderr=StringIO())
    report = json.loads(out.getvalue())
    sqlite = report["results"]["sqlite"]
    generated = sqlite["generate"]
    assert generated["orders"] == 2100 and generated["copies"] == 2070 and generated["templates"] == 30
    assert generated["orders_per_s"] > 0 and generated["copies_per_s"] > 0
    assert sqlite["orders_present"] == 2100 + sqlite["tick"]["day_orders"]
    assert sqlite["tick"]["day_orders"] > 0 and sqlite["tick"]["day_events"] >= sqlite["tick"]["day_orders"]
    for name in PIECES:
        assert _measured_or_missing(sqlite[name]), (name, sqlite[name])
    for name, piece in sqlite["rollup_build"].items():
        assert _measured_or_missing(piece), (name, piece)
    assert set(verdicts(sqlite)) == {"assessment", "bulletin", "dashboard_p95", "tick_upkeep"}
    assert Path(report["saved_to"]).parent == tmp_path                   # nothing written into the repository
    assert (tmp_path / "s.scale.json").exists()                         # what --reuse needs


def test_the_table_names_each_figure_and_a_reused_database_is_not_made_again(tmp_path: Path) -> None:
    args = ["bench", "scale", "--orders", "40", "--database", "sqlite", "--sqlite-path", str(tmp_path / "s.sqlite3"),
            "--save-dir", str(tmp_path), "--calls", "3"]
    call_command(*args, stdout=StringIO(), stderr=StringIO())
    out, progress = StringIO(), StringIO()
    call_command(*args, "--reuse", stdout=out, stderr=progress)
    text = out.getvalue()
    assert "reusing" in progress.getvalue()
    for label in ("generate: orders/s", "rollup build: assessment", "rollup build: analytics",
                  "assessment of all units", "bulletin: Excel", "bulletin: PDF", "dashboard queries p50 / p95",
                  "one more day", "tick's rollup steps", "early-warning scan", "targets:"):
        assert label in text, label
    assert "reused" in text


def test_the_benchmark_never_runs_on_the_developers_database() -> None:
    options = Options(orders=10, sqlite_path=Path(settings.BASE_DIR) / "var" / "db.sqlite3")
    from bench.scale import run

    with pytest.raises(Exception, match="var/db.sqlite3"):
        run(options, say=lambda line: None)


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(CommandError):
        call_command("bench", "scale", "--orders", "-5", stdout=StringIO(), stderr=StringIO())
