"""Synthetic history written straight into the tables the scan reads (appeals, orders, overdue marks).

Weeks of history through the services would take minutes per test; the scan only reads these rows, so
they are bulk-created with the fields it reads. The appeals the tests act on go through the services.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import numpy as np

from hotline.directory.models import Category, Region, Unit
from hotline.orders.models import Appeal, Event, Order
from hotline.requesters.models import Requester
from hotline.rules.calendar import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar()
_numbers = count(1)


def moment(day: date, hour: float) -> datetime:
    return datetime.combine(day, time(), tzinfo=TZ) + timedelta(hours=hour)


def appeals(day: date, n: int, *, category: str | None = "urban", region: str | None = "990100", content: str = "",
            address: str = "", requester: Requester | None = None, start: float = 9.0, step: float = 0.05) -> list[Appeal]:
    """``n`` appeals received on ``day`` from ``start`` o'clock on, ``step`` hours apart."""
    cat = Category.objects.get(code=category) if category else None
    reg = Region.objects.get(code=region) if region else None
    rows = [Appeal(channel="phone", appeal_type="complaint", category=cat, region=reg, address=address,
                   content=content or f"第{next(_numbers)}号普通诉求：小区门口路灯坏了", requester=requester,
                   received_at=moment(day, min(start + k * step, 23.9))) for k in range(n)]
    return Appeal.objects.bulk_create(rows)


def weekday_history(today: date, *, weeks: int = 9, level: float = 20, seed: int = 1, category: str = "urban",
                    region: str = "990100") -> None:
    """``weeks`` weeks of Poisson daily volume before ``today`` (days off at half the level)."""
    rng = np.random.default_rng(seed)
    for k in range(weeks * 7, 0, -1):
        day = today - timedelta(days=k)
        mean = level * (1.0 if CAL.is_working_day(day) else 0.5)
        appeals(day, int(rng.poisson(mean)), category=category, region=region, start=8, step=0.1)


def order_for(appeal: Appeal, unit: Unit) -> Order:
    number = f"T{next(_numbers):08d}"
    return Order.objects.create(number=number, query_code_hash=hashlib.sha256(number.encode()).hexdigest(),
                                appeal=appeal, profile="ziyang", appeal_type=appeal.appeal_type,
                                category=appeal.category, state="dispatched", lead_unit=unit,
                                received_at=appeal.received_at, overdue_steps=["handle"])


def overdue_marks(unit: Unit, day: date, n: int) -> list[Order]:
    """``n`` orders of ``unit`` marked overdue on ``day`` (one mark_overdue event each)."""
    orders = [order_for(a, unit) for a in appeals(day - timedelta(days=10), n, category="urban")] if n else []
    Event.objects.bulk_create([Event(order=o, seq=1, action="mark_overdue", actor_role="system",
                                     at=moment(day, 9 + k * 0.1), from_state="dispatched", to_state="dispatched",
                                     payload={"step": "handle"}) for k, o in enumerate(orders)])
    return orders
