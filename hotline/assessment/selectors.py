"""Reads of the assessment: a period's figures per unit, ranked; the orders behind a figure; revisions;
the triggers (interview candidates, red and black lists).

THE CONTRACT other parts code against (bulletins, public disclosure): ``unit_figures``, ``UnitFigures`` and
``parse_period`` keep their names and fields; fields may be added.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.utils import timezone

from hotline.assessment.models import FrozenFigure, FrozenPeriod, OrderFact, Revision, UnitDayFact, Veto
from hotline.directory.models import Unit, User
from hotline.orders import rulebook
from hotline.rules import assessment as rules
from hotline.rules.assessment import COUNTS, RATES, Period
from hotline.rules.calendar import SHANGHAI
from hotline.rules.errors import Forbidden, InvalidInput
from hotline.rules.profiles import Profile

GROUPS = ("department", "area")
GROUP_ZH = {"department": "部门", "area": "区县街道"}
#: the unit kinds assessed as areas (districts, streets, towns, communities); all others are departments
AREA_KINDS = {Unit.Kind.STREET.value, Unit.Kind.COMMUNITY.value}
#: who reads every unit's figures; unit leaders read their own unit's
READERS = {User.Role.SUPERVISOR, User.Role.ANALYST, User.Role.ADMINISTRATOR}


def parse_period(period: str, profile_name: str | None = None) -> Period:
    """``"2026-10"`` (a month from the profile's month start day), ``"2026-Q4"``, ``"2026"``, ``"2026-10-05"``.

    The value has ``start``/``end`` (dates, end exclusive), ``previous()``, ``year_ago()``, ``days()``.
    """
    return rules.parse_period(period, rulebook.profile(profile_name))


@dataclass(frozen=True)
class UnitFigures:
    unit_code: str
    unit_name: str
    group: str                                   # "department" | "area"
    period: str
    start: date
    end: date                                    # exclusive
    counts: Mapping[str, int]                    # every key of hotline.rules.assessment.COUNTS
    rates: Mapping[str, Decimal | None]          # every key of RATES (first_contact_rate included) and kb_upkeep;
                                                 # None = nothing to measure
    score: Decimal | None
    grade: str
    rank: int | None                             # within the group; None = not ranked (nothing to score)
    previous_rank: int | None
    rank_change: int | None                      # positive = moved up (previous_rank - rank)
    yoy_score: Decimal | None                    # the score a year before
    frozen: bool
    vetoed: bool = False
    previous_score: Decimal | None = None
    revised: bool = False                        # a frozen period with revisions recorded since
    exclusions: Mapping[str, str] = field(default_factory=dict)   # reason → article, as the profile says
    yoy_rank: int | None = None                  # the rank a year before


def unit_group(unit: Unit) -> str | None:
    """``department`` or ``area``; None for the hotline office (not assessed)."""
    if unit.kind == Unit.Kind.HOTLINE_OFFICE:
        return None
    if unit.kind in AREA_KINDS or (unit.kind == Unit.Kind.GOVERNMENT and unit.parent_id is not None):
        return "area"
    return "department"


def _sums(start: date, end: date) -> dict[int, dict[str, int]]:
    rows = (UnitDayFact.objects.filter(day__gte=start, day__lt=end).values("unit_id")
            .annotate(**{name: Sum(name) for name in COUNTS}))
    return {row["unit_id"]: {name: int(row[name] or 0) for name in COUNTS} for row in rows}


def _kb_upkeep(as_of: datetime) -> dict[int, Fraction]:
    """Knowledge-base upkeep (xixian §22): the share of a unit's entries in service not overdue for review."""
    if not apps.is_installed("hotline.kb"):
        return {}
    from hotline.kb.models import Entry
    from hotline.kb.selectors import entries_due_for_review

    in_service = dict(Entry.objects.filter(published__isnull=False).values("unit_id")
                      .annotate(n=Count("pk")).values_list("unit_id", "n"))
    overdue: dict[int, int] = defaultdict(int)
    for unit_id in entries_due_for_review(as_of).values_list("unit_id", flat=True):
        overdue[unit_id] += 1
    return {unit: Fraction(n - min(overdue.get(unit, 0), n), n) for unit, n in in_service.items() if n}


@dataclass
class _Live:
    unit: Unit
    group: str
    counts: dict[str, int]
    exact: dict[str, Fraction | None]
    score: Decimal | None
    vetoed: bool
    rank: int | None = None


def _live(found: Period, profile: Profile) -> dict[str, _Live]:
    rule = profile.assessment
    sums = _sums(found.start, found.end)
    end_moment = min(datetime.combine(found.end, time.min, SHANGHAI), timezone.now())
    kb = _kb_upkeep(end_moment)
    vetoed = set(Veto.objects.filter(profile=profile.name, period=str(found)).values_list("unit__code", flat=True))
    units = Unit.objects.filter(Q(active=True) | Q(pk__in=list(sums))).order_by("code")
    live: dict[str, _Live] = {}
    for unit in units:
        group = unit_group(unit)
        if group is None:
            continue
        counts = sums.get(unit.pk, dict.fromkeys(COUNTS, 0))
        exact = rules.exact_rates(counts, rule)
        exact["kb_upkeep"] = kb.get(unit.pk)
        live[unit.code] = _Live(unit, group, counts, exact, rules.score(exact, rule), unit.code in vetoed)
    for group in GROUPS:
        members = [f for f in live.values() if f.group == group]
        ranks = rules.rank(((f.unit.code, f.score) for f in members), last=(f.unit.code for f in members if f.vetoed))
        for f in members:
            f.rank = ranks.get(f.unit.code)
    return live


def _frozen(found: Period, profile: Profile) -> dict[str, FrozenFigure] | None:
    period = FrozenPeriod.objects.filter(profile=profile.name, period=str(found)).first()
    if period is None:
        return None
    return {f.unit.code: f for f in FrozenFigure.objects.filter(frozen=period).select_related("unit")}


def _ranks(found: Period, profile: Profile) -> dict[str, tuple[int | None, Decimal | None]]:
    frozen = _frozen(found, profile)
    if frozen is not None:
        return {code: (f.rank, f.score) for code, f in frozen.items()}
    return {code: (f.rank, f.score) for code, f in _live(found, profile).items()}


def unit_figures(period: str, *, group: str | None = None, profile_name: str | None = None) -> list[UnitFigures]:
    """Every assessed unit's figures for ``period``, ranked within its group (best first, unranked last).

    A frozen period returns the figures stored when it was frozen (``frozen=True``); later changes show as
    revisions (``revisions()``), never in these figures.
    """
    if group is not None and group not in GROUPS:
        raise InvalidInput(f"分组 {group!r} 不对，可选 department（部门）或 area（区县街道）",
                           f"group {group!r}: use department or area")
    profile = rulebook.profile(profile_name)
    found = rules.parse_period(period, profile)
    rule = profile.assessment
    previous = _ranks(found.previous(), profile)
    year_ago = _ranks(found.year_ago(), profile)
    frozen = _frozen(found, profile)
    exclusions = exclusion_rules(profile)
    out: list[UnitFigures] = []
    if frozen is not None:
        revised = set(Revision.objects.filter(frozen__profile=profile.name, frozen__period=str(found))
                      .values_list("unit__code", flat=True))
        for code, f in frozen.items():
            rates = {k: (Decimal(v) if v is not None else None) for k, v in f.rates.items()}
            out.append(_figures(code, f.unit.name, f.group, found, f.counts, rates, f.score, f.grade, f.rank,
                                previous, year_ago, frozen=True, vetoed=f.vetoed, revised=code in revised,
                                exclusions=exclusions))
    else:
        for code, live in _live(found, profile).items():
            rates = {k: rules.rounded(v) for k, v in live.exact.items()}
            out.append(_figures(code, live.unit.name, live.group, found, live.counts, rates, live.score,
                                rules.grade(live.score, rule, vetoed=live.vetoed), live.rank, previous, year_ago,
                                frozen=False, vetoed=live.vetoed, revised=False, exclusions=exclusions))
    if group is not None:
        out = [f for f in out if f.group == group]
    return sorted(out, key=lambda f: (GROUPS.index(f.group), f.rank is None, f.rank or 0, f.unit_code))


def live_scores(period: str, *, profile_name: str | None = None) -> dict[str, tuple[Decimal | None, int | None]]:
    """Each unit's score and rank as the timeline gives them now, frozen or not: what a frozen period's
    figures would be without the freeze (shown beside its revisions)."""
    profile = rulebook.profile(profile_name)
    return {code: (f.score, f.rank) for code, f in _live(rules.parse_period(period, profile), profile).items()}


def _figures(code: str, name: str, group: str, found: Period, counts: Mapping[str, int],
             rates: Mapping[str, Decimal | None], score: Decimal | None, grade: str, rank: int | None,
             previous: Mapping[str, tuple[int | None, Decimal | None]],
             year_ago: Mapping[str, tuple[int | None, Decimal | None]], *, frozen: bool, vetoed: bool,
             revised: bool, exclusions: Mapping[str, str]) -> UnitFigures:
    previous_rank, previous_score = previous.get(code, (None, None))
    change = previous_rank - rank if previous_rank is not None and rank is not None else None
    yoy_rank, yoy_score = year_ago.get(code, (None, None))
    return UnitFigures(code, name, group, str(found), found.start, found.end, dict(counts), dict(rates),
                       score, grade, rank, previous_rank, change, yoy_score, frozen,
                       vetoed=vetoed, previous_score=previous_score, revised=revised, exclusions=exclusions,
                       yoy_rank=yoy_rank)


def exclusion_rules(profile: Profile) -> dict[str, str]:
    rule = profile.assessment
    found: dict[str, str] = {str(reason): rule.exclusion_source(reason) for reason in rule.exclude}
    found.update({f"domain:{d}": rule.exclusion_source("domain") for d in rule.exclude_domains})
    return found


# --- access ---------------------------------------------------------------------------------------

def may_read_all(user: User) -> bool:
    return user.role in READERS


def readable_unit(user: User, unit_code: str) -> bool:
    """Supervisors, analysts and administrators read every unit; unit leaders their own."""
    if may_read_all(user):
        return True
    return user.role == User.Role.UNIT_LEADER and user.unit is not None and user.unit.code == unit_code


def check_reader(user: User) -> None:
    if not (may_read_all(user) or user.role == User.Role.UNIT_LEADER):
        raise Forbidden("无权查看考核结果", "you may not read the assessment")


# --- drill-down -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class FigureOrder:
    number: str
    order_id: int
    day: date
    counts: Mapping[str, int]
    evaluation: str
    excluded: str
    excluded_rule: str
    role: str        # "numerator" | "denominator" | "excluded" | "counted"


def figure_orders(*, user: User, period: str, unit: str, figure: str,
                  profile_name: str | None = None, limit: int = 500) -> list[FigureOrder]:
    """The orders behind one of a unit's figures (a rate of RATES or a count of COUNTS), with the part each
    played: in the numerator, only in the denominator, or excluded (with the reason and its article)."""
    check_reader(user)
    if not readable_unit(user, unit):
        raise Forbidden("只能查看本单位的考核明细", "you may read only your own unit's figures")
    found = parse_period(period, profile_name)
    if figure in RATES:
        top, bottom = RATES[figure]
    elif figure in COUNTS:
        top, bottom = (figure,), (figure,)
    else:
        raise InvalidInput(f"指标 {figure!r} 不存在", f"figure {figure!r} unknown")
    callback = figure in ("response_rate", "resolution_rate", "satisfaction_rate", "valid_callbacks")
    involved = Q()
    for key in {*top, *bottom}:
        involved |= Q(**{f"{key}__gt": 0})
    if callback:
        involved |= ~Q(excluded_reason="")
    rows = (OrderFact.objects.filter(involved, unit__code=unit, day__gte=found.start, day__lt=found.end)
            .select_related("order").order_by("day", "order_id")[:limit])
    out = []
    for row in rows:
        counts = row.counts()
        if row.excluded_reason:
            part = "excluded"
        elif any(counts[k] for k in top) and top != bottom:
            part = "numerator"
        elif top == bottom:
            part = "counted"
        else:
            part = "denominator"
        out.append(FigureOrder(row.order.number, row.order_id, row.day, {k: v for k, v in counts.items() if v},
                               row.evaluation, row.excluded_reason, row.excluded_rule, part))
    return out


@dataclass(frozen=True)
class RevisionRow:
    unit_code: str
    unit_name: str
    order_number: str
    count: str
    old: int
    new: int
    action: str
    by: str
    by_role: str
    at: datetime


def revisions(period: str, *, profile_name: str | None = None, unit: str | None = None) -> list[RevisionRow]:
    """Changes recorded in a frozen period after it was frozen: who, when, which count, old → new."""
    profile = rulebook.profile(profile_name)
    found = rules.parse_period(period, profile)
    rows = Revision.objects.filter(frozen__profile=profile.name, frozen__period=str(found))
    if unit:
        rows = rows.filter(unit__code=unit)
    return [RevisionRow(r.unit.code, r.unit.name, r.order.number, r.count, r.old, r.new, r.action,
                        r.by.username if r.by else "system", r.by_role, r.at)
            for r in rows.select_related("unit", "order", "by")]


def last_refreshed() -> datetime | None:
    """When the rollup last took in new events (None: never; ``hotline tick`` or ``hotline assessment refresh``)."""
    from hotline.assessment.models import RefreshCursor

    return RefreshCursor.objects.filter(last_event_id__gt=0).values_list("refreshed_at", flat=True).first()


def frozen_period(period: str, *, profile_name: str | None = None) -> FrozenPeriod | None:
    profile = rulebook.profile(profile_name)
    return FrozenPeriod.objects.filter(profile=profile.name,
                                       period=str(rules.parse_period(period, profile))).first()


# --- triggers -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Flagged:
    unit_code: str
    unit_name: str
    group: str
    reason: str
    rule: str
    trigger: str | None = None      # the supervision trigger to record an interview with


def interview_candidates(period: str, *, profile_name: str | None = None) -> list[Flagged]:
    """Units at the bottom of their group in satisfaction for the profile's number of months running, ending
    with ``period`` (ziyang §25(5): 连续三个月在办件满意度评价居末位 → 约谈)."""
    profile = rulebook.profile(profile_name)
    rule = profile.assessment
    months = rule.bottom_months_for_interview
    if not months:
        return []
    found = rules.parse_period(period, profile)
    history: list[list[UnitFigures]] = []
    current = found
    for _ in range(months):
        history.insert(0, unit_figures(str(current), profile_name=profile.name))
        current = current.previous()
    flagged = []
    for group in GROUPS:
        per_period = [{f.unit_code: f.rates.get("satisfaction_rate") for f in figures if f.group == group}
                      for figures in history]
        names = {f.unit_code: f.unit_name for f in history[-1]}
        for code in rules.bottom_streak(per_period, months):
            flagged.append(Flagged(code, names.get(code, code), group,
                                   f"连续{months}个月满意率在{GROUP_ZH[group]}中居末位", rule.source,
                                   rule.interview_trigger))
    return flagged


@dataclass(frozen=True)
class Lists:
    red: list[UnitFigures]
    black: list[UnitFigures]


def red_black_lists(figures: Sequence[UnitFigures], size: int) -> Lists:
    """The top ``size`` (红榜) and bottom ``size`` (黑榜) ranked units of one group; vetoed units are on the
    black list whatever their score."""
    ranked = [f for f in figures if f.rank is not None]
    red = [f for f in ranked if not f.vetoed][:size]
    black = sorted(ranked, key=lambda f: (not f.vetoed, -(f.rank or 0)))[:size]
    black = [f for f in black if f not in red]
    return Lists(red, black)
