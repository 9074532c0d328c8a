"""The citizen's side of an order, with no account (ankang §16): the order number and the query code read
to the requester at intake are the only credential.

- :func:`order_get_for_requester` is the citizen's permission gate: a wrong number and a wrong code give
  the same :class:`NotFound`, so nobody learns whether a number exists;
- :func:`order_public_view` is everything the public may see of an order: its state, type, category,
  handling unit, due times, the milestones of its timeline (labels and times only) and, once replied,
  the unit's result. Never a staff name, an internal note, a return reason, nor anything of the requester;
- :func:`order_evaluate_by_requester` lets the requester evaluate the reply themselves, as the lifecycle's
  REQUESTER role (``Actor(Role.REQUESTER, "citizen:<number>")``), in one transaction like ``order_act``;
- :func:`mask_personal_data` masks phone numbers, ID numbers, e-mail addresses and given names in free
  text that is published (the citizen view, Open311).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from hotline.notify import services as notify
from hotline.orders import rulebook
from hotline.orders.models import Event, Order
from hotline.orders.services.intake import query_code_hash, query_code_matches
from hotline.orders.services.transition import _write, lock, record_event
from hotline.rules import lifecycle
from hotline.rules.errors import InvalidInput, NotFound
from hotline.rules.order import Action, Actor, Command, Inputs, State
from hotline.rules.vocabulary import AppealType, DeadlineKind, Evaluation, Role

#: the milestones a citizen sees on their timeline; reviews, returns, reminders, supervision, overdue marks,
#: screening and exemptions are the hotline's and the units' internal business
PUBLIC_ACTIONS: frozenset[Action] = frozenset({
    Action.ACCEPT, Action.DECLINE, Action.ANSWER_DIRECTLY, Action.ANSWER_FROM_TERMINATION, Action.DISPATCH,
    Action.DESIGNATE_UNIT, Action.SIGN, Action.FIRST_RESPONSE, Action.APPROVE_EXTENSION,
    Action.APPROVE_PROVISIONAL_CLOSE, Action.REPORT_PROGRESS, Action.REPLY, Action.EVALUATE,
    Action.EVALUATION_TIMEOUT, Action.REDO, Action.APPROVE_TERMINATION, Action.MERGE, Action.ARCHIVE,
})

#: the due times a citizen sees (the return window, signing and the silence window are internal)
PUBLIC_DEADLINES: tuple[DeadlineKind, ...] = (DeadlineKind.DISPATCH, DeadlineKind.FIRST_RESPONSE, DeadlineKind.HANDLE,
                                              DeadlineKind.PROGRESS_REPORT, DeadlineKind.CALLBACK)

#: the evaluations a requester may give (silence is the tick's business, "none" is not an answer)
REQUESTER_EVALUATIONS: tuple[Evaluation, ...] = (Evaluation.SATISFIED, Evaluation.BASICALLY_SATISFIED,
                                                 Evaluation.DISSATISFIED)

_NOT_FOUND = ("工单号或查询码不正确", "wrong order number or query code")
_REPLY_EVENTS = "public_reply_events"


# --- masking -------------------------------------------------------------------------------------------

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])|(?<!\d)(\d{6})\d{6}(\d{3})(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?(1[3-9]\d)[ -]?\d{4}[ -]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[- ]?\d{3,4}(\d{4})(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def _mask_id(match: re.Match[str]) -> str:
    head, tail = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    return f"{head}{'*' * (len(match.group(0)) - len(head) - len(tail))}{tail}"


def mask_personal_data(text: str, names: Iterable[str] = ()) -> str:
    """``text`` with ID numbers, mobile and landline numbers, e-mail addresses and the given ``names`` masked."""
    text = _ID_NUMBER.sub(_mask_id, text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)
    text = _LANDLINE.sub(lambda m: f"{m.group(1)}-****{m.group(2)}", text)
    text = _EMAIL.sub("***@***", text)
    for name in sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(name, name[0] + "*" * (len(name) - 1))
    return text


def requester_names(order: Order) -> list[str]:
    requester = order.appeal.requester
    return [requester.name] if requester is not None and requester.name else []


# --- what the public sees ----------------------------------------------------------------------------

@dataclass(frozen=True)
class PublicStep:
    action: str
    label: str
    at: datetime


@dataclass(frozen=True)
class PublicDeadline:
    kind: str
    label: str
    due: datetime


@dataclass(frozen=True)
class PublicOrder:
    number: str
    state: str
    state_zh: str
    closed: bool
    appeal_type: str
    appeal_type_zh: str
    category_code: str | None
    category_name: str | None
    received_at: datetime
    handling_unit: str | None
    deadlines: list[PublicDeadline]
    timeline: list[PublicStep]
    reply_result: str | None
    evaluation: str | None
    evaluation_zh: str | None
    can_evaluate: bool


def with_reply_events(orders: QuerySet[Order]) -> QuerySet[Order]:
    """Prefetch what :func:`reply_result` reads, for lists (one query for all the orders)."""
    replies = Event.objects.filter(action__in=[Action.REPLY.value, Action.REDO.value]).order_by("seq")
    return orders.prefetch_related(Prefetch("events", queryset=replies, to_attr=_REPLY_EVENTS))


def reply_result(order: Order) -> str | None:
    """The unit's reply result (办理结果) while it stands: replied and not sent back for redo since; masked."""
    events = getattr(order, _REPLY_EVENTS, None)
    if events is None:
        events = list(order.events.filter(action__in=[Action.REPLY.value, Action.REDO.value]).order_by("seq"))
    if not events or events[-1].action != Action.REPLY.value:
        return None
    reply = events[-1].payload.get("reply") or {}
    result = str(reply.get("result") or "").strip() if isinstance(reply, dict) else ""
    return mask_personal_data(result, requester_names(order)) if result else None


def order_get_for_requester(*, number: str, code: str) -> Order:
    """The order whose number and query code the caller knows; the same NotFound for a wrong number or code."""
    order = (Order.objects.select_related("appeal", "appeal__requester", "category", "lead_unit")
             .filter(number=number.strip()).first())
    if order is None:
        query_code_hash(number, code)  # about the same work as a real check: the answer time tells nothing
        raise NotFound(*_NOT_FOUND)
    if not code.strip() or not query_code_matches(order, code):
        raise NotFound(*_NOT_FOUND)
    return order


def order_public_view(order: Order) -> PublicOrder:
    """What the requester (and only they, with the query code) may see of ``order``."""
    state = State(order.state)
    due = {d.kind: d.due for d in order.deadlines.all()}
    local = timezone.localtime  # the citizen reads Beijing time
    deadlines = [PublicDeadline(kind.value, kind.zh, local(due[kind.value])) for kind in PUBLIC_DEADLINES
                 if kind.value in due]
    timeline = [PublicStep(e.action, Action(e.action).zh, local(e.at))
                for e in order.events.order_by("seq").only("action", "at", "seq")
                if Action(e.action) in PUBLIC_ACTIONS]
    evaluation = Evaluation(order.evaluation) if order.evaluation else None
    return PublicOrder(
        number=order.number, state=state.value, state_zh=state.zh, closed=not state.is_open,
        appeal_type=order.appeal_type, appeal_type_zh=AppealType(order.appeal_type).zh,
        category_code=order.category.code if order.category else None,
        category_name=order.category.name if order.category else None,
        received_at=local(order.received_at), handling_unit=order.lead_unit.name if order.lead_unit else None,
        deadlines=deadlines, timeline=timeline, reply_result=reply_result(order),
        evaluation=evaluation.value if evaluation else None, evaluation_zh=evaluation.zh if evaluation else None,
        can_evaluate=state is State.REPLIED,
    )


# --- what the requester may do -------------------------------------------------------------------------

def order_evaluate_by_requester(*, number: str, code: str, evaluation: str, contacted: bool | None = None,
                                resolved: bool | None = None, note: str = "", at: datetime | None = None) -> Order:
    """The requester evaluates the unit's reply (满意度评价) themselves; one transaction.

    Acts as ``Actor(Role.REQUESTER, "citizen:<number>")``: the lifecycle lets the requester evaluate a
    replied order; a dissatisfied evaluation goes to screening like any other. The event has no user.
    """
    try:
        value = Evaluation(evaluation)
    except ValueError:
        value = None
    if value not in REQUESTER_EVALUATIONS:
        raise InvalidInput("评价只能是 satisfied（满意）、basically_satisfied（基本满意）、dissatisfied（不满意）",
                           "evaluation is one of satisfied, basically_satisfied, dissatisfied")
    if len(note) > 500:
        raise InvalidInput("意见不能超过500字", "the note is longer than 500 characters")
    found = order_get_for_requester(number=number, code=code)
    with transaction.atomic():
        order = lock(found.pk)
        before = rulebook.snapshot(order)
        command = Command(Action.EVALUATE, Actor(Role.REQUESTER, f"citizen:{order.number}"), at or timezone.now(),
                          Inputs(evaluation=value, contacted=contacted, resolved=resolved, note=note.strip()))
        outcome = lifecycle.apply(rulebook.profile(order.profile), rulebook.calendar(), before, command)
        _write(order, before, outcome.order, command)
        seq = order.events.order_by("-seq").values_list("seq", flat=True).first() or 0
        for offset, event in enumerate(outcome.events, start=1):
            record_event(order, seq + offset, event, None)
        notify.for_event(order, outcome.events[-1])
    return order
