"""``hotline demo``: a made-up city whose orders each have a true timeline, in every state of the rulebook."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from hotline import demo
from hotline.orders.models import Event, Order, OrderNumberCounter
from hotline.rules import profiles
from hotline.rules.calendar import SHANGHAI

pytestmark = pytest.mark.django_db


def _timelines_are_true(orders: list[Order]) -> None:
    """Every order: events numbered 1, 2, 3…, in time order, none in the future, ending in the order's state."""
    now = timezone.now()
    for order in orders:
        events = list(order.events.order_by("seq"))
        assert [e.seq for e in events] == list(range(1, len(events) + 1)), order.number
        assert events[0].action in {"accept", "decline", "answer_directly", "answer_from_termination"}
        assert events[0].at == order.received_at
        assert all(a.at <= b.at for a, b in zip(events, events[1:], strict=False)), order.number
        assert events[-1].at <= now
        assert events[-1].to_state == order.state, order.number
        assert all(a.to_state == b.from_state for a, b in zip(events, events[1:], strict=False)), order.number


def test_the_demo_command_creates_orders_in_every_state_the_profile_reaches_with_true_timelines() -> None:
    # a fixed "now" (a Friday evening): which scenarios finish before now must not depend on the day the test runs
    from hotline.demo import demo_load

    demo_load(orders=80, seed=4, now=datetime(2026, 11, 20, 18, 0, tzinfo=SHANGHAI))
    orders = list(Order.objects.select_related("appeal", "appeal__requester"))
    assert len(orders) >= 45
    states = {o.state for o in orders}
    assert {"accepted", "dispatched", "signed", "return_requested", "extension_requested",
            "provisional_close_requested", "provisionally_closed", "replied", "screening", "redo", "evaluated",
            "archived", "declined", "answered", "termination_requested"} <= states
    actions = set(Event.objects.values_list("action", flat=True))
    assert {"approve_return", "approve_extension", "redo", "screen_out", "uphold_dissatisfied", "supervise",
            "mark_overdue", "remind", "delegate", "co_handle", "first_response", "record_callback_failure"} <= actions
    _timelines_are_true(orders)
    received = sorted(o.received_at for o in orders)
    assert (timezone.now() - received[0]).days >= 20        # spread over the last weeks, ending now
    assert any(o.urgency != "normal" for o in orders) and any(o.appeal.confidential for o in orders)
    assert len({o.appeal.channel for o in orders}) >= 2
    phones = {o.appeal.requester.phone for o in orders if o.appeal.requester}
    assert phones and all(p.startswith("1380000") for p in phones)   # the invented demo range
    assert all(o.appeal.address.startswith(("东城区", "西城区", "南湖区", "北山县")) for o in orders)


def test_a_newcomer_sees_unit_figures_after_the_demo_without_waiting_for_the_tick() -> None:
    from hotline.assessment.models import UnitDayFact
    from hotline.assessment.selectors import unit_figures

    demo.demo_load(orders=40, seed=4, now=datetime(2026, 11, 20, 18, 0, tzinfo=SHANGHAI))
    assert UnitDayFact.objects.exists()
    figures = unit_figures("2026-11")
    assert sum(f.counts["orders"] for f in figures) > 0


def test_the_demo_command_prints_what_it_made_and_whom_to_log_in_as() -> None:
    out = StringIO()
    call_command("demo", "--orders", "5", stdout=out)
    text = out.getvalue()
    assert "operator" in text and "d01-handler" in text and "demo12345" in text


def test_if_empty_leaves_a_database_with_orders_alone() -> None:
    call_command("demo", "--orders", "3", stdout=StringIO())
    before = Order.objects.count()
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert Order.objects.count() == before
    assert "orders exist already" in out.getvalue()


@pytest.mark.parametrize("name", ["tianjin", "xixian", "ankang", "heyuan"])
def test_each_rulebook_gets_its_own_demo_whose_steps_its_rules_accept(name: str) -> None:
    result = demo.demo_load(orders=36, profile=name, seed=9)
    orders = list(Order.objects.all())
    assert {o.profile for o in orders} == {name}
    assert not [r for r in result.refusals if "(at intake)" in r]
    refused = sum(result.refusals.values())
    assert refused <= 2, result.refusals                   # a rule may refuse a step now and then, not often
    _timelines_are_true(orders)


def test_an_unknown_profile_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(Exception) as info:
        call_command("demo", "--profile", "atlantis", "--orders", "1", stdout=StringIO())
    assert "atlantis" in str(info.value) and "ziyang" in str(info.value)


def test_large_counts_copy_service_made_templates_into_consistent_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "BULK_THRESHOLD", 20)
    result = demo.demo_load(orders=90, templates=40, seed=2)
    assert result.copies == 50 and Order.objects.count() == 90
    orders = list(Order.objects.all())
    _timelines_are_true(orders)
    numbers = [o.number for o in orders]
    assert len(set(numbers)) == len(numbers)
    for counter in OrderNumberCounter.objects.filter(prefix=profiles.get("ziyang").profile.order_prefix):
        day_numbers = [n for n in numbers if n[2:10] == f"{counter.day:%Y%m%d}"]
        assert counter.last >= len(day_numbers)             # the next intake of that day gets a fresh number
    copies = Order.objects.exclude(pk__in=result.template_ids)
    assert all(o.appeal.requester_id for o in copies)
    assert min(o.received_at for o in copies) < min(o.received_at for o in Order.objects.filter(pk__in=result.template_ids))


def _copy_rows_belong_to_their_order(orders: list[Order]) -> None:
    """Every deadline and event of a copy lies inside its own order's timeline, and the order's times agree
    with its rows (a copy whose rows came from another copy would fail here)."""
    for order in orders:
        events = list(order.events.order_by("seq"))
        deadlines = {d.kind: d for d in order.deadlines.all()}
        assert events and events[0].at == order.received_at, order.number
        for d in deadlines.values():
            assert order.received_at <= d.start <= events[-1].at, (order.number, d.kind)
        if "handle" in deadlines and order.handle_due is not None:
            assert deadlines["handle"].due == order.handle_due, order.number
        dispatched = [e.at for e in events if e.action == "dispatch"]
        if order.dispatched_at is not None:
            assert order.dispatched_at in dispatched, order.number
        if order.closed_at is not None:
            assert order.closed_at <= events[-1].at, order.number


def test_the_bulk_path_spreads_copies_over_more_than_a_year_and_moves_only_settled_orders_back(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "BULK_THRESHOLD", 20)
    result = demo.demo_load(orders=240, templates=40, seed=3)
    assert result.copies == 200 and Order.objects.count() == 240
    templates = Order.objects.filter(pk__in=result.template_ids)
    copies = list(Order.objects.exclude(pk__in=result.template_ids).prefetch_related("events", "deadlines"))
    _timelines_are_true(copies)
    _copy_rows_belong_to_their_order(copies)
    numbers = list(Order.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    oldest_template = min(o.received_at for o in templates)
    assert min(o.received_at for o in copies) < timezone.now() - timedelta(days=365)   # a year before exists
    moved_back = [o for o in copies if o.received_at < oldest_template]
    assert moved_back and all(o.state in demo.SETTLED_STATES for o in moved_back)
    assert {o.state for o in copies} - demo.SETTLED_STATES                              # open copies stay recent
    months = {timezone.localtime(o.received_at, SHANGHAI).strftime("%Y-%m") for o in copies}
    assert len(months) >= 13


def test_the_template_count_is_capped_so_a_million_orders_do_not_take_hours() -> None:
    assert demo.default_templates(1_000_000) == demo.MAX_TEMPLATES == 2000
    assert demo.default_templates(20_000) == 500 and demo.default_templates(3000) == 300


def test_one_more_day_copies_the_orders_with_a_step_yesterday_one_day_forward() -> None:
    now = timezone.now().replace(microsecond=0)
    demo.demo_load(orders=60, seed=4, now=now - timedelta(days=1))
    before = set(Order.objects.values_list("pk", flat=True))
    added = demo.bulk_day(now=now)
    new = list(Order.objects.exclude(pk__in=before).prefetch_related("events", "deadlines"))
    assert added == len(new) > 0
    _timelines_are_true(new)
    _copy_rows_belong_to_their_order(new)
    day = (now - timedelta(days=1), now)
    assert all(any(day[0] < e.at <= day[1] for e in o.events.all()) for o in new)   # each had a step that day
    assert all(e.at <= now for o in new for e in o.events.all())                    # and none after now
    assert any(o.received_at <= day[0] for o in new)                    # older orders moved on that day too
    assert demo.bulk_day(now=now + timedelta(days=1), count=5) == 5
    numbers = list(Order.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert Event.objects.filter(order__in=new).count() == sum(len(o.events.all()) for o in new)
