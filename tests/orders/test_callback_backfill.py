"""Migration orders.0003 back-fills ``Order.callback_outcome`` from the callback events already stored."""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta

from django.apps import apps

from hotline.directory.seed import City
from hotline.directory.services import system_user
from hotline.orders import services
from hotline.orders.models import Order
from hotline.rules.calendar import SHANGHAI

MARCH = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
REPLY = {"time": "3月3日", "process": "现场核查", "result": "已修复", "contact": "已电话告知"}
migration = importlib.import_module("hotline.orders.migrations.0003_callback_outcome")


def replied(city: City, unit: str) -> Order:
    order = services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="complaint",
                                   content="路灯坏了", requester_phone="13800000001", category="urban", at=MARCH).orders[0]
    handler = city.staff(unit)
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit=unit, at=MARCH + timedelta(minutes=30))
    services.order_sign(order=order.pk, user=handler, at=MARCH + timedelta(hours=1))
    services.order_reply(order=order.pk, user=handler, reply=REPLY, at=MARCH + timedelta(hours=2))
    return order


def test_the_backfill_reads_the_latest_callback_event_since_the_latest_reply(city: City) -> None:
    operator, supervisor = city.users["operator"], city.users["supervisor"]
    answered, unreachable, silent, redone, waiting = (replied(city, u) for u in ("D01", "D02", "D03", "D04", "D05"))
    services.order_evaluate(order=answered.pk, user=operator, evaluation="satisfied", contacted=True, resolved=True,
                            at=MARCH + timedelta(hours=3))
    services.order_record_callback_failure(order=unreachable.pk, user=operator, at=MARCH + timedelta(hours=3))
    services.order_record_callback_failure(order=silent.pk, user=operator, at=MARCH + timedelta(hours=3))
    services.order_evaluation_timeout(order=silent.pk, user=system_user(), at=MARCH + timedelta(days=10))
    services.order_evaluate(order=redone.pk, user=operator, evaluation="dissatisfied", contacted=True, resolved=False,
                            at=MARCH + timedelta(hours=3))
    services.order_redo(order=redone.pk, user=supervisor, at=MARCH + timedelta(hours=4))
    expected = {answered.pk: "answered", unreachable.pk: "unreachable", silent.pk: "silent", redone.pk: None,
                waiting.pk: None}
    assert dict(Order.objects.values_list("pk", "callback_outcome")) == expected   # as the services wrote it
    Order.objects.update(callback_outcome=None)                                     # as before the migration
    migration.backfill(apps, None)
    assert dict(Order.objects.values_list("pk", "callback_outcome")) == expected
