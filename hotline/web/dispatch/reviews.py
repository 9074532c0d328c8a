"""The hotline's review queues as the page shows them: each pending request with what it asks, the rule that
applies, and what approving or rejecting will do.

Returns (退单), extensions (延期), provisional closes (临时办结), exemptions (豁免), terminations (终结) and
disputed orders awaiting designation (待认定承办单位, xixian §18). Orders come through the permission gate;
whether a decision is open is asked of the lifecycle table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from hotline.directory.models import User
from hotline.orders import rulebook, selectors
from hotline.orders.models import Event, Order
from hotline.orders.services.transition import actor_of
from hotline.rules import deadlines as dl
from hotline.rules import lifecycle
from hotline.rules.errors import InvalidInput, RuleError
from hotline.rules.order import Action, Command, Inputs, State
from hotline.rules.periods import Period
from hotline.rules.profiles import Profile
from hotline.rules.vocabulary import AppealType, DeadlineKind, Evaluation, ReplyElement, Urgency
from hotline.web.dispatch.queues import UnitChoice, unit_choices
from hotline.web.intake.helpers import act_url, order_url, refusal, rule_label

A, S = Action, State

#: inputs for asking the table whether a decision is open: free text filled, so only the rules that do not
#: depend on what the reviewer types can refuse
PROBE = Inputs(reason="…", basis="…", note="…", unit="…", designated=True,
               reply={element: "…" for element in ReplyElement})


@dataclass(frozen=True)
class Queue:
    key: str
    title: str
    state: State
    request: Action          # the event that holds the request
    decisions: tuple[Action, ...]


QUEUES = (
    Queue("returns", "退单审核", S.RETURN_REQUESTED, A.REQUEST_RETURN, (A.APPROVE_RETURN, A.REJECT_RETURN)),
    Queue("extensions", "延期审核", S.EXTENSION_REQUESTED, A.REQUEST_EXTENSION, (A.APPROVE_EXTENSION, A.REJECT_EXTENSION)),
    Queue("provisional", "临时办结审核", S.PROVISIONAL_CLOSE_REQUESTED, A.REQUEST_PROVISIONAL_CLOSE,
          (A.APPROVE_PROVISIONAL_CLOSE, A.REJECT_PROVISIONAL_CLOSE)),
    Queue("exemptions", "豁免审核", S.EXEMPTION_REQUESTED, A.REQUEST_EXEMPTION, (A.APPROVE_EXEMPTION, A.REJECT_EXEMPTION)),
    Queue("terminations", "终结审核", S.TERMINATION_REQUESTED, A.REQUEST_TERMINATION,
          (A.APPROVE_TERMINATION, A.REJECT_TERMINATION)),
    Queue("disputed", "待认定承办单位", S.DISPUTED, A.APPROVE_RETURN, (A.DESIGNATE_UNIT,)),
)

_APPROVING = {A.APPROVE_RETURN, A.APPROVE_EXTENSION, A.APPROVE_PROVISIONAL_CLOSE, A.APPROVE_EXEMPTION,
              A.APPROVE_TERMINATION, A.DESIGNATE_UNIT}


@dataclass
class Decision:
    action: str
    label: str
    effect: str                          # what it will do, with its rule
    url: str
    approving: bool
    refusal: dict[str, str] | None = None
    length: str = ""                     # approve_extension: the length asked for (the reviewer may approve less)
    units: list[UnitChoice] = field(default_factory=list)   # designate_unit: the unit picker
    lead: str = ""


@dataclass
class ReviewItem:
    order: Order
    url: str
    appeal_type_zh: str
    urgency_zh: str
    urgent: bool
    unit: str
    content: str
    requested_at: datetime | None
    requested_by: str
    rule: str
    details: list[tuple[str, str]] = field(default_factory=list)
    late: str = ""
    decisions: list[Decision] = field(default_factory=list)


@dataclass
class Section:
    queue: Queue
    items: list[ReviewItem]

    @property
    def key(self) -> str:
        return self.queue.key

    @property
    def title(self) -> str:
        return self.queue.title


def span_zh(delta: timedelta) -> str:
    """``1天3小时``, ``45分钟``: how long, for people."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days}天" if days else "", f"{hours}小时" if hours else "", f"{minutes}分钟" if minutes and not days else ""]
    return "".join(parts) or "不到1分钟"


def _when(value: datetime | None) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else "—"


def review_sections(user: User, now: datetime) -> list[Section]:
    """Every review queue with its pending items, oldest request first."""
    states = [q.state.value for q in QUEUES]
    orders = list(selectors.orders_visible_to(user).filter(state__in=states)
                  .select_related("appeal", "category", "lead_unit")
                  .prefetch_related("deadlines", "co_units", "category__units").order_by("received_at", "pk"))
    wanted = {q.request.value for q in QUEUES} | {A.REQUEST_RETURN.value}
    latest: dict[tuple[int, str], Event] = {}
    for event in (Event.objects.filter(order_id__in=[o.pk for o in orders], action__in=wanted)
                  .order_by("order_id", "-seq")):
        latest.setdefault((event.order_id, event.action), event)
    units = {u.code: u for u in unit_choices()}
    sections = []
    for queue in QUEUES:
        items = [_item(queue, order, user, now, latest, units) for order in orders if order.state == queue.state.value]
        items.sort(key=lambda i: (i.requested_at or i.order.received_at, i.order.pk))
        sections.append(Section(queue, items))
    return sections


def _item(queue: Queue, order: Order, user: User, now: datetime, latest: dict[tuple[int, str], Event],
          units: dict[str, UnitChoice]) -> ReviewItem:
    profile = rulebook.profile(order.profile)
    event = latest.get((order.pk, queue.request.value))
    payload: dict[str, Any] = event.payload if event else {}
    urgency = Urgency(order.urgency)
    item = ReviewItem(
        order=order, url=order_url(order.pk), appeal_type_zh=AppealType(order.appeal_type).zh, urgency_zh=urgency.zh,
        urgent=urgency is not Urgency.NORMAL, unit=order.lead_unit.name if order.lead_unit else "",
        content=(order.matter or order.appeal.content)[:160], requested_at=event.at if event else None,
        requested_by=_unit_name(event.actor_unit if event else "", units), rule="")
    resume = State(order.resume_state).zh if order.resume_state else State.SIGNED.zh
    describe = {"returns": _return, "extensions": _extension, "provisional": _provisional,
                "exemptions": _exemption, "terminations": _termination, "disputed": _disputed}[queue.key]
    effects = describe(item, profile, order, payload, resume, units, latest)
    snapshot = rulebook.snapshot(order)
    for action in queue.decisions:
        error = lifecycle.allowed(profile, rulebook.calendar(), snapshot, Command(action, actor_of(user), now, PROBE))
        refused = None if error is None or isinstance(error, InvalidInput) else refusal(error)
        decision = Decision(action.value, action.zh, effects[action], act_url(order.pk, action.value),
                            action in _APPROVING, refused)
        if action is A.APPROVE_EXTENSION and profile.extension.length != "equals_limit":
            decision.length = order.pending_length
        if action is A.DESIGNATE_UNIT:
            decision.units = list(units.values())
            last_return = latest.get((order.pk, A.REQUEST_RETURN.value))
            suggested = str(last_return.payload.get("suggested_unit", "")) if last_return else ""
            duty = sorted(u.code for u in order.category.units.all()) if order.category else []
            decision.lead = suggested if suggested in units else (duty[0] if duty else "")
        item.decisions.append(decision)
    return item


def _unit_name(code: str, units: dict[str, UnitChoice]) -> str:
    unit = units.get(code)
    return f"{unit.name}（{code}）" if unit else code


def _filled(item: ReviewItem, *pairs: tuple[str, object]) -> None:
    item.details.extend((label, str(value)) for label, value in pairs if value not in (None, "", [], False))


Effects = dict[Action, str]


def _return(item: ReviewItem, profile: Profile, order: Order, payload: dict[str, Any], resume: str,
            units: dict[str, UnitChoice], latest: dict[tuple[int, str], Event]) -> Effects:
    review, window = profile.return_review, profile.return_
    item.rule = f"退单：{rule_label(window)}；审核：{rule_label(review)}"
    suggested = str(payload.get("suggested_unit", ""))
    _filled(item, ("退回理由", payload.get("reason")), ("依据", payload.get("basis")),
            ("建议承办单位", _unit_name(suggested, units) if suggested else ""), ("证明材料", payload.get("evidence")),
            ("单位领导确认", "是" if payload.get("leader_confirmed") else ""),
            ("复杂事项", "是" if payload.get("complex_item") else ""), ("已退单次数", order.returns or ""))
    due = next((d.due for d in order.deadlines.all() if d.kind == DeadlineKind.RETURN.value), None)
    if due is not None:
        item.details.append(("退单时限", _when(due)))
        if item.requested_at is not None and item.requested_at > due:
            late = f"超出退单时限 {span_zh(item.requested_at - due)}"
            if window.late_counts_as_overdue:
                late += f"，计为超期（{rule_label(window)}）"
            item.late = late
    escalation = profile.return_escalation
    if escalation is not None and order.returns + 1 >= escalation.after_returns:
        approve = (f"同意退单：第{order.returns + 1}次退单，工单转{escalation.decided_by}认定承办单位"
                   f"（{rule_label(escalation)}）")
    else:
        approve = f"同意退单：工单回到待派单，重新派单（{rule_label(review)}）"
    if review.rejected_unit_must_handle:
        reject = f"驳回：首接负责，原单位须办理，不得再退回（{rule_label(review)}）"
    else:
        reject = f"驳回：工单回到“{resume}”，原单位继续办理（{rule_label(review)}）"
    return {A.APPROVE_RETURN: approve, A.REJECT_RETURN: reject}


def _extension(item: ReviewItem, profile: Profile, order: Order, payload: dict[str, Any], resume: str,
               units: dict[str, UnitChoice], latest: dict[tuple[int, str], Event]) -> Effects:
    rule = profile.extension
    item.rule = rule_label(rule)
    asked = order.pending_length or str(payload.get("length", ""))
    length = Period.parse(asked) if asked else None
    current = next((d for d in order.deadlines.all() if d.kind == DeadlineKind.HANDLE.value), None)
    count = "不限次数" if rule.max_count == "unlimited" else f"最多{rule.max_count}次"
    _filled(item, ("申请延长", length.zh if length else ""), ("延期理由", payload.get("reason")),
            ("当前办结时限", _when(current.due) if current else ""), ("已延期", f"{order.extensions}次（{count}）"))
    after = ""
    if current is not None and length is not None:
        try:
            extended = dl.compute(profile, rulebook.calendar(), DeadlineKind.HANDLE, AppealType(order.appeal_type),
                                  current.due, Urgency(order.urgency), period=length, rule=rule.source)
            after = _when(extended.due)
        except RuleError as error:
            after = f"按{rule_label(rule)}计算（{error.message_zh}）"
        item.details.append(("同意后办结时限", after))
    tell = "，并向诉求人说明延期情况" if rule.explain_to_requester else ""
    approve = (f"同意延期：办结时限延至 {after}{tell}（{rule_label(rule)}）" if after
               else f"同意延期：按申请延长办结时限（{rule_label(rule)}）")
    reject = f"驳回延期：工单回到“{resume}”，仍按当前时限 {_when(current.due) if current else ''} 办结"
    return {A.APPROVE_EXTENSION: approve, A.REJECT_EXTENSION: reject}


def _provisional(item: ReviewItem, profile: Profile, order: Order, payload: dict[str, Any], resume: str,
                 units: dict[str, UnitChoice], latest: dict[tuple[int, str], Event]) -> Effects:
    rule = profile.provisional_close
    item.rule = rule_label(rule)
    _filled(item, ("申请理由", payload.get("reason")), ("当前进展", payload.get("progress")),
            ("下一步措施", payload.get("next_steps")), ("承诺办结时间", payload.get("promised_date")),
            ("单位领导确认", "是" if payload.get("leader_confirmed") else ""))
    reports = (f"，每{rule.progress_interval.zh}报送一次进展" if rule.progress_interval
               else "，不需定期报送进展")
    confirmed = f"，记录{rule.approval_confirmed_by}确认" if rule.approval_confirmed_by else ""
    return {A.APPROVE_PROVISIONAL_CLOSE: f"同意临时办结：工单转为临时办结{reports}{confirmed}（{rule_label(rule)}）",
            A.REJECT_PROVISIONAL_CLOSE: f"驳回：工单回到“{resume}”，继续办理"}


def _exemption(item: ReviewItem, profile: Profile, order: Order, payload: dict[str, Any], resume: str,
               units: dict[str, UnitChoice], latest: dict[tuple[int, str], Event]) -> Effects:
    rule = profile.exemption
    item.rule = rule_label(rule)
    _filled(item, ("申请理由", payload.get("reason")), ("证明材料", payload.get("evidence")),
            ("满意度评价", Evaluation(order.evaluation).zh if order.evaluation else ""))
    return {A.APPROVE_EXEMPTION: f"同意豁免：该工单不作负面考核（{rule_label(rule)}）",
            A.REJECT_EXEMPTION: "驳回豁免：维持评价结果，照常考核"}


def _termination(item: ReviewItem, profile: Profile, order: Order, payload: dict[str, Any], resume: str,
                 units: dict[str, UnitChoice], latest: dict[tuple[int, str], Event]) -> Effects:
    rule = profile.termination
    item.rule = rule_label(rule)
    _filled(item, ("履职意见", payload.get("written_opinion")), ("证明材料", payload.get("evidence")),
            ("答复口径", payload.get("answer_script")))
    repeats = "；此后同一事项的重复诉求按终结意见答复，不再派单" if rule.repeats_answered_without_dispatch else ""
    return {A.APPROVE_TERMINATION: f"同意终结：工单终结{repeats}（{rule_label(rule)}）",
            A.REJECT_TERMINATION: f"驳回终结：工单回到“{resume}”，继续办理"}


def _disputed(item: ReviewItem, profile: Profile, order: Order, payload: dict[str, Any], resume: str,
              units: dict[str, UnitChoice], latest: dict[tuple[int, str], Event]) -> Effects:
    escalation, designated = profile.return_escalation, profile.designated_units
    item.rule = rule_label(escalation) if escalation else rule_label(profile.return_review)
    last_return = latest.get((order.pk, A.REQUEST_RETURN.value))
    reason = last_return.payload if last_return else {}
    suggested = str(reason.get("suggested_unit", ""))
    _filled(item, ("已退单次数", order.returns), ("退回单位", "、".join(_unit_name(c, units) for c in order.returned_by if c)),
            ("认定机构", payload.get("escalated_to") or (escalation.decided_by if escalation else "")),
            ("最近退回理由", reason.get("reason")), ("建议承办单位", _unit_name(suggested, units) if suggested else ""))
    item.requested_by = _unit_name(str(payload.get("returned_by") or ""), units) or item.requested_by
    final = "，该单位不得再退回" if not designated.may_return else ""
    return {A.DESIGNATE_UNIT: f"认定承办单位：工单派给认定的单位{final}（{rule_label(designated)}）"}


def pending_count(sections: list[Section]) -> int:
    return sum(len(s.items) for s in sections)


