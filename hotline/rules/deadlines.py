"""Due times of each step, computed from a profile, each with a trace of how it was counted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hotline.rules.calendar import DueTime, OfficeHours, WorkCalendar
from hotline.rules.errors import LimitNotDefined
from hotline.rules.periods import Period, Unit
from hotline.rules.profiles import Profile, Rule, cite_zh
from hotline.rules.vocabulary import AppealType, DeadlineKind, Urgency


@dataclass(frozen=True)
class Deadline:
    """When a step is due, why, and how it was counted."""

    kind: DeadlineKind
    start: datetime
    due: datetime
    period: Period
    rule: str                      # the citation, or "default: …"
    provisional: bool
    trace: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind.value, "start": self.start.isoformat(), "due": self.due.isoformat(),
                "period": str(self.period), "rule": self.rule, "provisional": self.provisional,
                "trace": list(self.trace), "warnings": list(self.warnings)}


def period_for(profile: Profile, kind: DeadlineKind, appeal_type: AppealType,
               urgency: Urgency = Urgency.NORMAL) -> tuple[Period, str]:
    """The period the profile sets for ``kind`` and where it comes from; LimitNotDefined if none."""
    period, rule, _ = _lookup(profile, kind, appeal_type, urgency)
    return period, rule.source


def _lookup(profile: Profile, kind: DeadlineKind, appeal_type: AppealType,
            urgency: Urgency) -> tuple[Period, Rule, str]:
    """The period for ``kind``, the rule table it comes from and the key of the value in that table."""
    if not profile.accepts(appeal_type):
        raise _undefined(profile, f"{appeal_type.zh}不是本规则的诉求类型",
                         f"{appeal_type.value} is not an appeal type of profile {profile.name}")
    urgent = profile.urgent_limit(urgency)
    if urgency is not Urgency.NORMAL and urgent is None:
        raise _undefined(profile, f"本规则未规定{urgency.zh}事项的时限",
                         f"profile {profile.name} sets no limits for {urgency.value} items")
    urgent_key = "special_urgent" if urgency is Urgency.SPECIAL_URGENT else "special"
    match kind:
        case DeadlineKind.DISPATCH:
            return profile.dispatch.limit, profile.dispatch, "limit"
        case DeadlineKind.SIGN:
            if profile.sign is None:
                raise _undefined(profile, "本规则未规定签收时限", f"profile {profile.name} sets no sign limit")
            return profile.sign.limit, profile.sign, "limit"
        case DeadlineKind.RETURN:
            return profile.return_.window, profile.return_, "window"
        case DeadlineKind.HANDLE:
            if urgent is not None and profile.urgent_limits is not None:
                return urgent.result, profile.urgent_limits, urgent_key
            rule = profile.handle[appeal_type]
            return rule.limit, rule, "limit"
        case DeadlineKind.FIRST_RESPONSE:
            if urgent is None or profile.urgent_limits is None:
                raise _undefined(profile, "初步响应时限只适用于特殊、特殊紧急事项",
                                 "a first-response limit applies to special and special-urgent items only")
            return urgent.first_response, profile.urgent_limits, urgent_key
        case DeadlineKind.PROGRESS_REPORT:
            close = profile.provisional_close
            if not close.enabled or close.progress_interval is None:
                raise _undefined(profile, "本规则没有临时办结进展报送", f"profile {profile.name} sets no progress reports")
            return close.progress_interval, close, "progress_interval"
        case DeadlineKind.CALLBACK:
            return profile.callback.limit, profile.callback, "limit"
        case DeadlineKind.EVALUATION:
            return profile.evaluation.silence_after, profile.evaluation, "silence_after"
    raise _undefined(profile, f"未知时限类型 {kind}", f"unknown deadline kind {kind}")  # pragma: no cover


def _undefined(profile: Profile, zh: str, en: str) -> LimitNotDefined:
    return LimitNotDefined(f"{profile.profile.city_zh}：{zh}", en)


def add_period(calendar: WorkCalendar, hours: OfficeHours, start: datetime, period: Period) -> DueTime:
    """``start`` + ``period``, counted as the Civil Code says (see calendar.py)."""
    if period.unit is Unit.WORKING_DAYS:
        return calendar.add_working_days(start, period.amount, hours)
    if period.unit is Unit.WORKING_HOURS:
        return calendar.add_working_hours(start, period.amount, hours)
    return calendar.add_clock_hours(start, period.amount)


def compute(profile: Profile, calendar: WorkCalendar, kind: DeadlineKind, appeal_type: AppealType,
            start: datetime, urgency: Urgency = Urgency.NORMAL, *, period: Period | None = None,
            rule: str | None = None, note: str | None = None) -> Deadline:
    """The due time of ``kind`` for an order of ``appeal_type`` whose step began at ``start``.

    ``period``/``rule`` override the profile's (an extension's length, a limit set on the order).
    """
    marked: str | None = None
    if period is None:
        period, table, key = _lookup(profile, kind, appeal_type, urgency)
        rule = table.source if rule is None else rule
        if key in table.defaults:   # a cited table whose article does not state this value (ankang §24)
            marked = (f"{key} {period} is a default: {table.defaults[key]} "
                      f"({table.cite} states the rule, not this value)")
    elif rule is None:
        rule = "order"
    head = f"{kind.value} limit for {appeal_type.value}"
    if urgency is not Urgency.NORMAL:
        head += f" ({urgency.value})"
    lines = [note] if note else [f"{head}: {period} — {rule}"]
    if marked:
        lines.append(marked)
    if period.amount == 0:
        return Deadline(kind, start, start, period, rule, False, (*lines, "due at once"))
    due = add_period(calendar, profile.hours, start, period)
    return Deadline(kind, start, due.due, period, rule, due.provisional, (*lines, *due.trace), due.warnings)


def describe_rule(rule: str) -> str:
    """A rule source for people: ``资阳 §13(2)`` or ``平台默认值``."""
    return "平台默认值" if rule.startswith("default:") or rule == "order" else cite_zh(rule)
