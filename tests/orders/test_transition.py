"""``order_act`` and intake read and write little: the hottest actions keep their number of queries.

The bounds are the counts of today's code (docs/performance.md, "Queries per action"): a change that
adds a query to every action fails here, not in a benchmark run weeks later. In a test, each
transaction is a savepoint (SAVEPOINT … RELEASE, counted) and nothing is delivered after commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.models import Order, OrderDeadline
from hotline.rules.calendar import SHANGHAI

REPLY = {"time": "3月3日", "process": "现场核查", "result": "已修复路灯", "contact": "已电话告知"}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


def intake(city: City, phone: str = "13800000001", when: datetime | None = None) -> Order:
    result = services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="complaint",
                                    content="小区门口路灯坏了一个月无人修", requester_phone=phone, requester_name="张三",
                                    category="urban", address="东城区朝阳街道幸福路1号", at=when or at(2, 10))
    return result.orders[0]


def test_an_accepted_call_takes_at_most_19_queries(city: City, django_assert_max_num_queries: Any) -> None:
    intake(city, phone="13800000009")                       # the day's order-number counter exists
    with django_assert_max_num_queries(19):
        intake(city)


def test_a_dispatch_takes_at_most_13_queries(city: City, django_assert_max_num_queries: Any) -> None:
    order = intake(city)
    with django_assert_max_num_queries(13):
        services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="D01", at=at(2, 11))


def test_a_signature_takes_at_most_8_queries(city: City, django_assert_max_num_queries: Any) -> None:
    order = intake(city)
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="D01", at=at(2, 11))
    with django_assert_max_num_queries(8):
        services.order_sign(order=order.pk, user=city.staff("D01"), at=at(2, 15))


def test_a_reply_takes_at_most_12_queries(city: City, django_assert_max_num_queries: Any) -> None:
    order = intake(city)
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="D01", at=at(2, 11))
    services.order_sign(order=order.pk, user=city.staff("D01"), at=at(2, 15))
    with django_assert_max_num_queries(12):
        services.order_reply(order=order.pk, user=city.staff("D01"), reply=REPLY, at=at(3, 10))


def test_a_longer_deadline_is_written_over_the_same_row(city: City) -> None:
    order = intake(city)
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="D01", at=at(2, 11))
    unit = city.staff("D01")
    services.order_sign(order=order.pk, user=unit, at=at(2, 15))
    handle = OrderDeadline.objects.get(order=order, kind="handle")
    services.order_request_extension(order=order.pk, user=unit, reason="需协调多个部门", length="2wd", at=at(3, 10))
    services.order_approve_extension(order=order.pk, user=city.users["dispatcher"], at=at(3, 11))

    (longer,) = OrderDeadline.objects.filter(order=order, kind="handle")
    assert longer.pk == handle.pk and longer.due > handle.due
    assert Order.objects.get(pk=order.pk).handle_due == longer.due


def test_orders_of_one_day_are_numbered_one_after_another_and_the_next_day_starts_again(city: City) -> None:
    first, second = intake(city, when=at(2, 10)), intake(city, phone="13800000002", when=at(2, 11))
    next_day = intake(city, phone="13800000003", when=at(3, 9))
    assert [first.number, second.number, next_day.number] == ["ZY2026030200001", "ZY2026030200002",
                                                               "ZY2026030300001"]
