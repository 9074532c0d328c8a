"""Assemble a monthly bulletin (月度通报): operations, analysis, unit tables, cases, supervision.

``build_bulletin(month)`` runs a fixed number of queries whatever the month's volume (about twenty
group-bys over the month's orders, the previous month's and the same month a year before, plus
reads of a handful of cases, the month's supervision events and interviews).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from hotline.assessment.bulletin.figures import (
    COUNTS,
    Breakdown,
    Figures,
    Line,
    Month,
    grouped,
    merge,
    received_in,
    totals,
    volumes,
)
from hotline.assessment.bulletin.scrub import scrub_text
from hotline.assessment.bulletin.units import UnitTable, unit_tables
from hotline.directory.models import Category, Region, Unit
from hotline.orders import rulebook
from hotline.orders.models import Channel, Event, Order
from hotline.rules.calendar import SHANGHAI
from hotline.rules.order import Action, State
from hotline.rules.vocabulary import AppealType, Evaluation
from hotline.supervision.models import Interview

#: rows of the hot lists, cases of each kind
HOT = 10
CASES = 3
SUPERVISION_ROWS = 1000   # the Excel sheet's list; the PDF and the page show PRINTED_SUPERVISION of them
PRINTED_SUPERVISION = 30
UNKNOWN = "未分类"


def satisfaction_weight(profile_name: str | None = None) -> Decimal:
    """w in (satisfied + w × basically satisfied) ÷ valid: the profile's ``assessment`` section, else 1."""
    value = getattr(getattr(rulebook.profile(profile_name), "assessment", None), "basically_satisfied_weight", None)
    return Decimal(str(value)) if value is not None else Decimal(1)


def month_start_day(profile_name: str | None = None) -> int:
    """The day an assessment month starts on (``assessment.month_start_day``), else 1."""
    value = getattr(getattr(rulebook.profile(profile_name), "assessment", None), "month_start_day", None)
    return int(value) if value else 1


@dataclass(frozen=True)
class Case:
    """A typical case, its text with personal data removed."""

    kind: str
    number: str
    appeal_type: str
    category: str
    unit: str
    received_at: datetime
    content: str
    result: str
    evaluation: str


@dataclass(frozen=True)
class SupervisionRow:
    number: str
    unit: str
    label: str
    at: datetime
    state: str


@dataclass(frozen=True)
class InterviewRow:
    unit: str
    held_at: datetime
    reason: str
    rule: str
    outcome: str


@dataclass(frozen=True)
class Bulletin:
    month: Month
    title: str
    office: str
    generated_at: datetime
    weight: Decimal
    total: Figures
    previous: Figures
    year_before: Figures
    daily: list[tuple[date, int]]
    by_channel: Breakdown
    by_type: Breakdown
    by_category: Breakdown
    by_area: Breakdown
    hot_categories: list[Line]
    hot_regions: list[Line]
    units: list[UnitTable]
    cases: list[Case] = field(default_factory=list)
    supervision: list[SupervisionRow] = field(default_factory=list)
    supervision_by_unit: list[tuple[str, int]] = field(default_factory=list)   # unit name, supervision notices
    interviews: list[InterviewRow] = field(default_factory=list)

    @property
    def supervision_total(self) -> int:
        return sum(n for _, n in self.supervision_by_unit)

    @property
    def supervision_printed(self) -> list[SupervisionRow]:
        return self.supervision[:PRINTED_SUPERVISION]

    @property
    def mom(self) -> Decimal | None:
        return Line("", "", self.total, self.previous.counts["orders"]).mom

    @property
    def yoy(self) -> Decimal | None:
        return Line("", "", self.total, 0, self.year_before.counts["orders"]).yoy


def _breakdown(title: str, key_label: str, month: Month, key: str, labels: dict[Any, str], *, as_of: datetime,
               weight: Decimal, keep_empty: bool = False) -> Breakdown:
    now = grouped(month, key, as_of=as_of, weight=weight)
    before, year = volumes(month.previous(), key), volumes(month.year_before(), key)
    keys = list(labels) if keep_empty else [k for k in labels if k in now or k in before or k in year]
    keys += [k for k in now if k not in labels]
    lines = [Line(str(k), labels.get(k, UNKNOWN), now.get(k) or Figures(_zero(), weight), before.get(k, 0),
                  year.get(k, 0)) for k in keys]
    return Breakdown(title, key_label, lines)


def _zero() -> dict[str, int]:
    return dict.fromkeys(COUNTS, 0)


def _roots(rows: dict[int, tuple[str, int | None]], stop: Any = None) -> dict[int, int]:
    """id → the id of its top ancestor (or of the first ancestor ``stop`` accepts)."""
    out: dict[int, int] = {}
    for pk in rows:
        current = pk
        for _ in range(20):
            parent = rows[current][1]
            if parent is None or parent not in rows or (stop is not None and stop(current)):
                break
            current = parent
        out[pk] = current
    return out


def _rolled(month: Month, key: str, roots: dict[int, int], names: dict[int, str], title: str, key_label: str, *,
            as_of: datetime, weight: Decimal) -> Breakdown:
    """A breakdown whose groups (categories, regions) are added up into their ancestors: one query per month."""
    now = grouped(month, key, as_of=as_of, weight=weight)
    before, year = volumes(month.previous(), key), volumes(month.year_before(), key)
    parts: dict[int | None, list[Figures]] = defaultdict(list)
    for k, fig in now.items():
        parts[roots.get(k) if k is not None else None].append(fig)
    vol_before: dict[int | None, int] = defaultdict(int)
    vol_year: dict[int | None, int] = defaultdict(int)
    for k, n in before.items():
        vol_before[roots.get(k) if k is not None else None] += n
    for k, n in year.items():
        vol_year[roots.get(k) if k is not None else None] += n
    lines = [Line(str(k), names.get(k, UNKNOWN) if k is not None else UNKNOWN, merge(figs, weight),
                  vol_before[k], vol_year[k]) for k, figs in parts.items()]
    lines.sort(key=lambda line: (-line.figures.counts["orders"], line.label))
    return Breakdown(title, key_label, lines)


def _hot(month: Month, key: str, names: dict[int, str]) -> list[Line]:
    """The HOT values of ``key`` with most orders this month, with last month's count."""
    rows = (received_in(month).order_by().exclude(**{f"{key}__isnull": True}).values(key)
            .annotate(n=Count("pk")).order_by("-n", key)[:HOT])
    top = [(row[key], int(row["n"])) for row in rows]
    before = dict(received_in(month.previous()).filter(**{f"{key}__in": [k for k, _ in top]}).order_by()
                  .values_list(key).annotate(n=Count("pk")).values_list(key, "n"))
    return [Line(str(k), names.get(k, UNKNOWN), Figures({**_zero(), "orders": n}), int(before.get(k, 0)))
            for k, n in top]


def _daily(month: Month) -> list[tuple[date, int]]:
    rows = (received_in(month).order_by().annotate(day=TruncDate("received_at", tzinfo=SHANGHAI)).values("day")
            .annotate(n=Count("pk")).values_list("day", "n"))
    counts = {d: int(n) for d, n in rows}
    return [(d, counts.get(d, 0)) for d in month.dates]


def _case(kind: str, order: Order) -> Case:
    appeal = order.appeal
    requester = appeal.requester
    names = [requester.name] if requester else []
    numbers = [n for n in ((requester.phone, requester.id_number) if requester else ()) if n]
    reply = next((e.payload.get("reply") for e in order.events.all() if e.action == Action.REPLY.value), None)
    result = reply.get("result", "") if isinstance(reply, dict) else ""
    return Case(kind, order.number, AppealType(order.appeal_type).zh,
                order.category.name if order.category else UNKNOWN,
                order.lead_unit.name if order.lead_unit else "",
                order.received_at, scrub_text(order.matter or appeal.content, names=names, numbers=numbers),
                scrub_text(str(result), names=names, numbers=numbers),
                Evaluation(order.evaluation).zh if order.evaluation else "")


def typical_cases(month: Month, numbers: list[str] | None = None) -> list[Case]:
    """Chosen orders (by number), then praised and supervised orders of the month; never a confidential one."""
    base = (Order.objects.filter(appeal__confidential=False)
            .select_related("appeal", "appeal__requester", "category", "lead_unit").prefetch_related("events"))
    cases: list[Case] = []
    seen: set[str] = set()
    chosen = list(base.filter(number__in=numbers or []).order_by("received_at"))
    closed = [State.EVALUATED.value, State.ARCHIVED.value]
    praised = received_in(month, base).filter(appeal_type=AppealType.PRAISE.value, state__in=closed).order_by("received_at")
    supervised_ids = (Event.objects.filter(action=Action.SUPERVISE.value, at__gte=month.start, at__lt=month.end)
                      .order_by("at").values_list("order_id", flat=True)[:50])
    supervised = base.filter(pk__in=list(supervised_ids)).order_by("received_at")
    for kind, orders in (("选定案例", chosen), ("表扬案例", list(praised[:CASES])),
                         ("督办案例", list(supervised[:CASES]))):
        for order in orders:
            if order.number not in seen:
                seen.add(order.number)
                cases.append(_case(kind, order))
    return cases


def supervision_list(month: Month) -> list[SupervisionRow]:
    events = (Event.objects.filter(action=Action.SUPERVISE.value, at__gte=month.start, at__lt=month.end)
              .select_related("order", "order__lead_unit").order_by("at", "pk")[:SUPERVISION_ROWS])
    return [SupervisionRow(e.order.number, e.order.lead_unit.name if e.order.lead_unit else "",
                           str(e.payload.get("label") or e.payload.get("trigger") or ""), e.at,
                           State(e.order.state).zh) for e in events]


def supervision_by_unit(month: Month) -> list[tuple[str, int]]:
    """Supervision notices of the month per unit (the order's lead unit now), most first: one query."""
    rows = (Event.objects.filter(action=Action.SUPERVISE.value, at__gte=month.start, at__lt=month.end).order_by()
            .values("order__lead_unit__name").annotate(n=Count("pk")).order_by("-n", "order__lead_unit__name"))
    return [(row["order__lead_unit__name"] or "（未派单）", int(row["n"])) for row in rows]


def interview_list(month: Month) -> list[InterviewRow]:
    rows = Interview.objects.filter(held_at__gte=month.start, held_at__lt=month.end).select_related("unit").order_by("held_at")
    return [InterviewRow(i.unit.name, i.held_at, i.reason, i.rule, i.outcome) for i in rows]


def build_bulletin(month: Month | str, *, as_of: datetime | None = None, cases: list[str] | None = None,
                   profile_name: str | None = None) -> Bulletin:
    """The bulletin of ``month`` (``Month`` or "2026-10"), outcomes as known ``as_of`` (now by default)."""
    month = month if isinstance(month, Month) else Month.parse(month, month_start_day(profile_name))
    as_of = as_of or timezone.now()
    weight = satisfaction_weight(profile_name)
    kw: dict[str, Any] = {"as_of": as_of, "weight": weight}

    categories = {c.pk: (c.name, c.parent_id) for c in Category.objects.only("pk", "name", "parent_id")}
    regions = {r.pk: (r.name, r.parent_id) for r in Region.objects.only("pk", "name", "parent_id")}
    region_level = dict(Region.objects.values_list("pk", "level"))
    district_of = _roots(regions, stop=lambda pk: region_level.get(pk) in {"district", "city"})
    # a district's parent is the city: stop there, and leave the city itself as its own group
    district_of = {pk: (root if region_level.get(root) != "city" else pk) for pk, root in district_of.items()}
    office = Unit.objects.filter(kind=Unit.Kind.HOTLINE_OFFICE).order_by("pk").values_list("name", flat=True).first()

    channel_labels: dict[Any, str] = dict(Channel.choices)
    type_labels: dict[Any, str] = {t.value: t.zh for t in AppealType}
    return Bulletin(
        month=month,
        title=f"12345政务服务便民热线{month.zh}工作通报",
        office=office or "12345热线管理机构",
        generated_at=as_of,
        weight=weight,
        total=totals(month, **kw),
        previous=totals(month.previous(), **kw),
        year_before=totals(month.year_before(), **kw),
        daily=_daily(month),
        by_channel=_breakdown("受理渠道", "渠道", month, "appeal__channel", channel_labels, **kw),
        by_type=_breakdown("诉求类型", "类型", month, "appeal_type", type_labels, **kw),
        by_category=_rolled(month, "category_id", _roots(categories), {k: v[0] for k, v in categories.items()},
                            "诉求分类", "分类", **kw),
        by_area=_rolled(month, "appeal__region_id", district_of, {k: v[0] for k, v in regions.items()},
                        "区域分布", "区域", **kw),
        hot_categories=_hot(month, "category_id", {k: v[0] for k, v in categories.items()}),
        hot_regions=_hot(month, "appeal__region_id", {k: v[0] for k, v in regions.items()}),
        units=unit_tables(month, as_of=as_of, weight=weight, profile_name=profile_name),
        cases=typical_cases(month, cases),
        supervision=supervision_list(month),
        supervision_by_unit=supervision_by_unit(month),
        interviews=interview_list(month),
    )
