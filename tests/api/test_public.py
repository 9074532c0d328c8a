"""The citizen's progress check (ankang §16) at /api/v1/public/: number + query code, no account."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import include, path, resolve

from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.models import Event, Order
from hotline.orders.services.citizen import mask_personal_data
from hotline.orders.tracking_limits import FAILURES_PER_NUMBER_AND_CLIENT
from hotline.rules.calendar import SHANGHAI

# The REST API as hotline.urls mounts it (/api/v1/public/…), without the workbench pages.
urlpatterns = [path("", include("hotline.api.urls"))]
pytestmark = pytest.mark.urls(__name__)

BASE = "/api/v1/public/orders"
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
REPLY = {"time": "3月3日", "process": "经办人王五现场核查", "result": "已修复路灯", "contact": "已电话告知"}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """Seeding the city hashes a password: the slow default hasher would dominate these tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    cache.clear()


def intake(city: City, **kwargs: Any) -> tuple[Order, str]:
    defaults: dict[str, Any] = {"channel": "phone", "appeal_type": "complaint", "content": "小区门口路灯坏了一个月无人修",
                                "requester_phone": "13812345678", "requester_name": "张三丰", "category": "urban",
                                "address": "东城区朝阳街道幸福路1号", "at": MONDAY}
    defaults.update(kwargs)
    result = services.appeal_intake(user=city.users["operator"], **defaults)
    order = result.orders[0]
    return order, result.query_codes[order.number]


def replied(city: City, **kwargs: Any) -> tuple[Order, str]:
    order, code = intake(city, **kwargs)
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="D01", note="请重点关注", at=at(2, 11))
    services.order_sign(order=order.pk, user=city.staff("D01"), at=at(2, 15))
    services.order_remind(order=order.pk, user=city.users["dispatcher"], note="内部催办", at=at(3, 9))
    services.order_reply(order=order.pk, user=city.staff("D01"), reply=REPLY, at=at(3, 10))
    return order, code


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def track(client: Client, number: str, code: str) -> tuple[int, Any]:
    response = client.get(f"{BASE}/{number}", {"code": code})
    return response.status_code, json.loads(response.content)


def evaluate(client: Client, number: str, **body: Any) -> tuple[int, Any]:
    response = client.post(f"{BASE}/{number}/evaluation", json.dumps(body), content_type="application/json")
    return response.status_code, json.loads(response.content)


def test_the_platform_mounts_the_progress_check_at_api_v1_public(settings: Any) -> None:
    match = resolve("/api/v1/public/orders/ZY2026030200001", urlconf=settings.ROOT_URLCONF)
    assert match.kwargs == {"number": "ZY2026030200001"}


def test_with_the_right_code_the_requester_sees_the_public_view(city: City, client: Client) -> None:
    order, code = replied(city)
    status, view = track(client, order.number, code)
    assert status == 200
    assert {k: view[k] for k in ("number", "state", "state_zh", "closed", "appeal_type", "appeal_type_zh",
                                 "category_code", "category_name", "handling_unit", "reply_result", "can_evaluate")} == {
        "number": order.number, "state": "replied", "state_zh": "待回访", "closed": False, "appeal_type": "complaint",
        "appeal_type_zh": "投诉", "category_code": "urban", "category_name": "城乡建设",
        "handling_unit": "市住房和城乡建设局", "reply_result": "已修复路灯", "can_evaluate": True}
    assert view["received_at"] == "2026-03-02T10:00:00+08:00"
    assert [(s["action"], s["label"]) for s in view["timeline"]] == [
        ("accept", "受理"), ("dispatch", "派单"), ("sign", "签收"), ("reply", "办结答复")]   # no reminder
    assert {d["kind"]: d["due"] for d in view["deadlines"]}["handle"] == "2026-03-11T17:30:00+08:00"
    assert set(view["deadlines"][0]) == {"kind", "label", "due"}
    assert "return" not in {d["kind"] for d in view["deadlines"]}


def test_the_public_view_holds_no_staff_names_internal_notes_or_requester_data(city: City, client: Client) -> None:
    order, code = replied(city)
    response = client.get(f"{BASE}/{order.number}", {"code": code})
    text = response.content.decode()
    shown = json.loads(text)
    as_text = json.dumps(shown, ensure_ascii=False)
    for secret in ("张三丰", "13812345678", "幸福路", "派单员小李", "经办人", "dispatcher", "d01-handler", "请重点关注",
                   "内部催办", "王五", "现场核查", "operator", code):
        assert secret not in as_text


def test_a_wrong_code_and_a_wrong_number_get_the_same_404(city: City, client: Client) -> None:
    order, code = intake(city)
    wrong_code = track(client, order.number, wrong(code))
    wrong_number = track(client, "ZY2026030299999", code)
    assert wrong_code == wrong_number
    assert wrong_code[0] == 404 and wrong_code[1]["code"] == "not_found"
    assert "查询码" in wrong_code[1]["message_zh"] and "query code" in wrong_code[1]["message_en"]


def test_a_missing_code_is_a_validation_error(city: City, client: Client) -> None:
    order, _ = intake(city)
    response = client.get(f"{BASE}/{order.number}")
    assert response.status_code == 422 and json.loads(response.content)["code"] == "validation_error"


def test_failed_attempts_are_limited_per_number_and_client(city: City, client: Client) -> None:
    order, code = intake(city)
    other, other_code = intake(city, content="另一件事：井盖缺失", address="西城区")
    for _ in range(FAILURES_PER_NUMBER_AND_CLIENT):
        assert track(client, order.number, wrong(code))[0] == 404
    status, body = track(client, order.number, code)   # even the right code: guessing must not go on
    assert status == 429 and body["code"] == "too_many_attempts" and "一小时" in body["message_zh"]
    assert evaluate(client, order.number, code=code, evaluation="satisfied")[0] == 429
    assert track(client, other.number, other_code)[0] == 200           # another number from the same client
    assert track(Client(REMOTE_ADDR="10.1.2.3"), order.number, code)[0] == 200   # another client


def test_right_answers_do_not_count_against_the_limit(city: City, client: Client) -> None:
    order, code = intake(city)
    for _ in range(FAILURES_PER_NUMBER_AND_CLIENT + 5):
        assert track(client, order.number, code)[0] == 200


def test_the_requester_evaluates_a_replied_order_as_the_requester_role(city: City, client: Client) -> None:
    order, code = replied(city)
    status, view = evaluate(client, order.number, code=code, evaluation="satisfied", contacted=True, resolved=True,
                            note="感谢")
    assert status == 200
    assert (view["state"], view["evaluation"], view["evaluation_zh"], view["closed"], view["can_evaluate"]) == (
        "evaluated", "satisfied", "满意", True, False)
    order.refresh_from_db()
    assert (order.state, order.evaluation, order.contacted, order.resolved) == ("evaluated", "satisfied", True, True)
    assert order.closed_at is not None
    event = Event.objects.filter(order=order).order_by("-seq").first()
    assert event is not None
    assert (event.action, event.actor_id, event.actor_role, event.from_state, event.to_state) == (
        "evaluate", None, "requester", "replied", "evaluated")
    assert event.payload["evaluation"] == "satisfied" and event.rules == ["ziyang §14(1)"]


def test_a_dissatisfied_requester_sends_the_order_to_screening(city: City, client: Client) -> None:
    order, code = replied(city)
    status, view = evaluate(client, order.number, code=code, evaluation="dissatisfied", resolved=False)
    assert status == 200 and (view["state"], view["state_zh"]) == ("screening", "甄别中")
    order.refresh_from_db()
    assert (order.state, order.evaluation, order.resolved) == ("screening", "dissatisfied", False)


def test_an_evaluation_is_refused_before_the_reply_and_after_an_evaluation(city: City, client: Client) -> None:
    order, code = intake(city)
    status, body = evaluate(client, order.number, code=code, evaluation="satisfied")
    assert status == 409 and body["code"] == "action_not_allowed"
    assert Order.objects.get(pk=order.pk).state == "accepted"
    done, done_code = replied(city, content="另一盏路灯", address="南湖区")
    assert evaluate(client, done.number, code=done_code, evaluation="satisfied")[0] == 200
    versions = Order.objects.get(pk=done.pk).version
    assert evaluate(client, done.number, code=done_code, evaluation="dissatisfied")[0] == 409
    assert Order.objects.get(pk=done.pk).version == versions


def test_an_evaluation_with_a_wrong_code_is_not_found_and_changes_nothing(city: City, client: Client) -> None:
    order, code = replied(city)
    status, body = evaluate(client, order.number, code=wrong(code), evaluation="dissatisfied")
    assert status == 404 and body["code"] == "not_found"
    assert Order.objects.get(pk=order.pk).state == "replied"


def test_an_evaluation_outside_the_three_answers_is_a_validation_error(city: City, client: Client) -> None:
    order, code = replied(city)
    status, body = evaluate(client, order.number, code=code, evaluation="none")
    assert status == 422 and body["code"] == "validation_error"
    assert Order.objects.get(pk=order.pk).state == "replied"


def test_a_redo_withdraws_the_reply_result_from_the_public_view(city: City, client: Client) -> None:
    order, code = replied(city)
    evaluate(client, order.number, code=code, evaluation="dissatisfied")
    services.order_redo(order=order.pk, user=city.users["supervisor"], note="未修好", at=at(5, 10))
    status, view = track(client, order.number, code)
    assert status == 200 and (view["state"], view["reply_result"], view["can_evaluate"]) == ("redo", None, False)
    assert view["timeline"][-1]["label"] == "发回重办"


def test_personal_data_in_published_text_is_masked() -> None:
    text = "张三丰 13812345678 +86 139-0000-1111 0816-2234567 身份证11010119900101123X 旧证110101900101123 a.b@c.cn 工单ZY2026030200001"
    assert mask_personal_data(text, ["张三丰"]) == (
        "张** 138****5678 139****1111 0816-****4567 身份证110101********123X 旧证110101******123 ***@*** 工单ZY2026030200001")
