"""The whole life of an order, walked through HTTP under each city's rulebook.

intake → dispatch → sign → extension (asked and approved) → reply → dissatisfied → redo → reply →
satisfied → archive; and a return: the wrong unit sends it back, the hotline approves, it goes out again.
No times are given: every service uses "now", and each step comes right after the one before, so the
rules about timing (apply for an extension early enough, return within the window) are met.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hotline.orders.models import Event, Order
from tests.api.conftest import REPLY, Api

PROFILES = ["ziyang", "ankang", "xixian", "tianjin", "heyuan"]

#: the extension each rulebook lets a unit ask for on a complaint (tianjin: always as long as the limit)
EXTENSION = {"ziyang": {"length": "5wd"}, "ankang": {"length": "5wd"}, "xixian": {"length": "3wd"},
             "tianjin": {}, "heyuan": {"length": "5wd"}}

#: a return request that says all any rulebook asks for (reason, basis, suggested unit, evidence, leader)
RETURN = {"reason": "不属于本单位职责", "basis": "三定方案", "suggested_unit": "D01", "evidence": "职责清单",
          "leader_confirmed": True}


def channel(caller: Api) -> str:
    """A channel the deployment's rulebook receives appeals on (xixian: only transfers from the province)."""
    channels: list[str] = caller.get("/api/v1/profile").json()["rules"]["channels"]["channels"]
    return "phone" if "phone" in channels else channels[0]


def dispatch(profile: str, unit: str) -> dict[str, Any]:
    """tianjin §16(2), §19: a dispatch states the order's handling limit; elsewhere the rulebook sets it."""
    return {"unit": unit, "handling_limit": "10wd"} if profile == "tianjin" else {"unit": unit}


def states(order_id: int) -> list[tuple[str, str]]:
    return list(Event.objects.filter(order_id=order_id).order_by("seq").values_list("action", "to_state"))


@pytest.mark.parametrize("profile", PROFILES)
def test_the_whole_lifecycle_through_http(profile: str, settings: Any, as_user: Callable[[str], Api]) -> None:
    settings.HOTLINE_PROFILE = profile
    operator, dispatcher, supervisor = as_user("operator"), as_user("dispatcher"), as_user("supervisor")
    unit = as_user("d01-handler")

    created = operator.intake(channel=channel(operator))
    order_id = created["id"]
    assert created["state"] == "accepted" and created["number"] and len(created["query_code"]) == 6
    assert [d["kind"] for d in created["deadlines"]] == ["dispatch"]

    if profile == "tianjin":  # tianjin §16(2): a dispatch must state the handling limit
        refused = dispatcher.act(order_id, "dispatch", {"unit": "D01"})
        assert refused.status_code == 422 and refused.json()["article"] == "tianjin §16(2)"
    else:  # the rulebook sets the limit: an order cannot carry a longer one
        refused = dispatcher.act(order_id, "dispatch", {"unit": "D01", "handling_limit": "30wd"})
        assert refused.status_code == 422 and refused.json()["article"]
    order = dispatcher.ok(order_id, "dispatch", dispatch(profile, "D01"))
    assert order["state"] == "dispatched" and order["lead_unit"]["code"] == "D01"
    assert {d["kind"] for d in order["deadlines"]} >= {"handle", "return"}
    if profile == "tianjin":
        assert order["handling_limit"] == "10wd"

    order = unit.ok(order_id, "sign")
    assert order["state"] == "signed" and order["signed_at"]
    due_before = order["handle_due"]

    order = unit.ok(order_id, "request-extension", {"reason": "需协调多个部门现场核查", **EXTENSION[profile]})
    assert order["state"] == "extension_requested"
    order = dispatcher.ok(order_id, "approve-extension")
    assert order["state"] == "signed" and order["counters"]["extensions"] == 1
    assert order["handle_due"] > due_before

    order = unit.ok(order_id, "reply", REPLY)
    assert order["state"] == "replied"
    order = operator.ok(order_id, "evaluate", {"evaluation": "dissatisfied", "contacted": True, "resolved": False})
    assert order["state"] == "screening"
    order = supervisor.ok(order_id, "redo", {"note": "诉求人反映路灯仍不亮"})
    assert order["state"] == "redo" and order["counters"]["redos"] == 1

    if profile == "tianjin":  # tianjin §22(2): a redone order may not be extended
        refused = unit.act(order_id, "request-extension", {"reason": "仍需协调"})
        assert refused.status_code == 422
        assert refused.json()["code"] == "redo_no_extension" and refused.json()["article"] == "tianjin §22(2)"

    order = unit.ok(order_id, "reply", REPLY)
    assert order["state"] == "replied"
    order = operator.ok(order_id, "evaluate", {"evaluation": "satisfied", "contacted": True, "resolved": True})
    assert order["state"] == "evaluated" and order["evaluation"] == "satisfied" and order["evaluation_zh"] == "满意"
    order = operator.ok(order_id, "archive")
    assert order["state"] == "archived" and order["state_zh"] == "已归档"

    assert states(order_id) == [
        ("accept", "accepted"), ("dispatch", "dispatched"), ("sign", "signed"),
        ("request_extension", "extension_requested"), ("approve_extension", "signed"), ("reply", "replied"),
        ("evaluate", "screening"), ("redo", "redo"), ("reply", "replied"), ("evaluate", "evaluated"),
        ("archive", "archived")]
    timeline = operator.get(f"/api/v1/orders/{order_id}/events").json()
    assert [e["seq"] for e in timeline] == list(range(1, 12))
    assert timeline[1]["actor"] == {"username": "dispatcher", "display_name": "派单员小李", "role": "dispatcher",
                                    "role_zh": "派单员", "unit": "HOTLINE"}
    assert timeline[3]["action_zh"] == "申请延期" and timeline[3]["rules"]
    assert Order.objects.get(pk=order_id).profile == profile


@pytest.mark.parametrize("profile", PROFILES)
def test_a_return_is_approved_and_the_order_goes_out_again(profile: str, settings: Any,
                                                          as_user: Callable[[str], Api]) -> None:
    settings.HOTLINE_PROFILE = profile
    operator, dispatcher = as_user("operator"), as_user("dispatcher")
    wrong, right = as_user("d02-handler"), as_user("d01-handler")
    order_id = operator.intake(channel=channel(operator))["id"]
    dispatcher.ok(order_id, "dispatch", dispatch(profile, "D02"))

    order = wrong.ok(order_id, "request-return", RETURN)
    assert order["state"] == "return_requested"
    order = dispatcher.ok(order_id, "approve-return")
    assert order["state"] == "accepted" and order["lead_unit"] is None and order["counters"]["returns"] == 1
    assert wrong.get(f"/api/v1/orders/{order_id}").status_code == 404  # no longer the unit's order

    order = dispatcher.ok(order_id, "dispatch", dispatch(profile, "D01"))
    assert order["state"] == "dispatched" and order["lead_unit"]["code"] == "D01"
    assert right.ok(order_id, "sign")["state"] == "signed"
    assert [a for a, _ in states(order_id)] == ["accept", "dispatch", "request_return", "approve_return", "dispatch",
                                                 "sign"]


def test_a_rejected_return_leaves_the_order_with_the_unit_that_signs_it(as_user: Callable[[str], Api]) -> None:
    operator, dispatcher, unit = as_user("operator"), as_user("dispatcher"), as_user("d02-handler")
    order_id = operator.intake()["id"]
    dispatcher.ok(order_id, "dispatch", {"unit": "D02"})
    unit.ok(order_id, "request-return", RETURN)
    order = dispatcher.ok(order_id, "reject-return", {"note": "经核属于本单位职责"})
    assert order["state"] == "signed" and order["lead_unit"]["code"] == "D02"  # first-receiver rule


def test_xixian_sends_a_twice_returned_order_to_the_deciding_body(settings: Any, as_user: Callable[[str], Api]) -> None:
    settings.HOTLINE_PROFILE = "xixian"
    operator, dispatcher, supervisor = as_user("operator"), as_user("dispatcher"), as_user("supervisor")
    order_id = operator.intake(channel="transfer")["id"]
    for code in ("D02", "D03"):
        dispatcher.ok(order_id, "dispatch", {"unit": code})
        as_user(f"{code.lower()}-handler").ok(order_id, "request-return", RETURN)
        order = dispatcher.ok(order_id, "approve-return")
    assert order["state"] == "disputed" and order["counters"]["returns"] == 2  # xixian §18(1)
    order = supervisor.ok(order_id, "designate-unit", {"unit": "D01"})
    assert order["state"] == "dispatched" and order["flags"]["designated"]
    refused = as_user("d01-handler").act(order_id, "request-return", RETURN)
    assert refused.status_code == 422 and refused.json()["code"] == "designated_unit_may_not_return"


def test_intake_with_an_idempotency_key_can_be_retried(as_user: Callable[[str], Api]) -> None:
    operator = as_user("operator")
    first = operator.post("/api/v1/appeals", {"channel": "web", "appeal_type": "help", "content": "求助：老人走失",
                                              "requester": {"phone": "13800000002"}}, headers={"Idempotency-Key": "k-1"})
    again = operator.post("/api/v1/appeals", {"channel": "web", "appeal_type": "help", "content": "求助：老人走失",
                                              "requester": {"phone": "13800000002"}}, headers={"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Order.objects.count() == 1


def test_an_appeal_of_several_matters_yields_one_order_each(as_user: Callable[[str], Api]) -> None:
    response = as_user("operator").post("/api/v1/appeals", {
        "channel": "phone", "appeal_type": "complaint", "content": "小区停水三天且物业不作为",
        "parts": ["小区停水三天", "物业不作为"]})
    assert response.status_code == 201
    orders = response.json()["orders"]
    assert len(orders) == 2 and len({o["number"] for o in orders}) == 2 and len({o["query_code"] for o in orders}) >= 1


def test_a_declined_appeal_names_the_channel_to_use(as_user: Callable[[str], Api]) -> None:
    operator = as_user("operator")
    profile = operator.get("/api/v1/profile").json()
    code = profile["rules"]["decline_reasons"][0]["code"]
    response = operator.post("/api/v1/appeals", {"channel": "phone", "appeal_type": "help", "content": "请帮我起诉邻居",
                                                 "outcome": "decline", "decline_code": code})
    assert response.status_code == 201
    order = response.json()["orders"][0]
    assert order["state"] == "declined"
    events = operator.get(f"/api/v1/orders/{order['id']}/events").json()
    assert events[-1]["payload"]["decline_code"] == code and events[-1]["payload"]["refer_to"]
