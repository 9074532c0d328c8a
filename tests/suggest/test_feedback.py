"""What was suggested is recorded next to what was picked, and the acceptance rate is counted per week."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.models import Order
from hotline.rules.errors import InvalidInput
from hotline.suggest.models import SuggestionFeedback
from hotline.suggest.selectors import acceptance_rates
from hotline.suggest.services import suggest_for_text, suggestion_feedback_record
from tests.suggest.conftest import START


def new_order(city: City, text: str) -> Order:
    return services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="complaint",
                                  content=text, at=START).orders[0]


def test_feedback_is_recorded_and_counted_per_field_per_week(city: City) -> None:
    order = new_order(city, "投诉小区门口路灯坏了，井盖也丢了")
    s = suggest_for_text(order.appeal.content)
    operator, dispatcher = city.users["operator"], city.users["dispatcher"]
    kept = suggestion_feedback_record(user=operator, order=order, field="category", suggested=s.category,
                                      chosen=s.category[0].code, model_version=s.model_version, at=START)
    assert kept.accepted and kept.in_top3 and kept.suggested[0] == "urban" and kept.shown
    assert kept.top_confidence == s.category[0].confidence and kept.model_version == "cold-start"
    second = suggestion_feedback_record(user=dispatcher, order=order.pk, field="unit", suggested=["D01", "D08"],
                                        chosen="D08", at=START + timedelta(hours=1))
    assert not second.accepted and second.in_top3 and second.top_confidence is None
    unsure = suggestion_feedback_record(user=operator, order=order, field="appeal_type", suggested=[],
                                        chosen="complaint", at=START + timedelta(days=7))
    assert not unsure.shown and not unsure.accepted
    suggestion_feedback_record(user=operator, order=order, field="category", suggested=["environment", "urban"],
                               chosen="traffic", at=START + timedelta(days=8))

    rates = acceptance_rates(START - timedelta(days=1), START + timedelta(days=14))
    (week1, week2) = rates["category"]
    assert (week1.week, week1.shown, week1.accepted, week1.rate) == (START.date(), 1, 1, 1.0)
    assert (week2.week, week2.shown, week2.accepted, week2.in_top3, week2.rate) == (
        (START + timedelta(days=7)).date(), 1, 0, 0, 0.0)
    (unit_week,) = rates["unit"]
    assert (unit_week.rate, unit_week.top3_rate) == (0.0, 1.0)
    (type_week,) = rates["appeal_type"]
    assert (type_week.shown, type_week.unsure, type_week.rate) == (0, 1, None)
    assert acceptance_rates(START + timedelta(days=30), START + timedelta(days=60)) == {
        "category": [], "appeal_type": [], "unit": []}


def test_bad_feedback_is_refused_and_nothing_is_written(city: City) -> None:
    order = new_order(city, "投诉路灯坏了")
    with pytest.raises(InvalidInput, match="field 'colour'"):
        suggestion_feedback_record(user=None, order=order, field="colour", suggested=[], chosen="x")
    with pytest.raises(InvalidInput, match="does not exist"):
        suggestion_feedback_record(user=None, order=order.pk + 999, field="unit", suggested=[], chosen="D01")
    with pytest.raises(InvalidInput, match="chosen"):
        suggestion_feedback_record(user=None, order=order, field="unit", suggested=["D01"], chosen=" ")
    assert not SuggestionFeedback.objects.exists()
