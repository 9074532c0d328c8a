"""Export to the provincial platform (ziyang §20): orders and events since a cursor, as JSON lines."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from hotline.analytics.export import export_since
from hotline.analytics.models import ExportRun
from hotline.directory.seed import City
from hotline.orders.models import Event, Order
from tests.analytics.activity import START, activity, intake, step
from tests.rules.walk import article

LATER = timezone.now() + timedelta(minutes=1)    # past the settling time of every event written here


def run(since: int, **kwargs: object) -> tuple[list[dict[str, Any]], int]:
    lines, result = export_since(since=since, now=LATER, **kwargs)  # type: ignore[arg-type]
    return [json.loads(line) for line in lines], result.next_cursor


@article("ziyang §20")
def test_every_order_and_event_goes_out_once_and_the_cursor_picks_up_where_it_left(city: City) -> None:
    rng = random.Random(4)
    made = activity(city, rng, orders=10, steps=15)
    first, cursor = run(0)
    assert cursor == Event.objects.latest("pk").pk
    assert {r["number"] for r in first if r["kind"] == "order"} == {o.number for o in made}
    assert sorted(r["id"] for r in first if r["kind"] == "event") == sorted(Event.objects.values_list("pk", flat=True))
    # each order's line comes before its events; the events of an order are in timeline order
    seen: set[object] = set()
    for record in first:
        if record["kind"] == "order":
            seen.add(record["number"])
        else:
            assert record["order"] in seen
    # nothing new: nothing out, the same cursor
    assert run(cursor) == ([], cursor)
    # more happens: only the new events and the orders they touched
    order = made[0]
    clock = START + timedelta(days=30)
    for _ in range(5):
        clock += timedelta(hours=1)
        step(city, rng, order, clock)
    fresh = intake(city, rng, clock)
    second, next_cursor = run(cursor)
    new_events = set(Event.objects.filter(pk__gt=cursor).values_list("pk", flat=True))
    assert {r["id"] for r in second if r["kind"] == "event"} == new_events
    assert {r["number"] for r in second if r["kind"] == "order"} == set(
        Order.objects.filter(events__pk__in=new_events).values_list("number", flat=True))
    assert fresh.number in {r["number"] for r in second if r["kind"] == "order"}
    assert next_cursor == max(new_events)
    assert ExportRun.objects.count() == 3


def test_the_order_line_is_the_order_as_it_is_now(city: City) -> None:
    made = activity(city, random.Random(9), orders=4, steps=8)
    lines, _ = run(0)
    for record in (r for r in lines if r["kind"] == "order"):
        order = next(o for o in made if o.number == record["number"])
        order.refresh_from_db()
        assert record["state"] == order.state
        assert record["lead_unit"] == (order.lead_unit.code if order.lead_unit else None)
        assert record["channel"] == order.appeal.channel
        assert record["content"] == order.appeal.content


@article("ziyang §22")
def test_no_requester_name_or_phone_leaves_only_a_pseudonym_the_same_for_one_person(city: City) -> None:
    rng = random.Random(1)
    a = intake(city, rng, START, requester_phone="13912345678", requester_name="王小明")
    b = intake(city, rng, START + timedelta(hours=1), requester_phone="13912345678", requester_name="王小明")
    c = intake(city, rng, START + timedelta(hours=2))
    lines, _ = run(0)
    text = json.dumps(lines, ensure_ascii=False)
    assert "王小明" not in text and "13912345678" not in text and "市民" not in text
    who = {r["number"]: r["requester"] for r in lines if r["kind"] == "order"}
    assert who[a.number] == who[b.number] != who[c.number]
    assert len(str(who[a.number])) == 20


def test_a_limit_pages_through_the_events(city: City) -> None:
    activity(city, random.Random(2), orders=6, steps=6)
    total = Event.objects.count()
    cursor, got = 0, []
    while True:
        lines, cursor_next = run(cursor, limit=4)
        if cursor_next == cursor:
            break
        got += [r["id"] for r in lines if r["kind"] == "event"]
        cursor = cursor_next
    assert sorted(got) == sorted(Event.objects.values_list("pk", flat=True)) and len(got) == total


def test_the_command_writes_the_file_and_prints_the_next_cursor(city: City, tmp_path: Path,
                                                               settings: object) -> None:
    settings.HOTLINE_EXPORT_SETTLE_SECONDS = 0  # type: ignore[attr-defined]
    activity(city, random.Random(3), orders=3, steps=3)
    out = StringIO()
    target = tmp_path / "push.jsonl"
    call_command("export", "--since", "0", "--out", str(target), stdout=out)
    assert out.getvalue().strip() == str(Event.objects.latest("pk").pk)
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert {r["kind"] for r in records} == {"order", "event"}
    with pytest.raises(CommandError, match="不是有效游标"):
        call_command("export", "--since", "abc")
