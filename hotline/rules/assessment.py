"""Unit assessment (考核), pure: assessment periods, what each order contributes, rates, score, grade, rank.

The platform keeps a rollup of *facts*: for each order, the counts it contributes to a unit on a day
(:func:`order_facts`, read from the order's timeline). A period's figures are the sums of the daily facts
(:func:`figures`), so that a month of all units is a sum over a few thousand rows, exact and reproducible.

Which day a fact belongs to (the period it counts in):

* ``orders`` (dispatched to the unit), ``signed`` / ``signed_on_time``: the day of the dispatch / sign;
* ``returns`` (return requests the unit made), ``extensions`` (approved), ``redos``: the day of that event;
* ``overdue``: the day the first of the unit's steps was marked overdue, or the day of a late return when the
  profile counts it as overdue (ziyang §13(2)); at most once per order and unit;
* ``supervised``: the day of the first supervision while the unit held the order; once per order and unit;
* ``due`` / ``on_time``: one per handling cycle (from a dispatch or a redo): the day of the reply, or the day
  the handling step was marked overdue if that came first (then never on time);
* the callback (``valid_callbacks``, ``answered``, ``contacted``, ``resolved``, ``unresolved``, the three
  grades, ``excluded``): the day of the order's standing evaluation (the last ``evaluate`` or
  ``evaluation_timeout`` not undone by a redo), counted for the unit that replied. Unreachable or declined
  callbacks and evaluations of ``none`` are not valid callbacks; a screened or exempted order, or an order in
  an excluded domain, is counted in ``excluded`` instead (with the reason and its article). A screening or
  exemption decided later moves the fact of that evaluation day: that is how a revision of a frozen period
  arises.

Rates are exact fractions, rounded once at the end to 4 decimal places (0.1234 = 12.34 %) with
ROUND_HALF_UP; the score is computed from the unrounded rates and rounded to 2 places, half up.
"""

from __future__ import annotations

import calendar as _cal
import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Protocol

from hotline.rules.calendar import SHANGHAI
from hotline.rules.errors import InvalidInput
from hotline.rules.order import Action
from hotline.rules.profiles import AssessmentRule, Profile
from hotline.rules.vocabulary import DeadlineKind, Evaluation

#: every count a unit's figures are made of, in display order
COUNTS: tuple[str, ...] = (
    "orders", "valid_callbacks", "answered", "contacted", "resolved", "unresolved", "satisfied",
    "basically_satisfied", "dissatisfied", "due", "on_time", "signed", "signed_on_time", "returns", "redos",
    "extensions", "overdue", "supervised", "excluded", "unreachable", "declined", "consultations",
    "answered_directly")

COUNT_ZH: Mapping[str, str] = {
    "orders": "派单量", "valid_callbacks": "有效回访", "answered": "回访作答", "contacted": "已联系",
    "resolved": "已解决", "unresolved": "未解决", "satisfied": "满意", "basically_satisfied": "基本满意",
    "dissatisfied": "不满意", "due": "应办结", "on_time": "按时办结", "signed": "签收", "signed_on_time": "按时签收",
    "returns": "退单", "redos": "重办", "extensions": "延期", "overdue": "超期", "supervised": "督办",
    "excluded": "剔除", "unreachable": "回访未接通", "declined": "拒绝评价", "consultations": "咨询件",
    "answered_directly": "一次性解答"}

#: rate → (numerator counts, denominator counts); the satisfaction numerator is weighted (see rates())
RATES: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "response_rate": (("contacted",), ("answered",)),
    "resolution_rate": (("resolved",), ("resolved", "unresolved")),
    "satisfaction_rate": (("satisfied", "basically_satisfied"), ("valid_callbacks",)),
    "on_time_rate": (("on_time",), ("due",)),
    "timely_sign_rate": (("signed_on_time",), ("signed",)),
    "return_rate": (("returns",), ("orders",)),
    "redo_rate": (("redos",), ("orders",)),
    "first_contact_rate": (("answered_directly",), ("consultations",)),
}

RATE_ZH: Mapping[str, str] = {
    "response_rate": "响应率", "resolution_rate": "解决率", "satisfaction_rate": "满意率", "on_time_rate": "按时办结率",
    "timely_sign_rate": "及时签收率", "return_rate": "退单率", "redo_rate": "重办率",
    "first_contact_rate": "一次性解答率", "kb_upkeep": "知识库维护"}

#: why an order left the callback denominators, for people (``domain:<name>`` for the order's domain)
EXCLUSION_ZH: Mapping[str, str] = {
    "screened": "甄别为非承办单位原因", "exempted": "豁免", "domain:mediation": "行政调解类事项",
    "domain:law_enforcement": "执法办案类事项"}


def exclusion_zh(reason: str) -> str:
    if reason in EXCLUSION_ZH:
        return EXCLUSION_ZH[reason]
    return f"领域：{reason.removeprefix('domain:')}" if reason.startswith("domain:") else reason


RATE_PLACES = Decimal("0.0001")
SCORE_PLACES = Decimal("0.01")


# --- periods --------------------------------------------------------------------------------------

class Span(enum.StrEnum):
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
#: the years a period may fall in (its previous period and the year before stay valid dates)
MIN_YEAR, MAX_YEAR = 1901, 9998


def _month_start(year: int, month: int, start_day: int) -> date:
    """The first day of assessment month ``year-month``: with start day 19, "2026-10" runs 09-19..10-18."""
    if start_day == 1:
        return date(year, month, 1)
    previous = date(year, month, 1) - timedelta(days=1)
    return date(previous.year, previous.month, min(start_day, _cal.monthrange(previous.year, previous.month)[1]))


@dataclass(frozen=True)
class Period:
    """An assessment period: ``start`` inclusive, ``end`` exclusive (days in Asia/Shanghai)."""

    span: Span
    year: int
    number: int          # month 1–12, quarter 1–4, day of year for a day, 1 for a year
    start_day: int = 1   # the profile's month start day
    day: date | None = None

    @classmethod
    def parse(cls, text: str, start_day: int = 1) -> Period:
        found = cls._parse(text.strip(), start_day)
        if not MIN_YEAR <= found.year <= MAX_YEAR:
            raise _bad(text)
        return found

    @classmethod
    def _parse(cls, text: str, start_day: int) -> Period:
        if m := _DAY.match(text):
            try:
                day = date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise _bad(text) from None
            return cls(Span.DAY, day.year, day.timetuple().tm_yday, start_day, day)
        if m := _MONTH.match(text):
            if not 1 <= int(m[2]) <= 12:
                raise _bad(text)
            return cls(Span.MONTH, int(m[1]), int(m[2]), start_day)
        if m := _QUARTER.match(text):
            return cls(Span.QUARTER, int(m[1]), int(m[2]), start_day)
        if m := _YEAR.match(text):
            return cls(Span.YEAR, int(m[1]), 1, start_day)
        raise _bad(text)

    @property
    def start(self) -> date:
        if self.span is Span.DAY:
            assert self.day is not None
            return self.day
        if self.span is Span.MONTH:
            return _month_start(self.year, self.number, self.start_day)
        if self.span is Span.QUARTER:
            return _month_start(self.year, 3 * self.number - 2, self.start_day)
        return _month_start(self.year, 1, self.start_day)

    @property
    def end(self) -> date:
        return self.next().start

    def next(self) -> Period:
        return self._shift(1)

    def previous(self) -> Period:
        return self._shift(-1)

    def year_ago(self) -> Period:
        if self.span is Span.DAY:
            assert self.day is not None
            day = self.day.replace(year=self.year - 1, day=min(self.day.day, 28) if self.day.month == 2 else self.day.day)
            return Period(Span.DAY, day.year, day.timetuple().tm_yday, self.start_day, day)
        return Period(self.span, self.year - 1, self.number, self.start_day)

    def _shift(self, step: int) -> Period:
        if self.span is Span.DAY:
            assert self.day is not None
            day = self.day + timedelta(days=step)
            return Period(Span.DAY, day.year, day.timetuple().tm_yday, self.start_day, day)
        if self.span is Span.YEAR:
            return Period(Span.YEAR, self.year + step, 1, self.start_day)
        size = 12 if self.span is Span.MONTH else 4
        index = self.year * size + self.number - 1 + step
        return Period(self.span, index // size, index % size + 1, self.start_day)

    def __str__(self) -> str:
        if self.span is Span.DAY:
            assert self.day is not None
            return self.day.isoformat()
        if self.span is Span.MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.span is Span.QUARTER:
            return f"{self.year}-Q{self.number}"
        return str(self.year)

    @property
    def zh(self) -> str:
        if self.span is Span.DAY:
            assert self.day is not None
            return f"{self.day.year}年{self.day.month}月{self.day.day}日"
        if self.span is Span.MONTH:
            return f"{self.year}年{self.number}月"
        if self.span is Span.QUARTER:
            return f"{self.year}年第{self.number}季度"
        return f"{self.year}年"

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days)]


def _bad(text: str) -> InvalidInput:
    return InvalidInput(f"考核期 {text!r} 格式不对，应写成 2026-10（月）、2026-Q4（季度）、2026（年）或 2026-10-05（日）",
                        f"period {text!r} is malformed: write 2026-10 (month), 2026-Q4 (quarter), 2026 (year) "
                        "or 2026-10-05 (day)")


def parse_period(text: str, profile: Profile) -> Period:
    """``text`` as a period of ``profile`` (its month start day: ``assessment.month_start_day``)."""
    return Period.parse(text, profile.assessment.month_start_day)


def local_day(moment: datetime) -> date:
    """The day (Asia/Shanghai) a moment belongs to."""
    return moment.astimezone(SHANGHAI).date()


# --- facts of one order ----------------------------------------------------------------------------

class TimelineEvent(Protocol):
    """What a fact is read from: ``hotline.rules.order.Event`` or the platform's row, mapped."""

    @property
    def action(self) -> str: ...
    @property
    def at(self) -> datetime: ...
    @property
    def payload(self) -> Mapping[str, object]: ...


@dataclass
class Fact:
    """What one order contributes to one unit on one day. ``excluded`` carries the reason and the article."""

    unit: str
    day: date
    counts: dict[str, int] = field(default_factory=dict)
    evaluation: str = ""
    excluded: str = ""          # screened / exempted / domain:<name>
    excluded_rule: str = ""

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


#: the actions a callback could not be had by: unreachable (回访未接通) and, when the lifecycle records it,
#: declined to answer (拒绝评价)
UNREACHABLE = {Action.RECORD_CALLBACK_FAILURE.value}
DECLINED = {"record_callback_declined"}
#: the actions that end a callback: an answer, silence past the window, or a refusal to answer
CALLBACK_ENDS = {Action.EVALUATE.value, Action.EVALUATION_TIMEOUT.value, *DECLINED}
_UNIT_OVERDUE = {DeadlineKind.SIGN.value, DeadlineKind.HANDLE.value, DeadlineKind.FIRST_RESPONSE.value}


def exclusion(profile: Profile, *, screened: bool, exempted: bool, domain: str | None) -> tuple[str, str]:
    """Why an order leaves the callback denominators under ``profile``, and the article; ("", "") if it counts."""
    rule = profile.assessment
    if screened and "screened" in rule.exclude:
        return "screened", rule.exclusion_source("screened")
    if exempted and "exempted" in rule.exclude:
        return "exempted", rule.exclusion_source("exempted")
    if domain and domain in rule.exclude_domains:
        return f"domain:{domain}", rule.exclusion_source("domain")
    return "", ""


#: consultations that do not count for the first-contact answer rate (out of scope; counted where merged)
NOT_CONSULTATIONS = {"declined", "merged"}
#: the states a consultation answered on the spot ends in
ANSWERED_STATES = {"answered", "archived"}


def order_facts(profile: Profile, events: Sequence[TimelineEvent], *, domain: str | None = None,
                appeal_type: str | None = None, received_at: datetime | None = None, state: str | None = None,
                duty_units: Sequence[str] = ()) -> list[Fact]:
    """The facts of one order, from its timeline (events in order), under the order's ``profile``.

    For the first-contact answer rate (ziyang §17, as ``hotline.kb.figures`` counts it) give the order's
    ``appeal_type``, ``received_at``, ``state`` and the units whose duties cover its category (``duty_units``):
    a consultation counts on the day it was received, for the unit it was dispatched to or, answered on the
    spot, for the units whose knowledge answered it.
    """
    facts: dict[tuple[str, date], Fact] = {}

    def fact(unit: str, moment: datetime) -> Fact:
        key = (unit, local_day(moment))
        if key not in facts:
            facts[key] = Fact(unit, key[1])
        return facts[key]

    unit: str | None = None
    overdue_marked: set[str] = set()
    supervised: set[str] = set()
    cycle_open = False                     # a handling cycle waits for its reply or its overdue mark
    replied_by: str | None = None
    standing: TimelineEvent | None = None          # the evaluation that stands
    standing_unit: str | None = None
    failures = declines = 0
    screened = exempted = False
    late_return_overdue = profile.return_.late_counts_as_overdue

    for event in events:
        action = str(event.action)
        payload = event.payload
        if action in (Action.DISPATCH.value, Action.DESIGNATE_UNIT.value):
            unit = str(payload.get("unit") or "") or None
            if unit:
                fact(unit, event.at).add("orders")
                cycle_open = True
        elif unit is None:
            continue
        elif action == Action.SIGN.value:
            f = fact(unit, event.at)
            f.add("signed")
            if not payload.get("late"):
                f.add("signed_on_time")
        elif action == Action.REQUEST_RETURN.value:
            fact(unit, event.at).add("returns")
            if payload.get("late") and late_return_overdue and unit not in overdue_marked:
                overdue_marked.add(unit)
                fact(unit, event.at).add("overdue")
        elif action == Action.APPROVE_RETURN.value:
            unit, cycle_open = None, False
        elif action == Action.APPROVE_EXTENSION.value:
            fact(unit, event.at).add("extensions")
        elif action == Action.MARK_OVERDUE.value:
            raw = payload.get("steps") or []
            steps = {str(s) for s in raw} if isinstance(raw, list | tuple) else set()
            if steps & _UNIT_OVERDUE and unit not in overdue_marked:
                overdue_marked.add(unit)
                fact(unit, event.at).add("overdue")
            if DeadlineKind.HANDLE.value in steps and cycle_open:
                cycle_open = False
                fact(unit, event.at).add("due")
        elif action == Action.SUPERVISE.value:
            if unit not in supervised:
                supervised.add(unit)
                fact(unit, event.at).add("supervised")
        elif action == Action.REPLY.value:
            replied_by = unit
            if cycle_open:
                cycle_open = False
                f = fact(unit, event.at)
                f.add("due")
                if not payload.get("late"):
                    f.add("on_time")
        elif action in CALLBACK_ENDS:
            standing, standing_unit = event, replied_by or unit
        elif action == Action.REDO.value:
            fact(unit, event.at).add("redos")
            standing, standing_unit, screened = None, None, False
            cycle_open = True
        elif action == Action.SCREEN_OUT.value:
            screened = True
        elif action == Action.APPROVE_EXEMPTION.value:
            exempted = True
        elif action in UNREACHABLE:
            failures += 1
        elif action in DECLINED:
            declines += 1

    if standing is not None and standing_unit:
        _callback(profile, fact(standing_unit, standing.at), standing, screened=screened, exempted=exempted,
                  domain=domain)
    elif (failures or declines) and (replied_by or unit):
        # no evaluation stands: the callback was not had; it counts nowhere but is shown
        last = next(e for e in reversed(events) if str(e.action) in UNREACHABLE | DECLINED)
        f = fact(str(replied_by or unit), last.at)
        f.add("declined" if declines else "unreachable")
    if appeal_type == "consult" and received_at is not None and state not in NOT_CONSULTATIONS:
        direct = state in ANSWERED_STATES and any(str(e.action) == Action.ANSWER_DIRECTLY.value for e in events)
        dispatched = [str(e.payload.get("unit") or "") for e in events
                      if str(e.action) in (Action.DISPATCH.value, Action.DESIGNATE_UNIT.value)]
        owners = [dispatched[-1]] if dispatched and dispatched[-1] else list(dict.fromkeys(duty_units))
        for owner in owners:
            f = fact(owner, received_at)
            f.add("consultations")
            if direct:
                f.add("answered_directly")
    return [f for f in facts.values() if any(f.counts.values()) or f.excluded]


def _callback(profile: Profile, f: Fact, event: TimelineEvent, *, screened: bool, exempted: bool, domain: str | None) -> None:
    payload = event.payload
    value = str(payload.get("evaluation") or "none")
    outcome = str(payload.get("outcome") or "")
    if outcome == "declined" or str(event.action) in DECLINED:
        f.add("declined")
        return
    if value == Evaluation.NONE.value:
        return
    f.evaluation = value
    reason, rule = exclusion(profile, screened=screened, exempted=exempted, domain=domain)
    if reason:
        f.excluded, f.excluded_rule = reason, rule
        f.add("excluded")
        return
    f.add("valid_callbacks")
    f.add(value)
    contacted, resolved = payload.get("contacted"), payload.get("resolved")
    if contacted is not None:
        f.add("answered")
        if contacted:
            f.add("contacted")
    if resolved is True:
        f.add("resolved")
    elif resolved is False:
        f.add("unresolved")


# --- figures of a unit -----------------------------------------------------------------------------

def add_counts(into: dict[str, int], counts: Mapping[str, int]) -> dict[str, int]:
    for key, n in counts.items():
        into[key] = into.get(key, 0) + n
    return into


def exact_rates(counts: Mapping[str, int], rule: AssessmentRule) -> dict[str, Fraction | None]:
    """Each rate as an exact fraction; None when its denominator is 0 (nothing to measure)."""
    w = Fraction(str(rule.basically_satisfied_weight))
    found: dict[str, Fraction | None] = {}
    for name, (top, bottom) in RATES.items():
        denominator = sum(counts.get(k, 0) for k in bottom)
        if not denominator:
            found[name] = None
            continue
        if name == "satisfaction_rate":
            numerator = Fraction(counts.get("satisfied", 0)) + w * counts.get("basically_satisfied", 0)
        else:
            numerator = Fraction(sum(counts.get(k, 0) for k in top))
        found[name] = numerator / denominator
    return found


def rounded(value: Fraction | None, places: Decimal = RATE_PLACES) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(places, rounding=ROUND_HALF_UP)


def score(rates: Mapping[str, Fraction | None], rule: AssessmentRule) -> Decimal | None:
    """Σ weight × rate × 100 ÷ Σ weight over the weighted figures the unit has (a figure with nothing to measure
    leaves the sum and its weight); None when it has none of them."""
    total = Fraction(0)
    weights = 0
    for figure, weight in rule.weight_of().items():
        value = rates.get(figure)
        if value is None:
            continue
        total += weight * value * 100
        weights += weight
    if not weights:
        return None
    return rounded(total / weights, SCORE_PLACES)


def grade(value: Decimal | None, rule: AssessmentRule, *, vetoed: bool = False) -> str:
    if vetoed:
        return rule.veto_grade
    if value is None:
        return "—"
    return next(b.grade for b in rule.grades if value >= Decimal(str(b.min_score)))


@dataclass(frozen=True)
class Ranked:
    key: str
    score: Decimal | None
    rank: int | None


def rank(scores: Iterable[tuple[str, Decimal | None]], *, last: Iterable[str] = ()) -> dict[str, int | None]:
    """Competition ranking (1, 2, 2, 4) by score, highest first; units without a score are not ranked; units in
    ``last`` (vetoed, xixian §23) are ranked after all others."""
    bottom = set(last)
    scored = [(k, s) for k, s in scores if s is not None]
    order = sorted(scored, key=lambda item: (item[0] in bottom, -(item[1] or 0)))
    ranks: dict[str, int | None] = {}
    previous: tuple[bool, Decimal | None] | None = None
    current = 0
    for position, (key, value) in enumerate(order, start=1):
        marker = (key in bottom, value)
        if marker != previous:
            current, previous = position, marker
        ranks[key] = current
    return ranks


def bottom_streak(history: Sequence[Mapping[str, Fraction | Decimal | None]], months: int) -> list[str]:
    """The units at the bottom (lowest rate, ties included) of every one of the last ``months`` periods
    (ziyang §25(5): 连续三个月在办件满意度评价居末位). ``history`` is oldest first, one mapping per period."""
    if months < 1 or len(history) < months:
        return []
    streak: set[str] | None = None
    for period in history[-months:]:
        measured = {k: v for k, v in period.items() if v is not None}
        if not measured:
            return []
        low = min(measured.values())
        bottom = {k for k, v in measured.items() if v == low}
        streak = bottom if streak is None else streak & bottom
    return sorted(streak or ())
