"""One error format for every error: code, Chinese and English message, the article, details."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hotline.orders.models import Event, Order
from tests.api.conftest import Api

FORMAT = {"code", "message_zh", "message_en", "article", "details"}


def error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.content.decode())
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == FORMAT and body["message_zh"] and body["message_en"]
    return body


def test_a_body_that_is_not_json_is_a_validation_error(as_user: Callable[[str], Api]) -> None:
    operator = as_user("operator")
    response = operator.client.post("/api/v1/appeals", data="{not json", content_type="application/json",
                                    headers={"Authorization": f"Bearer {operator.key}"})
    body = error(response, 422)
    assert body["code"] == "validation_error" and body["details"][0]["type"] == "json_invalid"


def test_a_missing_or_wrong_field_is_named_in_the_details(as_user: Callable[[str], Api]) -> None:
    body = error(as_user("operator").post("/api/v1/appeals", {"channel": "fax", "appeal_type": "help"}), 422)
    assert body["code"] == "validation_error" and body["article"] is None
    fields = {tuple(d["loc"][-1:]) for d in body["details"]}
    assert fields == {("channel",), ("content",)}
    assert "content" in body["message_en"] and "channel" in body["message_zh"]


def test_bad_input_the_rules_find_is_400(as_user: Callable[[str], Api]) -> None:
    body = error(as_user("operator").post("/api/v1/appeals", {"channel": "phone", "appeal_type": "help",
                                                              "content": "求助", "category": "nope"}), 400)
    assert body["code"] == "invalid_input" and "nope" in body["message_en"]
    assert Order.objects.count() == 0


def test_a_refused_rule_is_422_with_its_article_and_changes_nothing(as_user: Callable[[str], Api]) -> None:
    order_id = as_user("operator").intake(appeal_type="consult", content="请问社保卡怎么补办", category="labour")["id"]
    as_user("dispatcher").ok(order_id, "dispatch", {"unit": "D04"})
    unit = as_user("d04-handler")
    unit.ok(order_id, "sign")
    before = Order.objects.get(pk=order_id)
    events = Event.objects.filter(order_id=order_id).count()

    body = error(unit.act(order_id, "request-extension", {"reason": "需要核实", "length": "1wd"}), 422)
    assert body["code"] == "extension_type_excluded" and body["article"] == "ziyang §13(3)"
    assert body["message_zh"].startswith("资阳 §13(3)")
    after = Order.objects.get(pk=order_id)
    assert (after.state, after.version, after.extensions) == (before.state, before.version, before.extensions)
    assert Event.objects.filter(order_id=order_id).count() == events


def test_an_action_the_state_does_not_allow_is_409(as_user: Callable[[str], Api]) -> None:
    order_id = as_user("operator").intake()["id"]
    as_user("dispatcher").ok(order_id, "dispatch", {"unit": "D01"})
    unit = as_user("d01-handler")
    unit.ok(order_id, "sign")
    body = error(unit.act(order_id, "sign"), 409)
    assert body["code"] == "action_not_allowed" and "办理中" in body["message_zh"]
    body = error(as_user("operator").act(order_id, "archive"), 409)
    assert body["code"] == "action_not_allowed"


def test_a_co_unit_may_not_sign_for_the_lead_unit(as_user: Callable[[str], Api]) -> None:
    order_id = as_user("operator").intake()["id"]
    as_user("dispatcher").ok(order_id, "dispatch", {"unit": "D01", "co_units": ["D08"]})
    co_unit = as_user("d08-handler")
    assert co_unit.get(f"/api/v1/orders/{order_id}").status_code == 200  # a co-unit sees the order
    body = error(co_unit.act(order_id, "sign"), 403)
    assert body["code"] == "not_your_order"


def test_a_malformed_period_or_an_unknown_unit_is_named(as_user: Callable[[str], Api]) -> None:
    order_id = as_user("operator").intake()["id"]
    body = error(as_user("dispatcher").act(order_id, "dispatch", {"unit": "D01", "handling_limit": "ten days"}), 422)
    assert body["details"][0]["loc"][-1] == "handling_limit"
    body = error(as_user("dispatcher").act(order_id, "dispatch", {"unit": "NOPE"}), 400)
    assert "NOPE" in body["message_en"]


def test_no_credentials_or_a_bad_token_is_401(city: Any, client: Client) -> None:
    assert error(client.get("/api/v1/orders"), 401)["code"] == "unauthenticated"
    assert error(client.get("/api/v1/me", headers={"Authorization": "Bearer wrong"}), 401)["code"] == "unauthenticated"
    assert error(client.post("/api/v1/orders/1/sign"), 401)["code"] == "unauthenticated"


def test_unknown_paths_and_methods_answer_in_the_same_format(as_user: Callable[[str], Api]) -> None:
    operator = as_user("operator")
    assert error(operator.get("/api/v1/nothing-here"), 404)["code"] == "not_found"
    assert error(operator.get("/api/v1/orders/999999"), 404)["code"] == "not_found"
    assert error(operator.get("/api/v1/orders/abc"), 422)["code"] == "validation_error"
    response = operator.client.delete("/api/v1/orders", headers={"Authorization": f"Bearer {operator.key}"})
    body = error(response, 405)
    assert body["code"] == "method_not_allowed" and response["Allow"] == "GET"


@pytest.mark.parametrize("field", ["content", "address", "note"])
def test_a_nul_character_is_refused_before_it_reaches_the_database(field: str, as_user: Callable[[str], Api]) -> None:
    appeal = {"channel": "phone", "appeal_type": "help", "content": "求助", field: "a\x00b"}
    assert error(as_user("operator").post("/api/v1/appeals", appeal), 422)["code"] == "validation_error"
