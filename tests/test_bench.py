"""``hotline bench lifecycle``: the workload is the one lifecycle.md describes, and a tiny run completes.

No timing is asserted here: figures depend on the machine. The tiny run recreates its own SQLite file in
a temporary folder (never var/db.sqlite3) and runs its phases in subprocesses.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

if str(settings.BASE_DIR) not in sys.path:   # bench/ sits beside hotline/, outside the installed package
    sys.path.insert(0, str(settings.BASE_DIR))

from bench.workload import order_plan  # noqa: E402
from hotline.rules import profiles  # noqa: E402

UNITS = [f"U{i:02d}" for i in range(40)]


def test_each_order_runs_the_six_steps_and_the_mixes_come_in_the_stated_shares() -> None:
    plans = [order_plan(i, units=UNITS, seed=1, profile=profiles.get("ziyang")) for i in range(200)]
    assert Counter(p.mix for p in plans) == {"plain": 150, "return": 20, "extension": 20, "dissatisfied": 10}
    plain = next(p for p in plans if p.mix == "plain")
    assert [c.kind for c in plain.calls] == ["accept", "dispatch", "sign", "reply", "evaluate", "archive"]
    back = next(p for p in plans if p.mix == "return")
    assert [c.kind for c in back.calls][:7] == ["accept", "dispatch", "sign", "request_return", "approve_return",
                                                "dispatch", "sign"]
    assert back.calls[1].body["unit"] != back.calls[5].body["unit"]        # dispatched to another unit
    redo = next(p for p in plans if p.mix == "dissatisfied")
    assert [(c.kind, c.body.get("evaluation")) for c in redo.calls][3:8] == [
        ("reply", None), ("evaluate", "dissatisfied"), ("redo", None), ("reply", None), ("evaluate", "satisfied")]
    assert sum(len(p.calls) for p in plans) / len(plans) == 6.75
    for p in plans:
        content = p.calls[0].body["content"]
        assert 100 <= len(content) <= 140, content                        # ~120 Chinese characters


def test_a_tiny_run_completes_and_reports_every_figure(tmp_path: Path) -> None:
    out = StringIO()
    call_command("bench", "lifecycle", "--orders", "20", "--runs", "1", "--read-orders", "30", "--reads", "5",
                 "--warmup", "1", "--db", "sqlite", "--mode", "inprocess", "--sqlite-path", str(tmp_path / "b.sqlite3"),
                 "--save-dir", str(tmp_path),
                 "--json", stdout=out, stderr=StringIO())
    report = json.loads(out.getvalue())
    assert {"cores", "memory_gib"} <= report["machine"].keys()
    sqlite = report["results"]["sqlite"]
    assert sqlite["setup"]["tree"] == {"top": 20, "second": 20} and sqlite["setup"]["categories"] == 8
    assert {"orders_per_s", "calls_per_s", "latency_ms"} <= sqlite["inprocess"].keys()
    assert sqlite["inprocess"]["errors"] == 0 and sqlite["inprocess"]["calls"] == 135
    assert {"p50", "p95"} <= sqlite["read"]["inprocess_ms"].keys()
    assert {"orders_per_s", "calls_per_s"} <= sqlite["raw"]["batch"].keys() & sqlite["raw"]["per_call"].keys()
    assert "inprocess" in sqlite["share_of_raw"]
    assert Path(report["saved_to"]).parent == tmp_path                   # nothing written into the repository
