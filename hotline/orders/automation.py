"""The tick (``hotline tick``): every automatic step that has fallen due, carried out once.

Acting as the system user (role system) and only through the services, one tick

1. marks overdue steps: dispatch, sign, handle, first response, progress report, callback
   (the return window is a right of the unit, not a duty: it is never overdue);
2. reminds units (催办) of sign and handle deadlines falling due within
   ``settings.HOTLINE_REMIND_BEFORE_HOURS`` (default 24), once per deadline;
3. closes the evaluations a requester left unanswered past the window: what silence counts as is the
   order's profile's (ziyang §14(1): basically satisfied; national: no evaluation);
4. asks units on provisional close (临时办结) for their next progress report (ziyang §13(3));
5. raises the supervisions (督办) the profile marks ``auto``, once per order and trigger;
6. archives evaluated orders when the profile's ``evaluation.auto_archive`` says so.

Every order is handled in its own transaction: candidate ids are read by indexed columns, in batches,
then each order is locked (``SKIP LOCKED`` on PostgreSQL, so parallel workers share the work instead
of waiting) and its condition is checked again under the lock. Running the tick twice at the same
time, or in two workers at once, therefore does each thing once. A failure on one order is logged and
counted; the tick goes on with the others.

Each order keeps the rulebook it was accepted under (``order.profile``), whatever the deployment's
profile is today.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import DateTimeField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone

from hotline.directory.models import User
from hotline.directory.services import system_user
from hotline.notify import services as notify
from hotline.notify.models import Notification
from hotline.orders import rulebook
from hotline.orders.models import Event, Order, OrderDeadline
from hotline.orders.services import actions
from hotline.rules import lifecycle
from hotline.rules.errors import InvalidInput, RuleError
from hotline.rules.order import Action, State
from hotline.rules.profiles import Profile, SupervisionTrigger
from hotline.rules.vocabulary import DeadlineKind, Evaluation, Role

log = logging.getLogger("hotline.automation")

#: candidate ids read per query
BATCH = 200
#: the counts a tick reports, in the order it works
STEPS = ("overdue", "reminded", "evaluated", "progress_requested", "supervised", "archived", "kb_review_due")
LABELS = {
    "overdue": "超期标记", "reminded": "到期催办", "evaluated": "逾期未评价", "progress_requested": "进展报送提醒",
    "supervised": "自动督办", "archived": "自动归档", "kb_review_due": "知识库到期复核", "skipped": "其他进程处理中", "failed": "失败",
}

K, S = DeadlineKind, State


def _states_with(action: Action) -> frozenset[State]:
    """The states the lifecycle table lets ``action`` be taken in."""
    return frozenset(s for s in State if lifecycle.rows(s, action))


SUPERVISABLE = _states_with(Action.SUPERVISE)
#: handling not finished: the unit has the order and has not replied (return review excluded: the
#: hotline holds the order then, and an approved return drops the unit's deadlines)
UNREPLIED = frozenset({S.DISPATCHED, S.SIGNED, S.EXTENSION_REQUESTED, S.PROVISIONAL_CLOSE_REQUESTED, S.REDO})

#: a step is overdue when its deadline has passed while the order is still in one of these states
OVERDUE_WHILE: dict[DeadlineKind, frozenset[State]] = {
    kind: states & _states_with(Action.MARK_OVERDUE) for kind, states in {
        K.DISPATCH: frozenset({S.ACCEPTED}),
        K.SIGN: frozenset({S.DISPATCHED}),
        K.HANDLE: UNREPLIED,
        K.FIRST_RESPONSE: UNREPLIED,          # and first_responded still false
        K.PROGRESS_REPORT: frozenset({S.PROVISIONALLY_CLOSED}),
        K.CALLBACK: frozenset({S.REPLIED}),
    }.items()
}
#: the deadlines a unit is reminded of before they fall due
REMIND_WHILE: dict[DeadlineKind, frozenset[State]] = {
    K.SIGN: frozenset({S.DISPATCHED}) & _states_with(Action.REMIND),
    K.HANDLE: UNREPLIED & _states_with(Action.REMIND),
}
#: ziyang §25(3) 反复退回重办: "repeatedly" read as a second redo
REPEATED_REDO_AT = 2


# --- supervision triggers the tick recognises by itself ---------------------------------------------

def _has_step(kind: DeadlineKind) -> Q:
    """``kind`` is among the order's marked overdue steps (a JSON list)."""
    if connection.features.supports_json_field_contains:
        return Q(overdue_steps__contains=[kind.value])
    return Q(overdue_steps__icontains=f'"{kind.value}"')  # SQLite: the list's JSON text holds the quoted value


def _upheld(order: Order) -> bool:
    return (order.state == S.EVALUATED and order.evaluation == Evaluation.DISSATISFIED
            and not order.screened_out and not order.exempted)


_UPHELD = Q(state=S.EVALUATED, evaluation=Evaluation.DISSATISFIED, screened_out=False, exempted=False)


@dataclass(frozen=True)
class Trigger:
    """How the tick recognises one supervision case: a query for candidates, a check under the lock."""

    meaning: str
    query: Callable[[], Q]
    holds: Callable[[Order], bool]


_DISSATISFIED_CONFIRMED = Trigger("a dissatisfied evaluation upheld by screening, not exempted",
                                  lambda: _UPHELD, _upheld)

#: trigger codes of the profiles → how to see them; an ``auto`` trigger not listed here stays manual
AUTO_TRIGGERS: dict[str, Trigger] = {
    "overdue": Trigger("the handle step is marked overdue", lambda: _has_step(K.HANDLE),
                       lambda o: K.HANDLE.value in o.overdue_steps),
    "dissatisfied_confirmed": _DISSATISFIED_CONFIRMED,
    "result_disputed": _DISSATISFIED_CONFIRMED,  # heyuan §13(1) 对办理结果有异议
    "redo_still_dissatisfied": Trigger("redone, and the new evaluation is dissatisfied and upheld",
                                       lambda: _UPHELD & Q(redos__gte=1), lambda o: _upheld(o) and o.redos >= 1),
    "repeated_redo": Trigger(f"sent back for redo {REPEATED_REDO_AT} times or more",
                             lambda: Q(redos__gte=REPEATED_REDO_AT), lambda o: o.redos >= REPEATED_REDO_AT),
}


def auto_triggers(profile: Profile) -> list[SupervisionTrigger]:
    """The profile's ``auto`` triggers the tick knows how to see."""
    return [t for t in profile.supervision.triggers if t.auto and t.code in AUTO_TRIGGERS]


def due_triggers(order: Order, profile: Profile) -> list[SupervisionTrigger]:
    """The automatic supervisions ``order`` calls for and has not had yet."""
    if order.state not in SUPERVISABLE:
        return []
    raised = {p.get("trigger") for p in order.events.filter(action=Action.SUPERVISE).values_list("payload", flat=True)}
    return [t for t in auto_triggers(profile) if t.code not in raised and AUTO_TRIGGERS[t.code].holds(order)]


# --- the run ------------------------------------------------------------------------------------------

@dataclass
class _Tick:
    now: datetime
    user: User
    lead: timedelta
    counts: Counter[str] = field(default_factory=Counter)

    def each(self, step: str, ids: Iterable[int], work: Callable[[Order], int]) -> None:
        """``work`` on each order, locked, in a transaction of its own; it returns how many things it did."""
        for pk in ids:
            try:
                with transaction.atomic():
                    order = _lock(pk)
                    if order is None:  # another worker has it right now (or it is gone)
                        self.counts["skipped"] += 1
                        continue
                    done = work(order)
            except RuleError as exc:
                log.warning("tick %s: order %s refused: %s", step, pk, exc)
                self.counts["failed"] += 1
            except Exception:
                log.exception("tick %s: order %s failed", step, pk)
                self.counts["failed"] += 1
            else:
                self.counts[step] += done


def _lock(pk: int) -> Order | None:
    rows = Order.objects.filter(pk=pk).select_for_update(skip_locked=connection.features.has_select_for_update_skip_locked)
    return rows.first()


def _batches(rows: QuerySet[Any], fields: Sequence[str]) -> Iterator[list[tuple[Any, ...]]]:
    """``fields`` of ``rows`` in batches, keyset-paginated on the first field (never all in memory)."""
    key, last = fields[0], 0
    while True:
        batch = list(rows.filter(**{f"{key}__gt": last}).order_by(key).values_list(*fields)[:BATCH])
        if batch:
            yield batch
        if len(batch) < BATCH:
            return
        last = batch[-1][0]


def _ids(orders: QuerySet[Order]) -> Iterator[int]:
    for batch in _batches(orders.distinct(), ("pk",)):
        yield from (row[0] for row in batch)


def _dues(order: Order) -> dict[DeadlineKind, datetime]:
    return {DeadlineKind(kind): due for kind, due in order.deadlines.values_list("kind", "due")}


def _local(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _sorted(states: Iterable[State]) -> list[str]:
    return sorted(s.value for s in states)


def _profiles_in(states: Iterable[State]) -> list[str]:
    """The profiles the orders in ``states`` were accepted under."""
    return list(Order.objects.filter(state__in=_sorted(states)).order_by("profile")
                .values_list("profile", flat=True).distinct())


# 1. overdue -------------------------------------------------------------------------------------------

def _mark_overdue(t: _Tick) -> None:
    due = Q()
    for kind, states in OVERDUE_WHILE.items():
        condition = Q(state__in=_sorted(states), deadlines__kind=kind, deadlines__due__lt=t.now) & ~_has_step(kind)
        if kind is K.FIRST_RESPONSE:
            condition &= Q(first_responded=False)
        due |= condition
    t.each("overdue", _ids(Order.objects.filter(due)), partial(_mark_overdue_one, t))


def _mark_overdue_one(t: _Tick, order: Order) -> int:
    dues = _dues(order)
    steps = [kind.value for kind, states in OVERDUE_WHILE.items()
             if order.state in states and kind.value not in order.overdue_steps
             and (due := dues.get(kind)) is not None and due < t.now
             and not (kind is K.FIRST_RESPONSE and order.first_responded)]
    if not steps:
        return 0
    actions.order_mark_overdue(order=order.pk, user=t.user, steps=steps, at=t.now)
    return 1


# 2. reminders before the due time ------------------------------------------------------------------------

def _remind(t: _Tick) -> None:
    # a deadline the system already reminded of inside its window needs no look under a lock
    reminded = Event.objects.filter(order=OuterRef("order_id"), action=Action.REMIND, actor_role=Role.SYSTEM,
                                    at__gte=ExpressionWrapper(OuterRef("due") - t.lead, output_field=DateTimeField()),
                                    at__lte=OuterRef("due"))
    window = Q()
    for kind, states in REMIND_WHILE.items():
        window |= Q(kind=kind, order__state__in=_sorted(states))
    rows = (OrderDeadline.objects.filter(window, due__gt=t.now, due__lte=t.now + t.lead)
            .filter(~Exists(reminded)))
    for batch in _batches(rows, ("order_id",)):
        t.each("reminded", dict.fromkeys(pk for pk, in batch), partial(_remind_one, t))


def remind_line(kind: DeadlineKind, due: datetime) -> str:
    """What a reminder says about one deadline; a reminder with this line was sent for this due time."""
    return f"{kind.zh}时限 {_local(due)} 到期"


def _remind_one(t: _Tick, order: Order) -> int:
    dues = _dues(order)
    lines = [remind_line(kind, due) for kind, states in REMIND_WHILE.items()
             if order.state in states and (due := dues.get(kind)) is not None and t.now < due <= t.now + t.lead]
    sent = " ".join(str(p.get("note", "")) for p in
                    order.events.filter(action=Action.REMIND).values_list("payload", flat=True))
    new = [line for line in lines if line not in sent]
    if not new:
        return 0
    actions.order_remind(order=order.pk, user=t.user, note=f"系统提醒：{'；'.join(new)}，请抓紧办理", at=t.now)
    return 1


# 3. silence past the evaluation window ----------------------------------------------------------------------

def _silence(t: _Tick) -> None:
    rows = Order.objects.filter(state=S.REPLIED, deadlines__kind=K.EVALUATION, deadlines__due__lte=t.now)
    t.each("evaluated", _ids(rows), partial(_silence_one, t))


def _silence_one(t: _Tick, order: Order) -> int:
    due = _dues(order).get(K.EVALUATION)
    if order.state != S.REPLIED or due is None or due > t.now:
        return 0
    actions.order_evaluation_timeout(order=order.pk, user=t.user, at=t.now)
    return 1


# 4. progress reports on provisional close --------------------------------------------------------------

def progress_key(number: str, due: datetime) -> str:
    """The dedupe key of the progress-report request for one due time."""
    return f"progress:{number}:{timezone.localtime(due).isoformat()}"


def _progress_reports(t: _Tick) -> None:
    rows = OrderDeadline.objects.filter(kind=K.PROGRESS_REPORT, due__lte=t.now + t.lead,
                                        order__state=S.PROVISIONALLY_CLOSED)
    for batch in _batches(rows, ("order_id", "order__number", "due")):
        keys = {pk: progress_key(number, due) for pk, number, due in batch}
        sent = set(Notification.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
        t.each("progress_requested", [pk for pk, key in keys.items() if key not in sent], partial(_progress_one, t))


def _progress_one(t: _Tick, order: Order) -> int:
    due = _dues(order).get(K.PROGRESS_REPORT)
    if order.state != S.PROVISIONALLY_CLOSED or due is None or due > t.now + t.lead or order.lead_unit is None:
        return 0
    rule = rulebook.profile(order.profile).provisional_close
    when = "已于" if due <= t.now else "将于"
    text = (f"进展报送：临时办结工单 {order.number} 的工作进展{when} {_local(due)} 到期，"
            f"请及时报送办理进展（{rule.source}）。")
    made = notify.schedule(kind="progress_report_due", channel="unit_inbox", recipient=order.lead_unit.code,
                           order_number=order.number, text=text, dedupe_key=progress_key(order.number, due))
    return 1 if made is not None else 0


# 5. supervision ---------------------------------------------------------------------------------------------

def _supervise(t: _Tick) -> None:
    for name in _profiles_in(SUPERVISABLE):
        for trigger in auto_triggers(rulebook.profile(name)):
            raised = Event.objects.filter(order=OuterRef("pk"), action=Action.SUPERVISE, payload__trigger=trigger.code)
            rows = (Order.objects.filter(AUTO_TRIGGERS[trigger.code].query(), profile=name,
                                         state__in=_sorted(SUPERVISABLE))
                    .filter(~Exists(raised)))
            t.each("supervised", _ids(rows), partial(_supervise_one, t, trigger.code))


def _supervise_one(t: _Tick, code: str, order: Order) -> int:
    trigger = next((x for x in due_triggers(order, rulebook.profile(order.profile)) if x.code == code), None)
    if trigger is None:
        return 0
    actions.order_supervise(order=order.pk, user=t.user, trigger=code, note=f"系统自动督办：{trigger.label}", at=t.now)
    return 1


# 6. archive -------------------------------------------------------------------------------------------------

def settled(order: Order, profile: Profile) -> bool:
    """Nothing more can follow the evaluation, so the order may be archived without a person.

    Satisfied, basically satisfied, no evaluation, a dissatisfied evaluation screened out or exempted:
    at once. An upheld dissatisfied evaluation: at once where the profile has no exemption (after its
    supervision, step 5); where it has one (tianjin §25), only once an exemption was refused, else the
    hotline archives it by hand.
    """
    if order.state != S.EVALUATED:
        return False
    if order.evaluation != Evaluation.DISSATISFIED or order.screened_out or order.exempted:
        return True
    return not profile.exemption.enabled or order.events.filter(action=Action.REJECT_EXEMPTION).exists()


def _archive(t: _Tick) -> None:
    for name in _profiles_in({S.EVALUATED}):
        profile = rulebook.profile(name)
        if not profile.evaluation.auto_archive:
            continue
        done = (~Q(evaluation=Evaluation.DISSATISFIED) | Q(screened_out=True) | Q(exempted=True)
                | (Q(pk__isnull=False) if not profile.exemption.enabled
                   else Q(Exists(Event.objects.filter(order=OuterRef("pk"), action=Action.REJECT_EXEMPTION)))))
        rows = Order.objects.filter(done, profile=name, state=S.EVALUATED)
        t.each("archived", _ids(rows), partial(_archive_one, t))


def _archive_one(t: _Tick, order: Order) -> int:
    profile = rulebook.profile(order.profile)
    if not profile.evaluation.auto_archive or not settled(order, profile) or due_triggers(order, profile):
        return 0
    actions.order_archive(order=order.pk, user=t.user, note=f"系统自动归档（{profile.evaluation.source}）", at=t.now)
    return 1


# --- the face -------------------------------------------------------------------------------------------------

def remind_lead() -> timedelta:
    return timedelta(hours=float(getattr(settings, "HOTLINE_REMIND_BEFORE_HOURS", 24)))


def tick(now: datetime | None = None) -> dict[str, int]:
    """Carry out every automatic step due at ``now`` (default: the current time), once.

    Returns the counts per step (see STEPS), plus ``skipped`` (orders another worker held) and
    ``failed`` (orders whose step raised; logged, the others went on).
    """
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise InvalidInput("时间须带时区（例如 2026-03-05T10:00+08:00）",
                           "the time must carry its time zone (e.g. 2026-03-05T10:00+08:00)")
    t = _Tick(now, system_user(), remind_lead())
    for step in (_mark_overdue, _remind, _silence, _progress_reports, _supervise, _archive):
        step(t)
    if apps.is_installed("hotline.kb"):   # entries past their review interval go back to their unit (ziyang §17)
        from hotline.kb.services import kb_review_due

        t.counts["kb_review_due"] = kb_review_due(now)
    if apps.is_installed("hotline.assessment"):   # the assessment rollup: orders whose timeline grew (docs/assessment.md)
        from hotline.assessment.services import assessment_refresh

        t.counts["assessment_orders"] = assessment_refresh(now=now).orders
    if apps.is_installed("hotline.suggest"):   # the scheduled retrain of the suggestion models
        from hotline.suggest.services import suggest_retrain_if_due

        suggest_retrain_if_due(at=now)
    if apps.is_installed("hotline.analytics"):   # the dashboards' rollup takes in what changed (docs/analytics.md)
        from hotline.analytics.rollup import rollup_refresh

        rollup_refresh(now=now)
    if apps.is_installed("hotline.early_warning"):   # early warnings (ziyang §21, docs/early_warning.md)
        from hotline.early_warning.scan import warnings_tick

        try:
            warnings_tick(now)
        except Exception:  # a failed scan must not stop the tick; the next tick scans again
            log.exception("early warning scan failed at %s", now.isoformat())
    summary = {name: t.counts[name] for name in (*STEPS, "skipped", "failed")}
    log.info("tick at %s: %s", now.isoformat(), summary)
    return summary


def format_summary(summary: dict[str, int], now: datetime) -> str:
    """The summary as the ``tick`` and ``worker`` commands print it."""
    lines = [f"tick {timezone.localtime(now).isoformat(timespec='seconds')}"]
    lines += [f"  {LABELS.get(name, name)} {name}: {count}" for name, count in summary.items()]
    return "\n".join(lines)
