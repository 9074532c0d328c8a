"""Writes of the assessment app: keep the rollup up to date, freeze a period, record a one-vote veto.

The rollup is refreshed *incrementally*: the orders whose timeline grew since the cursor (``Event.id``) are
read again, their ``OrderFact`` rows replaced, and the ``UnitDayFact`` sums of every (unit, day) they touched
recomputed from ``OrderFact``. Recomputing an order is idempotent, so the cursor may stay behind: where an
id is missing just before events recorded less than ``LAG`` ago, a slow transaction may still commit an event
with that id, and the cursor stops before the gap (an older gap is a rolled-back transaction, passed over). ``assessment_refresh(start=…, end=…)`` rebuilds every order with an event in a date range.

When a refreshed order changes a fact on a day of a frozen period, the frozen figures stay as they were
and a ``Revision`` row says who changed what, when, old → new.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, models, transaction
from django.db.models import BigIntegerField, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from hotline.assessment.models import (
    FrozenFigure,
    FrozenPeriod,
    OrderFact,
    RefreshCursor,
    Revision,
    UnitDayFact,
    Veto,
)
from hotline.directory.models import Unit, User
from hotline.orders import rulebook
from hotline.orders.models import Event, Order
from hotline.rules import assessment as rules
from hotline.rules.calendar import SHANGHAI
from hotline.rules.errors import Conflict, Forbidden, GuardRefused, InvalidInput

log = logging.getLogger("hotline.assessment")

#: orders recomputed per transaction
BATCH = 500
#: timeline events read per step of the incremental refresh
CHUNK = 50_000
#: events recorded in the last LAG are read again on the next run (late commits; see the module docstring)
LAG = timedelta(minutes=2)
CURSOR = "facts"
#: who may freeze a period and record a veto
DECIDERS = (User.Role.SUPERVISOR,)


@dataclass(frozen=True)
class _Row:
    action: str
    at: datetime
    payload: dict[str, Any]


@dataclass
class RefreshResult:
    orders: int = 0
    facts: int = 0
    unit_days: int = 0
    revisions: int = 0
    cursor: int = 0
    errors: list[str] = field(default_factory=list)


def assessment_refresh(*, start: date | None = None, end: date | None = None, now: datetime | None = None,
                       orders: Iterable[int] | None = None) -> RefreshResult:
    """Bring the rollup up to date.

    Without arguments: every order with an event after the cursor (the tick's step). With ``start``/``end``
    (days, end exclusive): every order with an event on those days, whatever the cursor. With ``orders``:
    those orders.
    """
    now = now or timezone.now()
    result = RefreshResult()
    _cursor()
    if orders is not None:
        _recompute(sorted(set(orders)), result)
        return result
    if start is not None or end is not None:
        since = datetime.combine(start or date(1970, 1, 1), time.min, SHANGHAI)
        until = datetime.combine(end or date(9999, 1, 1), time.min, SHANGHAI)
        in_range = list(Event.objects.filter(at__gte=since, at__lt=until).values_list("order_id", flat=True)
                        .distinct().order_by("order_id"))
        _recompute(in_range, result)
        return result
    wall = timezone.now()   # late commits are judged by the wall clock, whatever ``now`` the tick simulates
    stored = Subquery(RefreshCursor.objects.filter(name=CURSOR).values("last_event_id")[:1])
    position: int | None = None   # the first read compares with the stored cursor in SQL: one query when idle
    cursor: RefreshCursor | None = None
    while True:
        after = (Coalesce(stored, Value(0), output_field=BigIntegerField()) if position is None
                 else Value(position, output_field=BigIntegerField()))
        chunk = list(Event.objects.filter(pk__gt=after).order_by("pk")
                     .values_list("pk", "order_id", "recorded_at")[:CHUNK])
        if not chunk:
            break
        if cursor is None:
            cursor = _cursor()
            result.cursor = cursor.last_event_id
        _recompute(sorted({order_id for _, order_id, _ in chunk}), result)
        stopped = position is not None and result.cursor < position   # held before a gap: stay there
        position = chunk[-1][0]
        safe = result.cursor if stopped else _safe_position(result.cursor, chunk, wall)
        if safe > result.cursor:
            RefreshCursor.objects.filter(pk=cursor.pk, last_event_id__lt=safe).update(
                last_event_id=safe, refreshed_at=now)
            result.cursor = safe
        if len(chunk) < CHUNK:
            break
    return result


def _safe_position(cursor: int, chunk: Sequence[tuple[int, int, datetime]], wall: datetime) -> int:
    """How far the cursor may move: to the end of ``chunk``, unless an id is missing before an event recorded
    less than ``LAG`` ago — a transaction that took that id may not have committed yet — then to just before
    the gap. An old gap is a rolled-back transaction: passed over."""
    previous = cursor if cursor else chunk[0][0] - 1   # the first refresh starts at the first event there is
    for pk, _, recorded_at in chunk:
        if pk != previous + 1 and recorded_at >= wall - LAG:
            return previous
        previous = pk
    return previous


def _cursor() -> RefreshCursor:
    cursor, _ = RefreshCursor.objects.get_or_create(name=CURSOR)
    return cursor


def _recompute(order_ids: Sequence[int], result: RefreshResult) -> None:
    for offset in range(0, len(order_ids), BATCH):
        batch = order_ids[offset:offset + BATCH]
        with transaction.atomic():
            _recompute_batch(batch, result)


def _recompute_batch(order_ids: Sequence[int], result: RefreshResult) -> None:
    RefreshCursor.objects.select_for_update().filter(name=CURSOR).first()   # one refresh writes at a time
    units = dict(Unit.objects.values_list("code", "pk"))
    orders = {o["pk"]: o for o in Order.objects.filter(pk__in=order_ids).values(
        "pk", "profile", "domain", "appeal_type", "received_at", "state", "category_id")}
    duties: dict[int, list[str]] = defaultdict(list)
    categories = {o["category_id"] for o in orders.values() if o["appeal_type"] == "consult" and o["category_id"]}
    for category_id, code in Unit.duties.through.objects.filter(category_id__in=categories).values_list(
            "category_id", "unit__code"):
        duties[category_id].append(code)
    timelines: dict[int, list[_Row]] = defaultdict(list)
    last_event: dict[int, dict[str, Any]] = {}
    for row in (Event.objects.filter(order_id__in=order_ids).order_by("order_id", "seq")
                .values("order_id", "action", "at", "payload", "actor_id", "actor_role")):
        timelines[row["order_id"]].append(_Row(row["action"], row["at"], row["payload"] or {}))
        last_event[row["order_id"]] = dict(row)
    # order → (unit, day) → counts, and what else a row holds (evaluation, exclusion and its article)
    old: dict[int, dict[tuple[int, date], dict[str, int]]] = defaultdict(dict)
    old_rows: dict[int, set[tuple[Any, ...]]] = defaultdict(set)
    for row in OrderFact.objects.filter(order_id__in=order_ids).values_list(*FACT_COLUMNS):
        old[row[0]][(row[1], row[2])] = dict(zip(rules.COUNTS, row[6:], strict=True))
        old_rows[row[0]].add(row)
    new: dict[int, dict[tuple[int, date], dict[str, int]]] = defaultdict(dict)
    new_rows: dict[int, set[tuple[Any, ...]]] = defaultdict(set)
    for pk, order in orders.items():
        profile = rulebook.profile(order["profile"])
        for f in rules.order_facts(profile, timelines.get(pk, []), domain=order["domain"] or None,
                                   appeal_type=order["appeal_type"], received_at=order["received_at"],
                                   state=order["state"], duty_units=duties.get(order["category_id"], [])):
            unit = units.get(f.unit)
            if unit is None:
                result.errors.append(f"order {pk}: unknown unit {f.unit!r}")
                continue
            counts = tuple(f.counts.get(k, 0) for k in rules.COUNTS)
            new[pk][(unit, f.day)] = dict(zip(rules.COUNTS, counts, strict=True))
            new_rows[pk].add((pk, unit, f.day, f.evaluation, f.excluded, f.excluded_rule, *counts))
    # only the orders whose facts changed are written (most events, an archive or a reminder, change none)
    changed = [pk for pk in order_ids if old_rows.get(pk, set()) != new_rows.get(pk, set())]
    result.revisions += _revise(changed, old, new, last_event)
    if changed:
        OrderFact.objects.filter(order_id__in=changed).delete()
        _insert(OrderFact, FACT_COLUMNS, [row for pk in changed for row in sorted(new_rows.get(pk, ()))])
    touched = {key for per in (old, new) for pk in changed for key in per.get(pk, {})}
    result.unit_days += _resum(touched)
    result.orders += len(order_ids)
    result.facts += sum(len(new_rows.get(pk, ())) for pk in changed)


#: an OrderFact row as read and written in bulk: order, unit, day, evaluation, exclusion, article, counts…
FACT_COLUMNS = ("order_id", "unit_id", "day", "evaluation", "excluded_reason", "excluded_rule", *rules.COUNTS)


def _insert(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert plain rows with one prepared statement (``bulk_create`` spends most of its time preparing each
    field of each instance; these rows are ints, dates and short strings)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)   # the columns' names, as in the table
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows[start:start + 2000])  # noqa: S608


def _resum(keys: set[tuple[int, date]]) -> int:
    """Recompute ``UnitDayFact`` for the (unit, day) pairs given, from ``OrderFact``."""
    if not keys:
        return 0
    by_day: dict[date, set[int]] = defaultdict(set)
    for unit, day in keys:
        by_day[day].add(unit)
    condition = Q()
    for day, day_units in by_day.items():
        condition |= Q(day=day, unit_id__in=sorted(day_units))
    sums = {(row["unit_id"], row["day"]): row for row in OrderFact.objects.filter(condition)
            .values("unit_id", "day").annotate(**{name: Sum(name) for name in rules.COUNTS})}
    UnitDayFact.objects.filter(condition).delete()
    _insert(UnitDayFact, ("unit_id", "day", *rules.COUNTS),
            [(unit, day, *(row[name] or 0 for name in rules.COUNTS)) for (unit, day), row in sorted(sums.items())])
    return len(keys)


def _revise(order_ids: Sequence[int], old: dict[int, dict[tuple[int, date], dict[str, int]]],
            new: dict[int, dict[tuple[int, date], dict[str, int]]], last_event: dict[int, dict[str, Any]]) -> int:
    """Record, for the frozen periods, the counts an order's recomputation changed."""
    days = {day for per in (old, new) for facts in per.values() for _, day in facts}
    if not days:
        return 0
    frozen = list(FrozenPeriod.objects.filter(start__lte=max(days), end__gt=min(days)))
    if not frozen:
        return 0
    rows = []
    for pk in order_ids:
        before, after = old.get(pk, {}), new.get(pk, {})
        event = last_event.get(pk)
        if event is None:
            continue
        for period in frozen:
            for unit in {u for u, d in (*before, *after) if period.start <= d < period.end}:
                def total(facts: dict[tuple[int, date], dict[str, int]], key: str, unit: int = unit,
                          period: FrozenPeriod = period) -> int:
                    return sum(c.get(key, 0) for (u, d), c in facts.items() if u == unit and period.start <= d < period.end)
                for key in rules.COUNTS:
                    was, now = total(before, key), total(after, key)
                    if was != now:
                        rows.append(Revision(frozen=period, unit_id=unit, order_id=pk, count=key, old=was, new=now,
                                             action=event["action"], by_id=event["actor_id"],
                                             by_role=event["actor_role"], at=event["at"]))
    Revision.objects.bulk_create(rows)
    return len(rows)


def _decider(user: User, what_zh: str, what_en: str) -> None:
    if user.role not in DECIDERS:
        raise Forbidden(f"只有热线督办人员可以{what_zh}", f"only supervisors {what_en}")


def assessment_freeze(*, user: User, period: str, profile_name: str | None = None,
                      at: datetime | None = None) -> FrozenPeriod:
    """Freeze a closed period: store its figures (as ``unit_figures`` gives them now) so they no longer move."""
    from hotline.assessment import selectors

    _decider(user, "封存考核期", "freeze an assessment period")
    now = at or timezone.now()
    profile = rulebook.profile(profile_name)
    found = rules.parse_period(period, profile)
    if datetime.combine(found.end, time.min, SHANGHAI) > now:
        raise GuardRefused(f"考核期 {found} 尚未结束（至 {found.end - timedelta(days=1)}），不能封存",
                           f"period {found} has not ended (it runs to {found.end - timedelta(days=1)}): it cannot be frozen yet",
                           article=profile.assessment.source)
    with transaction.atomic():
        if FrozenPeriod.objects.select_for_update().filter(profile=profile.name, period=str(found)).exists():
            raise Conflict(f"考核期 {found} 已封存", f"period {found} is already frozen")
        assessment_refresh(now=now)
        figures = selectors.unit_figures(str(found), profile_name=profile.name)
        frozen = FrozenPeriod.objects.create(profile=profile.name, period=str(found), start=found.start,
                                             end=found.end, frozen_by=user, frozen_at=now)
        codes = dict(Unit.objects.values_list("code", "pk"))
        FrozenFigure.objects.bulk_create([
            FrozenFigure(frozen=frozen, unit_id=codes[f.unit_code], group=f.group, counts=dict(f.counts),
                         rates={k: (str(v) if v is not None else None) for k, v in f.rates.items()},
                         score=f.score, grade=f.grade, rank=f.rank, vetoed=f.vetoed)
            for f in figures])
    log.info("assessment period %s (%s) frozen by %s", found, profile.name, user.username)
    return frozen


def assessment_veto(*, user: User, unit: str, period: str, reason: str, profile_name: str | None = None,
                    at: datetime | None = None) -> Veto:
    """Record a one-vote veto (一票否决) of a unit's assessment, where the profile provides it (xixian §23)."""
    _decider(user, "记录一票否决", "record a one-vote veto")
    profile = rulebook.profile(profile_name)
    rule = profile.assessment
    if not rule.one_vote_veto:
        raise GuardRefused("本规则未规定一票否决", "this profile has no one-vote veto", article=rule.source)
    if not reason.strip():
        raise InvalidInput("请写明一票否决的事由", "reason: say why the assessment is vetoed")
    found = rules.parse_period(period, profile)
    with transaction.atomic():
        target = Unit.objects.filter(code=unit.strip()).first()
        if target is None:
            raise InvalidInput(f"单位代码 {unit!r} 不存在", f"unit: code {unit!r} unknown")
        if FrozenPeriod.objects.filter(profile=profile.name, period=str(found)).exists():
            raise Conflict(f"考核期 {found} 已封存，不能再改", f"period {found} is frozen")
        veto, created = Veto.objects.get_or_create(
            profile=profile.name, period=str(found), unit=target,
            defaults={"reason": reason.strip(), "rule": rule.source, "by": user, "at": at or timezone.now()})
        if not created:
            raise Conflict(f"{target.name} 在 {found} 已被一票否决", f"{unit} is already vetoed for {found}")
    return veto
