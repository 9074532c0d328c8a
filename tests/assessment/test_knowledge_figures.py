"""The knowledge-base figures in the assessment: the first-contact answer rate per unit (ziyang §17), the
same as the knowledge base's own figure, and knowledge-base upkeep weighed in xixian (§22)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from hotline.assessment.services import assessment_refresh
from hotline.directory.seed import City
from hotline.kb.figures import first_contact_rate
from hotline.orders import services
from hotline.rules.calendar import SHANGHAI
from tests.assessment.test_services import handled
from tests.kb.conftest import publish
from tests.rules.walk import article

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)


def consult(city: City, category: str | None, outcome: str = "answer_directly", **kwargs: object) -> int:
    result = services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="consult",
                                    content="请问怎么办理", category=category, outcome=outcome, at=MONDAY,
                                    **kwargs)  # type: ignore[arg-type]
    return result.orders[0].pk


@article("ziyang §17")
def test_17_the_first_contact_answer_rate_per_unit_is_the_knowledge_bases_own_figure(city: City) -> None:
    from hotline.assessment.selectors import unit_figures

    for _ in range(3):
        consult(city, "labour")                       # answered on the spot: counts for D04 (its duty)
    dispatched = consult(city, "labour", outcome="accept")
    services.order_dispatch(order=dispatched, user=city.users["dispatcher"], unit="D04",
                            at=MONDAY + timedelta(minutes=30))
    consult(city, "traffic", outcome="decline", decline_code="emergency")     # not a consultation
    assessment_refresh(now=NOW)
    figures = {f.unit_code: f for f in unit_figures("2026-03")}
    d04 = figures["D04"]
    # D04: 4 consultations, 3 answered on the spot → 3 ÷ 4
    assert (d04.counts["consultations"], d04.counts["answered_directly"]) == (4, 3)
    assert d04.rates["first_contact_rate"] == Decimal("0.7500")
    kb = {row.code: (row.consultations, row.answered) for row in first_contact_rate(
        since=datetime(2026, 3, 1, tzinfo=SHANGHAI), until=datetime(2026, 4, 1, tzinfo=SHANGHAI)).by_unit}
    for code, (consultations, answered) in kb.items():
        assert (figures[code].counts["consultations"], figures[code].counts["answered_directly"]) == (
            consultations, answered)


@article("xixian §22")
def test_22_knowledge_base_upkeep_is_weighed_with_the_on_time_and_satisfaction_rates(city: City,
                                                                                   settings: object) -> None:
    from hotline.assessment.selectors import unit_figures

    settings.HOTLINE_PROFILE = "xixian"  # type: ignore[attr-defined]
    handled(city, "D04", "satisfied", channel="transfer")
    publish(city, unit="D04", question="社保卡补办")                         # March: due for review by November
    publish(city, unit="D04", question="失业保险金申领", variants=(),
            at=datetime(2026, 10, 20, 10, tzinfo=SHANGHAI))                  # October: current
    assessment_refresh(now=NOW)
    d04 = {f.unit_code: f for f in unit_figures("2026-10")}["D04"]
    assert d04.rates["kb_upkeep"] == Decimal("0.5000")                       # 1 of 2 entries not overdue
    # 30 × 1 (on time) + 35 × 1 (satisfied) + 35 × 0.5 = 82.5 → 良好
    assert (d04.rates["on_time_rate"], d04.rates["satisfaction_rate"]) == (Decimal("1.0000"), Decimal("1.0000"))
    assert (d04.score, d04.grade) == (Decimal("82.50"), "良好")
