"""What the callback queue reads: replied orders waiting for the callback, and orders in screening.

Every read starts from the permission gate ``orders_visible_to``; the requester comes only through
``requester_for`` (the read is logged in the personal-data access log with the purpose "回访").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from hotline.directory.models import User
from hotline.orders.models import Event, Order
from hotline.orders.selectors import orders_visible_to
from hotline.rules.errors import NotFound
from hotline.rules.order import Action, State
from hotline.rules.vocabulary import AppealType, DeadlineKind, Evaluation, ReplyElement

#: rows a queue shows at once (oldest first: the rest follow as these are done)
QUEUE_LIMIT = 200


@dataclass(frozen=True)
class ReplyView:
    elements: list[tuple[str, str]]       # (Chinese label, text), in the rulebook's order
    at: datetime | None
    late: bool

    @property
    def result(self) -> str:
        return next((text for label, text in self.elements if label == ReplyElement.RESULT.zh), "")


@dataclass(frozen=True)
class EvaluationView:
    evaluation_zh: str
    contacted: bool | None
    resolved: bool | None
    note: str
    at: datetime
    by_requester: bool                    # given on the citizen portal rather than on a callback


@dataclass
class QueueRow:
    order: Order
    reply: ReplyView | None
    callback_due: datetime | None
    evaluation_due: datetime | None
    evaluation: EvaluationView | None = None
    url: str = ""                                                   # the order page, if there is one
    buttons: dict[str, object] = field(default_factory=dict)       # the page's buttons, by name

    @property
    def type_zh(self) -> str:
        return AppealType(self.order.appeal_type).zh

    @property
    def callback_overdue(self) -> bool:
        return self.callback_due is not None and self.callback_due < timezone.now()


def _with_details(orders: QuerySet[Order]) -> QuerySet[Order]:
    replies = Event.objects.filter(action=Action.REPLY.value).order_by("seq")
    evaluations = Event.objects.filter(action=Action.EVALUATE.value).order_by("seq")
    return (orders.select_related("lead_unit", "appeal", "category")
            .prefetch_related("deadlines", "co_units",
                              Prefetch("events", queryset=replies, to_attr="reply_events"),
                              Prefetch("events", queryset=evaluations, to_attr="evaluate_events")))


def reply_of(order: Order) -> ReplyView | None:
    """The unit's latest reply, element by element (staff see it as written; the public view masks it)."""
    events = getattr(order, "reply_events", None)
    if events is None:
        events = list(order.events.filter(action=Action.REPLY.value).order_by("seq"))
    if not events:
        return None
    event = events[-1]
    reply = event.payload.get("reply") or {}
    elements = [(element.zh, str(reply[element.value])) for element in ReplyElement
                if isinstance(reply, dict) and reply.get(element.value)]
    return ReplyView(elements, event.at, bool(event.payload.get("late")))


def evaluation_of(order: Order) -> EvaluationView | None:
    events = getattr(order, "evaluate_events", None)
    if events is None:
        events = list(order.events.filter(action=Action.EVALUATE.value).order_by("seq"))
    if not events:
        return None
    event = events[-1]
    p = event.payload
    value = str(p.get("evaluation") or "")
    label = Evaluation(value).zh if value in {e.value for e in Evaluation} else value

    def yes_no(key: str) -> bool | None:
        found = p.get(key)
        return found if isinstance(found, bool) else None

    return EvaluationView(label, yes_no("contacted"), yes_no("resolved"), str(p.get("note") or ""), event.at,
                          event.actor_role == "requester")


def _row(order: Order) -> QueueRow:
    due = {d.kind: d.due for d in order.deadlines.all()}
    return QueueRow(order, reply_of(order), due.get(DeadlineKind.CALLBACK.value), due.get(DeadlineKind.EVALUATION.value),
                    evaluation_of(order))


def callback_queue(*, user: User) -> tuple[list[QueueRow], int]:
    """Replied orders waiting for the callback, oldest reply first; and how many there are in all."""
    orders = orders_visible_to(user).filter(state=State.REPLIED.value)
    total = orders.count()
    rows = _with_details(orders).order_by("replied_at", "pk")[:QUEUE_LIMIT]
    return [_row(o) for o in rows], total


def screening_queue(*, user: User) -> tuple[list[QueueRow], int]:
    """Orders whose dissatisfied evaluation waits for screening (甄别), oldest first."""
    orders = orders_visible_to(user).filter(state=State.SCREENING.value)
    total = orders.count()
    rows = _with_details(orders).order_by("updated_at", "pk")[:QUEUE_LIMIT]
    return [_row(o) for o in rows], total


def callback_order(*, user: User, order_id: int) -> QueueRow:
    """One order for the callback panel, through the gate: NotFound if it is not there or not visible."""
    found = _with_details(orders_visible_to(user).filter(pk=order_id)).first()
    if found is None:
        raise NotFound(f"工单 {order_id} 不存在或无权查看", f"order {order_id} does not exist or is not visible to you")
    return _row(found)
