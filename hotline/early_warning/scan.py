"""The scan: aggregate queries over the window feed the detectors; what they find becomes warnings.

Never loads every order: volume and overdue are ``GROUP BY`` (key, day) over an indexed time range
(``Appeal.received_at``, ``Event(action, at)``); repeats first ``GROUP BY requester HAVING count ≥ 3``
and only then read those requesters' appeals; bursts and danger words read the last few hours only.

De-duplication (:func:`upsert`): a finding carries a key (volume: dimension, id, day, direction; overdue:
unit and day; danger: the appeal; bursts and repeats: the first appeal, and they are also matched to an
existing warning by any appeal in common). Found again, the same warning is updated — only when its
numbers changed, with an ``updated`` event. A closed warning stays closed, except a burst or a repeat
that has gained appeals since: that is reopened (event ``reopened``), because the matter is not over.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from hotline.directory.models import Category, Region, Unit, User
from hotline.directory.services import system_user
from hotline.early_warning import detectors as d
from hotline.early_warning.conf import Thresholds, thresholds
from hotline.early_warning.models import EarlyWarning, EarlyWarningEvent, Kind, ScanMark, Severity, Status
from hotline.notify import services as notify
from hotline.orders import rulebook
from hotline.orders.models import Appeal, Event, Order
from hotline.rules.order import Action

log = logging.getLogger("hotline.early_warning")

RULE = "ziyang §21; xixian §9(6)"
#: the appeals kept behind one warning (a volume spike of thousands keeps the first ones)
MAX_APPEALS = 500
#: the order numbers written into the evidence itself
MAX_NUMBERS = 50
HEAVY = (Kind.VOLUME, Kind.REPEAT, Kind.OVERDUE)
LIGHT = (Kind.BURST, Kind.DANGER)
METHOD = ("robust z = (count − median) / max(1.4826 × MAD, √median) over the reference days; "
          "reference = the same weekday in the last {weeks} weeks when it is the same kind of day "
          "(working day or not), else every day of that kind in those weeks")


@dataclass
class Finding:
    kind: str
    key: str
    title: str
    score: float
    evidence: dict[str, Any]
    appeal_ids: list[int]
    severity: str = Severity.MEDIUM
    category_id: int | None = None
    region_id: int | None = None
    unit_id: int | None = None
    requester_id: int | None = None
    by_appeals: bool = False       # bursts and repeats: also the same anomaly when an appeal is shared


@dataclass
class ScanResult:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    skipped: bool = False

    def add(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, {}).setdefault(outcome, 0)
        self.counts[kind][outcome] += 1

    @property
    def raised(self) -> int:
        return sum(c.get("raised", 0) + c.get("reopened", 0) for c in self.counts.values())


# --- time helpers ------------------------------------------------------------------------------------------------

def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()), timezone.get_current_timezone())


def _daily(rows: Iterable[tuple[int | None, date, int]], parents: dict[int, int | None] | None = None
           ) -> dict[int, dict[date, int]]:
    """(key, day, count) rows as a series per key; with ``parents``, each count also added to every ancestor."""
    series: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for key, day, n in rows:
        while key is not None:
            series[key][day] += n
            key = parents.get(key) if parents else None
    return series


def _numbers(appeal_ids: list[int]) -> list[str]:
    return list(Order.objects.filter(appeal_id__in=appeal_ids[:MAX_APPEALS]).order_by("received_at", "pk")
                .values_list("number", flat=True)[:MAX_NUMBERS])


def _history_start(default: date) -> date:
    first = Appeal.objects.aggregate(first=Min("received_at"))["first"]
    return max(default, timezone.localtime(first).date()) if first else default


# --- 1. volume --------------------------------------------------------------------------------------------------

def find_volume(now: datetime, t: Thresholds) -> list[Finding]:
    """Each category and region (counts rolled up to their parents; the city level left out), yesterday
    and today so far (today: spikes only, the day is not over) against the weekday baseline."""
    calendar = rulebook.calendar()
    today = timezone.localdate(now)
    judged = [(today - timedelta(days=1), False), (today, True)]
    start = today - timedelta(days=t.volume_weeks * 7 + 1)
    since = _history_start(start)
    window = Appeal.objects.filter(received_at__gte=_midnight(start), received_at__lt=now).annotate(
        day=TruncDate("received_at"))
    categories = {c.pk: c for c in Category.objects.only("pk", "name", "parent_id")}
    regions = {r.pk: r for r in Region.objects.only("pk", "name", "parent_id", "level")}
    dimensions: list[tuple[str, str, dict[int, dict[date, int]], Callable[[int], str]]] = [
        ("category", "诉求分类", _daily(window.filter(category__isnull=False).values_list("category_id", "day")
                                      .annotate(n=Count("id")).order_by(),
                                      {k: c.parent_id for k, c in categories.items()}),
         lambda k: categories[k].name if k in categories else str(k)),
        ("region", "区域", _daily(window.filter(region__isnull=False).values_list("region_id", "day")
                                .annotate(n=Count("id")).order_by(),
                                {k: r.parent_id for k, r in regions.items()}),
         lambda k: regions[k].name if k in regions else str(k)),
    ]
    found = []
    for dimension, label, series, name_of in dimensions:
        for key, counts in series.items():
            if dimension == "region" and key in regions and regions[key].level == Region.Level.CITY:
                continue
            for day, partial in judged:
                if day < since:
                    continue
                reference = d.weekday_reference(day, weeks=t.volume_weeks, since=since,
                                                is_working=calendar.is_working_day)
                hit = d.departure(counts, day, reference, z=t.volume_z, min_count=t.volume_min_count,
                                  upward_only=partial)
                if hit is None:
                    continue
                found.append(_volume_finding(dimension, label, key, name_of(key), hit, partial, t, now))
    return found


def _volume_finding(dimension: str, label: str, key: int, name: str, hit: d.Departure, partial: bool,
                    t: Thresholds, now: datetime) -> Finding:
    base = hit.baseline
    appeal_ids: list[int] = []
    if hit.direction == "up":
        lookup = {"category_id__in": _descendants(Category, key)} if dimension == "category" else {
            "region_id__in": _descendants(Region, key)}
        end = min(now, _midnight(hit.day + timedelta(days=1)))
        appeal_ids = list(Appeal.objects.filter(received_at__gte=_midnight(hit.day), received_at__lt=end, **lookup)
                          .order_by("received_at", "pk").values_list("pk", flat=True)[:MAX_APPEALS])
    more = "高于" if hit.direction == "up" else "低于"
    title = (f"{label}“{name}”{hit.day:%m月%d日}{'截至目前' if partial else ''}来件 {hit.count} 件，"
             f"明显{more}常态（同类日中位数 {base.median:g} 件，稳健 z 值 {hit.z:+.1f}）")
    evidence = {
        "dimension": dimension, "name": name, "day": hit.day.isoformat(), "partial_day": partial,
        "count": hit.count, "direction": hit.direction, "expected": base.median, "mad": base.mad,
        "spread": round(base.spread, 3), "z": hit.z, "threshold_z": hit.threshold_z, "min_count": hit.min_count,
        "reference": [{"day": x.isoformat(), "count": v} for x, v in zip(base.days, base.values, strict=True)],
        "method": METHOD.format(weeks=t.volume_weeks), "reference_weeks": t.volume_weeks,
        "orders": _numbers(appeal_ids),
    }
    return Finding(Kind.VOLUME, f"{dimension}:{key}:{hit.day.isoformat()}:{hit.direction}", title, hit.z, evidence,
                   appeal_ids, category_id=key if dimension == "category" else None,
                   region_id=key if dimension == "region" else None)


def _descendants(model: type[Category] | type[Region], key: int) -> list[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in model.objects.values_list("pk", "parent_id"):
        children[parent].append(pk)
    out, todo = [], [key]
    while todo:
        k = todo.pop()
        out.append(k)
        todo.extend(children.get(k, []))
    return out


# --- 2. bursts and 3. repeats ------------------------------------------------------------------------------------

ITEM_FIELDS = ("pk", "received_at", "title", "content", "region_id", "address", "requester_id", "category_id")


def _items(rows: Iterable[tuple[Any, ...]]) -> list[d.Item]:
    return [d.Item(pk, at, f"{title} {content}".strip(), region, address or "", requester, category)
            for pk, at, title, content, region, address, requester, category in rows]


def find_bursts(now: datetime, t: Thresholds, rows: Iterable[tuple[Any, ...]] | None = None) -> list[Finding]:
    """Appeals of the last ``burst_hours`` hours (``rows``: those appeals' ITEM_FIELDS, already read)."""
    if rows is None:
        rows = Appeal.objects.filter(received_at__gte=now - timedelta(hours=t.burst_hours), received_at__lte=now
                                     ).values_list(*ITEM_FIELDS)
    groups = d.bursts(_items(rows), hours=t.burst_hours, min_appeals=t.burst_min_appeals,
                      similarity=t.burst_similarity)
    regions = dict(Region.objects.values_list("pk", "name")) if groups else {}
    found = []
    for group in groups:
        ids = list(group.ids)
        place = group.address or (regions.get(group.region, "") if group.region else "")
        title = (f"{place or '同一事件'}：{group.first:%H:%M}–{group.last:%H:%M} 集中来件 {len(ids)} 件"
                 f"（{group.requesters} 位诉求人）")
        evidence = {
            "count": len(ids), "requesters": group.requesters, "basis": group.basis, "address": group.address,
            "region": regions.get(group.region, "") if group.region else "",
            "first_at": group.first.isoformat(), "last_at": group.last.isoformat(),
            "similarity": group.similarity, "threshold_appeals": t.burst_min_appeals, "window_hours": t.burst_hours,
            "threshold_similarity": t.burst_similarity, "place_similarity": d.PLACE_SIMILARITY,
            "orders": _numbers(ids),
        }
        found.append(Finding(Kind.BURST, f"burst:{ids[0]}", title, float(len(ids)), evidence, ids,
                             Severity.HIGH if group.requesters >= 2 * t.burst_min_appeals else Severity.MEDIUM,
                             region_id=group.region, by_appeals=True))
    return found


def find_repeats(now: datetime, t: Thresholds) -> list[Finding]:
    """Requesters with at least ``repeat_min_appeals`` appeals in the last ``repeat_days`` days (one
    GROUP BY), then only their appeals, clustered into matters."""
    window = Appeal.objects.filter(received_at__gte=now - timedelta(days=t.repeat_days), received_at__lte=now,
                                   requester__isnull=False)
    frequent = list(window.values("requester_id").annotate(n=Count("id")).filter(n__gte=t.repeat_min_appeals)
                    .values_list("requester_id", flat=True))
    found = []
    for start in range(0, len(frequent), 500):
        rows = window.filter(requester_id__in=frequent[start:start + 500]).values_list(*ITEM_FIELDS)
        for group in d.repeats(_items(rows), min_appeals=t.repeat_min_appeals, similarity=t.repeat_similarity):
            ids = list(group.ids)
            title = (f"同一诉求人 {t.repeat_days} 天内就同一事项第 {len(ids)} 次来件"
                     f"{('（' + group.address + '）') if group.address else ''}")
            evidence = {
                "count": len(ids), "basis": group.basis, "address": group.address, "similarity": group.similarity,
                "first_at": group.first.isoformat(), "last_at": group.last.isoformat(),
                "threshold_appeals": t.repeat_min_appeals, "window_days": t.repeat_days,
                "threshold_similarity": t.repeat_similarity, "orders": _numbers(ids),
            }
            found.append(Finding(Kind.REPEAT, f"requester:{group.requester}:{ids[0]}", title, float(len(ids)),
                                 evidence, ids, requester_id=group.requester, region_id=group.region,
                                 by_appeals=True))
    return found


# --- 4. overdue --------------------------------------------------------------------------------------------------

def find_overdue(now: datetime, t: Thresholds) -> list[Finding]:
    """Orders newly marked overdue per lead unit and day (Event ``mark_overdue``), yesterday and today so
    far against the unit's own last ``overdue_days`` days of the same kind."""
    calendar = rulebook.calendar()
    today = timezone.localdate(now)
    start = today - timedelta(days=t.overdue_days + 1)
    marks = Event.objects.filter(action=Action.MARK_OVERDUE.value, at__gte=_midnight(start), at__lt=now,
                                 order__lead_unit__isnull=False)
    first = Event.objects.filter(action=Action.MARK_OVERDUE.value).aggregate(first=Min("at"))["first"]
    since = max(start, timezone.localtime(first).date()) if first else start
    rows = marks.annotate(day=TruncDate("at")).values_list("order__lead_unit_id", "day").annotate(
        n=Count("order_id", distinct=True)).order_by()
    units = {u.pk: u for u in Unit.objects.only("pk", "name", "code")}
    found = []
    for unit_id, counts in _daily(rows).items():
        for day, partial in ((today - timedelta(days=1), False), (today, True)):
            reference = d.recent_reference(day, days=t.overdue_days, since=since, is_working=calendar.is_working_day)
            hit = d.departure(counts, day, reference, z=t.overdue_z, min_count=t.overdue_min_count, upward_only=True)
            if hit is None:
                continue
            orders = list(marks.filter(order__lead_unit_id=unit_id, at__gte=_midnight(day),
                                       at__lt=_midnight(day + timedelta(days=1)))
                          .order_by("order_id").values_list("order_id", "order__appeal_id", "order__number")
                          .distinct()[:MAX_APPEALS])
            unit = units.get(unit_id)
            name = unit.name if unit else str(unit_id)
            base = hit.baseline
            title = (f"{name} {day:%m月%d日}{'截至目前' if partial else ''}新增超期工单 {hit.count} 件，"
                     f"远高于近期水平（中位数 {base.median:g} 件，稳健 z 值 {hit.z:+.1f}）")
            evidence = {
                "unit": name, "day": day.isoformat(), "partial_day": partial, "count": hit.count,
                "expected": base.median, "mad": base.mad, "spread": round(base.spread, 3), "z": hit.z,
                "threshold_z": hit.threshold_z, "min_count": hit.min_count,
                "reference": [{"day": x.isoformat(), "count": v} for x, v in zip(base.days, base.values, strict=True)],
                "reference_days": t.overdue_days,
                "method": f"the unit's last {t.overdue_days} days of the same kind (working day or not); "
                          "robust z = (count − median) / max(1.4826 × MAD, √median)",
                "orders": sorted({number for _, _, number in orders})[:MAX_NUMBERS],
            }
            found.append(Finding(Kind.OVERDUE, f"unit:{unit_id}:{day.isoformat()}", title, hit.z, evidence,
                                 sorted({appeal for _, appeal, _ in orders}), unit_id=unit_id))
    return found


# --- 5. danger words ---------------------------------------------------------------------------------------------

_WORDS: dict[str, d.WordList] = {}


def words(t: Thresholds) -> d.WordList:
    if t.danger_words_file not in _WORDS:
        _WORDS[t.danger_words_file] = d.load_words(t.danger_words_file)
    return _WORDS[t.danger_words_file]


#: appeal ids below the cursor still read again (a transaction that took an id earlier may commit later)
CURSOR_SLACK = 500


def find_danger(now: datetime, t: Thresholds, appeal_ids: Iterable[int] | None = None,
                rows: Iterable[tuple[Any, ...]] | None = None) -> list[Finding]:
    """Appeals of the last ``danger_hours`` hours with a danger word (or just ``appeal_ids``; or ``rows``:
    appeals' ITEM_FIELDS already read)."""
    if rows is None:
        found_rows = Appeal.objects.filter(pk__in=list(appeal_ids)) if appeal_ids is not None else \
            Appeal.objects.filter(received_at__gte=now - timedelta(hours=t.danger_hours), received_at__lte=now)
        rows = found_rows.values_list(*ITEM_FIELDS)
    found = []
    word_list = words(t)
    for pk, at, title, content, region, _address, _requester, category in rows:
        matches = d.danger_matches(f"{title} {content}", word_list)
        if not matches:
            continue
        kinds = sorted({m.kind for m in matches})
        labels = "、".join(d.DANGER_KINDS[k] for k in kinds)
        title_text = f"诉求含危险信号词（{labels}）：" + "、".join(m.word for m in matches)
        evidence = {
            "words": [{"word": m.word, "kind": m.kind, "kind_zh": d.DANGER_KINDS[m.kind], "snippet": m.snippet}
                      for m in matches],
            "received_at": at.isoformat(), "orders": _numbers([pk]),
        }
        severity = Severity.HIGH if {"life", "mass"} & set(kinds) else Severity.MEDIUM
        found.append(Finding(Kind.DANGER, f"appeal:{pk}", title_text, float(len(matches)), evidence, [pk],
                             severity, category_id=category, region_id=region))
    return found


FINDERS: dict[str, Callable[[datetime, Thresholds], list[Finding]]] = {
    Kind.VOLUME: find_volume, Kind.BURST: find_bursts, Kind.REPEAT: find_repeats, Kind.OVERDUE: find_overdue,
    Kind.DANGER: find_danger,
}


# --- de-duplicated upsert ----------------------------------------------------------------------------------------

def _log(warning: EarlyWarning, action: str, actor: User, at: datetime, from_status: str, note: str = "",
         payload: dict[str, Any] | None = None) -> None:
    EarlyWarningEvent.objects.create(warning=warning, action=action, actor=actor, actor_role=actor.role, at=at,
                                     from_status=from_status, to_status=warning.status, note=note,
                                     payload=payload or {})


def _tell_the_office(warning: EarlyWarning, action: str) -> None:
    """A new or reopened warning goes to the hotline office's inbox (sent when the transaction commits),
    once per warning and action; the text is the warning's summary, never personal data."""
    office = Unit.objects.filter(kind=Unit.Kind.HOTLINE_OFFICE).order_by("pk").values_list("code", flat=True).first()
    if office is None:
        return
    level = "【紧急】" if warning.severity == Severity.HIGH else ""
    verb = "重新打开" if action == EarlyWarningEvent.Action.REOPENED else "新预警"
    notify.schedule(kind="early_warning", channel="unit_inbox", recipient=office,
                    text=f"{level}{verb}（{warning.get_kind_display()}）#{warning.pk}：{warning.title}",
                    order_number=(warning.evidence.get("orders") or [""])[0],
                    dedupe_key=f"early_warning:{warning.pk}:{action}:{warning.detections}")


def _existing(f: Finding) -> EarlyWarning | None:
    found = EarlyWarning.objects.select_for_update().filter(kind=f.kind, key=f.key).first()
    if found is not None or not f.by_appeals or not f.appeal_ids:
        return found
    shared = EarlyWarning.objects.filter(kind=f.kind, appeals__in=f.appeal_ids)
    if f.requester_id is not None:
        shared = shared.filter(requester_id=f.requester_id)
    pk = shared.order_by("-last_detected_at", "-pk").values_list("pk", flat=True).first()
    return EarlyWarning.objects.select_for_update().get(pk=pk) if pk is not None else None


def upsert(f: Finding, *, now: datetime, actor: User) -> str:
    """Raise ``f`` as a warning, or update the warning it already is. Returns what happened:
    ``raised``, ``updated``, ``reopened`` or ``unchanged``."""
    try:
        with transaction.atomic():
            return _upsert(f, now, actor)
    except IntegrityError:  # another scan raised it between our look and our insert: update that one
        with transaction.atomic():
            return _upsert(f, now, actor)


def _upsert(f: Finding, now: datetime, actor: User) -> str:
    warning = _existing(f)
    if warning is None:
        warning = EarlyWarning.objects.create(
            kind=f.kind, key=f.key, title=f.title[:300], severity=f.severity, rule=RULE, category_id=f.category_id,
            region_id=f.region_id, unit_id=f.unit_id, requester_id=f.requester_id, evidence=f.evidence,
            count=len(f.appeal_ids), score=f.score, first_detected_at=now, last_detected_at=now)
        warning.appeals.add(*f.appeal_ids[:MAX_APPEALS])
        _log(warning, EarlyWarningEvent.Action.RAISED, actor, now, "", payload={"count": warning.count,
                                                                                "score": f.score})
        _tell_the_office(warning, EarlyWarningEvent.Action.RAISED)
        return "raised"
    known = set(warning.appeals.values_list("pk", flat=True))
    new_ids = [pk for pk in f.appeal_ids if pk not in known]
    if f.by_appeals:  # a burst or a repeat keeps every appeal it ever had
        evidence_orders = list(dict.fromkeys([*warning.evidence.get("orders", []), *f.evidence.get("orders", [])]))
        f.evidence["orders"] = evidence_orders[:MAX_NUMBERS]
        f.evidence["count"] = len(known) + len(new_ids)
    if warning.status == Status.CLOSED:
        if not (f.by_appeals and new_ids):
            return "unchanged"
        before = warning.status
        warning.status = Status.OPEN
        action = EarlyWarningEvent.Action.REOPENED
    elif f.evidence == warning.evidence and not new_ids:
        return "unchanged"
    else:
        before, action = warning.status, EarlyWarningEvent.Action.UPDATED
    old_count, old_score = warning.count, warning.score
    warning.appeals.add(*new_ids[:max(0, MAX_APPEALS - len(known))])
    warning.title, warning.evidence, warning.score = f.title[:300], f.evidence, f.score
    warning.count = len(known) + len(new_ids) if f.by_appeals else len(f.appeal_ids)
    if f.by_appeals:
        warning.score = float(warning.count)
    warning.severity = max(warning.severity, f.severity, key=lambda s: s == Severity.HIGH)
    warning.last_detected_at, warning.detections, warning.version = now, warning.detections + 1, warning.version + 1
    warning.save(update_fields=["status", "title", "evidence", "score", "count", "severity", "last_detected_at",
                                "detections", "version"])
    _log(warning, action, actor, now, before, payload={"count": [old_count, warning.count],
                                                       "score": [old_score, warning.score], "new_appeals": new_ids})
    if action == EarlyWarningEvent.Action.REOPENED:
        _tell_the_office(warning, action)
    return "reopened" if action == EarlyWarningEvent.Action.REOPENED else "updated"


# --- the face ----------------------------------------------------------------------------------------------------

def warnings_scan(*, now: datetime | None = None, kinds: Iterable[str] | None = None, t: Thresholds | None = None,
                  finders: dict[str, Callable[[datetime, Thresholds], list[Finding]]] | None = None,
                  mark: Iterable[str] | None = None) -> ScanResult:
    """Run the detectors of ``kinds`` (default: all) at ``now`` and raise or update their warnings;
    record the time of the run in the ScanMark of ``mark`` (default: every kind run)."""
    finders = finders or FINDERS
    now = now or timezone.now()
    t = t or thresholds()
    chosen = [Kind(k) for k in (kinds or list(Kind))]
    actor: User | None = None
    result = ScanResult()
    for kind in chosen:
        for finding in finders[kind](now, t):
            actor = actor or system_user()
            result.add(kind, upsert(finding, now=now, actor=actor))
    names = [k.value for k in chosen] if mark is None else [Kind(k).value for k in mark]
    if names and ScanMark.objects.filter(name__in=names).update(last_at=now) < len(names):
        ScanMark.objects.bulk_create([ScanMark(name=n, last_at=now) for n in names], ignore_conflicts=True)
        ScanMark.objects.filter(name__in=names).update(last_at=now)
    log.info("warnings scan at %s: %s", now.isoformat(), result.counts)
    return result


def warnings_tick(now: datetime) -> ScanResult:
    """The tick's step: bursts and danger words every time, the heavy detectors when
    ``scan_every_minutes`` have passed since they last ran. One transaction (a savepoint inside the
    tick's): a scan that fails leaves nothing half-written and the tick goes on."""
    with transaction.atomic():
        return _tick(now)


def _tick(now: datetime) -> ScanResult:
    """Four queries when nothing is due: the marks, one read of the recent appeals for bursts and danger
    words together (and the savepoint around it all)."""
    t = thresholds()
    rows = list(ScanMark.objects.values_list("name", "last_at", "cursor"))
    marks = {name: last for name, last, _ in rows}
    cursor = next((c for name, _, c in rows if name == Kind.DANGER.value), 0)
    every = timedelta(minutes=t.scan_every_minutes)
    due = [k for k in HEAVY if (last := marks.get(k.value)) is None or not last <= now < last + every]
    after = max(0, cursor - CURSOR_SLACK)   # danger words: the appeals registered since the last tick, by id
    burst_since, danger_since = now - timedelta(hours=t.burst_hours), now - timedelta(hours=t.danger_hours)
    recent = list(Appeal.objects.filter(received_at__lte=now).filter(
        Q(received_at__gte=burst_since) | Q(pk__gt=after, received_at__gte=danger_since)).values_list(*ITEM_FIELDS))
    bursting = [r for r in recent if r[1] >= burst_since]
    new = [r for r in recent if r[0] > after and r[1] >= danger_since]
    finders: dict[str, Callable[[datetime, Thresholds], list[Finding]]] = {
        **FINDERS, Kind.BURST: lambda n, t: find_bursts(n, t, bursting), Kind.DANGER: lambda n, t: find_danger(
            n, t, rows=new)}
    first = len(marks) < len(Kind)
    result = warnings_scan(now=now, kinds=[*LIGHT, *due], t=t, finders=finders, mark=None if first else due)
    top = max((r[0] for r in new), default=0)
    if top > cursor:
        ScanMark.objects.filter(name=Kind.DANGER.value).update(cursor=top)
    return result


def warnings_check_appeal(appeal_id: int, *, now: datetime | None = None) -> ScanResult:
    """Danger words in one appeal, at once (for intake to call right after it registers an appeal)."""
    now = now or timezone.now()
    t = thresholds()
    actor = system_user()
    result = ScanResult()
    for finding in find_danger(now, t, [appeal_id]):
        result.add(Kind.DANGER, upsert(finding, now=now, actor=actor))
    return result
