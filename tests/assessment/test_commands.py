"""``hotline assessment refresh|show|freeze``."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hotline.directory.seed import City
from tests.assessment.test_services import handled


def run(*args: str) -> str:
    out = StringIO()
    call_command("assessment", *args, stdout=out)
    return out.getvalue()


def test_refresh_show_and_freeze_from_the_command_line(city: City) -> None:
    handled(city, "D01", "satisfied")
    handled(city, "D02", "dissatisfied", contacted=True, resolved=False)
    assert "refreshed 2 orders" in run("refresh")
    table = run("show", "--period", "2026-10", "--group", "department")
    assert "市住房和城乡建设局" in table and "100.00%" in table and "未封存" in table
    rows = json.loads(run("show", "--period", "2026-10", "--json"))
    d01 = next(r for r in rows if r["unit_code"] == "D01")
    assert (d01["score"], d01["rank"], d01["rates"]["satisfaction_rate"], d01["counts"]["valid_callbacks"]) == (
        "100.00", 1, "1.0000", 1)
    assert "refreshed 2 orders" in run("refresh", "--from", "2026-10-01", "--to", "2026-11-01")
    assert "froze ziyang 2026-10" in run("freeze", "--period", "2026-10", "--user", "supervisor")
    assert "已封存" in run("show", "--period", "2026-10")


def test_a_bad_period_or_user_is_refused_with_a_message(city: City) -> None:
    with pytest.raises(CommandError, match="2026-Q4"):
        run("show", "--period", "October")
    with pytest.raises(CommandError, match="nobody"):
        run("freeze", "--period", "2026-10", "--user", "nobody")
    with pytest.raises(CommandError, match="supervisors"):
        run("freeze", "--period", "2026-10", "--user", "analyst")
