"""The rollup the dashboards read equals a direct count of the orders, however they moved."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from hotline.analytics.models import DailyVolume, OrderFact
from hotline.analytics.rollup import rollup_rebuild, rollup_refresh
from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.models import Order
from tests.analytics.activity import START, activity, direct_count, intake, rollup_count, step


def test_the_rollup_equals_a_direct_count_after_random_lifecycle_activity(city: City) -> None:
    rng = random.Random(20261123)
    made = activity(city, rng, orders=25, steps=40)
    rollup_refresh()
    assert rollup_count() == direct_count()
    assert sum(rollup_count().values()) == len(made)
    # more activity after the first refresh: returns, re-dispatches move orders between units
    clock = START + timedelta(days=20)
    for _ in range(60):
        clock += timedelta(minutes=37)
        step(city, rng, rng.choice(made), clock)
    made += [intake(city, rng, clock + timedelta(hours=k)) for k in range(5)]
    rollup_refresh()
    assert rollup_count() == direct_count()


def test_an_incremental_refresh_equals_a_rebuild(city: City) -> None:
    rng = random.Random(7)
    made = activity(city, rng, orders=15, steps=10)
    rollup_refresh()
    clock = START + timedelta(days=10)
    for _ in range(40):
        clock += timedelta(minutes=53)
        step(city, rng, rng.choice(made), clock)
    rollup_refresh()
    incremental = rollup_count()
    facts = set(OrderFact.objects.values_list("order_id", "day", "lead_unit_id"))
    rollup_rebuild()
    assert rollup_count() == incremental
    assert set(OrderFact.objects.values_list("order_id", "day", "lead_unit_id")) == facts


def test_a_re_dispatch_moves_the_order_to_its_new_lead_unit_and_leaves_no_empty_cell(city: City) -> None:
    order = intake(city, random.Random(1), START, category="urban", region="990100", channel="phone",
                   appeal_type="complaint")
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="D02", at=START + timedelta(minutes=10))
    rollup_refresh()
    assert list(DailyVolume.objects.values_list("lead_unit_id", "count")) == [(city.units["D02"].pk, 1)]
    services.order_request_return(order=order.pk, user=city.staff("D02", leader=True), reason="不属本单位职责",
                                  basis="三定方案", suggested_unit="D01", evidence="职责清单", leader_confirmed=True,
                                  at=START + timedelta(minutes=30))
    services.order_approve_return(order=order.pk, user=city.users["dispatcher"], at=START + timedelta(minutes=40))
    services.order_dispatch(order=order.pk, user=city.users["dispatcher"], unit="D01", at=START + timedelta(minutes=50))
    result = rollup_refresh()
    assert result.orders_moved == 1
    assert list(DailyVolume.objects.values_list("lead_unit_id", "count")) == [(city.units["D01"].pk, 1)]


def test_refreshing_twice_changes_nothing(city: City) -> None:
    activity(city, random.Random(3), orders=8, steps=8)
    rollup_refresh()
    before = rollup_count()
    again = rollup_refresh()
    assert again.orders_moved == 0
    assert rollup_count() == before


def test_a_day_is_the_local_day_the_order_was_received(city: City) -> None:
    # 23:30 in Beijing is 15:30 UTC the same day; 00:30 is the previous day in UTC
    late = intake(city, random.Random(2), START.replace(hour=23, minute=30))
    early = intake(city, random.Random(2), START.replace(hour=0, minute=30) + timedelta(days=1))
    rollup_refresh()
    days = dict(OrderFact.objects.values_list("order_id", "day"))
    assert days[late.pk] == date(2026, 3, 2)
    assert days[early.pk] == date(2026, 3, 3)


def test_a_rebuild_of_some_days_recounts_only_those_days(city: City) -> None:
    rng = random.Random(5)
    activity(city, rng, orders=12, steps=5)
    rollup_refresh()
    expected = rollup_count()
    day = date(2026, 3, 3)
    DailyVolume.objects.filter(day=day).update(count=99)          # damage one day
    DailyVolume.objects.filter(day=date(2026, 3, 2)).update(count=42)   # and another, left alone
    rollup_rebuild(start=day, end=day)
    got = rollup_count()
    assert {k: v for k, v in got.items() if k[0] == day} == {k: v for k, v in expected.items() if k[0] == day}
    assert all(v == 42 for k, v in got.items() if k[0] == date(2026, 3, 2))


@pytest.mark.parametrize("overlap", [0, 500])
def test_the_refresh_sees_orders_counted_with_any_overlap(city: City, settings: object, overlap: int) -> None:
    settings.HOTLINE_ANALYTICS_ID_OVERLAP = overlap  # type: ignore[attr-defined]
    activity(city, random.Random(11), orders=6, steps=6)
    rollup_refresh()
    assert rollup_count() == direct_count()
    assert Order.objects.count() == sum(rollup_count().values())


def test_the_tick_keeps_the_rollup(city: City) -> None:
    from hotline.orders import automation

    rng = random.Random(12)
    made = activity(city, rng, orders=10, steps=10)
    automation.tick(now=START + timedelta(days=3))
    assert rollup_count() == direct_count()
    step(city, rng, made[0], START + timedelta(days=3, hours=1))
    intake(city, rng, START + timedelta(days=3, hours=2))
    automation.tick(now=START + timedelta(days=3, hours=3))
    assert rollup_count() == direct_count()
