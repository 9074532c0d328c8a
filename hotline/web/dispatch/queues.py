"""The dispatch queue as the page shows it: accepted orders, urgent first, each with what its rules ask.

Every order comes through the permission gate (``selectors.orders_visible_to``); whether an action is
open is asked of the lifecycle table (``lifecycle.allowed``), never decided here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Case, F, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from hotline.directory.models import Unit, User
from hotline.orders import rulebook, selectors
from hotline.orders.models import Order, OrderDeadline
from hotline.orders.services.transition import actor_of
from hotline.rules import lifecycle
from hotline.rules.errors import InvalidInput, RuleError
from hotline.rules.order import Action, Command, Inputs, State
from hotline.rules.profiles import Profile
from hotline.rules.vocabulary import AppealType, DeadlineKind, Urgency
from hotline.web.intake.helpers import act_url, order_url, refusal, rule_label, source_label

#: how many orders the queue shows at once (the oldest urgent ones first)
QUEUE_LIMIT = 100
#: a dispatch due within this time is flagged "due soon"
SOON = timedelta(hours=1)

URGENCY_RANK = Case(When(urgency=Urgency.SPECIAL_URGENT.value, then=Value(0)),
                    When(urgency=Urgency.SPECIAL.value, then=Value(1)), default=Value(2), output_field=IntegerField())

#: refusals that only ask for what the form will ask (a unit, a limit): the button stays enabled
INPUT_CODES = frozenset({"handling_limit_required"})


@dataclass(frozen=True)
class UnitChoice:
    code: str
    name: str


@dataclass
class Step:
    """A step the rules put before dispatch (电话预警, 领导审定): needed, done, its rule and its form."""

    label: str
    done: bool
    rule: str
    url: str
    refusal: dict[str, str] | None = None


@dataclass
class DispatchRow:
    order: Order
    url: str
    appeal_type_zh: str
    urgency: str
    urgency_zh: str
    content: str
    dispatch_due: datetime | None
    due_rule: str
    overdue: bool
    soon: bool
    duty_units: list[UnitChoice]
    lead: str
    co: list[str]
    dispatch_url: str
    refusal: dict[str, str] | None
    steps: list[Step] = field(default_factory=list)
    limit_required: bool = False
    limit_settable: bool = False
    limit_basis: bool = False
    limit_rule: str = ""
    limit_default: str = ""
    designated_rule: str = ""
    co_allowed: bool = True              # tianjin §13(1): one order per unit, no co-units
    joint_rule: str = ""
    lead_options: SafeString = SafeString("")
    co_options: SafeString = SafeString("")
    suggest_shown: bool = False             # hotline.suggest answered for this order (feedback is recorded)
    suggested_unit: Any = None              # the confident top unit suggestion (code, name, confidence)
    suggested_codes: str = ""               # the suggested unit codes, best first, comma-separated
    suggested_confidence: float | None = None
    suggest_version: str = ""

    @property
    def urgent(self) -> bool:
        return self.urgency != Urgency.NORMAL.value


class UnitOptions:
    """The unit picker's ``<option>`` list, escaped once per page and reused by every row (a queue of a
    hundred orders would otherwise render several thousand options through the template engine)."""

    def __init__(self, units: list[UnitChoice]) -> None:
        self.codes = [u.code for u in units]
        self.plain = {u.code: format_html('<option value="{}">{} {}</option>', u.code, u.code, u.name) for u in units}
        self.chosen = {u.code: format_html('<option value="{}" selected>{} {}</option>', u.code, u.code, u.name)
                       for u in units}

    def render(self, selected: str | list[str]) -> SafeString:
        wanted = {selected} if isinstance(selected, str) else set(selected)
        return mark_safe("".join(self.chosen[c] if c in wanted else self.plain[c] for c in self.codes))  # noqa: S308 - escaped above


def unit_choices() -> list[UnitChoice]:
    """Units an order can go to: every active unit but the hotline office itself."""
    return [UnitChoice(u.code, u.name) for u in
            Unit.objects.filter(active=True).exclude(kind=Unit.Kind.HOTLINE_OFFICE).order_by("code").only("code", "name")]


def waiting(user: User) -> QuerySet[Order]:
    """Accepted orders the user may see, special-urgent first, then special, then by dispatch due."""
    due = OrderDeadline.objects.filter(order=OuterRef("pk"), kind=DeadlineKind.DISPATCH.value).values("due")[:1]
    return (selectors.orders_visible_to(user).filter(state=State.ACCEPTED.value)
            .annotate(rank=URGENCY_RANK, dispatch_due=Subquery(due))
            .select_related("appeal", "appeal__region", "category")
            .prefetch_related("deadlines", "co_units", "category__units")
            .order_by("rank", F("dispatch_due").asc(nulls_last=True), "received_at", "pk"))


def _ask(profile: Profile, snapshot: Any, user: User, action: Action, now: datetime,
         inputs: Inputs) -> dict[str, str] | None:
    error = lifecycle.allowed(profile, rulebook.calendar(), snapshot, Command(action, actor_of(user), now, inputs))
    if error is None or isinstance(error, InvalidInput) or error.code in INPUT_CODES:
        return None
    return refusal(error)


def dispatch_rows(user: User, now: datetime) -> tuple[list[DispatchRow], int]:
    """The queue's rows (at most QUEUE_LIMIT) and how many orders wait in all."""
    orders = waiting(user)
    total = orders.count()
    options = UnitOptions(unit_choices())
    rows = [_row(order, user, now) for order in orders[:QUEUE_LIMIT]]
    for row in rows:
        _prefer_suggested(row, set(options.codes))
        row.lead_options, row.co_options = options.render(row.lead), options.render(row.co)
    return rows, total


def _row(order: Order, user: User, now: datetime) -> DispatchRow:
    profile = rulebook.profile(order.profile)
    snapshot = rulebook.snapshot(order)
    deadline = next((d for d in order.deadlines.all() if d.kind == DeadlineKind.DISPATCH.value), None)
    duty = ([UnitChoice(u.code, u.name) for u in sorted(order.category.units.all(), key=lambda u: u.code)
             if u.active] if order.category else [])
    appeal_type, urgency = AppealType(order.appeal_type), Urgency(order.urgency)
    probe = Inputs(unit="…", basis="…")
    row = DispatchRow(
        order=order, url=order_url(order.pk), appeal_type_zh=appeal_type.zh, urgency=urgency.value,
        urgency_zh=urgency.zh, content=(order.matter or order.appeal.content)[:200],
        dispatch_due=deadline.due if deadline else None, due_rule=source_label(deadline.rule) if deadline else "",
        overdue=bool(deadline and deadline.due < now), soon=bool(deadline and now <= deadline.due <= now + SOON),
        duty_units=duty, lead=duty[0].code if duty else "", co=[u.code for u in duty[1:]],
        dispatch_url=act_url(order.pk, Action.DISPATCH.value),
        refusal=_ask(profile, snapshot, user, Action.DISPATCH, now, probe),
        designated_rule=rule_label(profile.designated_units), co_allowed=not profile.joint.one_order_per_unit,
        joint_rule=rule_label(profile.joint))
    if not row.co_allowed:
        row.co = []
    alert = profile.urgent_alert
    if alert is not None and alert.phone_alert_first and urgency is not Urgency.NORMAL:
        row.steps.append(Step("电话预警", order.phone_alerted, rule_label(alert),
                              act_url(order.pk, Action.RECORD_PHONE_ALERT.value),
                              _ask(profile, snapshot, user, Action.RECORD_PHONE_ALERT, now, Inputs(note="…"))))
    major = profile.major_items
    if major is not None and major.leader_approval and order.major_item:
        row.steps.append(Step(f"报{major.approver}审定", order.leader_approved, rule_label(major),
                              act_url(order.pk, Action.RECORD_LEADER_APPROVAL.value),
                              _ask(profile, snapshot, user, Action.RECORD_LEADER_APPROVAL, now, Inputs(note="…"))))
    handle = profile.handle.get(appeal_type)
    if urgency is Urgency.NORMAL and handle is not None:
        row.limit_required = profile.dispatch.handling_limit_required
        row.limit_settable = row.limit_required or handle.set_on_order or handle.legal_limit_overrides
        row.limit_basis = handle.legal_limit_overrides and not handle.set_on_order
        row.limit_rule = rule_label(profile.dispatch) if row.limit_required else rule_label(handle)
        row.limit_default = str(handle.limit)
    return row


def _prefer_suggested(row: DispatchRow, selectable: set[str]) -> None:
    """Ask hotline.suggest for the order's unit: when it is confident (and the unit can be picked), that
    unit is pre-selected as the lead instead of the duty table's first unit."""
    if not apps.is_installed("hotline.suggest"):
        return
    from hotline.suggest.selectors import order_text
    from hotline.suggest.services import suggest_for_text

    order = row.order
    region = order.appeal.region.code if order.appeal.region else None
    try:
        found = suggest_for_text(order_text(order.appeal.title, order.appeal.content, order.matter), region,
                                 similar=False)
    except RuleError:
        return
    row.suggest_shown, row.suggest_version = True, found.model_version
    row.suggested_codes = ",".join(c.code for c in found.unit)
    if found.low_confidence.unit or not found.unit or found.unit[0].code not in selectable:
        return
    top = found.unit[0]
    row.suggested_unit, row.suggested_confidence = top, top.confidence
    if row.lead != top.code:
        duty = [u.code for u in row.duty_units]
        row.lead = top.code
        row.co = [code for code in duty if code != top.code] if row.co_allowed else []
