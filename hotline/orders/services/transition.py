"""``order_act``: the one place an order's state is written, always through the lifecycle table."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import connection, transaction
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
    SQLite serialises writers with BEGIN IMMEDIATE).

    With it, in the same query, what every action reads: its units, and its appeal and requester (the
    notifications' recipients). Only the order row is locked (``of=("self",)``).
    """
    try:
        return (Order.objects.select_for_update(of=("self",))
                .select_related("lead_unit", "executing_unit", "appeal", "appeal__requester").get(pk=order_id))
    except Order.DoesNotExist:
        raise NotFound(f"工单 {order_id} 不存在", f"order {order_id} does not exist") from None


def order_act(*, order_id: int, user: User, action: Action, inputs: Inputs | None = None,
              at: datetime | None = None) -> Order:
    """Carry out ``action`` on the order as ``user``; one transaction; raises RuleError if refused."""
    with transaction.atomic():
        order = lock(order_id)
        _carry_out(order, rulebook.snapshot(order), user, action, inputs, at)
    return order


def order_act_new(*, order: Order, user: User, action: Action, inputs: Inputs | None = None,
                  at: datetime | None = None) -> Order:
    """:func:`order_act` on an order created in the transaction under way (intake): no one else can see
    it yet, so it is neither locked nor read again, and it has no deadlines, co-units or events."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("order_act_new: only inside the transaction that created the order")
    with transaction.atomic():
        _carry_out(order, rulebook.snapshot(order, new=True), user, action, inputs, at, last=0)
    return order


def _carry_out(order: Order, before: rules_order.Order, user: User, action: Action, inputs: Inputs | None,
               at: datetime | None, last: int | None = None) -> None:
    command = Command(action, actor_of(user), at or timezone.now(), inputs or Inputs())
    outcome = lifecycle.apply(rulebook.profile(order.profile), rulebook.calendar(), before, command)
    _write(order, before, outcome.order, command)
    seq = last_seq(order) if last is None else last
    for offset, event in enumerate(outcome.events, start=1):
        record_event(order, seq + offset, event, user)
    for event in outcome.events:
        notify.for_event(order, event)


def last_seq(order: Order) -> int:
    """The sequence number of the order's latest event (0 when it has none). Plain SQL: asked on every
    action, and the ORM's building of the query costs ten times its running (docs/performance.md)."""
    table, seq, order_id = (connection.ops.quote_name(n) for n in (Event._meta.db_table, "seq", "order_id"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({seq}) FROM {table} WHERE {order_id} = %s", [order.pk])  # noqa: S608 - names are ours
        row = cursor.fetchone()
    return int(row[0] or 0) if row else 0


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


def _loaded_units(order: Order) -> dict[str, Unit]:
    """The units :func:`lock` already read with the order: its lead and executing units."""
    return {u.code: u for u in (order.lead_unit, order.executing_unit) if u is not None}


def _units(codes: Iterable[str], loaded: dict[str, Unit] | None = None) -> dict[str, Unit]:
    """The active units of ``codes``; ``loaded`` (read in this transaction) spares asking again."""
    wanted = [c for c in codes if c]
    loaded = loaded or {}
    found = {c: loaded[c] for c in wanted if c in loaded and loaded[c].active}
    ask = [c for c in wanted if c not in loaded]
    if ask:
        found.update({u.code: u for u in Unit.objects.filter(code__in=ask, active=True)})
    missing = sorted(set(wanted) - found.keys())
    if missing:
        raise InvalidInput(f"单位代码 {'、'.join(missing)} 不存在或已撤销",
                           f"unit code(s) {', '.join(missing)} unknown or no longer active")
    return found


def _write(order: Order, old: rules_order.Order, new: rules_order.Order, command: Command) -> None:
    """Store the new snapshot: changed columns only, deadlines upserted, co-units set."""
    units = _units([new.lead_unit or "", new.executing_unit or "", *new.co_units], _loaded_units(order))
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
    """``old.deadlines`` are the order's rows as read under the lock: a step it had is updated, a new
    step's rows are inserted together, a step it lost is deleted."""
    dropped = [k.value for k in old.deadlines if k not in new.deadlines]
    if dropped:
        OrderDeadline.objects.filter(order=order, kind__in=dropped).delete()
    added = []
    for kind, deadline in new.deadlines.items():
        if old.deadlines.get(kind) == deadline:
            continue
        values = {"start": deadline.start, "due": deadline.due, "period": str(deadline.period), "rule": deadline.rule,
                  "provisional": deadline.provisional, "trace": list(deadline.trace),
                  "warnings": list(deadline.warnings)}
        if kind in old.deadlines:
            OrderDeadline.objects.filter(order=order, kind=kind.value).update(**values)
        else:
            added.append(OrderDeadline(order=order, kind=kind.value, **values))
    if added:
        OrderDeadline.objects.bulk_create(added)
