"""Policy profiles: one city's rulebook as a validated, typed configuration.

A profile is a TOML file in ``hotline/rules/profiles/`` (or a folder an administrator adds). It may
``extend`` another profile (a county inheriting its city's rules and overriding a few); the files are
merged key by key, the child winning. Every rule table carries either ``cite`` (the article it
enforces, ``ziyang §13(2)``) or ``default`` (why the value is what it is when the rulebook is silent);
a table a child overrides must say which of the two applies to its new values. A bad file is refused
with :class:`~hotline.rules.errors.ProfileError` naming the file, the key and the reason.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import time
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from hotline.rules.calendar import OfficeHours, Season, Span
from hotline.rules.errors import InvalidInput, ProfileError
from hotline.rules.periods import Period, Unit
from hotline.rules.vocabulary import AppealType, Evaluation, ReplyElement, ReturnRequirement, Urgency

BUILTIN_DIR = Path(__file__).with_name("profiles")

#: Short Chinese names of the rulebooks, used to render citations for people.
RULEBOOK_NAMES_ZH: Mapping[str, str] = {
    "ankang": "安康", "ziyang": "资阳", "xixian": "西咸", "tianjin": "天津", "heyuan": "河源",
    "national": "全国默认",
}

_CITE_PART = r"[a-z][a-z0-9-]* §\d+(?:\(\d+\))*(?:\.\d+)?(?:[–-]\d+)?(?: §\d+(?:\(\d+\))*(?:\.\d+)?)*"
_CITE = re.compile(rf"^{_CITE_PART}(?:; {_CITE_PART})*$")


def cite_zh(cite: str) -> str:
    """``ziyang §13(3)`` → ``资阳 §13(3)``, for messages to people."""
    parts = []
    for part in cite.split("; "):
        book, _, rest = part.partition(" ")
        parts.append(f"{RULEBOOK_NAMES_ZH.get(book, book)} {rest}".strip())
    return "；".join(parts)


def _parse_period(value: object) -> object:
    if isinstance(value, str):
        try:
            return Period.parse(value)
        except InvalidInput as exc:
            raise ValueError(exc.message_en) from None
    return value


PeriodField = Annotated[Period, BeforeValidator(_parse_period), PlainSerializer(str)]


#: keys of a rule table that say where its values come from, not values themselves
_SOURCE_FIELDS = frozenset({"cite", "default", "defaults"})


class Rule(BaseModel):
    """A table of the profile: values plus where they come from.

    ``cite`` names the article the table enforces; ``default`` says why the whole table is what it is when
    the rulebook is silent. ``defaults`` marks single values of a cited table that the article does not
    state (ankang §24 states a return period but not its length): ``defaults = { window = "why" }``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    cite: str | None = None
    default: str | None = None
    defaults: dict[str, str] = {}

    @field_validator("cite")
    @classmethod
    def _cite_shape(cls, value: str | None) -> str | None:
        if value is not None and not _CITE.match(value):
            raise ValueError(f"citation {value!r} is not of the form 'ziyang §13(2)' (several joined by '; ')")
        return value

    @model_validator(mode="after")
    def _one_source(self) -> Rule:
        if bool(self.cite) == bool(self.default):
            raise ValueError("give exactly one of 'cite' (the article) or 'default' (why, when the rulebook is silent)")
        if self.defaults:
            if not self.cite:
                raise ValueError("'defaults' marks single values of a cited table; this whole table is a default already")
            values = sorted(set(type(self).model_fields) - _SOURCE_FIELDS)
            for key, why in self.defaults.items():
                if key not in values:
                    raise ValueError(f"defaults.{key}: not a value of this table (its values: {', '.join(values)})")
                if not why.strip():
                    raise ValueError(f"defaults.{key}: say why the value is a default")
        return self

    @property
    def source(self) -> str:
        """The citation, or ``default: …`` for a value no article states."""
        return self.cite if self.cite else f"default: {self.default}"

    @property
    def is_default(self) -> bool:
        return self.cite is None

    def value_source(self, key: str) -> str:
        """Where one value comes from: the table's source, or ``default: …`` if ``defaults`` marks it."""
        if key in self.defaults:
            return f"default: {self.defaults[key]}"
        return self.source


# --- the tables -----------------------------------------------------------------------------------

class SeasonModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    first: str = Field(pattern=r"^\d\d-\d\d$")
    last: str = Field(pattern=r"^\d\d-\d\d$")
    spans: list[tuple[str, str]]


class OfficeHoursRule(Rule):
    seasons: list[SeasonModel]

    _hours: OfficeHours | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _valid_hours(self) -> OfficeHoursRule:
        try:
            self._hours = self.office_hours()
        except InvalidInput as exc:
            raise ValueError(exc.message_en) from None
        except ValueError as exc:
            raise ValueError(f"bad time: {exc}") from None
        return self

    @property
    def hours(self) -> OfficeHours:
        assert self._hours is not None  # set by the validator
        return self._hours

    def office_hours(self) -> OfficeHours:

        def month_day(text: str) -> tuple[int, int]:
            month, day = text.split("-")
            return int(month), int(day)

        return OfficeHours(tuple(
            Season(s.name, month_day(s.first), month_day(s.last),
                   tuple(Span(time.fromisoformat(a), time.fromisoformat(b)) for a, b in s.spans))
            for s in self.seasons))


class ServiceHoursRule(Rule):
    always_open: bool
    answer_rate_target: float | None = Field(default=None, ge=0, le=1)


class ChannelsRule(Rule):
    channels: list[Literal["phone", "wechat", "web", "sms", "mailbox", "app", "weibo", "transfer"]]


class AppealTypeRule(Rule):
    enabled: bool = True
    label: str


class LimitRule(Rule):
    limit: PeriodField


class DispatchRule(Rule):
    limit: PeriodField   # 0h = at once (tianjin §16 即时派单)
    handling_limit_required: bool = False   # tianjin §16(2): the dispatch states the handling limit (明确办理期限)


class MajorItemsRule(Rule):
    """heyuan §12: the hotline's proposal (拟办意见) on a major item goes to a leader before dispatch."""

    leader_approval: bool
    approver: str = Field(min_length=1)     # who approves, for messages (市政府相关领导)


class ReturnRule(Rule):
    window: PeriodField
    complex_window: PeriodField | None = None            # tianjin §18: complex items
    national_platform_window: PeriodField | None = None  # xixian §9(3): national-platform items
    requires: list[ReturnRequirement] = []
    late_counts_as_overdue: bool = False                  # ziyang §13(2)


class ReturnReviewRule(Rule):
    rejected_unit_must_handle: bool                       # 首接负责制 ankang §24


class ReturnEscalationRule(Rule):
    after_returns: int = Field(ge=1)
    decided_by: str                                       # who decides the unit (组织部门)


class DesignatedUnitsRule(Rule):
    may_return: bool


class HandleRule(Rule):
    limit: PeriodField
    set_on_order: bool = False            # tianjin §19: the order carries its own limit
    legal_limit_overrides: bool = False   # tianjin §19, xixian §9(3): a legal limit, set on the order with its basis, wins
    legal_limit_may_be_longer: bool = False   # heyuan §18 para 3: the other rules' limit applies even if longer

    @model_validator(mode="after")
    def _legal_limit(self) -> HandleRule:
        if self.legal_limit_may_be_longer and not self.legal_limit_overrides:
            raise ValueError("legal_limit_may_be_longer needs legal_limit_overrides = true")
        return self


class ExtensionRule(Rule):
    max_count: Annotated[int, Field(ge=0)] | Literal["unlimited"]   # heyuan §18 sets no number
    never_types: list[AppealType] = []
    apply_before_due: PeriodField | None = None   # ziyang §13(3): at least 1 wd before the due time
    max_length: dict[AppealType, PeriodField] = {}   # each extension at most this
    max_total: dict[AppealType, PeriodField] = {}    # heyuan §18: the limit and all extensions, from the limit's start
    length: Literal["requested", "at_most_limit", "equals_limit"] = "requested"
    requires_reason: bool = True
    explain_to_requester: bool = False


class ProvisionalCloseRule(Rule):
    enabled: bool
    progress_interval: PeriodField | None = None   # None: no progress reports are due (xixian §9(3))
    apply_within_limit: bool = False
    requires: list[Literal["written_application", "progress", "next_steps", "promised_date",
                           "leader_confirmation"]] = []
    approval_confirmed_by: str | None = None       # xixian §9(3): the approval records this body's confirmation


class UrgentLimit(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)
    first_response: PeriodField
    result: PeriodField


class UrgentLimitsRule(Rule):
    special_urgent: UrgentLimit
    special: UrgentLimit
    report_to_local_government: bool = False


class UrgentAlertRule(Rule):
    phone_alert_first: bool
    risk_ledger: bool = False


class EvaluationRule(Rule):
    options: list[Evaluation]
    silence_after: PeriodField
    silence_counts_as: Evaluation
    auto_archive: bool = False


class ScreeningRule(Rule):
    enabled: bool


class RedoRule(Rule):
    max_count: Annotated[int, Field(ge=0)] | Literal["unlimited"]
    extension_allowed: bool = True
    new_callback: bool = True


class ExemptionRule(Rule):
    enabled: bool
    evidence_required: bool = True


class TerminationRule(Rule):
    enabled: bool
    requires: list[Literal["written_opinion", "evidence", "answer_script"]] = []
    repeats_answered_without_dispatch: bool = False
    after_dissatisfied: bool = False   # ankang §33: only once the requester is still dissatisfied after the answer


class DeclineReason(Rule):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    refer_to: str
    transfer_call: bool = False
    requires_order: bool = False   # heyuan §14: the decline names the earlier order it relies on


class SupervisionTrigger(Rule):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    auto: bool = False     # the tick raises it by itself
    domains: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]] = []   # ankang §31(8): raised at acceptance

    @model_validator(mode="after")
    def _domains_are_auto(self) -> SupervisionTrigger:
        if self.domains and not self.auto:
            raise ValueError(f"trigger {self.code}: a trigger with domains is raised by itself: set auto = true")
        return self


class SupervisionRule(Rule):
    triggers: list[SupervisionTrigger]


class JointRule(Rule):
    lead_replies: bool = True
    one_order_per_unit: bool = False


class ReplyRule(Rule):
    elements: list[ReplyElement]
    contact_waived_without_contact: bool = False


class DelegateRule(Rule):
    allowed: bool


class AbuseRule(Rule):
    warnings_before_suspension: int = Field(ge=0)
    suspension_allowed: bool
    suspension_days: int = Field(default=0, ge=0)


KnowledgeStep = Literal["unit", "unit_deputy_leader", "unit_leader", "hotline"]


class KnowledgeRule(Rule):
    first_contact_threshold: float | None = Field(default=None, ge=0, le=1)
    review_interval: PeriodField | None = None
    #: who approves a knowledge-base entry a unit submits, in order (xixian §13: its deputy leader, then the
    #: hotline publishes); empty: the rulebook sets no workflow
    entry_approval: list[KnowledgeStep] = []

    @field_validator("entry_approval")
    @classmethod
    def _steps_once(cls, value: list[KnowledgeStep]) -> list[KnowledgeStep]:
        if len(value) != len(set(value)):
            raise ValueError("a step of the entry approval is given twice")
        return value

    def next_approval(self, done: Sequence[str]) -> KnowledgeStep | None:
        """The next step an entry needs after the steps ``done`` (in order), or None when it may be published."""
        for index, step in enumerate(self.entry_approval):
            if index >= len(done) or done[index] != step:
                return step
        return None


class PrivacyRule(Rule):
    never_tell_reported_party: bool = True


#: the rates of a unit's assessment that a profile may weigh (hotline.rules.assessment.RATES), plus the
#: knowledge-base upkeep xixian §22 assesses
AssessedFigure = Literal["response_rate", "resolution_rate", "satisfaction_rate", "on_time_rate", "timely_sign_rate",
                         "first_contact_rate", "kb_upkeep"]
#: what may leave the callback denominators: screened orders (ziyang §14(2)), exempted ones (tianjin §25)
Exclusion = Literal["screened", "exempted"]


class FigureWeight(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    figure: AssessedFigure
    weight: Annotated[int, Field(gt=0)]


class GradeBand(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    grade: str = Field(min_length=1)
    min_score: Annotated[float, Field(ge=0, le=100)]


class AssessmentRule(Rule):
    """Unit assessment (考核): periods, the weighted score, the grade, exclusions and the triggers it raises."""

    month_start_day: int = Field(default=1, ge=1, le=28)       # a month running from the 19th to the 18th: 19
    basically_satisfied_weight: Annotated[float, Field(ge=0, le=1)]   # w in (satisfied + w × basically) ÷ valid
    weights: list[FigureWeight]      # a list, so that a child profile replaces the whole set
    grades: list[GradeBand]
    exclude: list[Exclusion] = []
    exclude_domains: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]] = []   # mediation, law enforcement
    #: the article behind each exclusion (reason → citation), shown next to every order left out
    exclusion_cites: dict[str, str] = {}
    bottom_months_for_interview: int | None = Field(default=None, ge=1)   # ziyang §25(5): 3
    interview_trigger: str | None = None           # the supervision trigger the bottom streak raises
    one_vote_veto: bool = False                    # xixian §23
    veto_grade: str = "一票否决"
    list_size: int = Field(default=3, ge=0)        # red (top) and black (bottom) lists

    @field_validator("weights")
    @classmethod
    def _some_weight(cls, value: list[FigureWeight]) -> list[FigureWeight]:
        figures = [w.figure for w in value]
        if not value:
            raise ValueError("give at least one figure a weight")
        if len(set(figures)) != len(figures):
            raise ValueError("weights: a figure is given twice")
        return value

    @field_validator("exclusion_cites")
    @classmethod
    def _cites_shape(cls, value: dict[str, str]) -> dict[str, str]:
        for reason, cite in value.items():
            if not _CITE.match(cite):
                raise ValueError(f"exclusion_cites.{reason}: {cite!r} is not of the form 'ziyang §14(2)'")
        return value

    def exclusion_source(self, reason: str) -> str:
        """The article an exclusion reason (``screened``, ``exempted``, ``domain``) rests on."""
        return self.exclusion_cites.get(reason) or self.value_source(
            "exclude_domains" if reason == "domain" else "exclude")

    def weight_of(self) -> dict[str, int]:
        return {w.figure: w.weight for w in self.weights}

    @field_validator("grades")
    @classmethod
    def _bands_descend(cls, value: list[GradeBand]) -> list[GradeBand]:
        scores = [band.min_score for band in value]
        if not value or scores != sorted(scores, reverse=True) or len(set(scores)) != len(scores):
            raise ValueError("grades: list the bands from the highest min_score down, each once")
        if scores[-1] != 0:
            raise ValueError("grades: the last band must start at 0 so that every score has a grade")
        return value


class ProfileMeta(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    title: str
    city_zh: str
    document: str
    status: str
    extends: str | None = None
    order_prefix: str = Field(pattern=r"^[A-Z]{2,4}$")


class Profile(BaseModel):
    """One rulebook as configuration. Field names are the profile's keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    profile: ProfileMeta
    office_hours: OfficeHoursRule
    service_hours: ServiceHoursRule
    channels: ChannelsRule
    appeal_types: dict[AppealType, AppealTypeRule]
    dispatch: DispatchRule
    major_items: MajorItemsRule | None = None
    sign: LimitRule | None = None
    return_: ReturnRule = Field(alias="return")
    return_review: ReturnReviewRule
    return_escalation: ReturnEscalationRule | None = None
    designated_units: DesignatedUnitsRule
    handle: dict[AppealType, HandleRule]
    extension: ExtensionRule
    provisional_close: ProvisionalCloseRule
    urgent_limits: UrgentLimitsRule | None = None
    urgent_alert: UrgentAlertRule | None = None
    evaluation: EvaluationRule
    callback: LimitRule
    screening: ScreeningRule
    redo: RedoRule
    exemption: ExemptionRule
    termination: TerminationRule
    decline_reasons: list[DeclineReason]
    supervision: SupervisionRule
    joint: JointRule
    reply: ReplyRule
    delegate: DelegateRule
    abuse: AbuseRule
    knowledge: KnowledgeRule
    privacy: PrivacyRule
    assessment: AssessmentRule

    @model_validator(mode="after")
    def _consistent(self) -> Profile:
        for appeal_type, rule in self.appeal_types.items():
            if rule.enabled and appeal_type not in self.handle:
                raise ValueError(f"appeal type {appeal_type} is enabled but handle.{appeal_type} gives no limit")
        codes = [r.code for r in self.decline_reasons]
        if len(codes) != len(set(codes)):
            raise ValueError("decline_reasons: a code is given twice")
        domains = [d for t in self.supervision.triggers for d in t.domains]
        if len(domains) != len(set(domains)):
            raise ValueError("supervision.triggers: a domain is given to two triggers")
        trigger = self.assessment.interview_trigger
        if trigger is not None and self.trigger(trigger) is None:
            raise ValueError(f"assessment.interview_trigger {trigger!r} is not one of supervision.triggers")
        return self

    # --- convenient reads -------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def hours(self) -> OfficeHours:
        return self.office_hours.hours

    def accepts(self, appeal_type: AppealType) -> bool:
        rule = self.appeal_types.get(appeal_type)
        return rule is not None and rule.enabled

    def decline_reason(self, code: str) -> DeclineReason | None:
        return next((r for r in self.decline_reasons if r.code == code), None)

    def trigger(self, code: str) -> SupervisionTrigger | None:
        return next((t for t in self.supervision.triggers if t.code == code), None)

    def domain_trigger(self, domain: str | None) -> SupervisionTrigger | None:
        """The trigger an order of ``domain`` raises at acceptance (ankang §31(8)), if any."""
        if not domain:
            return None
        return next((t for t in self.supervision.triggers if domain in t.domains), None)

    def urgent_limit(self, urgency: Urgency) -> UrgentLimit | None:
        if self.urgent_limits is None or urgency is Urgency.NORMAL:
            return None
        return self.urgent_limits.special_urgent if urgency is Urgency.SPECIAL_URGENT else self.urgent_limits.special

    def rules(self) -> list[tuple[str, Rule]]:
        """Every rule table with its key, in file order, for printing and tracing."""
        found: list[tuple[str, Rule]] = []
        for key in type(self).model_fields:
            value = getattr(self, key)
            name = "return" if key == "return_" else key
            if isinstance(value, Rule):
                found.append((name, value))
            elif isinstance(value, dict):
                found.extend((f"{name}.{k}", v) for k, v in value.items() if isinstance(v, Rule))
            elif isinstance(value, list):
                found.extend((f"{name}[{getattr(v, 'code', i)}]", v) for i, v in enumerate(value)
                             if isinstance(v, Rule))
        return found


# --- loading --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProfileSource:
    name: str
    path: Path


def search_path(extra: Iterable[str | Path] = ()) -> list[Path]:
    """Folders searched for profiles: extra ones first, then ``HOTLINE_PROFILE_DIRS``, then the built-in."""
    dirs = [Path(p) for p in extra]
    env = os.environ.get("HOTLINE_PROFILE_DIRS", "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p]
    dirs.append(BUILTIN_DIR)
    return dirs


def available(extra: Iterable[str | Path] = ()) -> list[ProfileSource]:
    seen: dict[str, ProfileSource] = {}
    for folder in search_path(extra):
        for path in sorted(folder.glob("*.toml")):
            seen.setdefault(path.stem, ProfileSource(path.stem, path))
    return sorted(seen.values(), key=lambda s: s.name)


def _find(name: str, dirs: Sequence[Path]) -> Path:
    for folder in dirs:
        path = folder / f"{name}.toml"
        if path.is_file():
            return path
    known = ", ".join(s.name for s in available(dirs[:-1])) or "none"
    raise ProfileError(f"{name}.toml", "profile", f"no profile named {name!r}; known profiles: {known}")


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(str(path), "(syntax)", str(exc)) from None
    except OSError as exc:
        raise ProfileError(str(path), "(file)", exc.strerror or str(exc)) from None


_SOURCE_KEYS = {"cite", "default"}
_UNCITED_TABLES = {("profile",)}
#: tables of plain values that belong to the rule table around them
_VALUE_TABLES = {"special", "special_urgent", "max_length", "max_total", "defaults", "exclusion_cites"}


def _check_overrides_are_cited(data: Mapping[str, Any], path: Path, prefix: tuple[str, ...] = ()) -> None:
    """In a profile that extends another, a table that sets values must say where they come from."""
    for key, value in data.items():
        if not isinstance(value, dict):
            continue
        here = (*prefix, key)
        if here in _UNCITED_TABLES:
            continue
        sets = [k for k, v in value.items()
                if k not in _SOURCE_KEYS and (not isinstance(v, dict) or k in _VALUE_TABLES)]
        if sets and not (_SOURCE_KEYS & value.keys()):
            raise ProfileError(str(path), ".".join(here),
                               f"sets {', '.join(sets)} without 'cite' or 'default': say which article the "
                               "new values come from, or why they are a default")
        _check_overrides_are_cited({k: v for k, v in value.items() if k not in _VALUE_TABLES}, path, here)


def _merge(base: dict[str, Any], child: Mapping[str, Any], origins: dict[tuple[str, ...], Path],
           path: Path, prefix: tuple[str, ...] = ()) -> dict[str, Any]:
    merged = dict(base)
    for key, value in child.items():
        here = (*prefix, key)
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            inherited = merged[key]
            if _SOURCE_KEYS & value.keys():   # the child's values come with their own source
                inherited = {k: v for k, v in inherited.items() if k not in _SOURCE_FIELDS}
            merged[key] = _merge(inherited, value, origins, path, here)
        else:
            merged[key] = value
            origins[here] = path
    if prefix:
        origins[prefix] = path   # a table error points to the last file that set values in it
    return merged


def _raw(name: str, dirs: Sequence[Path], origins: dict[tuple[str, ...], Path],
         chain: tuple[str, ...] = ()) -> dict[str, Any]:
    if name in chain:
        raise ProfileError(f"{name}.toml", "profile.extends", f"profiles extend each other in a loop: {' → '.join((*chain, name))}")
    path = _find(name, dirs)
    data = _read(path)
    meta = data.get("profile")
    if not isinstance(meta, dict):
        raise ProfileError(str(path), "profile", "the [profile] table (name, title, …) is missing")
    if meta.get("name") != name:
        raise ProfileError(str(path), "profile.name", f"is {meta.get('name')!r} but the file is named {name}.toml")
    parent = meta.get("extends")
    if parent is None:
        _merge({}, data, origins, path)
        return data
    if not isinstance(parent, str):
        raise ProfileError(str(path), "profile.extends", "must be the name of another profile")
    _check_overrides_are_cited(data, path)
    base = _raw(parent, dirs, origins, (*chain, name))
    return _merge(base, data, origins, path)


def _origin(loc: tuple[str | int, ...], origins: Mapping[tuple[str, ...], Path], fallback: Path) -> Path:
    keys = tuple(str(k) for k in loc)
    for end in range(len(keys), 0, -1):
        if keys[:end] in origins:
            return origins[keys[:end]]
    return fallback


def load(name: str, extra_dirs: Iterable[str | Path] = ()) -> Profile:
    """Load, merge (``extends``) and validate the profile ``name``."""
    dirs = search_path(extra_dirs)
    origins: dict[tuple[str, ...], Path] = {}
    data = _raw(name, dirs, origins)
    data["profile"] = {**data["profile"], "name": name}
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        key = ".".join(str(k) for k in loc) or "(top)"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "is required but missing"
        elif error["type"] == "extra_forbidden":
            message = "is not a key of a profile (misspelt?)"
        raise ProfileError(str(_origin(loc, origins, _find(name, dirs))), key, message) from None


@lru_cache(maxsize=32)
def get(name: str) -> Profile:
    """A built-in (or ``HOTLINE_PROFILE_DIRS``) profile, loaded once per process."""
    return load(name)


def describe_period(period: Period) -> str:
    return "at once" if period.amount == 0 and period.unit is Unit.HOURS else period.en
