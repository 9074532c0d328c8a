"""Figures: the first-contact answer rate (ziyang §17: under 90% → training) worked by hand, and each
unit's knowledge-base upkeep (xixian §22)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hotline.directory.seed import City
from hotline.kb import services
from hotline.kb.figures import first_contact_rate, kb_upkeep
from hotline.orders import services as orders
from hotline.rules.calendar import SHANGHAI
from tests.kb.conftest import MONDAY, draft, publish

pytestmark = pytest.mark.django_db

MARCH = datetime(2026, 3, 1, tzinfo=SHANGHAI)
APRIL = datetime(2026, 4, 1, tzinfo=SHANGHAI)


def consult(city: City, category: str | None, outcome: str = "answer_directly", at: datetime = MONDAY,
            appeal_type: str = "consult", decline_code: str = "") -> int:
    result = orders.appeal_intake(user=city.users["operator"], channel="phone", appeal_type=appeal_type,
                                  content="请问怎么办理", category=category, outcome=outcome, at=at,
                                  decline_code=decline_code)
    return result.orders[0].pk


def dispatched(city: City, category: str, unit: str) -> None:
    order = consult(city, category, outcome="accept")
    orders.order_dispatch(order=order, user=city.users["dispatcher"], unit=unit, at=MONDAY + timedelta(minutes=30))


def test_first_contact_rate_by_category_and_unit_worked_by_hand(city: City) -> None:
    # labour (duty: D04): 9 answered on the spot, 1 dispatched to D04            → 9/10 = 90%: not under 90%
    for _ in range(9):
        consult(city, "labour")
    dispatched(city, "labour", "D04")
    # traffic (duty: D03): 3 answered (one archived since), 1 dispatched to D09  → 3/4 = 75%: training
    archived = consult(city, "traffic")
    orders.order_archive(order=archived, user=city.users["operator"], at=MONDAY + timedelta(hours=1))
    consult(city, "traffic")
    consult(city, "traffic")
    dispatched(city, "traffic", "D09")
    # counted in the total only: a consultation without a category, answered on the spot
    consult(city, None)
    # not counted: declined, not a consultation, outside the period
    consult(city, "traffic", outcome="decline", decline_code="emergency")
    consult(city, "labour", outcome="accept", appeal_type="complaint")
    consult(city, "labour", at=MARCH - timedelta(days=3))

    figures = first_contact_rate(since=MARCH, until=APRIL)
    assert (figures.threshold, figures.rule) == (0.90, "ziyang §17")
    assert (figures.total.consultations, figures.total.answered) == (15, 13)        # 13/15 = 86.7%
    by_category = {row.code: (row.consultations, row.answered, row.below_threshold) for row in figures.by_category}
    assert by_category == {"labour": (10, 9, False), "traffic": (4, 3, True), "": (1, 1, False)}
    assert [row.code for row in figures.training_needed] == ["traffic"]
    assert figures.by_category[0].code == "traffic" and figures.by_category[0].rate == 0.75   # worst first
    by_unit = {row.code: (row.consultations, row.answered, row.below_threshold) for row in figures.by_unit}
    assert by_unit == {"D04": (10, 9, False), "D03": (3, 3, False), "D09": (1, 0, True)}


def test_a_rulebook_without_a_threshold_flags_nothing(city: City, settings: object) -> None:
    setattr(settings, "HOTLINE_PROFILE", "tianjin")   # noqa: B010 - pytest-django's settings fixture
    consult(city, "traffic", outcome="accept")
    figures = first_contact_rate(since=MARCH, until=APRIL, profile="tianjin")
    assert figures.threshold is None and figures.training_needed == []
    assert (figures.total.consultations, figures.total.answered) == (1, 0)


def test_each_units_upkeep_for_its_assessment(city: City) -> None:
    """xixian §22: 知识库信息维护 is assessed — entries overdue for review and open flags, per unit."""
    overdue = publish(city, question="社保卡补办")
    publish(city, question="失业保险金申领", variants=())
    draft(city, question="养老保险转移")
    flagged = publish(city, unit="D05", question="一年级报名时间", variants=(), categories=("education",))
    services.kb_entry_flag(entry=flagged.pk, user=city.users["operator"], reason="报名时间已改", at=MONDAY)
    draft(city, unit="D05", question="转学手续", variants=(), categories=("education",))
    assert overdue.review_due_at is not None
    later = overdue.review_due_at + timedelta(days=1)
    rows = {row.code: row for row in kb_upkeep(now=later)}
    assert (rows["D04"].in_service, rows["D04"].drafts, rows["D04"].overdue_review, rows["D04"].open_flags) == (2, 1, 2, 0)
    assert (rows["D05"].in_service, rows["D05"].drafts, rows["D05"].open_flags) == (1, 1, 1)
    assert rows["D05"].oldest_flag_days == (later - MONDAY).days
    assert [row.code for row in kb_upkeep(now=MONDAY)] == ["D05", "D04"]          # open flags first, then by code
    assert [row.code for row in kb_upkeep(now=MONDAY, unit="D04")] == ["D04"]
