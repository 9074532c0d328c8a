"""Each role sees and does only what it may; every read of a requester's data is logged (ziyang §22)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hotline.orders.models import Order
from hotline.requesters.models import PersonalDataAccess
from tests.api.conftest import Api


def dispatched(as_user: Callable[[str], Api], unit: str = "D01", **appeal: Any) -> int:
    order_id: int = as_user("operator").intake(**appeal)["id"]
    as_user("dispatcher").ok(order_id, "dispatch", {"unit": unit})
    return order_id


def allowed(order: dict[str, Any]) -> dict[str, bool]:
    return {a["action"]: a["allowed"] for a in order["allowed_actions"]}


def test_a_unit_sees_and_acts_only_on_its_own_orders(as_user: Callable[[str], Api]) -> None:
    mine, theirs = dispatched(as_user, "D01"), dispatched(as_user, "D02")
    unit = as_user("d01-handler")

    listed = unit.get("/api/v1/orders").json()
    assert listed["count"] == 1 and [o["id"] for o in listed["items"]] == [mine]
    number = Order.objects.get(pk=theirs).number
    for response in (unit.get(f"/api/v1/orders/{theirs}"), unit.get(f"/api/v1/orders/by-number/{number}"),
                     unit.get(f"/api/v1/orders/{theirs}/events"), unit.get(f"/api/v1/orders/{theirs}/deadlines"),
                     unit.act(theirs, "sign"), unit.act(theirs, "request-return", {"reason": "不是我们的"})):
        assert response.status_code == 404, response.content
        assert response.json()["code"] == "not_found"
    assert Order.objects.get(pk=theirs).state == "dispatched"  # nothing changed
    assert unit.get(f"/api/v1/orders/{mine}").status_code == 200


def test_an_analyst_reads_everything_but_never_acts(as_user: Callable[[str], Api]) -> None:
    order_id = dispatched(as_user)
    analyst = as_user("analyst")
    assert analyst.get("/api/v1/orders").json()["count"] == 1
    order = analyst.get(f"/api/v1/orders/{order_id}").json()
    assert order["allowed_actions"] and not any(allowed(order).values())
    for action, body in [("sign", None), ("remind", {"note": "请尽快"}), ("merge", {"merged_into": "X"})]:
        response = analyst.act(order_id, action, body)
        assert response.status_code == 403 and response.json()["code"] == "role_not_allowed", response.content
    assert analyst.post("/api/v1/appeals", {"channel": "phone", "appeal_type": "help", "content": "x"}).status_code == 403
    assert Order.objects.count() == 1


def test_allowed_actions_say_what_this_user_may_do_now_and_why_not(as_user: Callable[[str], Api]) -> None:
    order_id = dispatched(as_user)
    handler = as_user("d01-handler").get(f"/api/v1/orders/{order_id}").json()
    assert allowed(handler)["sign"] and allowed(handler)["request_return"]
    assert not allowed(handler)["remind"]
    sign = next(a for a in handler["allowed_actions"] if a["action"] == "sign")
    assert sign["endpoint"] == f"/api/v1/orders/{order_id}/sign" and sign["refusal"] is None

    dispatcher = as_user("dispatcher").get(f"/api/v1/orders/{order_id}").json()
    assert allowed(dispatcher)["remind"] and not allowed(dispatcher)["sign"]
    refusal = next(a for a in dispatcher["allowed_actions"] if a["action"] == "sign")["refusal"]
    assert refusal["code"] == "role_not_allowed" and refusal["message_zh"] and refusal["message_en"]


def test_the_operator_sees_the_phone_in_full_and_the_read_is_logged(as_user: Callable[[str], Api]) -> None:
    order_id = dispatched(as_user)
    before = PersonalDataAccess.objects.count()
    requester = as_user("operator").get(f"/api/v1/orders/{order_id}").json()["requester"]
    assert requester == {"visible": True, "masked": False, "name": "张三", "phone": "13800000001",
                         "id": requester["id"]}
    log = PersonalDataAccess.objects.order_by("-pk").first()
    assert PersonalDataAccess.objects.count() == before + 1
    assert log is not None and log.user is not None and log.user.username == "operator" and log.channel == "api"
    assert log.order_number == Order.objects.get(pk=order_id).number and log.fields == "name,phone"


def test_unit_staff_see_the_requester_masked_and_nothing_is_logged(as_user: Callable[[str], Api]) -> None:
    order_id = dispatched(as_user)
    before = PersonalDataAccess.objects.count()
    requester = as_user("d01-handler").get(f"/api/v1/orders/{order_id}").json()["requester"]
    assert requester == {"visible": True, "masked": True, "name": "张*", "phone": "138****0001", "id": None}
    assert PersonalDataAccess.objects.count() == before


def test_a_confidential_appeal_hides_the_requester_from_the_unit(as_user: Callable[[str], Api]) -> None:
    order_id = dispatched(as_user, confidential=True)
    requester = as_user("d01-handler").get(f"/api/v1/orders/{order_id}").json()["requester"]
    assert requester == {"visible": False, "masked": True, "name": "", "phone": "", "id": None}
    assert as_user("operator").get(f"/api/v1/orders/{order_id}").json()["requester"]["phone"] == "13800000001"


def test_requester_lookup_is_for_hotline_staff_and_is_logged(as_user: Callable[[str], Api]) -> None:
    dispatched(as_user)
    found = as_user("operator").get("/api/v1/requesters/lookup", {"phone": "13800000001"}).json()
    assert found["requester"]["phone"] == "13800000001" and len(found["orders"]) == 1
    assert found["suspension"] is None and found["warnings"] == []
    assert PersonalDataAccess.objects.filter(fields="phone,history", user__username="operator").count() == 1
    for username in ("d01-handler", "analyst"):
        response = as_user(username).get("/api/v1/requesters/lookup", {"phone": "13800000001"})
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
    unknown = as_user("operator").get("/api/v1/requesters/lookup", {"phone": "13999999999"}).json()
    assert unknown == {"requester": None, "orders": [], "suspension": None, "warnings": []}


def test_a_requester_is_warned_then_the_warning_shows_at_lookup(as_user: Callable[[str], Api]) -> None:
    dispatched(as_user)
    supervisor = as_user("supervisor")
    requester_id = supervisor.get("/api/v1/requesters/lookup", {"phone": "13800000001"}).json()["requester"]["id"]
    response = supervisor.post(f"/api/v1/requesters/{requester_id}/conduct", {"kind": "warning", "reason": "辱骂话务员"})
    assert response.status_code == 201 and response.json()["kind"] == "warning" and response.json()["rule"]
    refused = supervisor.post(f"/api/v1/requesters/{requester_id}/conduct",
                              {"kind": "suspension", "reason": "再次辱骂", "days": 30})
    assert refused.status_code == 422 and refused.json()["article"]  # ziyang §29: warnings only
    assert as_user("d01-handler").post(f"/api/v1/requesters/{requester_id}/conduct",
                                       {"kind": "warning", "reason": "x"}).status_code == 403
    warnings = supervisor.get("/api/v1/requesters/lookup", {"phone": "13800000001"}).json()["warnings"]
    assert [w["reason"] for w in warnings] == ["辱骂话务员"]


def test_me_units_categories_and_the_profile(as_user: Callable[[str], Api]) -> None:
    unit = as_user("d01-handler")
    me = unit.get("/api/v1/me").json()
    assert me["username"] == "d01-handler" and me["role"] == "unit_handler" and me["unit"]["code"] == "D01"
    assert me["is_unit_staff"] and not me["is_hotline_staff"] and me["auth"] == "api" and me["profile"] == "ziyang"
    units = {u["code"]: u for u in unit.get("/api/v1/units").json()}
    assert "urban" in units["D01"]["duties"] and units["D01"]["kind"] == "department"
    assert {c["code"] for c in unit.get("/api/v1/categories").json()} >= {"urban", "utilities"}
    profile = unit.get("/api/v1/profile").json()
    assert profile["name"] == "ziyang" and profile["title"]
    assert profile["rules"]["extension"]["cite"] == "ziyang §13(3)"
    assert "return" in profile["rules"]  # the rulebook's own key, not the Python name


def test_the_order_list_filters_and_pages(as_user: Callable[[str], Api]) -> None:
    first = dispatched(as_user)
    second = as_user("operator").intake(appeal_type="help", content="求助：独居老人需要帮助")["id"]
    dispatcher = as_user("dispatcher")
    assert [o["id"] for o in dispatcher.get("/api/v1/orders").json()["items"]] == [second, first]
    assert [o["id"] for o in dispatcher.get("/api/v1/orders", {"state": "dispatched"}).json()["items"]] == [first]
    assert dispatcher.get("/api/v1/orders", {"state": "accepted,dispatched"}).json()["count"] == 2
    assert [o["id"] for o in dispatcher.get("/api/v1/orders", {"unit": "D01"}).json()["items"]] == [first]
    assert [o["id"] for o in dispatcher.get("/api/v1/orders", {"appeal_type": "help"}).json()["items"]] == [second]
    assert [o["id"] for o in dispatcher.get("/api/v1/orders", {"q": "独居"}).json()["items"]] == [second]
    assert dispatcher.get("/api/v1/orders", {"overdue": "true"}).json()["count"] == 0
    page = dispatcher.get("/api/v1/orders", {"page": 2, "page_size": 1}).json()
    assert page["count"] == 2 and page["page"] == 2 and [o["id"] for o in page["items"]] == [first]
    assert dispatcher.get("/api/v1/orders", {"page_size": 101}).status_code == 422
    bad = dispatcher.get("/api/v1/orders", {"state": "nonsense"})
    assert bad.status_code == 400 and "nonsense" in bad.json()["message_en"]
    item = dispatcher.get("/api/v1/orders", {"unit": "D01"}).json()["items"][0]
    assert item["lead_unit"] == {"code": "D01", "name": "市住房和城乡建设局"} and item["state_zh"] == "待签收"
