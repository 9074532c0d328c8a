"""One service per lifecycle action, keyword-only, named ``order_<action>``.

Each builds the action's inputs and calls :func:`order_act`; the lifecycle table decides the rest.
The API and the pages call these, never ``order_act`` with a raw action.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from hotline.directory.models import User
from hotline.orders.models import Order
from hotline.orders.services.transition import order_act
from hotline.rules.errors import InvalidInput
from hotline.rules.order import Action, Inputs
from hotline.rules.periods import Period
from hotline.rules.vocabulary import DeadlineKind, Evaluation, ReplyElement

__all__ = [
    "order_accept", "order_answer_directly", "order_answer_from_termination", "order_approve_exemption", "order_approve_extension",
    "order_approve_provisional_close", "order_approve_return", "order_approve_termination", "order_archive",
    "order_co_handle", "order_decline", "order_delegate", "order_designate_unit", "order_dispatch",
    "order_evaluate", "order_evaluation_timeout", "order_first_response", "order_mark_overdue", "order_merge",
    "order_record_callback_declined", "order_record_callback_failure", "order_record_leader_approval", "order_record_phone_alert", "order_redo", "order_reject_exemption",
    "order_reject_extension", "order_reject_provisional_close", "order_reject_return", "order_reject_termination",
    "order_remind", "order_reply", "order_report_progress", "order_request_exemption", "order_request_extension",
    "order_request_provisional_close", "order_request_return", "order_request_termination", "order_screen_out",
    "order_sign", "order_supervise", "order_uphold_dissatisfied", "period_or_none", "ACTION_SERVICES",
]


def period_or_none(text: str | None, field: str) -> Period | None:
    if not text:
        return None
    try:
        return Period.parse(text)
    except InvalidInput as exc:
        raise InvalidInput(f"{field}：{exc.message_zh}", f"{field}: {exc.message_en}") from None


def _act(action: Action, order: int, user: User, at: datetime | None, **inputs: object) -> Order:
    return order_act(order_id=order, user=user, action=action, inputs=Inputs(**inputs), at=at)  # type: ignore[arg-type]


def order_accept(*, order: int, user: User, domain: str = "", major_item: bool = False, note: str = "",
                 at: datetime | None = None) -> Order:
    """Accept an appeal registered online (portal, Open311) after the operator checked it."""
    return _act(Action.ACCEPT, order, user, at, domain=domain, major_item=major_item, note=note)


def order_decline(*, order: int, user: User, decline_code: str, earlier_order: str = "", note: str = "",
                  at: datetime | None = None) -> Order:
    return _act(Action.DECLINE, order, user, at, decline_code=decline_code, earlier_order=earlier_order, note=note)


def order_answer_directly(*, order: int, user: User, note: str = "", at: datetime | None = None) -> Order:
    return _act(Action.ANSWER_DIRECTLY, order, user, at, note=note)


def order_answer_from_termination(*, order: int, user: User, terminated_order: str, note: str = "",
                                  at: datetime | None = None) -> Order:
    return _act(Action.ANSWER_FROM_TERMINATION, order, user, at, terminated_order=terminated_order, note=note)


def order_record_phone_alert(*, order: int, user: User, note: str = "", at: datetime | None = None) -> Order:
    return _act(Action.RECORD_PHONE_ALERT, order, user, at, note=note)


def order_record_leader_approval(*, order: int, user: User, note: str = "", at: datetime | None = None) -> Order:
    return _act(Action.RECORD_LEADER_APPROVAL, order, user, at, note=note)


def order_dispatch(*, order: int, user: User, unit: str, co_units: Sequence[str] = (), designated: bool = False,
                   handling_limit: str | None = None, basis: str = "", leader_approved: bool = False, note: str = "",
                   at: datetime | None = None) -> Order:
    return _act(Action.DISPATCH, order, user, at, unit=unit, co_units=tuple(co_units), designated=designated,
                handling_limit=period_or_none(handling_limit, "handling_limit"), basis=basis,
                leader_approved=leader_approved, note=note)


def order_merge(*, order: int, user: User, merged_into: str, note: str = "", at: datetime | None = None) -> Order:
    return _act(Action.MERGE, order, user, at, merged_into=merged_into, note=note)


def order_sign(*, order: int, user: User, at: datetime | None = None) -> Order:
    return _act(Action.SIGN, order, user, at)


def order_first_response(*, order: int, user: User, note: str, at: datetime | None = None) -> Order:
    return _act(Action.FIRST_RESPONSE, order, user, at, note=note)


def order_delegate(*, order: int, user: User, unit: str, note: str = "", at: datetime | None = None) -> Order:
    return _act(Action.DELEGATE, order, user, at, unit=unit, note=note)


def order_co_handle(*, order: int, user: User, note: str, at: datetime | None = None) -> Order:
    return _act(Action.CO_HANDLE, order, user, at, note=note)


def order_request_return(*, order: int, user: User, reason: str, basis: str = "", suggested_unit: str = "",
                         evidence: str = "", leader_confirmed: bool = False, complex_item: bool = False,
                         national_platform_item: bool = False, at: datetime | None = None) -> Order:
    return _act(Action.REQUEST_RETURN, order, user, at, reason=reason, basis=basis, suggested_unit=suggested_unit,
                evidence=evidence, leader_confirmed=leader_confirmed, complex_item=complex_item,
                national_platform_item=national_platform_item)


def order_approve_return(*, order: int, user: User, note: str = "", at: datetime | None = None) -> Order:
    return _act(Action.APPROVE_RETURN, order, user, at, note=note)


def order_reject_return(*, order: int, user: User, note: str = "", at: datetime | None = None) -> Order:
    return _act(Action.REJECT_RETURN, order, user, at, note=note)


def order_designate_unit(*, order: int, user: User, unit: str, co_units: Sequence[str] = (), note: str = "",
                         at: datetime | None = None) -> Order:
    return _act(Action.DESIGNATE_UNIT, order, user, at, unit=unit, co_units=tuple(co_units), designated=True, note=note)


def order_request_extension(*, order: int, user: User, reason: str, length: str | None = None,
                            at: datetime | None = None) -> Order:
    return _act(Action.REQUEST_EXTENSION, order, user, at, reason=reason, length=period_or_none(length, "length"))


def order_approve_extension(*, order: int, user: User, length: str | None = None, note: str = "",
                            at: datetime | None = None) -> Order:
    return _act(Action.APPROVE_EXTENSION, order, user, at, length=period_or_none(length, "length"), note=note)


def order_reject_extension(*, order: int, user: User, note: str = "", at: datetime | None = None) -> Order:
    return _act(Action.REJECT_EXTENSION, order, user, at, note=note)


def order_request_provisional_close(*, order: int, user: User, progress: str, next_steps: str = "",
                                    promised_date: str = "", leader_confirmed: bool = False,
                                    at: datetime | None = None) -> Order:
    return _act(Action.REQUEST_PROVISIONAL_CLOSE, order, user, at, progress=progress, next_steps=next_steps,
                promised_date=promised_date, leader_confirmed=leader_confirmed)


def order_approve_provisional_close(*, order: int, user: User, note: str = "", at: datetime | None = None) -> Order:
    return _act(Action.APPROVE_PROVISIONAL_CLOSE, order, user, at, note=note)


def order_reject_provisional_close(*, order: int, user: User, note: str = "", at: datetime | None = None) -> Order:
    return _act(Action.REJECT_PROVISIONAL_CLOSE, order, user, at, note=note)


def order_report_progress(*, order: int, user: User, progress: str, at: datetime | None = None) -> Order:
    return _act(Action.REPORT_PROGRESS, order, user, at, progress=progress)


def order_reply(*, order: int, user: User, reply: Mapping[str, str], requester_has_contact: bool = True,
                at: datetime | None = None) -> Order:
    try:
        elements = {ReplyElement(k): v for k, v in reply.items()}
    except ValueError:
        names = "、".join(e.value for e in ReplyElement)
        raise InvalidInput(f"答复要素只能是：{names}", f"reply elements are: {names}") from None
    return _act(Action.REPLY, order, user, at, reply=elements, requester_has_contact=requester_has_contact)


def order_record_callback_failure(*, order: int, user: User, note: str = "", at: datetime | None = None) -> Order:
    """无法接通: counted on the order; it keeps waiting for the callback until the silence window ends."""
    return _act(Action.RECORD_CALLBACK_FAILURE, order, user, at, note=note)


def order_record_callback_declined(*, order: int, user: User, note: str = "", at: datetime | None = None) -> Order:
    """拒绝评价: the requester was reached but would not answer; the order closes without an evaluation."""
    return _act(Action.RECORD_CALLBACK_DECLINED, order, user, at, note=note)


def order_evaluate(*, order: int, user: User, evaluation: str, contacted: bool | None = None,
                   resolved: bool | None = None, note: str = "", at: datetime | None = None) -> Order:
    """The callback's answers: did the unit contact you (响应), is it resolved (解决), the evaluation.
    The hotline's callback must record all three (the engine refuses without them)."""
    try:
        value = Evaluation(evaluation)
    except ValueError:
        raise InvalidInput("评价只能是 satisfied、basically_satisfied、dissatisfied",
                           "evaluation is one of satisfied, basically_satisfied, dissatisfied") from None
    return _act(Action.EVALUATE, order, user, at, evaluation=value, contacted=contacted, resolved=resolved, note=note)


def order_evaluation_timeout(*, order: int, user: User, at: datetime | None = None) -> Order:
    return _act(Action.EVALUATION_TIMEOUT, order, user, at)


def order_redo(*, order: int, user: User, note: str = "", at: datetime | None = None) -> Order:
    return _act(Action.REDO, order, user, at, note=note)


def order_screen_out(*, order: int, user: User, note: str, at: datetime | None = None) -> Order:
    return _act(Action.SCREEN_OUT, order, user, at, note=note)


def order_uphold_dissatisfied(*, order: int, user: User, note: str = "", at: datetime | None = None) -> Order:
    return _act(Action.UPHOLD_DISSATISFIED, order, user, at, note=note)


def order_request_exemption(*, order: int, user: User, reason: str, evidence: str, at: datetime | None = None) -> Order:
    return _act(Action.REQUEST_EXEMPTION, order, user, at, reason=reason, evidence=evidence)


def order_approve_exemption(*, order: int, user: User, note: str = "", at: datetime | None = None) -> Order:
    return _act(Action.APPROVE_EXEMPTION, order, user, at, note=note)


def order_reject_exemption(*, order: int, user: User, note: str = "", at: datetime | None = None) -> Order:
    return _act(Action.REJECT_EXEMPTION, order, user, at, note=note)


def order_request_termination(*, order: int, user: User, written_opinion: str, evidence: str = "",
                              answer_script: str = "", at: datetime | None = None) -> Order:
    return _act(Action.REQUEST_TERMINATION, order, user, at, written_opinion=written_opinion, evidence=evidence,
                answer_script=answer_script)


def order_approve_termination(*, order: int, user: User, note: str = "", at: datetime | None = None) -> Order:
    return _act(Action.APPROVE_TERMINATION, order, user, at, note=note)


def order_reject_termination(*, order: int, user: User, note: str = "", at: datetime | None = None) -> Order:
    return _act(Action.REJECT_TERMINATION, order, user, at, note=note)


def order_remind(*, order: int, user: User, note: str = "", at: datetime | None = None) -> Order:
    return _act(Action.REMIND, order, user, at, note=note)


def order_supervise(*, order: int, user: User, trigger: str, note: str = "", at: datetime | None = None) -> Order:
    return _act(Action.SUPERVISE, order, user, at, trigger=trigger, note=note)


def order_mark_overdue(*, order: int, user: User, steps: Sequence[str], at: datetime | None = None) -> Order:
    try:
        kinds = tuple(DeadlineKind(s) for s in steps)
    except ValueError:
        raise InvalidInput("超期环节不正确", "unknown step in steps") from None
    return _act(Action.MARK_OVERDUE, order, user, at, steps=kinds)


def order_archive(*, order: int, user: User, note: str = "", at: datetime | None = None) -> Order:
    return _act(Action.ARCHIVE, order, user, at, note=note)


#: the service of each action, for the API's generic action endpoint and the page buttons
ACTION_SERVICES = {
    Action.ACCEPT: order_accept, Action.DECLINE: order_decline, Action.ANSWER_DIRECTLY: order_answer_directly,
    Action.ANSWER_FROM_TERMINATION: order_answer_from_termination, Action.RECORD_PHONE_ALERT: order_record_phone_alert,
    Action.RECORD_LEADER_APPROVAL: order_record_leader_approval,
    Action.DISPATCH: order_dispatch, Action.MERGE: order_merge, Action.SIGN: order_sign,
    Action.FIRST_RESPONSE: order_first_response, Action.DELEGATE: order_delegate, Action.CO_HANDLE: order_co_handle,
    Action.REQUEST_RETURN: order_request_return, Action.APPROVE_RETURN: order_approve_return,
    Action.REJECT_RETURN: order_reject_return, Action.DESIGNATE_UNIT: order_designate_unit,
    Action.REQUEST_EXTENSION: order_request_extension, Action.APPROVE_EXTENSION: order_approve_extension,
    Action.REJECT_EXTENSION: order_reject_extension, Action.REQUEST_PROVISIONAL_CLOSE: order_request_provisional_close,
    Action.APPROVE_PROVISIONAL_CLOSE: order_approve_provisional_close,
    Action.REJECT_PROVISIONAL_CLOSE: order_reject_provisional_close, Action.REPORT_PROGRESS: order_report_progress,
    Action.REPLY: order_reply, Action.RECORD_CALLBACK_FAILURE: order_record_callback_failure,
    Action.RECORD_CALLBACK_DECLINED: order_record_callback_declined,
    Action.EVALUATE: order_evaluate, Action.EVALUATION_TIMEOUT: order_evaluation_timeout, Action.REDO: order_redo,
    Action.SCREEN_OUT: order_screen_out, Action.UPHOLD_DISSATISFIED: order_uphold_dissatisfied,
    Action.REQUEST_EXEMPTION: order_request_exemption, Action.APPROVE_EXEMPTION: order_approve_exemption,
    Action.REJECT_EXEMPTION: order_reject_exemption, Action.REQUEST_TERMINATION: order_request_termination,
    Action.APPROVE_TERMINATION: order_approve_termination, Action.REJECT_TERMINATION: order_reject_termination,
    Action.REMIND: order_remind, Action.SUPERVISE: order_supervise, Action.MARK_OVERDUE: order_mark_overdue,
    Action.ARCHIVE: order_archive,
}
