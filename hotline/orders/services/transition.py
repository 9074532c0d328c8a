"""``order_act``: the one place an order's state is written, always through the lifecycle table."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from hotline.directory.models import Unit, User
from hotline.notify import services as notify
from hotline.orders import rulebook
from hotline.orders.models import Event, Order, OrderDeadline
from hotline.rules import lifecycle
from hotline.rules import order as rules_order
from hotline.rules.errors import InvalidInput, NotFound
from hotline.rules.order import Action, Actor, Command, Inputs, State
from hotline.rules.vocabulary import DeadlineKind, Role

_CLOSING = {State.EVALUATED, State.TERMINATED, State.ANSWERED, State.DECLINED, State.MERGED}


def actor_of(user: User) -> Actor:
    return Actor(Role(user.role), user.username, user.unit.code if user.unit_id and user.unit else None)


def lock(order_id: int) -> Order:
    """The order row, locked until the end of the transaction (SELECT … FOR UPDATE on PostgreSQL;
    SQLite serialises writers with BEGIN IMMEDIATE)."""
    try:
        return (Order.objects.select_for_update(of=("self",)).select_related("lead_unit", "executing_unit")
                .get(pk=order_id))
    except Order.DoesNotExist:
        raise NotFound(f"工单 {order_id} 不存在", f"order {order_id} does not exist") from None


def order_act(*, order_id: int, user: User, action: Action, inputs: Inputs | None = None,
              at: datetime | None = None) -> Order:
    """Carry out ``action`` on the order as ``user``; one transaction; raises RuleError if refused."""
    with transaction.atomic():
        order = lock(order_id)
        before = rulebook.snapshot(order)
        command = Command(action, actor_of(user), at or timezone.now(), inputs or Inputs())
        outcome = lifecycle.apply(rulebook.profile(order.profile), rulebook.calendar(), before, command)
        _write(order, before, outcome.order, command)
        seq = (order.events.order_by("-seq").values_list("seq", flat=True).first() or 0)
        for offset, event in enumerate(outcome.events, start=1):
            record_event(order, seq + offset, event, user)
        for event in outcome.events:
            notify.for_event(order, event)
    return order


def record_event(order: Order, seq: int, event: rules_order.Event, user: User | None) -> Event:
    return Event.objects.create(
        order=order, seq=seq, action=event.action.value, actor=user, actor_role=event.actor.role.value,
        actor_unit=event.actor.unit or "", at=event.at, from_state=event.from_state.value,
        to_state=event.to_state.value, rules=list(event.rules), payload=_json(event.payload))


def _json(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def _units(codes: Iterable[str]) -> dict[str, Unit]:
    wanted = [c for c in codes if c]
    found = {u.code: u for u in Unit.objects.filter(code__in=wanted, active=True)}
    missing = sorted(set(wanted) - found.keys())
    if missing:
        raise InvalidInput(f"单位代码 {'、'.join(missing)} 不存在或已撤销",
                           f"unit code(s) {', '.join(missing)} unknown or no longer active")
    return found


def _write(order: Order, old: rules_order.Order, new: rules_order.Order, command: Command) -> None:
    """Store the new snapshot: changed columns only, deadlines upserted, co-units set."""
    units = _units([new.lead_unit or "", new.executing_unit or "", *new.co_units])
    fields: dict[str, object] = {
        "state": new.state.value,
        "lead_unit": units.get(new.lead_unit or ""),
        "executing_unit": units.get(new.executing_unit or ""),
        "designated": new.designated,
        "handling_limit": str(new.handling_limit) if new.handling_limit else "",
        "resume_state": new.resume_state.value if new.resume_state else "",
        "pending_length": str(new.pending_length) if new.pending_length else "",
        "returns": new.returns, "returned_by": list(new.returned_by), "extensions": new.extensions,
        "redos": new.redos, "reminders": new.reminders, "callback_attempts": new.callback_attempts,
        "phone_alerted": new.phone_alerted, "supervised": new.supervised, "first_responded": new.first_responded,
        "late_return": new.late_return, "signed_late": new.signed_late, "return_rejected": new.return_rejected,
        "major_item": new.major_item, "leader_approved": new.leader_approved, "domain": new.domain or "",
        "evaluation": new.evaluation.value if new.evaluation else None,
        "contacted": new.contacted, "resolved": new.resolved,
        "callback_outcome": new.callback_outcome.value if new.callback_outcome else None,
        "screened_out": new.screened_out, "exempted": new.exempted,
        "overdue_steps": [s.value for s in new.overdue_steps],
        "handle_due": new.due(DeadlineKind.HANDLE),
    }
    action, at = command.action, command.at
    if action in {Action.DISPATCH, Action.DESIGNATE_UNIT}:
        fields["dispatched_at"] = at
        fields["signed_at"] = None
    if action is Action.SIGN or (action is Action.REJECT_RETURN and not order.signed_at):
        fields["signed_at"] = at
    if action is Action.REPLY:
        fields["replied_at"] = at
    if new.state in _CLOSING and old.state not in _CLOSING:
        fields["closed_at"] = at
    if action is Action.REDO:
        fields["closed_at"] = None
    changed = [name for name, value in fields.items() if getattr(order, name) != value]
    for name in changed:
        setattr(order, name, fields[name])
    order.version += 1
    order.save(update_fields=[*changed, "version", "updated_at"])
    if old.co_units != new.co_units:
        order.co_units.set([units[c] for c in new.co_units])
    _write_deadlines(order, old, new)


def _write_deadlines(order: Order, old: rules_order.Order, new: rules_order.Order) -> None:
    dropped = [k.value for k in old.deadlines if k not in new.deadlines]
    if dropped:
        OrderDeadline.objects.filter(order=order, kind__in=dropped).delete()
    for kind, deadline in new.deadlines.items():
        if old.deadlines.get(kind) == deadline:
            continue
        OrderDeadline.objects.update_or_create(order=order, kind=kind.value, defaults={
            "start": deadline.start, "due": deadline.due, "period": str(deadline.period), "rule": deadline.rule,
            "provisional": deadline.provisional, "trace": list(deadline.trace), "warnings": list(deadline.warnings),
        })
