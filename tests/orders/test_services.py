"""The services carry out the lifecycle on the database: one transaction, state and event together."""

from __future__ import annotations

from datetime import datetime

import pytest

from hotline.directory.seed import City
from hotline.notify.models import Notification
from hotline.orders import services
from hotline.orders.models import Event, Order
from hotline.orders.services.intake import query_code_matches
from hotline.rules.calendar import SHANGHAI
from hotline.rules.errors import GuardRefused, InvalidInput, RoleNotAllowed

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
REPLY = {"time": "3月3日", "process": "现场核查", "result": "已修复路灯", "contact": "已电话告知"}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


def intake(city: City, **kwargs: object) -> Order:
    defaults: dict[str, object] = {"channel": "phone", "appeal_type": "complaint", "content": "小区门口路灯坏了一个月无人修",
                                   "requester_phone": "13800000001", "requester_name": "张三", "category": "urban",
                                   "address": "东城区朝阳街道幸福路1号", "at": MONDAY}
    defaults.update(kwargs)
    result = services.appeal_intake(user=city.users["operator"], **defaults)  # type: ignore[arg-type]
    return result.orders[0]


def test_an_accepted_appeal_becomes_an_order_with_a_number_a_query_code_and_a_dispatch_deadline(city: City) -> None:
    result = services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="complaint",
                                    content="路灯坏了", requester_phone="13800000001", at=MONDAY)
    (order,) = result.orders
    assert order.number.startswith("ZY20260302") and len(order.number) == 15
    assert order.state == "accepted"
    assert query_code_matches(order, result.query_codes[order.number])
    assert not query_code_matches(order, "000000" if result.query_codes[order.number] != "000000" else "111111")
    deadline = order.deadlines.get(kind="dispatch")
    assert deadline.due == at(2, 12) and deadline.rule == "ziyang §13(1)"
    assert list(order.events.values_list("action", "to_state")) == [("accept", "accepted")]
    assert Notification.objects.filter(kind="order_created", recipient="13800000001").exists()


def test_the_whole_lifecycle_through_the_services(city: City) -> None:
    order = intake(city)
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="D01", at=at(2, 11))
    unit = city.staff("D01")
    services.order_sign(order=order.pk, user=unit, at=at(2, 15))
    services.order_reply(order=order.pk, user=unit, reply=REPLY, at=at(3, 10))
    services.order_evaluate(order=order.pk, user=city.users["operator"], evaluation="satisfied", contacted=True,
                            resolved=True, at=at(4, 10))
    services.order_archive(order=order.pk, user=city.users["operator"], at=at(4, 11))
    order.refresh_from_db()
    assert order.state == "archived" and order.evaluation == "satisfied" and order.resolved is True
    assert order.lead_unit == city.units["D01"] and order.signed_at == at(2, 15)
    assert list(order.events.values_list("seq", "action")) == [
        (1, "accept"), (2, "dispatch"), (3, "sign"), (4, "reply"), (5, "evaluate"), (6, "archive")]
    assert order.handle_due == at(11, 17, 30)


def test_a_refused_action_changes_nothing_and_names_its_article(city: City) -> None:
    order = intake(city, appeal_type="consult", content="请问社保卡怎么补办")
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="D04", at=at(2, 11))
    unit = city.staff("D04")
    services.order_sign(order=order.pk, user=unit, at=at(2, 15))
    before = Order.objects.get(pk=order.pk)
    events = Event.objects.filter(order=order).count()
    with pytest.raises(GuardRefused) as info:
        services.order_request_extension(order=order.pk, user=unit, reason="复杂", length="1wd", at=at(2, 16))
    assert info.value.article == "ziyang §13(3)"
    after = Order.objects.get(pk=order.pk)
    assert (after.state, after.version, after.extensions) == (before.state, before.version, before.extensions)
    assert Event.objects.filter(order=order).count() == events


def test_a_unit_cannot_act_on_another_units_order(city: City) -> None:
    order = intake(city)
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="D01", at=at(2, 11))
    with pytest.raises(Exception, match="不是本单位"):
        services.order_sign(order=order.pk, user=city.staff("D02"), at=at(2, 12))
    with pytest.raises(RoleNotAllowed):
        services.order_sign(order=order.pk, user=city.users["operator"], at=at(2, 12))


def test_a_retried_intake_with_the_same_idempotency_key_creates_nothing_new(city: City) -> None:
    first = services.appeal_intake(user=city.users["operator"], channel="web", appeal_type="help", content="求助：老人走失",
                                   requester_phone="13800000002", idempotency_key="abc-1", at=MONDAY)
    again = services.appeal_intake(user=city.users["operator"], channel="web", appeal_type="help", content="求助：老人走失",
                                   requester_phone="13800000002", idempotency_key="abc-1", at=MONDAY)
    assert again.replayed and [o.pk for o in again.orders] == [o.pk for o in first.orders]
    assert again.query_codes == first.query_codes
    assert Order.objects.count() == 1


def test_an_appeal_spanning_units_yields_one_order_per_matter(city: City) -> None:
    result = services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="complaint",
                                    content="小区停水三天且物业不作为", parts=["小区停水三天", "物业不作为"], at=MONDAY)
    assert [o.matter for o in result.orders] == ["小区停水三天", "物业不作为"]
    assert len({o.number for o in result.orders}) == 2


def test_bad_input_is_refused_with_a_clear_message(city: City) -> None:
    with pytest.raises(InvalidInput, match="channel"):
        services.appeal_intake(user=city.users["operator"], channel="fax", appeal_type="help", content="x", at=MONDAY)
    with pytest.raises(InvalidInput, match="category"):
        services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="help", content="x",
                               category="nope", at=MONDAY)
    assert Order.objects.count() == 0
