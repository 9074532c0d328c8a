"""THE lifecycle table of a work order: state × action → who, guards, next state, effects.

Nothing else in the platform decides whether an action is allowed or what state follows: services,
API and page buttons all ask :func:`apply` (to act) or :func:`allowed` (to show what can be done).

Reading a row::

    Row(State.SIGNED, Action.REQUEST_EXTENSION, State.EXTENSION_REQUESTED, UNIT,
        (own_order, extension_type_allowed, …), effect=_request_extension)

"a signed order may be sent for extension review by its unit's staff, if the profile's extension
rules allow it; the request is remembered so that approval or rejection resumes where it was".
Where one (state, action) has several rows, ``when`` picks the row (a dissatisfied evaluation goes
to screening, the others close the order). ``then`` names an action the system takes at once on the
new order (an order accepted in a supervised domain is supervised, ankang §31(8)); it goes through the
table like any other action and adds its own event to the outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

from hotline.rules import deadlines as dl
from hotline.rules import guards as g
from hotline.rules.calendar import WorkCalendar
from hotline.rules.errors import ActionNotAllowed, RoleNotAllowed, RuleError
from hotline.rules.guards import Context, Guard
from hotline.rules.order import SYSTEM, Action, CallbackOutcome, Command, Event, Inputs, Order, Outcome, State
from hotline.rules.periods import Period
from hotline.rules.profiles import Profile
from hotline.rules.vocabulary import AppealType, DeadlineKind, Evaluation, Role, Urgency

# --- who may act -----------------------------------------------------------------------------------
R = Role
INTAKE: Final = frozenset({R.OPERATOR, R.DISPATCHER})
HOTLINE: Final = frozenset({R.DISPATCHER, R.SUPERVISOR})
UNIT: Final = frozenset({R.UNIT_HANDLER, R.UNIT_LEADER})
CALLBACK: Final = frozenset({R.OPERATOR, R.REQUESTER, R.SYSTEM})
CALLERS: Final = frozenset({R.OPERATOR, R.SYSTEM})          # who calls the requester back (unreachable, declined)
SUPERVISION: Final = frozenset({R.SUPERVISOR, R.SYSTEM})
REMINDERS: Final = frozenset({R.DISPATCHER, R.SUPERVISOR, R.SYSTEM})
SYSTEM_ONLY: Final = frozenset({R.SYSTEM})
ARCHIVERS: Final = frozenset({R.SYSTEM, R.SUPERVISOR, R.OPERATOR, R.DISPATCHER})
SCREENERS: Final = frozenset({R.SUPERVISOR})


class _Resume:
    """Target of a review outcome: go back to the state the request was made in."""

    def __repr__(self) -> str:
        return "RESUME"


RESUME: Final = _Resume()

Changes = dict[str, Any]
Effect = Callable[[Context], tuple[Changes, dict[str, object]]]
Condition = Callable[[Context], bool]
#: an action the system takes at once after the row's own, on the new order (run through the table too)
FollowUp = Callable[[Context, Order], Command | None]


@dataclass(frozen=True)
class Row:
    state: State
    action: Action
    to: State | _Resume
    roles: frozenset[Role]
    guards: tuple[Guard, ...] = ()
    effect: Effect | None = None
    when: Condition | None = None
    then: FollowUp | None = None


# --- effects: what an accepted action changes --------------------------------------------------------

def _deadline(ctx: Context, kind: DeadlineKind, **kwargs: Any) -> dl.Deadline:
    o = ctx.order
    return dl.compute(ctx.profile, ctx.calendar, kind, o.appeal_type, ctx.command.at, o.urgency, **kwargs)


def _with(ctx: Context, *deadlines: dl.Deadline, drop: Iterable[DeadlineKind] = ()) -> dict[DeadlineKind, dl.Deadline]:
    merged = {k: v for k, v in ctx.order.deadlines.items() if k not in set(drop)}
    merged.update({d.kind: d for d in deadlines})
    return merged


def _late(ctx: Context, kind: DeadlineKind) -> bool:
    due = ctx.order.due(kind)
    return due is not None and ctx.command.at > due


def _accept(ctx: Context) -> tuple[Changes, dict[str, object]]:
    i = ctx.command.inputs
    received = ctx.order.received_at or ctx.command.at
    changes: Changes = {"received_at": received, "deadlines": _with(ctx, _deadline(ctx, DeadlineKind.DISPATCH))}
    if i.domain:
        changes["domain"] = i.domain
    if i.major_item:
        changes["major_item"] = True
    return changes, {"domain": i.domain, "major_item": i.major_item or None}


def _domain_supervision(ctx: Context, accepted: Order) -> Command | None:
    """ankang §31(8): an order in a domain a trigger lists is put under supervision as it is accepted."""
    trigger = ctx.profile.domain_trigger(accepted.domain)
    if trigger is None or accepted.supervised:
        return None
    return Command(Action.SUPERVISE, SYSTEM, ctx.command.at,
                   Inputs(trigger=trigger.code, note=f"domain {accepted.domain} (accepted by {ctx.command.actor.id})"))


def _decline(ctx: Context) -> tuple[Changes, dict[str, object]]:
    reason = ctx.profile.decline_reason(ctx.command.inputs.decline_code)
    assert reason is not None  # checked by the guard
    return {}, {"decline_code": reason.code, "label": reason.label, "refer_to": reason.refer_to,
                "transfer_call": reason.transfer_call, "earlier_order": ctx.command.inputs.earlier_order.strip()}


def _dispatch(ctx: Context) -> tuple[Changes, dict[str, object]]:
    inputs, profile = ctx.command.inputs, ctx.profile
    limit = inputs.handling_limit
    steps = [_deadline(ctx, DeadlineKind.RETURN)]
    if profile.sign is not None:
        steps.append(_deadline(ctx, DeadlineKind.SIGN))
    if limit is not None and ctx.order.urgency is Urgency.NORMAL:
        source = profile.handle[ctx.order.appeal_type].source
        basis = f" ({inputs.basis.strip()})" if inputs.basis.strip() else ""
        steps.append(_deadline(ctx, DeadlineKind.HANDLE, period=limit, rule=source,
                               note=f"handle limit set on the order: {limit}{basis} — {source}"))
    else:
        steps.append(_deadline(ctx, DeadlineKind.HANDLE))
    if ctx.order.urgency is not Urgency.NORMAL:
        steps.append(_deadline(ctx, DeadlineKind.FIRST_RESPONSE))
    designated = inputs.designated or ctx.command.action is Action.DESIGNATE_UNIT
    major = ctx.order.major_item or inputs.major_item
    changes: Changes = {
        "lead_unit": inputs.unit, "co_units": tuple(inputs.co_units), "executing_unit": None,
        "designated": designated, "handling_limit": limit, "first_responded": False, "signed_late": False,
        "late_return": False, "return_rejected": False, "deadlines": _with(ctx, *steps),
        "overdue_steps": tuple(s for s in ctx.order.overdue_steps if s not in _UNIT_STEPS),
        "major_item": major, "leader_approved": ctx.order.leader_approved or (major and inputs.leader_approved),
    }
    return changes, {"unit": inputs.unit, "co_units": list(inputs.co_units), "designated": designated,
                     "note": inputs.note,
                     "late": _late(ctx, DeadlineKind.DISPATCH),
                     "handling_limit": str(limit) if limit else None,
                     "handling_limit_basis": inputs.basis if limit else None,
                     "major_item": major or None, "leader_approved": (major and inputs.leader_approved) or None}


def _sign(ctx: Context) -> tuple[Changes, dict[str, object]]:
    late = _late(ctx, DeadlineKind.SIGN)
    return {"signed_late": late}, {"late": late}


def _first_response(ctx: Context) -> tuple[Changes, dict[str, object]]:
    return {"first_responded": True}, {"late": _late(ctx, DeadlineKind.FIRST_RESPONSE), "note": ctx.command.inputs.note}


def _delegate(ctx: Context) -> tuple[Changes, dict[str, object]]:
    return {"executing_unit": ctx.command.inputs.unit}, {"executing_unit": ctx.command.inputs.unit}


def _note(ctx: Context) -> tuple[Changes, dict[str, object]]:
    return {}, {"note": ctx.command.inputs.note}


def _remember(ctx: Context) -> Changes:
    return {"resume_state": ctx.order.state}


def _request_return(ctx: Context) -> tuple[Changes, dict[str, object]]:
    i = ctx.command.inputs
    late = g.return_late(ctx)
    changes = {**_remember(ctx), "late_return": late}
    return changes, {"reason": i.reason, "basis": i.basis, "suggested_unit": i.suggested_unit, "evidence": i.evidence,
                     "leader_confirmed": i.leader_confirmed or ctx.command.actor.role is Role.UNIT_LEADER,
                     "complex_item": i.complex_item, "late": late}


_UNIT_STEPS = (DeadlineKind.SIGN, DeadlineKind.RETURN, DeadlineKind.HANDLE, DeadlineKind.FIRST_RESPONSE)


def _approve_return(ctx: Context) -> tuple[Changes, dict[str, object]]:
    o = ctx.order
    changes: Changes = {
        "returns": o.returns + 1, "returned_by": (*o.returned_by, o.lead_unit or ""), "lead_unit": None,
        "co_units": (), "executing_unit": None, "resume_state": None, "designated": False,
        "return_rejected": False, "leader_approved": False,   # a new unit: a new proposal to approve (heyuan §12)
        "deadlines": _with(ctx, _deadline(ctx, DeadlineKind.DISPATCH), drop=_UNIT_STEPS),
        "overdue_steps": tuple(s for s in o.overdue_steps if s not in _UNIT_STEPS),   # the next unit starts afresh
    }
    escalate = g.escalation_due(ctx)
    payload: dict[str, object] = {"returned_by": o.lead_unit, "returns": o.returns + 1, "note": ctx.command.inputs.note}
    if escalate and ctx.profile.return_escalation is not None:
        payload["escalated_to"] = ctx.profile.return_escalation.decided_by
    return changes, payload


def _reject_return(ctx: Context) -> tuple[Changes, dict[str, object]]:
    must_handle = ctx.profile.return_review.rejected_unit_must_handle
    return {"resume_state": None, "return_rejected": must_handle}, {
        "first_receiver_must_handle": must_handle, "note": ctx.command.inputs.note,
        "implied_sign": ctx.order.resume_state is State.DISPATCHED}


def _request_extension(ctx: Context) -> tuple[Changes, dict[str, object]]:
    length = g.requested_length(ctx)
    return {**_remember(ctx), "pending_length": length}, {"length": str(length), "reason": ctx.command.inputs.reason}


def _approve_extension(ctx: Context) -> tuple[Changes, dict[str, object]]:
    o = ctx.order
    length: Period = ctx.command.inputs.length or o.pending_length or g.handling_period(ctx)
    current = o.deadlines[DeadlineKind.HANDLE]
    number = o.extensions + 1
    rule = ctx.profile.extension
    of = "no limit on their number" if rule.max_count == "unlimited" else f"of {rule.max_count}"
    extended = dl.compute(ctx.profile, ctx.calendar, DeadlineKind.HANDLE, o.appeal_type, current.due, o.urgency,
                          period=length, rule=rule.source,
                          note=f"extension {number} ({of}): +{length} from the previous due time "
                               f"{current.due:%Y-%m-%d %H:%M} — {rule.source}")
    changes = {"extensions": number, "pending_length": None, "resume_state": None,
               "deadlines": _with(ctx, replace(extended, start=current.start))}
    return changes, {"length": str(length), "due": extended.due.isoformat(),
                     "explain_to_requester": ctx.profile.extension.explain_to_requester}


def _reject_request(ctx: Context) -> tuple[Changes, dict[str, object]]:
    return {"pending_length": None, "resume_state": None}, {"note": ctx.command.inputs.note}


def _request_provisional_close(ctx: Context) -> tuple[Changes, dict[str, object]]:
    i = ctx.command.inputs
    return _remember(ctx), {"reason": i.reason, "progress": i.progress, "next_steps": i.next_steps,
                            "promised_date": i.promised_date,
                            "leader_confirmed": i.leader_confirmed or ctx.command.actor.role is Role.UNIT_LEADER}


def _progress_deadline(ctx: Context) -> tuple[Changes, dict[str, object]]:
    rule = ctx.profile.provisional_close
    payload: dict[str, object] = {"progress": ctx.command.inputs.progress}
    if ctx.command.action is Action.APPROVE_PROVISIONAL_CLOSE:
        payload.update(confirmed_by=rule.approval_confirmed_by, note=ctx.command.inputs.note)
    if rule.progress_interval is None:   # no progress reports are due (xixian §9(3))
        return {"resume_state": None}, payload
    report = _deadline(ctx, DeadlineKind.PROGRESS_REPORT)
    return ({"resume_state": None, "deadlines": _with(ctx, report)}, {**payload, "next_report_due": report.due.isoformat()})


def _reply(ctx: Context) -> tuple[Changes, dict[str, object]]:
    late = _late(ctx, DeadlineKind.HANDLE)
    callback, silence = _deadline(ctx, DeadlineKind.CALLBACK), _deadline(ctx, DeadlineKind.EVALUATION)
    reply = {k.value: v for k, v in ctx.command.inputs.reply.items()}
    return ({"deadlines": _with(ctx, callback, silence, drop=(DeadlineKind.PROGRESS_REPORT,)), "callback_attempts": 0,
             "callback_outcome": None},
            {"reply": reply, "late": late, "by_unit": ctx.command.actor.unit})


# The callback (回访): every way it ends is stored on the order (``callback_outcome``, ``contacted``,
# ``resolved``, ``evaluation``) and in its event's payload under the same names; docs/design.md,
# "Callback answers", says how the assessment reads them.
_NO_ANSWERS: Changes = {"contacted": None, "resolved": None}


def _callback_failure(ctx: Context) -> tuple[Changes, dict[str, object]]:
    """无法接通: counted; the order keeps waiting, and its silence window keeps running."""
    attempts = ctx.order.callback_attempts + 1
    return ({"callback_attempts": attempts, "callback_outcome": CallbackOutcome.UNREACHABLE},
            {"outcome": CallbackOutcome.UNREACHABLE.value, "attempt": attempts, "note": ctx.command.inputs.note})


def _callback_declined(ctx: Context) -> tuple[Changes, dict[str, object]]:
    """拒绝评价: reached, but would not answer. No evaluation (``none``): the order closes and can be archived;
    the assessment leaves it out of the valid callbacks."""
    return ({**_NO_ANSWERS, "evaluation": Evaluation.NONE, "callback_outcome": CallbackOutcome.DECLINED},
            {"outcome": CallbackOutcome.DECLINED.value, "evaluation": Evaluation.NONE.value,
             "callback_attempts": ctx.order.callback_attempts, "note": ctx.command.inputs.note})


def _evaluate(ctx: Context) -> tuple[Changes, dict[str, object]]:
    i = ctx.command.inputs
    changes: Changes = {"evaluation": i.evaluation, "contacted": i.contacted, "resolved": i.resolved,
                        "callback_outcome": CallbackOutcome.ANSWERED}
    return changes, {"outcome": CallbackOutcome.ANSWERED.value, "evaluation": i.evaluation.value if i.evaluation else None,
                     "contacted": i.contacted, "resolved": i.resolved, "callback_attempts": ctx.order.callback_attempts,
                     "note": i.note}


def _silence(ctx: Context) -> tuple[Changes, dict[str, object]]:
    """逾期未评价: what silence counts as is the profile's (ziyang §14(1): basically satisfied)."""
    rule = ctx.profile.evaluation
    return ({**_NO_ANSWERS, "evaluation": rule.silence_counts_as, "callback_outcome": CallbackOutcome.SILENT},
            {"outcome": CallbackOutcome.SILENT.value, "evaluation": rule.silence_counts_as.value,
             "callback_attempts": ctx.order.callback_attempts, "auto_archive": rule.auto_archive})


def _redo(ctx: Context) -> tuple[Changes, dict[str, object]]:
    o = ctx.order
    if o.handling_limit is not None and o.urgency is Urgency.NORMAL:
        period, source = o.handling_limit, "order"
    else:
        period, source = dl.period_for(ctx.profile, DeadlineKind.HANDLE, o.appeal_type, o.urgency)
    handle = _deadline(ctx, DeadlineKind.HANDLE, period=period, rule=ctx.profile.redo.source,
                       note=f"redo {o.redos + 1}: the handling limit {period} ({source}) runs again from the redo "
                            f"— {ctx.profile.redo.source}")
    restarted = (DeadlineKind.HANDLE, DeadlineKind.CALLBACK, DeadlineKind.EVALUATION)
    changes = {"redos": o.redos + 1, "evaluation": None, **_NO_ANSWERS, "callback_outcome": None,
               "deadlines": _with(ctx, handle, drop=(DeadlineKind.CALLBACK, DeadlineKind.EVALUATION)),
               "overdue_steps": tuple(s for s in o.overdue_steps if s not in restarted)}
    return changes, {"redo": o.redos + 1, "due": handle.due.isoformat(), "note": ctx.command.inputs.note}


def _screen_out(ctx: Context) -> tuple[Changes, dict[str, object]]:
    return {"screened_out": True}, {"note": ctx.command.inputs.note}


def _exempt(ctx: Context) -> tuple[Changes, dict[str, object]]:
    return {"exempted": True, "resume_state": None}, {"note": ctx.command.inputs.note}


def _request_exemption(ctx: Context) -> tuple[Changes, dict[str, object]]:
    return _remember(ctx), {"evidence": ctx.command.inputs.evidence, "reason": ctx.command.inputs.reason}


def _request_termination(ctx: Context) -> tuple[Changes, dict[str, object]]:
    i = ctx.command.inputs
    return _remember(ctx), {"written_opinion": i.written_opinion, "evidence": i.evidence, "answer_script": i.answer_script}


def _clear_resume(ctx: Context) -> tuple[Changes, dict[str, object]]:
    return {"resume_state": None}, {"note": ctx.command.inputs.note}


def _phone_alert(ctx: Context) -> tuple[Changes, dict[str, object]]:
    return {"phone_alerted": True}, {"note": ctx.command.inputs.note}


def _leader_approval(ctx: Context) -> tuple[Changes, dict[str, object]]:
    rule = ctx.profile.major_items
    return ({"major_item": True, "leader_approved": True},
            {"approver": rule.approver if rule else None, "note": ctx.command.inputs.note})


def _remind(ctx: Context) -> tuple[Changes, dict[str, object]]:
    return {"reminders": ctx.order.reminders + 1}, {"note": ctx.command.inputs.note}


def _supervise(ctx: Context) -> tuple[Changes, dict[str, object]]:
    trigger = ctx.profile.trigger(ctx.command.inputs.trigger)
    assert trigger is not None  # checked by the guard
    return {"supervised": True}, {"trigger": trigger.code, "label": trigger.label, "note": ctx.command.inputs.note}


def _mark_overdue(ctx: Context) -> tuple[Changes, dict[str, object]]:
    steps = tuple(dict.fromkeys((*ctx.order.overdue_steps, *ctx.command.inputs.steps)))
    return {"overdue_steps": steps}, {"steps": [s.value for s in ctx.command.inputs.steps]}


def _merge(ctx: Context) -> tuple[Changes, dict[str, object]]:
    return {}, {"merged_into": ctx.command.inputs.merged_into}


def _answer_from_termination(ctx: Context) -> tuple[Changes, dict[str, object]]:
    return {}, {"terminated_order": ctx.command.inputs.terminated_order, "note": ctx.command.inputs.note}


# --- THE table -----------------------------------------------------------------------------------

S, A = State, Action
_IN_HAND = (S.ACCEPTED, S.DISPATCHED, S.SIGNED, S.RETURN_REQUESTED, S.DISPUTED, S.EXTENSION_REQUESTED,
            S.PROVISIONAL_CLOSE_REQUESTED, S.PROVISIONALLY_CLOSED, S.REDO)
_UNIT_HANDLING = (S.DISPATCHED, S.SIGNED, S.EXTENSION_REQUESTED, S.PROVISIONALLY_CLOSED, S.REDO)
_SUPERVISABLE = (*_IN_HAND, S.REPLIED, S.SCREENING, S.EVALUATED)
_CLOSED_FOR_ARCHIVE = (S.DECLINED, S.ANSWERED, S.EVALUATED, S.TERMINATED, S.MERGED)
_UNIT_CLAIMS = (g.own_order,)

TABLE: tuple[Row, ...] = (
    # intake
    Row(S.RECEIVED, A.ACCEPT, S.ACCEPTED, INTAKE, (g.appeal_type_accepted,), _accept, then=_domain_supervision),
    Row(S.RECEIVED, A.DECLINE, S.DECLINED, INTAKE, (g.decline_reason_known,), _decline),
    Row(S.RECEIVED, A.ANSWER_DIRECTLY, S.ANSWERED, INTAKE, (g.appeal_type_accepted,), _note),
    Row(S.RECEIVED, A.ANSWER_FROM_TERMINATION, S.ANSWERED, INTAKE, (g.terminated_matter_answered,), _answer_from_termination),
    # dispatch
    Row(S.ACCEPTED, A.RECORD_PHONE_ALERT, S.ACCEPTED, HOTLINE | INTAKE, (), _phone_alert),
    Row(S.ACCEPTED, A.RECORD_LEADER_APPROVAL, S.ACCEPTED, HOTLINE, (g.leader_approval_provided,), _leader_approval),
    Row(S.ACCEPTED, A.DISPATCH, S.DISPATCHED, HOTLINE,
        (g.unit_named, g.one_order_per_unit, g.phone_alert_first, g.leader_approval, g.handling_limit_required,
         g.handling_limit_settable), _dispatch),
    Row(S.ACCEPTED, A.MERGE, S.MERGED, HOTLINE, (g.merged_into_given,), _merge),
    Row(S.DISPATCHED, A.MERGE, S.MERGED, HOTLINE, (g.merged_into_given,), _merge),
    Row(S.SIGNED, A.MERGE, S.MERGED, HOTLINE, (g.merged_into_given,), _merge),
    # the unit receives it
    Row(S.DISPATCHED, A.SIGN, S.SIGNED, UNIT, _UNIT_CLAIMS, _sign),
    Row(S.DISPATCHED, A.FIRST_RESPONSE, S.DISPATCHED, UNIT, (*_UNIT_CLAIMS, g.first_response_urgent), _first_response),
    Row(S.SIGNED, A.FIRST_RESPONSE, S.SIGNED, UNIT, (*_UNIT_CLAIMS, g.first_response_urgent), _first_response),
    Row(S.SIGNED, A.DELEGATE, S.SIGNED, UNIT, (*_UNIT_CLAIMS, g.delegate_allowed), _delegate),
    Row(S.SIGNED, A.CO_HANDLE, S.SIGNED, UNIT, (g.co_unit_only,), _note),
    Row(S.REDO, A.CO_HANDLE, S.REDO, UNIT, (g.co_unit_only,), _note),
    # return (退单) and its review
    *(Row(state, A.REQUEST_RETURN, S.RETURN_REQUESTED, UNIT,
          (*_UNIT_CLAIMS, g.designated_may_not_return, g.return_not_rejected_before, g.return_window,
           g.return_requirements), _request_return)
      for state in (S.DISPATCHED, S.SIGNED)),
    Row(S.RETURN_REQUESTED, A.APPROVE_RETURN, S.DISPUTED, HOTLINE, (g.review_rule, g.escalation_rule), _approve_return,
        when=g.escalation_due),
    Row(S.RETURN_REQUESTED, A.APPROVE_RETURN, S.ACCEPTED, HOTLINE, (g.review_rule,), _approve_return),
    Row(S.RETURN_REQUESTED, A.REJECT_RETURN, S.SIGNED, HOTLINE, (g.review_rule,), _reject_return),
    Row(S.DISPUTED, A.DESIGNATE_UNIT, S.DISPATCHED, HOTLINE,
        (g.unit_given, g.escalation_rule, g.one_order_per_unit, g.handling_limit_required, g.handling_limit_settable),
        _dispatch),
    # extension (延期)
    *(Row(state, A.REQUEST_EXTENSION, S.EXTENSION_REQUESTED, UNIT,
          (*_UNIT_CLAIMS, g.extension_type_allowed, g.extension_not_in_redo, g.extension_count, g.extension_timing,
           g.extension_length, g.extension_total), _request_extension)
      for state in (S.SIGNED, S.REDO)),
    Row(S.EXTENSION_REQUESTED, A.APPROVE_EXTENSION, RESUME, HOTLINE,
        (g.extension_length_fixed, g.approved_length_within_request), _approve_extension),
    Row(S.EXTENSION_REQUESTED, A.REJECT_EXTENSION, RESUME, HOTLINE, (), _reject_request),
    # provisional close (临时办结)
    Row(S.SIGNED, A.REQUEST_PROVISIONAL_CLOSE, S.PROVISIONAL_CLOSE_REQUESTED, UNIT,
        (*_UNIT_CLAIMS, g.provisional_close_allowed), _request_provisional_close),
    Row(S.PROVISIONAL_CLOSE_REQUESTED, A.APPROVE_PROVISIONAL_CLOSE, S.PROVISIONALLY_CLOSED, HOTLINE,
        (g.provisional_close_confirmed,), _progress_deadline),
    Row(S.PROVISIONAL_CLOSE_REQUESTED, A.REJECT_PROVISIONAL_CLOSE, RESUME, HOTLINE, (), _reject_request),
    Row(S.PROVISIONALLY_CLOSED, A.REPORT_PROGRESS, S.PROVISIONALLY_CLOSED, UNIT, (*_UNIT_CLAIMS, g.progress_given),
        _progress_deadline),
    # reply (办结答复)
    *(Row(state, A.REPLY, S.REPLIED, UNIT, (g.lead_replies, *_UNIT_CLAIMS, g.reply_elements), _reply)
      for state in (S.SIGNED, S.REDO, S.PROVISIONALLY_CLOSED)),
    # callback and evaluation (回访、评价)
    Row(S.REPLIED, A.RECORD_CALLBACK_FAILURE, S.REPLIED, CALLBACK, (), _callback_failure),
    Row(S.REPLIED, A.RECORD_CALLBACK_DECLINED, S.EVALUATED, CALLERS, (g.evaluation_rule,), _callback_declined),
    Row(S.REPLIED, A.EVALUATE, S.SCREENING, CALLBACK, (g.evaluation_option, g.callback_answers), _evaluate,
        when=g.is_dissatisfied),
    Row(S.REPLIED, A.EVALUATE, S.EVALUATED, CALLBACK, (g.evaluation_option, g.callback_answers), _evaluate),
    Row(S.REPLIED, A.EVALUATION_TIMEOUT, S.EVALUATED, SYSTEM_ONLY, (g.silence_window_passed,), _silence),
    # screening (甄别) of a dissatisfied evaluation, redo (重办)
    Row(S.SCREENING, A.REDO, S.REDO, SCREENERS, (g.redo_count,), _redo),
    Row(S.SCREENING, A.SCREEN_OUT, S.EVALUATED, SCREENERS, (g.screening_enabled,), _screen_out),
    Row(S.SCREENING, A.UPHOLD_DISSATISFIED, S.EVALUATED, SCREENERS, (), _note),
    # exemption (豁免)
    Row(S.EVALUATED, A.REQUEST_EXEMPTION, S.EXEMPTION_REQUESTED, UNIT, (*_UNIT_CLAIMS, g.exemption_allowed),
        _request_exemption),
    Row(S.EXEMPTION_REQUESTED, A.APPROVE_EXEMPTION, S.EVALUATED, HOTLINE, (), _exempt),
    Row(S.EXEMPTION_REQUESTED, A.REJECT_EXEMPTION, S.EVALUATED, HOTLINE, (), _clear_resume),
    # termination (终结)
    *(Row(state, A.REQUEST_TERMINATION, S.TERMINATION_REQUESTED, UNIT, (*_UNIT_CLAIMS, g.termination_allowed),
          _request_termination)
      for state in (S.SIGNED, S.REDO, S.SCREENING, S.EVALUATED)),
    Row(S.TERMINATION_REQUESTED, A.APPROVE_TERMINATION, S.TERMINATED, HOTLINE, (), _clear_resume),
    Row(S.TERMINATION_REQUESTED, A.REJECT_TERMINATION, RESUME, HOTLINE, (), _clear_resume),
    # supervision, reminders, overdue marks: the order stays where it is
    *(Row(state, A.REMIND, state, REMINDERS, (), _remind) for state in _UNIT_HANDLING),
    *(Row(state, A.SUPERVISE, state, SUPERVISION, (g.trigger_known,), _supervise) for state in _SUPERVISABLE),
    *(Row(state, A.MARK_OVERDUE, state, SYSTEM_ONLY, (g.steps_overdue,), _mark_overdue)
      for state in (*_IN_HAND, S.REPLIED)),
    # archive (归档)
    *(Row(state, A.ARCHIVE, S.ARCHIVED, ARCHIVERS, (), _note) for state in _CLOSED_FOR_ARCHIVE),
)

_BY_KEY: Mapping[tuple[State, Action], tuple[Row, ...]] = {
    key: tuple(r for r in TABLE if (r.state, r.action) == key) for key in {(r.state, r.action) for r in TABLE}
}


def rows(state: State, action: Action) -> tuple[Row, ...]:
    return _BY_KEY.get((state, action), ())


def targets(state: State, action: Action) -> set[State | _Resume]:
    """Every state the table allows (state, action) to lead to."""
    return {r.to for r in rows(state, action)}


def actions_from(state: State) -> list[Action]:
    return [a for a in Action if (state, a) in _BY_KEY]


def _pick(ctx: Context) -> Row:
    state, action = ctx.order.state, ctx.command.action
    candidates = rows(state, action)
    if not candidates:
        raise ActionNotAllowed(f"工单处于“{state.zh}”状态，不能{action.zh}",
                               f"an order in state {state.value} cannot take action {action.value}")
    for row in candidates:
        if row.when is None or row.when(ctx):
            return row
    raise ActionNotAllowed(f"工单处于“{state.zh}”状态，不能{action.zh}",  # pragma: no cover - tables end with a default
                           f"an order in state {state.value} cannot take action {action.value}")


def check(profile: Profile, calendar: WorkCalendar, order: Order, command: Command) -> tuple[Row, tuple[str, ...]]:
    """Run the row's role check and guards; return the row and the rules applied. Raises on refusal."""
    if order.profile != profile.name:
        raise RuleError(f"工单按“{order.profile}”规则受理，不能按“{profile.name}”规则处理",
                        f"the order was accepted under profile {order.profile}, not {profile.name}", code="profile_mismatch")
    ctx = Context(profile, calendar, order, command)
    row = _pick(ctx)
    if command.actor.role not in row.roles:
        who = "、".join(r.zh for r in sorted(row.roles))
        raise RoleNotAllowed(f"{command.actor.role.zh}不能{command.action.zh}（可由{who}办理）",
                             f"role {command.actor.role.value} may not {command.action.value}")
    rules = tuple(dict.fromkeys(source for guard in row.guards if (source := guard(ctx)) is not None))
    return row, rules


def apply(profile: Profile, calendar: WorkCalendar, order: Order, command: Command) -> Outcome:
    """Carry out ``command`` on ``order`` if the table and the profile allow it.

    Returns the new order and the events to store. Raises a :class:`RuleError` (and changes nothing)
    when the action is not allowed.
    """
    row, rules = check(profile, calendar, order, command)
    ctx = Context(profile, calendar, order, command)
    changes, payload = row.effect(ctx) if row.effect else ({}, {})
    target = (order.resume_state or State.SIGNED) if isinstance(row.to, _Resume) else row.to
    new = replace(order, **changes, state=target)
    rules = tuple(dict.fromkeys((*rules, *_deadline_rules(order, new))))
    event = Event(command.action, command.actor, command.at, order.state, target, rules,
                  {k: v for k, v in payload.items() if v not in (None, "", [], {})})
    follow = row.then(ctx, new) if row.then else None
    if follow is None:
        return Outcome(new, (event,))
    then = apply(profile, calendar, new, follow)   # through the table like any action: its guards, its event
    return Outcome(then.order, (event, *then.events))


def _deadline_rules(old: Order, new: Order) -> list[str]:
    return [d.rule for k, d in new.deadlines.items() if old.deadlines.get(k) is not d]


def allowed(profile: Profile, calendar: WorkCalendar, order: Order, command: Command) -> RuleError | None:
    """None if ``command`` would be accepted, else the error it would raise (for disabled buttons)."""
    try:
        check(profile, calendar, order, command)
    except RuleError as exc:
        return exc
    return None


def new_order(profile: Profile, appeal_type: AppealType | str, urgency: Urgency | str = Urgency.NORMAL) -> Order:
    """An order just registered at intake (state ``received``) under ``profile``."""
    return Order(profile=profile.name, appeal_type=AppealType(appeal_type), urgency=Urgency(urgency))
