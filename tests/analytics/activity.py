"""Random lifecycle activity through the real services: intake, dispatch, returns and re-dispatch, replies.

Used by the rollup tests: whatever happened, the rollup must equal a direct count of the orders.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, timedelta

from django.utils import timezone

from hotline.analytics.models import DailyVolume
from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.models import Order
from hotline.rules.calendar import SHANGHAI
from hotline.rules.errors import RuleError

CHANNELS = ["phone", "web", "app", "mailbox"]
TYPES = ["complaint", "help", "suggestion", "report"]
CATEGORIES = ["urban", "environment", "traffic", "labour", None]
REGIONS = ["990100", "990200", "990300", "990400", None]
UNITS = ["D01", "D02", "D03", "D04", "D08"]
START = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def intake(city: City, rng: random.Random, at: datetime, **extra: object) -> Order:
    arguments: dict[str, object] = {
        "channel": rng.choice(CHANNELS), "appeal_type": rng.choice(TYPES), "category": rng.choice(CATEGORIES),
        "region": rng.choice(REGIONS), "content": f"第{rng.randint(1, 10**6)}号诉求：路灯不亮", "address": "某路1号",
        "requester_phone": f"139{rng.randint(0, 10**8 - 1):08d}", "requester_name": "市民", "at": at}
    arguments.update(extra)
    return services.appeal_intake(user=city.users["operator"], **arguments).orders[0]  # type: ignore[arg-type]


def step(city: City, rng: random.Random, order: Order, at: datetime) -> None:
    """One random next action on ``order`` (refusals by the rules are fine: nothing changes then)."""
    order.refresh_from_db()
    unit = order.lead_unit.code if order.lead_unit else ""
    try:
        if order.state == "accepted":
            services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit=rng.choice(UNITS), at=at)
        elif order.state == "dispatched" and rng.random() < 0.5:
            services.order_request_return(order=order.pk, user=city.staff(unit, leader=True), reason="不属本单位职责",
                                          basis="三定方案", suggested_unit=rng.choice(UNITS), evidence="职责清单",
                                          leader_confirmed=True, at=at)
        elif order.state == "dispatched":
            services.order_sign(order=order.pk, user=city.staff(unit), at=at)
        elif order.state == "return_requested":
            services.order_approve_return(order=order.pk, user=city.users["dispatcher"], at=at)
        elif order.state == "signed":
            services.order_reply(order=order.pk, user=city.staff(unit), at=at,
                                 reply={"time": "当日", "process": "现场核查", "result": "已处理", "contact": "已电话告知"})
    except RuleError:
        pass


def activity(city: City, rng: random.Random, *, orders: int, steps: int, start: datetime = START) -> list[Order]:
    made = [intake(city, rng, start + timedelta(hours=7 * k)) for k in range(orders)]
    clock = start + timedelta(hours=7 * orders)
    for _ in range(steps):
        clock += timedelta(minutes=rng.randint(5, 90))
        step(city, rng, rng.choice(made), clock)
    return made


def direct_count() -> Counter[tuple[date, str, str, int, int, int]]:
    counts: Counter[tuple[date, str, str, int, int, int]] = Counter()
    for order in Order.objects.select_related("appeal"):
        counts[(timezone.localtime(order.received_at).date(), order.appeal.channel, order.appeal_type,
                order.category_id or 0, order.appeal.region_id or 0, order.lead_unit_id or 0)] += 1
    return counts


def rollup_count() -> Counter[tuple[date, str, str, int, int, int]]:
    counts: Counter[tuple[date, str, str, int, int, int]] = Counter()
    for row in DailyVolume.objects.all():
        assert row.count > 0, f"an empty cell is left in the rollup: {row}"
        counts[(row.day, row.channel, row.appeal_type, row.category_id, row.region_id, row.lead_unit_id)] += row.count
    return counts
