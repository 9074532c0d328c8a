"""The callback (回访) through the API: the three answers, unreachable, declined; refusals in the one error format."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hotline.orders.models import Order
from tests.api.conftest import REPLY, Api
from tests.rules.walk import article


@pytest.fixture
def replied(as_user: Callable[[str], Api]) -> int:
    """A complaint of the demo city (ziyang) dispatched to D01, signed and replied; its id."""
    order_id: int = as_user("operator").intake()["id"]
    as_user("dispatcher").ok(order_id, "dispatch", {"unit": "D01"})
    unit = as_user("d01-handler")
    unit.ok(order_id, "sign")
    unit.ok(order_id, "reply", REPLY)
    return order_id


@article("ziyang §14")
def test_14_a_callback_records_the_three_answers(as_user: Callable[[str], Api], replied: int) -> None:
    order = as_user("operator").ok(replied, "evaluate", {"evaluation": "basically_satisfied", "contacted": True,
                                                          "resolved": False, "note": "联系了，没全修好"})
    assert (order["state"], order["evaluation"], order["contacted"], order["resolved"]) == (
        "evaluated", "basically_satisfied", True, False)
    assert (order["callback_outcome"], order["callback_outcome_zh"]) == ("answered", "已评价")
    events = as_user("operator").get(f"/api/v1/orders/{replied}/events").json()
    assert events[-1]["action"] == "evaluate" and events[-1]["payload"] == {
        "outcome": "answered", "evaluation": "basically_satisfied", "contacted": True, "resolved": False,
        "callback_attempts": 0, "note": "联系了，没全修好"}


@article("ziyang §14")
@pytest.mark.parametrize("body", [{"evaluation": "satisfied"}, {"evaluation": "satisfied", "contacted": True},
                                  {"evaluation": "satisfied", "resolved": True, "contacted": None}])
def test_14_a_callback_without_both_answers_is_refused_with_the_article(as_user: Callable[[str], Api], replied: int,
                                                                         body: dict[str, Any]) -> None:
    response = as_user("operator").act(replied, "evaluate", body)
    assert response.status_code == 400                       # InvalidInput: a value the callback must give is missing
    error = response.json()
    assert (error["code"], error["article"]) == ("callback_answers_missing", "ziyang §14(1)")
    assert error["message_zh"].startswith("回访须记录")
    order = Order.objects.get(pk=replied)
    assert (order.state, order.evaluation, order.callback_outcome) == ("replied", None, None)


@pytest.mark.parametrize("body", [{"evaluation": "great", "contacted": True, "resolved": True},
                                  {"evaluation": "satisfied", "contacted": "maybe", "resolved": True},
                                  {"evaluation": "none", "contacted": True, "resolved": True}])
def test_an_answer_out_of_the_options_is_a_validation_error(as_user: Callable[[str], Api], replied: int,
                                                             body: dict[str, Any]) -> None:
    response = as_user("operator").act(replied, "evaluate", body)
    assert response.status_code == 422 and response.json()["code"] == "validation_error"
    assert Order.objects.get(pk=replied).state == "replied"


def test_unreachable_is_counted_and_declined_closes_the_order(as_user: Callable[[str], Api], replied: int) -> None:
    operator = as_user("operator")
    order = operator.ok(replied, "record-callback-failure", {"note": "无人接听"})
    assert (order["state"], order["counters"]["callback_attempts"], order["callback_outcome"]) == (
        "replied", 1, "unreachable")
    order = operator.ok(replied, "record-callback-declined", {"note": "不愿评价"})
    assert (order["state"], order["evaluation"], order["callback_outcome"], order["contacted"], order["resolved"]) == (
        "evaluated", "none", "declined", None, None)
    last = operator.get(f"/api/v1/orders/{replied}/events").json()[-1]
    assert last["payload"] == {"outcome": "declined", "evaluation": "none", "callback_attempts": 1, "note": "不愿评价"}
    assert last["rules"] == ["ziyang §14(1)"]
    assert operator.ok(replied, "archive")["state"] == "archived"


def test_a_unit_may_not_record_a_declined_callback(as_user: Callable[[str], Api], replied: int) -> None:
    response = as_user("d01-handler").act(replied, "record-callback-declined")
    assert response.status_code == 403 and response.json()["code"] == "role_not_allowed"
    assert Order.objects.get(pk=replied).callback_outcome is None
