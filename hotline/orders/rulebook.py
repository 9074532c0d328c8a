"""The bridge between order rows and the rulebook engine: profile, calendar, snapshots."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings

from hotline.orders.models import Order, OrderDeadline
from hotline.rules import order as rules_order
from hotline.rules import profiles
from hotline.rules.calendar import WorkCalendar
from hotline.rules.deadlines import Deadline
from hotline.rules.order import CallbackOutcome, State
from hotline.rules.periods import Period
from hotline.rules.profiles import Profile
from hotline.rules.vocabulary import AppealType, DeadlineKind, Evaluation, Urgency


@lru_cache(maxsize=4)
def _calendar(paths: tuple[Path, ...]) -> WorkCalendar:
    return WorkCalendar.from_files(paths) if paths else WorkCalendar()


def calendar() -> WorkCalendar:
    """The deployment's working calendar: the package's, with the notices an administrator loaded."""
    return _calendar(tuple(settings.HOTLINE_CALENDAR_FILES))


def profile(name: str | None = None) -> Profile:
    """A profile by name, or the deployment's (settings.HOTLINE_PROFILE)."""
    return profiles.get(name or settings.HOTLINE_PROFILE)


def deadline_from_row(row: OrderDeadline) -> Deadline:
    return Deadline(DeadlineKind(row.kind), row.start, row.due, Period.parse(row.period), row.rule, row.provisional,
                    tuple(row.trace), tuple(row.warnings))


def co_unit_codes(order: Order) -> tuple[str, ...]:
    """The codes of the order's co-units, sorted (from the prefetched units when a list prefetched them)."""
    if "co_units" in getattr(order, "_prefetched_objects_cache", {}):
        return tuple(sorted(u.code for u in order.co_units.all()))
    through = Order.co_units.through.objects.filter(order_id=order.pk)   # the codes only: no Unit rows
    return tuple(sorted(through.values_list("unit__code", flat=True)))


def snapshot(order: Order, *, new: bool = False) -> rules_order.Order:
    """The rules' view of ``order`` (reads its deadlines and co-units, unless it is ``new``: just created,
    it has none)."""
    deadlines = {} if new else {DeadlineKind(d.kind): deadline_from_row(d) for d in order.deadlines.all()}
    return rules_order.Order(
        profile=order.profile,
        appeal_type=AppealType(order.appeal_type),
        urgency=Urgency(order.urgency),
        state=State(order.state),
        received_at=order.received_at,
        deadlines=deadlines,
        lead_unit=order.lead_unit.code if order.lead_unit else None,
        co_units=() if new else co_unit_codes(order),
        executing_unit=order.executing_unit.code if order.executing_unit else None,
        designated=order.designated,
        handling_limit=Period.parse(order.handling_limit) if order.handling_limit else None,
        resume_state=State(order.resume_state) if order.resume_state else None,
        pending_length=Period.parse(order.pending_length) if order.pending_length else None,
        returns=order.returns,
        returned_by=tuple(order.returned_by),
        extensions=order.extensions,
        redos=order.redos,
        reminders=order.reminders,
        callback_attempts=order.callback_attempts,
        phone_alerted=order.phone_alerted,
        supervised=order.supervised,
        first_responded=order.first_responded,
        late_return=order.late_return,
        return_rejected=order.return_rejected,
        major_item=order.major_item,
        leader_approved=order.leader_approved,
        domain=order.domain or None,
        signed_late=order.signed_late,
        evaluation=Evaluation(order.evaluation) if order.evaluation else None,
        contacted=order.contacted,
        resolved=order.resolved,
        callback_outcome=CallbackOutcome(order.callback_outcome) if order.callback_outcome else None,
        screened_out=order.screened_out,
        exempted=order.exempted,
        overdue_steps=tuple(DeadlineKind(s) for s in order.overdue_steps),
    )
