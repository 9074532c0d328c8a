"""``hotline warnings bench --scale N``: how long the scan takes over N appeals and N orders (PostgreSQL).

On a throwaway database only (it refuses a database that already holds appeals, unless ``--reuse`` and
it holds at least N): the demo city, then N appeals spread over the last 365 days (random categories,
regions, addresses from 20,000, 40 % from 100,000 known requesters, texts from a few templates), one order
per appeal with a random lead unit, and 3 % of the orders marked overdue five days after they came in.
Rows are copied from one template row each with ``INSERT … SELECT … FROM generate_series`` (seconds, not
the services' minutes), so every column the models have gets the template's value.

Then each detector is timed on its own (``warnings_scan(kinds=[k])``, twice: the second run is the
steady state, with the warnings of the first already there), the whole scan, and the tick's step with
nothing due but bursts and danger words.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from hotline.directory.models import Category, Region, Unit
from hotline.early_warning.models import Kind, ScanMark
from hotline.early_warning.scan import warnings_scan, warnings_tick
from hotline.orders.models import Appeal, Event, Order
from hotline.requesters.models import Requester

TEXTS = ["小区门口路灯坏了很久没人修", "楼下烧烤店噪音太大影响休息", "垃圾好几天没人清运", "自来水发黄有异味", "物业乱收费",
         "占道经营堵塞消防通道", "公交车不按站停靠", "孩子入学需要什么材料", "下水道堵塞污水外溢", "门前道路坑洼不平",
         "工地夜间施工扰民", "医保报销进度太慢", "小区电梯经常故障", "油烟直排影响居民", "违章搭建长期存在"]


class ScaleError(Exception):
    pass


def _copy(model: type[models.Model], template: int, overrides: dict[str, str], source: str, where: str = "") -> int:
    """INSERT INTO model's table every column of the template row, but ``overrides`` (column → SQL)."""
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    values = [overrides.get(c, f'tpl."{c}"') for c in columns]
    sql = (f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) '
           f'SELECT {", ".join(values)} FROM "{table}" tpl CROSS JOIN {source} '
           f"WHERE tpl.id = {int(template)} {where}")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return int(cursor.rowcount)


def _array(ids: list[int]) -> str:
    return "ARRAY[" + ",".join(str(int(i)) for i in ids) + "]"


def _pick(ids: list[int]) -> str:
    return f"({_array(ids)})[1 + floor(random() * {len(ids)})::int]"


def fill(n: int, now: datetime, say: Callable[[str], None]) -> dict[str, Any]:
    """N appeals and orders, and overdue marks, on PostgreSQL (see the module's docstring)."""
    from hotline.directory.seed import seed_city

    if connection.vendor != "postgresql":
        raise ScaleError("--scale needs PostgreSQL (HOTLINE_DATABASE_URL=postgres://…/a_throwaway_db)")
    seed_city(streets=True)
    categories = list(Category.objects.values_list("pk", flat=True))
    regions = list(Region.objects.exclude(level=Region.Level.CITY).values_list("pk", flat=True))
    units = list(Unit.objects.exclude(kind__in=[Unit.Kind.HOTLINE_OFFICE, Unit.Kind.GOVERNMENT])
                 .values_list("pk", flat=True))
    texts = "ARRAY[" + ",".join(f"'{t}'" for t in TEXTS) + "]"
    began = time.perf_counter()
    with transaction.atomic():
        person = Requester.objects.create(phone="10000000000")
        appeal = Appeal.objects.create(channel="phone", appeal_type="complaint", content="模板", received_at=now)
        order = Order.objects.create(number="SCALE-TEMPLATE", query_code_hash="-", appeal=appeal, profile="ziyang",
                                     appeal_type="complaint", received_at=now, state="archived")
        event = Event.objects.create(order=order, seq=1, action="mark_overdue", actor_role="system", at=now,
                                     from_state="dispatched", to_state="dispatched")
        people = max(1, n // 10)
        _copy(Requester, person.pk, {"phone": "'1' || lpad(g::text, 10, '0')"}, f"generate_series(1, {people}) g")
        first_person = Requester.objects.filter(phone="1" + "1".zfill(10)).values_list("pk", flat=True).get()
        say(f"  {people:,} requesters")
        start = Appeal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        _copy(Appeal, appeal.pk, {
            "received_at": f"'{now.isoformat()}'::timestamptz - random() * interval '365 days'",
            "category_id": _pick(categories), "region_id": _pick(regions),
            "address": "'示例路' || floor(random() * 20000)::int || '号'",
            "content": f"({texts})[1 + floor(random() * {len(TEXTS)})::int] || '（' || g || '）'",
            "requester_id": f"CASE WHEN random() < 0.4 THEN {first_person} + floor(random() * {people})::int END",
        }, f"generate_series(1, {n}) g")
        say(f"  {n:,} appeals ({time.perf_counter() - began:.0f} s)")
        _copy(Order, order.pk, {
            "appeal_id": "a.id", "number": "'S' || a.id", "received_at": "a.received_at",
            "category_id": "a.category_id", "lead_unit_id": _pick(units),
        }, '"orders_appeal" a', f"AND a.id > {start}")
        say(f"  {n:,} orders ({time.perf_counter() - began:.0f} s)")
        marked = _copy(Event, event.pk, {"order_id": "o.id", "at": "o.received_at + interval '5 days'"},
                       '"orders_order" o', f"AND o.appeal_id > {start} AND random() < 0.03 "
                       f"AND o.received_at + interval '5 days' < '{now.isoformat()}'::timestamptz")
        say(f"  {marked:,} overdue marks ({time.perf_counter() - began:.0f} s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"appeals": n, "orders": n, "overdue_marks": marked, "seconds": round(time.perf_counter() - began, 1)}


def run(n: int, *, reuse: bool, say: Callable[[str], None] = print) -> dict[str, Any]:
    now = timezone.now()
    present = Appeal.objects.count()
    report: dict[str, Any] = {"appeals_present": present}
    if present and not (reuse and present >= n):
        raise ScaleError(f"the database holds {present:,} appeals: use a throwaway database "
                         f"(or --reuse when it already holds at least {n:,})")
    if not present:
        say(f"filling {n:,} appeals and orders …")
        report["fill"] = fill(n, now, say)
    ScanMark.objects.all().delete()
    timings: dict[str, list[float]] = {}
    for kind in Kind:
        for _ in range(2):
            began = time.perf_counter()
            result = warnings_scan(now=now, kinds=[kind])
            timings.setdefault(kind.value, []).append(time.perf_counter() - began)
        say(f"  {kind.value:<8} {timings[kind.value][0]:6.2f} s, again {timings[kind.value][1]:6.2f} s  "
            f"{result.counts.get(kind, {})}")
    began = time.perf_counter()
    warnings_scan(now=now)
    whole = time.perf_counter() - began
    began = time.perf_counter()
    warnings_tick(now + timedelta(minutes=1))
    tick = time.perf_counter() - began
    say(f"  whole scan {whole:.2f} s; the tick's step (bursts, danger words; the rest not due) {tick:.3f} s")
    report.update({"seconds": {k: [round(x, 3) for x in v] for k, v in timings.items()},
                   "whole_scan_s": round(whole, 3), "tick_step_s": round(tick, 3)})
    return report
