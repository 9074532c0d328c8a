"""Reads of the supervision board, always through the orders' permission gate.

- :func:`due_steps`: for each order a unit holds, its most pressing unit step (sign, handle, first
  response, progress report) that is overdue or falls due within the window;
- :func:`unit_loads`: those orders counted per lead unit (overdue / due soon), sortable;
- :func:`supervised_orders`: the open supervised orders with their triggers (event payload + the article);
- :func:`interviews_recent`: the interviews (约谈) recorded lately.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from hotline.directory.models import Unit, User
from hotline.orders import rulebook
from hotline.orders.models import Event, Order, OrderDeadline
from hotline.orders.selectors import orders_visible_to
from hotline.rules.deadlines import describe_rule
from hotline.rules.errors import ProfileError
from hotline.rules.order import Action, State
from hotline.rules.vocabulary import DeadlineKind, Role
from hotline.supervision.models import Interview

K, S = DeadlineKind, State

#: the unit has the order and has not replied (same reading as the tick's, hotline.orders.automation)
UNREPLIED = (S.DISPATCHED, S.SIGNED, S.EXTENSION_REQUESTED, S.PROVISIONAL_CLOSE_REQUESTED, S.REDO)

#: the unit's steps the board watches, and the states in which each is still the unit's to do
UNIT_STEPS: dict[DeadlineKind, tuple[State, ...]] = {
    K.SIGN: (S.DISPATCHED,),
    K.HANDLE: UNREPLIED,
    K.FIRST_RESPONSE: UNREPLIED,            # and not first-responded yet
    K.PROGRESS_REPORT: (S.PROVISIONALLY_CLOSED,),
}

SORTS = ("overdue", "soon", "total", "unit")


def soon_window() -> timedelta:
    """How far ahead "due soon" looks: the tick's reminder lead (settings.HOTLINE_REMIND_BEFORE_HOURS)."""
    return timedelta(hours=float(getattr(settings, "HOTLINE_REMIND_BEFORE_HOURS", 24)))


@dataclass(frozen=True)
class DueStep:
    order_id: int
    unit_id: int | None
    kind: DeadlineKind
    due: datetime
    overdue: bool


@dataclass
class UnitLoad:
    unit: Unit
    overdue: int = 0
    soon: int = 0

    @property
    def total(self) -> int:
        return self.overdue + self.soon


@dataclass
class TriggerView:
    code: str
    label: str
    rule: str          # the article, for people (资阳 §25(3)) or the default's reason
    at: datetime
    auto: bool         # raised by the tick (the system), not by a supervisor


@dataclass
class SupervisedOrder:
    order: Order
    triggers: list[TriggerView] = field(default_factory=list)


def _step_filter(horizon: datetime) -> Q:
    condition = Q()
    for kind, states in UNIT_STEPS.items():
        step = Q(kind=kind.value, order__state__in=[s.value for s in states])
        if kind is K.FIRST_RESPONSE:
            step &= Q(order__first_responded=False)
        condition |= step
    return condition & Q(due__lte=horizon)


def due_steps(*, user: User, now: datetime, within: timedelta | None = None) -> dict[int, DueStep]:
    """Order id → its most pressing unit step, overdue or due within ``within`` (default :func:`soon_window`)."""
    horizon = now + (within if within is not None else soon_window())
    visible = orders_visible_to(user).values("pk")
    rows = (OrderDeadline.objects.filter(_step_filter(horizon), order__in=visible)
            .values_list("order_id", "order__lead_unit_id", "kind", "due").order_by("due", "order_id"))
    found: dict[int, DueStep] = {}
    for order_id, unit_id, kind, due in rows:
        if order_id not in found:  # ordered by due: the first is the most pressing
            found[order_id] = DueStep(order_id, unit_id, DeadlineKind(kind), due, due < now)
    return found


def unit_loads(*, user: User, now: datetime, sort: str = "overdue", within: timedelta | None = None,
               steps: dict[int, DueStep] | None = None) -> list[UnitLoad]:
    """Overdue and due-soon orders counted per lead unit; ``sort`` is one of :data:`SORTS`.

    ``steps``: :func:`due_steps` already read for the same user and time (else read here)."""
    steps = steps if steps is not None else due_steps(user=user, now=now, within=within)
    loads: dict[int, UnitLoad] = {}
    units = Unit.objects.in_bulk({s.unit_id for s in steps.values() if s.unit_id is not None})
    for step in steps.values():
        if step.unit_id is None:
            continue
        load = loads.setdefault(step.unit_id, UnitLoad(units[step.unit_id]))
        if step.overdue:
            load.overdue += 1
        else:
            load.soon += 1
    rows = sorted(loads.values(), key=lambda load: load.unit.code)
    if sort == "soon":
        rows.sort(key=lambda load: (-load.soon, -load.overdue))
    elif sort == "total":
        rows.sort(key=lambda load: (-load.total, -load.overdue))
    elif sort != "unit":
        rows.sort(key=lambda load: (-load.overdue, -load.soon))
    return rows


def with_rule_data(orders: QuerySet[Order]) -> QuerySet[Order]:
    """What :func:`hotline.orders.rulebook.snapshot` and the board's rows read, prefetched for a list."""
    return orders.select_related("lead_unit", "appeal", "category").prefetch_related("deadlines", "co_units")


def unit_orders(*, user: User, now: datetime, unit: str | None = None, within: timedelta | None = None,
                steps: dict[int, DueStep] | None = None) -> list[tuple[Order, DueStep]]:
    """The overdue and due-soon orders (of one lead unit, by code, if given), most pressing first."""
    steps = steps if steps is not None else due_steps(user=user, now=now, within=within)
    orders = with_rule_data(orders_visible_to(user).filter(pk__in=list(steps)))
    if unit:
        orders = orders.filter(lead_unit__code=unit)
    rows = [(order, steps[order.pk]) for order in orders]
    rows.sort(key=lambda row: (not row[1].overdue, row[1].due, row[0].pk))
    return rows


def _trigger_view(order: Order, event: Event) -> TriggerView:
    code = str(event.payload.get("trigger") or "")
    label = str(event.payload.get("label") or code)
    rule = ""
    try:
        trigger = rulebook.profile(order.profile).trigger(code)
    except ProfileError:
        trigger = None
    if trigger is not None:
        rule = describe_rule(trigger.source)
    return TriggerView(code, label, rule, event.at, event.actor_role == Role.SYSTEM.value)


def supervised_orders(*, user: User) -> list[SupervisedOrder]:
    """The supervised orders still open, oldest supervision first, each with the triggers raised on it."""
    open_states = [s.value for s in State if s.is_open]
    events = Event.objects.filter(action=Action.SUPERVISE.value).order_by("seq")
    orders = (with_rule_data(orders_visible_to(user).filter(supervised=True, state__in=open_states))
              .prefetch_related(Prefetch("events", queryset=events, to_attr="supervise_events")))
    rows = [SupervisedOrder(o, [_trigger_view(o, e) for e in getattr(o, "supervise_events", [])]) for o in orders]
    rows.sort(key=lambda row: (row.triggers[0].at if row.triggers else row.order.received_at, row.order.pk))
    return rows


def interview_units() -> QuerySet[Unit]:
    """The units an interview may be held with: every active unit but the hotline office itself."""
    return Unit.objects.filter(active=True).exclude(kind=Unit.Kind.HOTLINE_OFFICE).order_by("code")


def interviews_recent(*, user: User, unit: str | None = None, limit: int = 20) -> QuerySet[Interview]:
    """The latest interviews; supervisors only (others get none)."""
    if user.role != User.Role.SUPERVISOR:
        return Interview.objects.none()
    rows = Interview.objects.select_related("unit", "recorded_by")
    if unit:
        rows = rows.filter(unit__code=unit)
    return rows.order_by("-held_at", "-pk")[:limit]
