"""The bulletin's operations and analysis figures: aggregate queries over the orders of a month.

Every figure here is one ``aggregate`` or one ``values(...).annotate(...)`` group-by over the orders
received in a window (``Order.received_at``, indexed by ``order_newest``); no query or Python loop runs
per order. The cohort, and what each count means, is written in docs/bulletin.md:

- ``orders``: orders received in the month; ``dispatched``: of them, sent to a unit; ``answered``:
  answered directly by an operator;
- callback counts over the *valid callbacks*: an evaluation of satisfied / basically satisfied /
  dissatisfied that was neither screened out (ziyang §14(2)) nor exempted (tianjin §25);
- ``due``: orders whose handle deadline has come or that were replied to; ``on_time``: replied by
  their due time and not a late return; ``overdue``: the rest of ``due`` (a late return counts as
  overdue, ziyang §13(2));
- ``extended``, ``redone``, ``returned``, ``supervised``: orders with at least one extension, redo,
  return, or under supervision.
"""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from hotline.orders.models import Order
from hotline.rules.calendar import SHANGHAI
from hotline.rules.errors import InvalidInput
from hotline.rules.order import State
from hotline.rules.vocabulary import Evaluation

GRADES = (Evaluation.SATISFIED.value, Evaluation.BASICALLY_SATISFIED.value, Evaluation.DISSATISFIED.value)
VALID = Q(evaluation__in=GRADES, screened_out=False, exempted=False)
ON_TIME = Q(replied_at__isnull=False, handle_due__isnull=False, replied_at__lte=F("handle_due"), late_return=False)

#: the counts every figure set carries, in the order the sheets show them
COUNTS = ("orders", "dispatched", "answered", "valid_callbacks", "contacted", "resolved", "unresolved",
          "satisfied", "basically_satisfied", "dissatisfied", "due", "on_time", "overdue", "extended", "redone",
          "returned", "supervised")
RATES = ("response_rate", "resolution_rate", "satisfaction_rate", "on_time_rate")
LABELS = {
    "orders": "受理量", "dispatched": "派单量", "answered": "直接答复", "valid_callbacks": "有效回访",
    "contacted": "已联系", "resolved": "已解决", "unresolved": "未解决", "satisfied": "满意",
    "basically_satisfied": "基本满意", "dissatisfied": "不满意", "due": "应办结", "on_time": "按时办结",
    "overdue": "超期", "extended": "延期", "redone": "重办", "returned": "退单", "supervised": "督办",
    "response_rate": "响应率", "resolution_rate": "解决率", "satisfaction_rate": "满意率", "on_time_rate": "按时办结率",
}
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Month:
    """An assessment month in the hotline's time zone, [start, end): a calendar month, or with the
    profile's start day (``assessment.month_start_day`` = 19: "2026-10" runs 09-19..10-18, as the
    assessment counts it)."""

    year: int
    month: int
    start_day: int = 1

    @classmethod
    def parse(cls, text: str, start_day: int = 1) -> Month:
        match = _MONTH.match((text or "").strip())
        if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
            raise InvalidInput(f"月份 {text!r} 格式不对，应写成 2026-10（年-月）",
                               f"month {text!r} is malformed: write it as 2026-10 (year-month)", code="bad_month")
        return cls(int(match.group(1)), int(match.group(2)), start_day)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def zh(self) -> str:
        return f"{self.year}年{self.month}月"

    def _first(self) -> date:
        if self.start_day == 1:
            return date(self.year, self.month, 1)
        before = date(self.year, self.month, 1) - timedelta(days=1)
        return before.replace(day=min(self.start_day, _calendar.monthrange(before.year, before.month)[1]))

    @property
    def start(self) -> datetime:
        return datetime.combine(self._first(), time(0), tzinfo=SHANGHAI)

    @property
    def end(self) -> datetime:
        return self.next().start

    @property
    def dates(self) -> list[date]:
        first, last = self._first(), self.next()._first()
        return [first + timedelta(days=i) for i in range((last - first).days)]

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1, self.start_day)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1, self.start_day)

    def year_before(self) -> Month:
        return Month(self.year - 1, self.month, self.start_day)


def rate(numerator: Decimal | int, denominator: int) -> Decimal | None:
    """A share between 0 and 1, four places, half up; None when nothing is in the denominator."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(_PLACES, rounding=ROUND_HALF_UP)


def change(now: int, before: int) -> Decimal | None:
    """Relative change (0.25 = +25 %); None when there was nothing before."""
    return rate(now - before, before) if before else None


@dataclass(frozen=True)
class Figures:
    """One set of counts (see the module docstring) and the four rates they give."""

    counts: dict[str, int]
    weight: Decimal = Decimal(1)   # what a "basically satisfied" counts for in the satisfaction rate

    def __getitem__(self, name: str) -> int | Decimal | None:
        if name in self.counts:
            return self.counts[name]
        return self.rates[name]

    @property
    def rates(self) -> dict[str, Decimal | None]:
        c = self.counts
        return {
            "response_rate": rate(c["contacted"], c["valid_callbacks"]),
            "resolution_rate": rate(c["resolved"], c["resolved"] + c["unresolved"]),
            "satisfaction_rate": rate(c["satisfied"] + self.weight * c["basically_satisfied"], c["valid_callbacks"]),
            "on_time_rate": rate(c["on_time"], c["due"]),
        }


def aggregates(as_of: datetime) -> dict[str, Any]:
    """The COUNTS as conditional aggregates, outcome known ``as_of`` (overdue and not yet replied)."""
    overdue = (Q(late_return=True) | Q(replied_at__gt=F("handle_due"))
               | Q(replied_at__isnull=True, handle_due__lt=as_of))
    named = {
        "orders": Count("pk"),
        "dispatched": Count("pk", filter=Q(dispatched_at__isnull=False)),
        "answered": Count("pk", filter=Q(state=State.ANSWERED.value)),
        "valid_callbacks": Count("pk", filter=VALID),
        "contacted": Count("pk", filter=VALID & Q(contacted=True)),
        "resolved": Count("pk", filter=VALID & Q(resolved=True)),
        "unresolved": Count("pk", filter=VALID & Q(resolved=False)),
        "satisfied": Count("pk", filter=VALID & Q(evaluation=Evaluation.SATISFIED.value)),
        "basically_satisfied": Count("pk", filter=VALID & Q(evaluation=Evaluation.BASICALLY_SATISFIED.value)),
        "dissatisfied": Count("pk", filter=VALID & Q(evaluation=Evaluation.DISSATISFIED.value)),
        "due": Count("pk", filter=Q(handle_due__isnull=False) & (ON_TIME | overdue)),
        "on_time": Count("pk", filter=ON_TIME),
        "overdue": Count("pk", filter=Q(handle_due__isnull=False) & overdue),
        "extended": Count("pk", filter=Q(extensions__gt=0)),
        "redone": Count("pk", filter=Q(redos__gt=0)),
        "returned": Count("pk", filter=Q(returns__gt=0)),
        "supervised": Count("pk", filter=Q(supervised=True)),
    }
    # prefixed: an aggregate may not share its name with a column its filters read (resolved, contacted…)
    return {f"n_{name}": value for name, value in named.items()}


def _counts(row: dict[str, Any]) -> dict[str, int]:
    return {k: int(row[f"n_{k}"] or 0) for k in COUNTS}


def received_in(month: Month, orders: QuerySet[Order] | None = None) -> QuerySet[Order]:
    base = orders if orders is not None else Order.objects.all()
    return base.filter(received_at__gte=month.start, received_at__lt=month.end)


def totals(month: Month, *, as_of: datetime, weight: Decimal) -> Figures:
    """The month's figures over all its orders: one query."""
    return Figures(_counts(received_in(month).aggregate(**aggregates(as_of))), weight)


def grouped(month: Month, key: str, *, as_of: datetime, weight: Decimal) -> dict[Any, Figures]:
    """The month's figures per value of ``key`` (a column or a join such as ``appeal__channel``): one query."""
    rows = received_in(month).order_by().values(key).annotate(**aggregates(as_of))
    return {row[key]: Figures(_counts(row), weight) for row in rows}


def volumes(month: Month, key: str) -> dict[Any, int]:
    """Orders received per value of ``key``: one query (for the month-on-month and year-on-year columns)."""
    rows = received_in(month).order_by().values(key).annotate(n=Count("pk"))
    return {row[key]: int(row["n"]) for row in rows}


@dataclass(frozen=True)
class Line:
    """One row of a breakdown: a label, its figures, and its volume a month and a year before."""

    key: str
    label: str
    figures: Figures
    previous: int = 0
    year_before: int = 0

    @property
    def mom(self) -> Decimal | None:
        return change(self.figures.counts["orders"], self.previous)

    @property
    def yoy(self) -> Decimal | None:
        return change(self.figures.counts["orders"], self.year_before)


@dataclass(frozen=True)
class Breakdown:
    title: str
    key_label: str
    lines: list[Line] = field(default_factory=list)


def merge(parts: list[Figures], weight: Decimal) -> Figures:
    """Figures of several groups added up (a district from its streets)."""
    return Figures({k: sum(p.counts[k] for p in parts) for k in COUNTS}, weight)
