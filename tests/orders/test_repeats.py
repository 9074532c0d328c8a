"""Repeat detection at intake: the same requester or place with similar content, and terminated matters."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.repeats import find_repeats, similarity
from hotline.rules.calendar import SHANGHAI
from hotline.rules.errors import GuardRefused
from tests.rules.walk import article

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
TEXT = "幸福路1号小区门口的路灯坏了一个多月，晚上很黑，请尽快维修"


def intake(city: City, at: datetime, content: str = TEXT, phone: str = "13800001234", **kwargs: object) -> int:
    result = services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="complaint",
                                    content=content, requester_phone=phone, address="幸福路1号", at=at,
                                    **kwargs)  # type: ignore[arg-type]
    return result.orders[0].pk


def test_similar_content_scores_high_and_unrelated_content_low() -> None:
    assert similarity(TEXT, "幸福路1号小区门口路灯坏了一个月，晚上太黑了，请维修") > 0.5
    assert similarity(TEXT, "咨询社保卡补办需要哪些材料") < 0.1


def test_the_same_requester_with_similar_content_inside_the_window_is_a_repeat(city: City) -> None:
    first = intake(city, MONDAY)
    matches = find_repeats(phone="13800001234", address="", content="幸福路1号小区门口路灯坏了一个月，晚上太黑了，请维修",
                           at=MONDAY + timedelta(days=3))
    assert [m.order_id for m in matches] == [first] and matches[0].same_requester and matches[0].state == "accepted"
    assert find_repeats(phone="13800001234", address="", content=TEXT, at=MONDAY + timedelta(days=60)) == []


def test_the_same_place_counts_even_from_another_requester(city: City) -> None:
    first = intake(city, MONDAY)
    matches = find_repeats(phone="13999999999", address="幸福路1号", content=TEXT, at=MONDAY + timedelta(days=1))
    assert [m.order_id for m in matches] == [first] and matches[0].same_place and not matches[0].same_requester


@article("ziyang §15")
def test_15_a_terminated_matter_is_answered_from_the_opinion_not_dispatched_again(city: City) -> None:
    order = intake(city, MONDAY)
    unit = city.staff("D01")
    services.order_dispatch(order=order, user=city.users["dispatcher"], unit="D01", at=MONDAY)
    services.order_sign(order=order, user=unit, at=MONDAY)
    services.order_request_termination(order=order, user=unit, written_opinion="已依法处理三次", answer_script="按原意见答复",
                                       at=MONDAY)
    services.order_approve_termination(order=order, user=city.users["dispatcher"], at=MONDAY)
    later = MONDAY + timedelta(days=90)   # a terminated matter stays terminated, whatever the window
    with pytest.raises(GuardRefused) as info:
        intake(city, later)
    assert info.value.code == "terminated_matter" and info.value.article == "ziyang §15"
    assert intake(city, later, outcome="answer_from_termination", terminated_order="x")
    assert intake(city, later, special_case="新的事实：路灯杆倒塌")   # 特殊情况除外
