"""Guards: the rules of a profile that may refuse an action.

A guard reads the :class:`Context` and either returns the source of the rule it applied (``ziyang
§13(3)``, recorded on the event) or raises :class:`~hotline.rules.errors.GuardRefused` naming that
rule. The lifecycle table (lifecycle.py) says which guards each transition runs, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from hotline.rules.calendar import WorkCalendar
from hotline.rules.deadlines import add_period
from hotline.rules.errors import ActionRefused, GuardRefused, InvalidInput
from hotline.rules.order import Command, Order
from hotline.rules.periods import Period, Unit
from hotline.rules.profiles import Profile, Rule, cite_zh
from hotline.rules.vocabulary import DeadlineKind, Evaluation, ReplyElement, ReturnRequirement, Role, Urgency


@dataclass(frozen=True)
class Context:
    profile: Profile
    calendar: WorkCalendar
    order: Order
    command: Command


Guard = Callable[[Context], str | None]


def refuse(rule: Rule, zh: str, en: str, code: str) -> GuardRefused:
    """A refusal that names its rule: ``资阳 §13(3)：咨询类工单不予延期``."""
    label_zh = cite_zh(rule.cite) if rule.cite else "平台默认规则"
    label_en = rule.cite or "platform default"
    return GuardRefused(f"{label_zh}：{zh}", f"{label_en}: {en}", article=rule.source, code=code)


def _missing(zh: str, en: str) -> InvalidInput:
    return InvalidInput(f"缺少{zh}", f"{en} is required")


# --- intake ---------------------------------------------------------------------------------------

def appeal_type_accepted(ctx: Context) -> str | None:
    appeal_type = ctx.order.appeal_type
    rule = ctx.profile.appeal_types.get(appeal_type)
    if rule is None or not rule.enabled:
        source = rule or ctx.profile.channels
        raise refuse(source, f"本规则没有“{appeal_type.zh}”类诉求", f"{appeal_type.value} is not an appeal type here",
                     "appeal_type_not_accepted")
    return rule.source


def decline_reason_known(ctx: Context) -> str | None:
    code = ctx.command.inputs.decline_code
    reason = ctx.profile.decline_reason(code)
    if reason is None:
        known = "、".join(r.code for r in ctx.profile.decline_reasons)
        raise InvalidInput(f"不予受理理由 {code!r} 不在本规则的理由清单中（可选：{known}）",
                           f"decline reason {code!r} is not one of this profile's: {known}")
    if reason.requires_order and not ctx.command.inputs.earlier_order.strip():
        raise _missing(f"所依据的原工单号（{reason.label}）", "the number of the earlier order this decline relies on")
    return reason.source


def terminated_matter_answered(ctx: Context) -> str | None:
    rule = ctx.profile.termination
    if not (rule.enabled and rule.repeats_answered_without_dispatch):
        raise refuse(rule, "本规则未规定按终结意见直接答复重复诉求",
                     "repeats of terminated matters are not answered without dispatch here", "termination_answer_not_provided")
    if not ctx.command.inputs.terminated_order:
        raise _missing("所依据的终结工单号", "the terminated order it answers from")
    return rule.source


# --- dispatch -------------------------------------------------------------------------------------

def phone_alert_first(ctx: Context) -> str | None:
    rule = ctx.profile.urgent_alert
    if rule is None or not rule.phone_alert_first or ctx.order.urgency is Urgency.NORMAL:
        return None
    if not ctx.order.phone_alerted:
        raise refuse(rule, "紧急事项应先行电话预警，再派发工单", "alert the unit by phone before dispatching an urgent item",
                     "phone_alert_first")
    return rule.source


def unit_named(ctx: Context) -> str | None:
    inputs = ctx.command.inputs
    if not inputs.unit:
        raise _missing("承办单位", "the handling unit")
    if inputs.unit in inputs.co_units:
        raise InvalidInput("主办单位不能同时是协办单位", "the lead unit cannot also be a co-unit")
    return None


def one_order_per_unit(ctx: Context) -> str | None:
    """tianjin §13(1): matters of different units are dispatched as separate orders, not as co-units."""
    rule = ctx.profile.joint
    if rule.one_order_per_unit and ctx.command.inputs.co_units:
        raise refuse(rule, "诉求事项属于不同承办单位职责的，应当分别派发工单，不能派给协办单位",
                     "matters of different units are dispatched as separate orders, one per unit, not with co-units",
                     "one_order_per_unit")
    return None


def leader_approval(ctx: Context) -> str | None:
    """heyuan §12: a major item is dispatched only after a leader approved the hotline's proposal."""
    rule = ctx.profile.major_items
    inputs, order = ctx.command.inputs, ctx.order
    if rule is None or not rule.leader_approval or not (inputs.major_item or order.major_item):
        return None
    if not (inputs.leader_approved or order.leader_approved):
        raise refuse(rule, f"重大事项应由热线办提出拟办意见，报{rule.approver}审定后再派发",
                     f"a major item is dispatched only after {rule.approver} approved the hotline's proposal",
                     "leader_approval_missing")
    return rule.source


def leader_approval_provided(ctx: Context) -> str | None:
    rule = ctx.profile.major_items
    if rule is None or not rule.leader_approval:
        raise ActionRefused("本规则没有重大事项报领导审定的程序", "this rulebook has no leader approval of major items",
                            code="leader_approval_not_provided")
    return rule.source


def handling_limit_required(ctx: Context) -> str | None:
    """tianjin §16(2): the hotline dispatches 'and states the handling limit' (并明确办理期限)."""
    rule = ctx.profile.dispatch
    if not rule.handling_limit_required or ctx.order.urgency is not Urgency.NORMAL:
        return None   # an urgent item's limit is the profile's urgent limit, not one set on the order
    if ctx.command.inputs.handling_limit is None:
        raise refuse(rule, "派单时应当明确办理期限", "a dispatch must state the handling limit", "handling_limit_required")
    return rule.source


def handling_limit_settable(ctx: Context) -> str | None:
    """A limit on the order: where the rulebook sets it order by order (tianjin §16(2), §19), or where a limit
    set by law overrides the rulebook's (xixian §9(3): only a stricter one; heyuan §18: whatever it is)."""
    inputs = ctx.command.inputs
    limit = inputs.handling_limit
    rule = ctx.profile.handle.get(ctx.order.appeal_type)
    if limit is None or rule is None:
        return None
    if limit.amount <= 0:
        raise InvalidInput("办理时限必须大于零", "a handling limit must be more than zero")
    if rule.set_on_order:
        return rule.source
    if not rule.legal_limit_overrides:
        raise refuse(rule, f"办理时限由规则规定（{rule.limit.zh}），不能在工单上另设",
                     f"the handling limit is fixed by the rulebook ({rule.limit}); it cannot be set on the order",
                     "handling_limit_fixed")
    if not rule.legal_limit_may_be_longer:
        at, hours = ctx.command.at, ctx.profile.hours
        if add_period(ctx.calendar, hours, at, limit).due > add_period(ctx.calendar, hours, at, rule.limit).due:
            raise refuse(rule, f"只有严于本规则（{rule.limit.zh}）的法定办理时限才能设在工单上，不能设为{limit.zh}",
                         f"only a legal limit stricter than the rulebook's ({rule.limit}) may be set on the order, "
                         f"not {limit}", "legal_limit_not_stricter")
    if not inputs.basis.strip():
        raise refuse(rule, "在工单上设置法定办理时限，须写明所依据的法律、法规、规章或规则",
                     "a legal handling limit set on the order must name the law, regulation or rule it comes from",
                     "legal_limit_basis_missing")
    return rule.source


# --- unit actions ---------------------------------------------------------------------------------

def own_order(ctx: Context) -> str | None:
    """Unit staff act only on orders of their unit (as lead or executing unit)."""
    actor, order = ctx.command.actor, ctx.order
    if actor.role not in {Role.UNIT_HANDLER, Role.UNIT_LEADER} or order.lead_unit is None:
        return None
    if actor.unit not in {order.lead_unit, order.executing_unit}:
        raise ActionRefused("该工单不是本单位承办的工单", "this order is not one of your unit's orders",
                            code="not_your_order")
    return None


def co_unit_only(ctx: Context) -> str | None:
    if ctx.command.actor.unit not in ctx.order.co_units:
        raise ActionRefused("只有协办单位可以提交协办意见", "only a co-unit of this order may add a co-handling opinion",
                            code="not_a_co_unit")
    return None


def lead_replies(ctx: Context) -> str | None:
    rule = ctx.profile.joint
    if rule.lead_replies and ctx.command.actor.unit in ctx.order.co_units:
        raise refuse(rule, "联合办理工单由主办单位牵头答复，协办单位不能答复", "the lead unit replies for a joint order, not a co-unit",
                     "lead_unit_replies")
    return rule.source if ctx.order.co_units else None


def first_response_urgent(ctx: Context) -> str | None:
    rule = ctx.profile.urgent_limits
    if rule is None or ctx.order.urgency is Urgency.NORMAL:
        raise InvalidInput("只有特殊、特殊紧急事项需要初步响应", "only special and special-urgent items take a first response")
    return rule.source


def delegate_allowed(ctx: Context) -> str | None:
    rule = ctx.profile.delegate
    if not rule.allowed:
        raise refuse(rule, "本规则不允许下派工单", "orders may not be passed down to executing units here", "delegate_not_allowed")
    if not ctx.command.inputs.unit:
        raise _missing("经办单位", "the executing unit")
    return rule.source


# --- return (退单) --------------------------------------------------------------------------------

def return_window(ctx: Context) -> str | None:
    rule = ctx.profile.return_
    inputs, order = ctx.command.inputs, ctx.order
    dispatched = order.deadlines.get(DeadlineKind.RETURN)
    if dispatched is None:
        return rule.source
    window = rule.window
    if inputs.national_platform_item and rule.national_platform_window is not None:
        window = rule.national_platform_window
    elif inputs.complex_item and rule.complex_window is not None:
        window = rule.complex_window
    due = add_period(ctx.calendar, ctx.profile.hours, dispatched.start, window).due
    if ctx.command.at <= due or rule.late_counts_as_overdue:
        return rule.source
    raise refuse(rule, f"退单时限（{window.zh}）已过，应当按时限办理", f"the return window ({window}) has passed: the unit must handle the order",
                 "return_window_passed")


def return_late(ctx: Context) -> bool:
    """Is this return past the window? (ziyang §13(2): it then counts as overdue)."""
    deadline = ctx.order.deadlines.get(DeadlineKind.RETURN)
    return deadline is not None and ctx.command.at > deadline.due


def return_requirements(ctx: Context) -> str | None:
    rule = ctx.profile.return_
    inputs, actor = ctx.command.inputs, ctx.command.actor
    given = {
        ReturnRequirement.REASON: bool(inputs.reason.strip()),
        ReturnRequirement.BASIS: bool(inputs.basis.strip()),
        ReturnRequirement.SUGGESTED_UNIT: bool(inputs.suggested_unit.strip()),
        ReturnRequirement.EVIDENCE: bool(inputs.evidence.strip()),
        ReturnRequirement.LEADER_CONFIRMATION: inputs.leader_confirmed or actor.role is Role.UNIT_LEADER,
    }
    missing = [r for r in rule.requires if not given[r]]
    if missing:
        raise refuse(rule, "退单须说明" + "、".join(r.zh for r in missing),
                     "a return must give " + ", ".join(r.value for r in missing), "return_incomplete")
    return rule.source


def return_not_rejected_before(ctx: Context) -> str | None:
    """ankang §24 首接负责制: a unit whose return was rejected takes the order and handles it."""
    rule = ctx.profile.return_review
    if ctx.order.return_rejected and rule.rejected_unit_must_handle:
        raise refuse(rule, "退单申请已被驳回，首接承办单位应当接收办理，不得再次申请退单",
                     "the return was rejected: the first unit must take and handle the order, not ask again",
                     "return_rejected_first_receiver")
    return None


def designated_may_not_return(ctx: Context) -> str | None:
    rule = ctx.profile.designated_units
    if ctx.order.designated and not rule.may_return:
        raise refuse(rule, "经指定的承办单位不得退回工单", "a designated unit may not return the order", "designated_unit_may_not_return")
    return rule.source if ctx.order.designated else None


def escalation_due(ctx: Context) -> bool:
    """Is this approved return the one that sends the order to the deciding body (xixian §18(1))?"""
    rule = ctx.profile.return_escalation
    return rule is not None and ctx.order.returns + 1 >= rule.after_returns


def review_rule(ctx: Context) -> str | None:
    return ctx.profile.return_review.source


def escalation_rule(ctx: Context) -> str | None:
    rule = ctx.profile.return_escalation
    return rule.source if rule is not None else None


# --- extension (延期) -----------------------------------------------------------------------------

def extension_type_allowed(ctx: Context) -> str | None:
    rule = ctx.profile.extension
    appeal_type = ctx.order.appeal_type
    if appeal_type in rule.never_types:
        raise refuse(rule, f"{appeal_type.zh}类工单不予延期", f"{appeal_type.value} orders may not be extended", "extension_type_excluded")
    return rule.source


def extension_count(ctx: Context) -> str | None:
    rule = ctx.profile.extension
    if rule.max_count != "unlimited" and ctx.order.extensions >= rule.max_count:
        times = "不得延期" if rule.max_count == 0 else f"延期只能申请{rule.max_count}次"
        raise refuse(rule, times, f"at most {rule.max_count} extension(s)", "extension_count_exhausted")
    return rule.source


def extension_not_in_redo(ctx: Context) -> str | None:
    rule = ctx.profile.redo
    if ctx.order.redos > 0 and not rule.extension_allowed:
        raise refuse(rule, "重办工单不得延期办理", "a redone order may not be extended", "redo_no_extension")
    return rule.source if ctx.order.redos > 0 else None


def extension_timing(ctx: Context) -> str | None:
    rule = ctx.profile.extension
    due = ctx.order.due(DeadlineKind.HANDLE)
    at = ctx.command.at
    if due is None:
        return rule.source
    if at > due:
        raise refuse(rule, "办理时限已过，不能再申请延期", "the handling limit has passed: too late to apply for an extension",
                     "extension_too_late")
    before = rule.apply_before_due
    if before is not None:
        latest = _before(ctx, due, before)
        if at > latest:
            raise refuse(rule, f"延期申请应在办结时限到期{before.zh}前提出（最迟 {latest:%Y-%m-%d %H:%M}）",
                         f"apply for an extension at least {before} before the due time (by {latest:%Y-%m-%d %H:%M})",
                         "extension_too_late")
    return rule.source


def _before(ctx: Context, due: datetime, period: Period) -> datetime:
    """The latest moment that is ``period`` before ``due``."""
    if period.unit is Unit.WORKING_DAYS:
        day = due.date()
        for _ in range(period.amount):
            day = ctx.calendar.previous_working_day(day)
        hours = ctx.profile.hours
        return datetime.combine(day, hours.close_of_business(day), tzinfo=due.tzinfo)
    from datetime import timedelta
    return due - timedelta(hours=period.amount)


def requested_length(ctx: Context) -> Period:
    """The extension asked for (tianjin §20: always as long as the handling limit)."""
    rule = ctx.profile.extension
    limit = handling_period(ctx)
    if rule.length == "equals_limit":
        return limit
    length = ctx.command.inputs.length
    if length is None:
        raise _missing("延期时长", "the length of the extension")
    return length


def handling_period(ctx: Context) -> Period:
    order = ctx.order
    if order.handling_limit is not None:
        return order.handling_limit
    deadline = order.deadlines.get(DeadlineKind.HANDLE)
    if deadline is not None and order.extensions == 0:
        return deadline.period
    return ctx.profile.handle[order.appeal_type].limit


def extension_length(ctx: Context) -> str | None:
    rule = ctx.profile.extension
    length = requested_length(ctx)
    if length.amount <= 0:
        raise InvalidInput("延期时长必须大于零", "an extension must be longer than zero")
    limit = handling_period(ctx)
    if rule.length in {"at_most_limit", "equals_limit"} and (length.unit is not limit.unit
                                                             or length.amount > limit.amount):
            raise refuse(rule, f"每次延期不得超过原办理时限（{limit.zh}）", f"an extension may not exceed the original limit ({limit})",
                         "extension_too_long")
    cap = rule.max_length.get(ctx.order.appeal_type)
    if cap is not None and (length.unit is not cap.unit or length.amount > cap.amount):
        raise refuse(rule, f"{ctx.order.appeal_type.zh}类工单延期一般不超过{cap.zh}",
                     f"a {ctx.order.appeal_type.value} order may be extended by at most {cap}", "extension_too_long")
    if rule.requires_reason and not ctx.command.inputs.reason.strip():
        raise refuse(rule, "延期申请须说明理由", "an extension request must give its reason", "extension_reason_missing")
    return rule.source


def extension_total(ctx: Context) -> str | None:
    """heyuan §18: a type's limit and all its extensions together, counted from the start of the limit."""
    rule = ctx.profile.extension
    cap = rule.max_total.get(ctx.order.appeal_type)
    current = ctx.order.deadlines.get(DeadlineKind.HANDLE)
    if cap is None or current is None:
        return None
    hours = ctx.profile.hours
    latest = add_period(ctx.calendar, hours, current.start, cap).due
    extended = add_period(ctx.calendar, hours, current.due, requested_length(ctx)).due
    if extended > latest:
        raise refuse(rule, f"{ctx.order.appeal_type.zh}类工单连同延期不得超过{cap.zh}（最迟 {latest:%Y-%m-%d %H:%M}）",
                     f"a {ctx.order.appeal_type.value} order may take at most {cap} in all, extensions included "
                     f"(by {latest:%Y-%m-%d %H:%M})", "extension_beyond_total")
    return rule.source


def extension_length_fixed(ctx: Context) -> str | None:
    """tianjin §20(1): each extension is as long as the handling limit; the hotline cannot approve another length."""
    rule = ctx.profile.extension
    length = ctx.command.inputs.length
    if rule.length != "equals_limit" or length is None:
        return None
    fixed = ctx.order.pending_length or handling_period(ctx)
    if length != fixed:
        raise refuse(rule, f"每次延期期限与办理期限相同（{fixed.zh}），不能批准{length.zh}",
                     f"each extension equals the handling limit ({fixed}); {length} cannot be approved",
                     "extension_length_fixed")
    return rule.source


def approved_length_within_request(ctx: Context) -> str | None:
    length, asked = ctx.command.inputs.length, ctx.order.pending_length
    if length is not None and asked is not None and (length.unit is not asked.unit or length.amount > asked.amount):
        raise InvalidInput("批准的延期不能长于申请的延期", "the approved extension cannot be longer than the one asked for")
    return None


# --- provisional close (临时办结) -----------------------------------------------------------------

def provisional_close_allowed(ctx: Context) -> str | None:
    rule = ctx.profile.provisional_close
    if not rule.enabled:
        raise refuse(rule, "本规则没有临时办结", "provisional close is not provided here", "provisional_close_not_provided")
    due = ctx.order.due(DeadlineKind.HANDLE)
    if rule.apply_within_limit and due is not None and ctx.command.at > due:
        raise refuse(rule, "临时办结应在规定办理时限内申请", "apply for a provisional close within the handling limit",
                     "provisional_close_too_late")
    inputs = ctx.command.inputs
    given = {"written_application": inputs.reason or inputs.progress, "progress": inputs.progress,
             "next_steps": inputs.next_steps, "promised_date": inputs.promised_date,
             "leader_confirmation": "yes" if inputs.leader_confirmed or ctx.command.actor.role is Role.UNIT_LEADER else ""}
    names = {"written_application": "书面申请", "progress": "办理进展情况", "next_steps": "下步打算",
             "promised_date": "承诺办结时限", "leader_confirmation": "单位主要领导确认"}
    missing = [r for r in rule.requires if not given[r].strip()]
    if missing:
        raise refuse(rule, "申请临时办结须写明" + "、".join(names[m] for m in missing),
                     "a provisional close must state " + ", ".join(missing), "provisional_close_incomplete")
    return rule.source


def provisional_close_confirmed(ctx: Context) -> str | None:
    """xixian §9(3): the hotline approves a long-running item once the superior hotline office confirmed it."""
    rule = ctx.profile.provisional_close
    if rule.approval_confirmed_by is None:
        return None
    if not ctx.command.inputs.note.strip():
        raise refuse(rule, f"同意前须记录{rule.approval_confirmed_by}的确认意见",
                     f"record the confirmation of {rule.approval_confirmed_by} before approving", "provisional_close_unconfirmed")
    return rule.source


def progress_given(ctx: Context) -> str | None:
    if not ctx.command.inputs.progress.strip():
        raise _missing("办理进展", "the progress report")
    return ctx.profile.provisional_close.source


# --- reply, callback, evaluation ------------------------------------------------------------------

def reply_elements(ctx: Context) -> str | None:
    rule = ctx.profile.reply
    inputs = ctx.command.inputs
    required = list(rule.elements)
    if rule.contact_waived_without_contact and not inputs.requester_has_contact:
        required = [e for e in required if e is not ReplyElement.CONTACT]
    missing = [e for e in required if not inputs.reply.get(e, "").strip()]
    if missing:
        raise refuse(rule, "答复须写明" + "、".join(e.zh for e in missing),
                     "a reply must state " + ", ".join(e.value for e in missing), "reply_incomplete")
    return rule.source


def evaluation_option(ctx: Context) -> str | None:
    rule = ctx.profile.evaluation
    value = ctx.command.inputs.evaluation
    if value is None or value not in rule.options:
        options = "、".join(o.zh for o in rule.options)
        raise InvalidInput(f"评价须为以下之一：{options}", "evaluation must be one of " + ", ".join(rule.options))
    return rule.source


def evaluation_rule(ctx: Context) -> str | None:
    """Refuses nothing: names the profile's evaluation rule on a callback that ends without one (拒绝评价)."""
    return ctx.profile.evaluation.source


def callback_answers(ctx: Context) -> str | None:
    """On the hotline's callback the requester is asked all three (ziyang §14: 联系回复和办理结果): did
    the unit contact you (响应), is it resolved (解决), and the evaluation. A requester evaluating on their
    own (portal, SMS) may leave the first two unanswered: recorded as not asked."""
    if ctx.command.actor.role is not Role.OPERATOR:
        return None
    inputs, rule = ctx.command.inputs, ctx.profile.evaluation
    missing = [zh for zh, value in (("承办单位是否联系了诉求人（响应）", inputs.contacted),
                                    ("问题是否已解决（解决）", inputs.resolved)) if value is None]
    if missing:
        raise InvalidInput("回访须记录" + "、".join(missing),
                           "a callback records whether the unit contacted the requester and whether the matter is resolved",
                           article=rule.source, code="callback_answers_missing")
    return rule.source


def is_dissatisfied(ctx: Context) -> bool:
    return ctx.command.inputs.evaluation is Evaluation.DISSATISFIED


def silence_window_passed(ctx: Context) -> str | None:
    rule = ctx.profile.evaluation
    due = ctx.order.due(DeadlineKind.EVALUATION)
    if due is not None and ctx.command.at < due:
        raise refuse(rule, f"评价等待期（{rule.silence_after.zh}）未满，截至 {due:%Y-%m-%d %H:%M}",
                     f"the requester still has until {due:%Y-%m-%d %H:%M} to evaluate", "evaluation_window_open")
    return rule.source


def redo_count(ctx: Context) -> str | None:
    rule = ctx.profile.redo
    if rule.max_count != "unlimited" and ctx.order.redos >= rule.max_count:
        raise refuse(rule, f"发回重办以{rule.max_count}次为限", f"an order may be sent back for redo at most {rule.max_count} time(s)",
                     "redo_count_exhausted")
    return rule.source


def screening_enabled(ctx: Context) -> str | None:
    rule = ctx.profile.screening
    if not rule.enabled:
        raise refuse(rule, "本规则没有甄别", "screening is not provided here", "screening_not_provided")
    if not ctx.command.inputs.note.strip():
        raise refuse(rule, "甄别为非承办单位原因须写明理由（如超出法律政策规定、诉求人期望过高）",
                     "screening out must give the reason it is not the unit's fault", "screening_reason_missing")
    return rule.source


def exemption_allowed(ctx: Context) -> str | None:
    rule = ctx.profile.exemption
    if not rule.enabled:
        raise refuse(rule, "本规则没有豁免", "exemption is not provided here", "exemption_not_provided")
    if ctx.order.evaluation is not Evaluation.DISSATISFIED or ctx.order.screened_out:
        raise InvalidInput("只有计入考核的不满意工单可以申请豁免", "only a dissatisfied evaluation that counts can be exempted")
    if rule.evidence_required and not ctx.command.inputs.evidence.strip():
        raise refuse(rule, "申请豁免须提交书面情况说明和佐证材料", "an exemption needs a written statement and evidence",
                     "exemption_evidence_missing")
    return rule.source


def termination_allowed(ctx: Context) -> str | None:
    rule = ctx.profile.termination
    if not rule.enabled:
        raise refuse(rule, "本规则没有终结", "termination is not provided here", "termination_not_provided")
    order = ctx.order
    if rule.after_dissatisfied and order.evaluation is not Evaluation.DISSATISFIED and order.redos == 0:
        raise refuse(rule, "承办单位已明确解释说明但服务对象仍不满意的，方可申请终止办理",
                     "termination may be asked for only once the unit has answered and the requester is still dissatisfied",
                     "termination_not_yet")
    inputs = ctx.command.inputs
    given = {"written_opinion": inputs.written_opinion, "evidence": inputs.evidence, "answer_script": inputs.answer_script}
    names = {"written_opinion": "履职意见书", "evidence": "证明材料", "answer_script": "答复口径"}
    missing = [r for r in rule.requires if not given[r].strip()]
    if missing:
        raise refuse(rule, "申请终结须提交" + "、".join(names[m] for m in missing),
                     "a termination request must include " + ", ".join(missing), "termination_incomplete")
    return rule.source


# --- supervision and the tick ---------------------------------------------------------------------

def trigger_known(ctx: Context) -> str | None:
    code = ctx.command.inputs.trigger
    trigger = ctx.profile.trigger(code)
    if trigger is None:
        known = "、".join(t.code for t in ctx.profile.supervision.triggers)
        raise InvalidInput(f"督办事由 {code!r} 不在本规则的督办情形中（可选：{known}）",
                           f"supervision trigger {code!r} is not one of this profile's: {known}")
    return trigger.source


def steps_overdue(ctx: Context) -> str | None:
    steps = ctx.command.inputs.steps
    if not steps:
        raise _missing("超期环节", "the overdue steps")
    for step in steps:
        due = ctx.order.due(step)
        if due is None or ctx.command.at <= due:
            raise InvalidInput(f"{step.zh}环节没有超期", f"step {step.value} is not overdue")
    return None


def unit_given(ctx: Context) -> str | None:
    if not ctx.command.inputs.unit:
        raise _missing("认定的承办单位", "the designated unit")
    return None


def merged_into_given(ctx: Context) -> str | None:
    if not ctx.command.inputs.merged_into:
        raise _missing("合并到的工单号", "the order this one repeats")
    return None
