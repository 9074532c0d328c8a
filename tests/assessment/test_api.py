"""The assessment over the API: figures as decimals written as text, drill-down, freeze, vetoes, roles."""

from __future__ import annotations

from collections.abc import Callable

from hotline.assessment.services import assessment_refresh
from hotline.directory.seed import City
from tests.api.conftest import Api, as_user  # noqa: F401 - the fixture
from tests.assessment.test_services import NOW, handled


def test_figures_drill_down_and_freeze_over_the_api(city: City, as_user: Callable[[str], Api]) -> None:  # noqa: F811
    sat = handled(city, "D01", "satisfied")
    basic = handled(city, "D01", "basically_satisfied", contacted=True, resolved=False)
    assessment_refresh(now=NOW)
    response = as_user("analyst").get("/api/v1/assessment/figures", {"period": "2026-10", "group": "department"})
    assert response.status_code == 200, response.content.decode()
    d01 = next(f for f in response.json() if f["unit_code"] == "D01")
    # (1 + 0.8) / 2 = 0.9; 10 × 1 + 50 × 0.5 + 40 × 0.9 = 71
    assert (d01["rates"]["satisfaction_rate"], d01["score"], d01["rank"]) == ("0.9000", "71.00", 1)
    rows = as_user("supervisor").get("/api/v1/assessment/figures/D01/orders",
                                     {"period": "2026-10", "figure": "resolution_rate"}).json()
    assert {(r["number"], r["role"]) for r in rows} == {(sat.number, "numerator"), (basic.number, "denominator")}
    frozen = as_user("supervisor").post("/api/v1/assessment/freeze", {"period": "2026-10"})
    assert frozen.status_code == 200 and frozen.json()["period"] == "2026-10"
    again = as_user("supervisor").post("/api/v1/assessment/freeze", {"period": "2026-10"})
    assert again.status_code == 409 and again.json()["code"]


def test_a_unit_leader_sees_only_their_unit_and_others_are_refused(city: City,
                                                                  as_user: Callable[[str], Api]) -> None:  # noqa: F811
    handled(city, "D01", "satisfied")
    handled(city, "D02", "satisfied")
    assessment_refresh(now=NOW)
    mine = as_user("d02-leader").get("/api/v1/assessment/figures", {"period": "2026-10"}).json()
    assert [f["unit_code"] for f in mine] == ["D02"]
    other = as_user("d02-leader").get("/api/v1/assessment/figures/D01/orders",
                                      {"period": "2026-10", "figure": "orders"})
    assert other.status_code == 403
    assert as_user("operator").get("/api/v1/assessment/figures", {"period": "2026-10"}).status_code == 403
    assert as_user("analyst").post("/api/v1/assessment/freeze", {"period": "2026-10"}).status_code == 403
    bad = as_user("analyst").get("/api/v1/assessment/figures", {"period": "2026-13"})
    assert bad.status_code == 400 and "2026-Q4" in bad.json()["message_zh"]
    veto = as_user("supervisor").post("/api/v1/assessment/vetoes", {"unit": "D01", "period": "2026-10", "reason": "x"})
    assert veto.status_code in (409, 422) and veto.json()["article"].startswith("ziyang")
