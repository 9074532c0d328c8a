"""The rollup the dashboards read: :class:`~hotline.analytics.models.DailyVolume`, kept by the tick.

One cell per (local day received, channel, appeal type, category, region, lead unit); its count is the
number of orders in it. Every order's cell is remembered in :class:`~hotline.analytics.models.OrderFact`.

``rollup_refresh`` (incremental, a step of ``hotline.orders.automation.tick``): the orders to look at again
are the new ones (id above the cursor) and those with a new event (event id above the cursor): every
change of an order's lead unit is an event of its timeline. For each, the cell is read again from the
order; when it differs from the remembered one, the old cell loses one and the new one gains one. Reading
an order twice changes nothing, so the refresh re-reads the last ``HOTLINE_ANALYTICS_ID_OVERLAP`` ids below
each cursor as well: a transaction that took its id earlier but committed after the last refresh is
still seen.

``rollup_rebuild(start, end)`` recounts the days from the orders themselves (and, without a range, resets
the cursors): what the refresh must always equal (tests/analytics/test_rollup.py checks it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from hotline.analytics.models import DailyVolume, OrderFact, RollupCursor
from hotline.orders.models import Event, Order

CURSOR = "daily_volume"
BATCH = 5000
Key = tuple[date, str, str, int, int, int]     # day, channel, appeal type, category, region, lead unit
FIELDS = ("day", "channel", "appeal_type", "category_id", "region_id", "lead_unit_id")


@dataclass(frozen=True)
class RollupResult:
    orders_read: int
    orders_moved: int
    cells_changed: int
    last_order_id: int
    last_event_id: int


def _overlap() -> int:
    return int(getattr(settings, "HOTLINE_ANALYTICS_ID_OVERLAP", 500))


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def day_start(day: date) -> datetime:
    """The first instant of a local day."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _keys(order_ids: Iterable[int]) -> dict[int, Key]:
    rows = Order.objects.filter(pk__in=list(order_ids)).values_list(
        "pk", "received_at", "appeal__channel", "appeal_type", "category_id", "appeal__region_id", "lead_unit_id")
    return {pk: (local_day(at), channel, kind, category or 0, region or 0, unit or 0)
            for pk, at, channel, kind, category, region, unit in rows}


def _fact(order_id: int, key: Key) -> OrderFact:
    return OrderFact(order_id=order_id, **dict(zip(FIELDS, key, strict=True)))


def _add(deltas: Counter[Key]) -> int:
    """Add each delta to its cell (creating it), then drop the cells that reached zero."""
    rows = [(*key, n) for key, n in deltas.items() if n]
    if not rows:
        return 0
    table = connection.ops.quote_name(DailyVolume._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in (*FIELDS, "count"))
    keys = ", ".join(connection.ops.quote_name(c) for c in FIELDS)
    count = connection.ops.quote_name("count")
    sql = (f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * (len(FIELDS) + 1))}) "
           f"ON CONFLICT ({keys}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start:start + BATCH])
    DailyVolume.objects.filter(day__in={key[0] for key in deltas}, count=0).delete()
    return len(rows)


def _sync(order_ids: list[int], deltas: Counter[Key]) -> int:
    """Read these orders' cells again; record the moves in ``deltas``; returns how many moved."""
    new = _keys(order_ids)
    old = {f.order_id: (f.day, f.channel, f.appeal_type, f.category_id, f.region_id, f.lead_unit_id)
           for f in OrderFact.objects.filter(order_id__in=order_ids)}
    moved: list[OrderFact] = []
    gone: list[int] = []
    for pk in order_ids:
        before, after = old.get(pk), new.get(pk)
        if before == after:
            continue
        if before is not None:
            deltas[before] -= 1
        if after is not None:
            deltas[after] += 1
            moved.append(_fact(pk, after))
        else:
            gone.append(pk)
    if moved:
        OrderFact.objects.bulk_create(moved, batch_size=BATCH, update_conflicts=True, unique_fields=["order_id"],
                                      update_fields=list(FIELDS))
    if gone:
        OrderFact.objects.filter(order_id__in=gone).delete()
    return len(moved) + len(gone)


def _chunks(ids: Iterator[int], size: int = BATCH) -> Iterator[list[int]]:
    chunk: list[int] = []
    for pk in ids:
        chunk.append(pk)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _lock_cursor() -> RollupCursor:
    RollupCursor.objects.get_or_create(name=CURSOR)
    return RollupCursor.objects.select_for_update().get(name=CURSOR)


def _tops() -> tuple[int, int]:
    return (Order.objects.aggregate(m=Max("pk"))["m"] or 0, Event.objects.aggregate(m=Max("pk"))["m"] or 0)


def _ids_between(model: Any, column: str, low: int, high: int) -> Iterator[int]:
    """``column`` of the rows with low < id <= high, by id, read in batches (keyset)."""
    while low < high:
        rows = list(model.objects.filter(pk__gt=low, pk__lte=high).order_by("pk").values_list("pk", column)[:BATCH])
        if not rows:
            return
        for _, value in rows:
            yield value
        low = rows[-1][0]


def _nothing_new() -> bool:
    """One query: are the newest order and event the ones the cursor has seen?"""
    quote = connection.ops.quote_name
    sql = (f"SELECT (SELECT MAX({quote('id')}) FROM {quote(Order._meta.db_table)}), "
           f"(SELECT MAX({quote('id')}) FROM {quote(Event._meta.db_table)}), "
           f"(SELECT {quote('last_order_id')} FROM {quote(RollupCursor._meta.db_table)} WHERE {quote('name')} = %s), "
           f"(SELECT {quote('last_event_id')} FROM {quote(RollupCursor._meta.db_table)} WHERE {quote('name')} = %s)")
    with connection.cursor() as cursor:
        cursor.execute(sql, [CURSOR, CURSOR])
        top_order, top_event, seen_order, seen_event = cursor.fetchone()
    return seen_order is not None and (top_order or 0) <= seen_order and (top_event or 0) <= seen_event


def rollup_refresh(*, now: datetime | None = None) -> RollupResult:
    """Bring the rollup up to date with every order created or changed since the last refresh."""
    if _nothing_new():
        return RollupResult(0, 0, 0, 0, 0)
    with transaction.atomic():
        cursor = _lock_cursor()
        top_order, top_event = _tops()
        overlap = _overlap()
        deltas: Counter[Key] = Counter()
        read = moved = 0
        seen: set[int] = set()

        def fresh(ids: Iterator[int]) -> Iterator[int]:
            for pk in ids:
                if pk not in seen:
                    seen.add(pk)
                    yield pk

        low_order = max(0, cursor.last_order_id - overlap)
        low_event = max(0, cursor.last_event_id - overlap)
        for source in (_ids_between(Order, "pk", low_order, top_order),
                       _ids_between(Event, "order_id", low_event, top_event)):
            for chunk in _chunks(fresh(source)):
                read += len(chunk)
                moved += _sync(chunk, deltas)
        cells = _add(deltas)
        cursor.last_order_id, cursor.last_event_id = max(top_order, cursor.last_order_id), max(top_event,
                                                                                               cursor.last_event_id)
        cursor.refreshed_at = now or timezone.now()
        cursor.save(update_fields=["last_order_id", "last_event_id", "refreshed_at"])
        return RollupResult(read, moved, cells, cursor.last_order_id, cursor.last_event_id)


def rollup_rebuild(*, start: date | None = None, end: date | None = None,
                   now: datetime | None = None) -> RollupResult:
    """Recount the days ``start``..``end`` (inclusive; both None: everything) from the orders."""
    with transaction.atomic():
        cursor = _lock_cursor()
        top_order, top_event = _tops()
        facts = OrderFact.objects.all()
        cells = DailyVolume.objects.all()
        orders = Order.objects.filter(pk__lte=top_order)
        if start is not None:
            facts, cells = facts.filter(day__gte=start), cells.filter(day__gte=start)
            orders = orders.filter(received_at__gte=day_start(start))
        if end is not None:
            facts, cells = facts.filter(day__lte=end), cells.filter(day__lte=end)
            orders = orders.filter(received_at__lt=day_start(end + timedelta(days=1)))
        facts.delete()
        cells.delete()
        counts: Counter[Key] = Counter()
        read = 0
        low = 0
        while True:
            ids = list(orders.filter(pk__gt=low).order_by("pk").values_list("pk", flat=True)[:BATCH])
            if not ids:
                break
            keys = _keys(ids)
            OrderFact.objects.bulk_create([_fact(pk, key) for pk, key in keys.items()], batch_size=BATCH,
                                          update_conflicts=True, unique_fields=["order_id"], update_fields=list(FIELDS))
            counts.update(keys.values())
            read += len(ids)
            low = ids[-1]
        changed = _add(counts)
        if start is None and end is None:
            cursor.last_order_id, cursor.last_event_id = top_order, top_event
        cursor.refreshed_at = now or timezone.now()
        cursor.save(update_fields=["last_order_id", "last_event_id", "refreshed_at"])
        return RollupResult(read, read, changed, cursor.last_order_id, cursor.last_event_id)
