"""How an order reads to a person: deadlines with what is left, badges, the timeline in words.

Pure presentation of rows already read through the permission gate; nothing here queries orders.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from hotline.orders.models import Event, Order, OrderDeadline
from hotline.rules.deadlines import describe_rule
from hotline.rules.errors import InvalidInput
from hotline.rules.order import Action, CallbackOutcome, State
from hotline.rules.periods import Period
from hotline.rules.vocabulary import DeadlineKind, Evaluation, ReplyElement, Role, Urgency

SOON = timedelta(hours=24)
S, K = State, DeadlineKind

#: while the order is in one of these states, the step is still to be done (its due time counts)
PENDING_IN: Mapping[DeadlineKind, frozenset[State]] = {
    K.DISPATCH: frozenset({S.RECEIVED, S.ACCEPTED}),
    K.SIGN: frozenset({S.DISPATCHED}),
    K.RETURN: frozenset({S.DISPATCHED, S.SIGNED}),
    K.HANDLE: frozenset({S.DISPATCHED, S.SIGNED, S.RETURN_REQUESTED, S.EXTENSION_REQUESTED,
                         S.PROVISIONAL_CLOSE_REQUESTED, S.REDO}),
    K.FIRST_RESPONSE: frozenset({S.DISPATCHED, S.SIGNED}),
    K.PROGRESS_REPORT: frozenset({S.PROVISIONALLY_CLOSED}),
    K.CALLBACK: frozenset({S.REPLIED}),
    K.EVALUATION: frozenset({S.REPLIED}),
}
#: windows rather than duties: their passing is not lateness (the return window, the requester's evaluation)
WINDOWS = frozenset({K.RETURN, K.EVALUATION})
HANDLING = PENDING_IN[K.HANDLE]


def span_zh(delta: timedelta) -> str:
    """``2天3小时``, ``3小时20分钟``, ``20分钟``."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}天{hours}小时" if hours else f"{days}天"
    if hours:
        return f"{hours}小时{mins}分钟" if mins else f"{hours}小时"
    return f"{mins}分钟" if mins else "不到1分钟"


def local(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@dataclass(frozen=True)
class DueStatus:
    status: str          # overdue / soon / ok / passed / done
    text: str            # 剩余 2天3小时 · 已超期 5小时 · 已完成

    @property
    def badge(self) -> str:
        return {"overdue": "overdue", "soon": "soon", "ok": "ok"}.get(self.status, "")


def due_status(due: datetime | None, now: datetime, *, pending: bool = True, window: bool = False) -> DueStatus:
    if due is None:
        return DueStatus("none", "")
    if not pending:
        return DueStatus("done", "已结束")
    left = due - now
    if left < timedelta(0):
        return DueStatus("passed", f"已过 {span_zh(left)}") if window else DueStatus("overdue", f"已超期 {span_zh(left)}")
    return DueStatus("soon" if left <= SOON and not window else "ok", f"剩余 {span_zh(left)}")


def _done_at(order: Order, kind: DeadlineKind) -> datetime | None:
    return {K.DISPATCH: order.dispatched_at, K.SIGN: order.signed_at, K.HANDLE: order.replied_at}.get(kind)


@dataclass(frozen=True)
class DeadlineView:
    kind: str
    kind_zh: str
    start: str
    due: str
    due_at: datetime
    period_zh: str
    rule: str            # as stored (ziyang §13(2))
    rule_zh: str         # for people (资阳 §13(2))
    provisional: bool
    trace: tuple[str, ...]
    warnings: tuple[str, ...]
    status: DueStatus
    marked_overdue: bool


def deadlines(order: Order, rows: Iterable[OrderDeadline], now: datetime) -> list[DeadlineView]:
    state = State(order.state)
    out = []
    for row in sorted(rows, key=lambda r: (r.due, r.kind)):
        kind = DeadlineKind(row.kind)
        pending = state in PENDING_IN[kind] and not (kind is K.FIRST_RESPONSE and order.first_responded)
        status = due_status(row.due, now, pending=pending, window=kind in WINDOWS)
        done = _done_at(order, kind)
        if not pending and done is not None and done >= row.start:
            status = DueStatus("done", f"已完成，超期 {span_zh(done - row.due)}" if done > row.due else "按时完成")
        try:
            period_zh = Period.parse(row.period).zh
        except InvalidInput:
            period_zh = row.period
        out.append(DeadlineView(row.kind, kind.zh, local(row.start), local(row.due), row.due, period_zh, row.rule,
                                describe_rule(row.rule), row.provisional, tuple(row.trace), tuple(row.warnings),
                                status, row.kind in (order.overdue_steps or [])))
    return out


def handle_status(order: Order, now: datetime) -> DueStatus:
    """The order's handling due time, as a badge: overdue, due soon, or time left."""
    return due_status(order.handle_due, now, pending=State(order.state) in HANDLING)


@dataclass(frozen=True)
class Badge:
    label: str
    css: str = ""
    testid: str = ""


def badges(order: Order, now: datetime) -> list[Badge]:
    out: list[Badge] = []
    if order.urgency != Urgency.NORMAL.value:
        out.append(Badge(Urgency(order.urgency).zh, "urgent", "badge-urgency"))
    if order.appeal.confidential:
        out.append(Badge("保密", "urgent", "badge-confidential"))
    if order.supervised:
        out.append(Badge("督办件", "overdue", "badge-supervised"))
    handle = handle_status(order, now)
    if handle.status == "overdue":
        out.append(Badge("已超期", "overdue", "badge-overdue"))
    elif handle.status == "soon":
        out.append(Badge("即将到期", "soon", "badge-soon"))
    if order.overdue_steps:
        steps = "、".join(DeadlineKind(s).zh for s in order.overdue_steps)
        out.append(Badge(f"已记超期：{steps}", "overdue", "badge-overdue-steps"))
    if order.designated:
        out.append(Badge("指定承办", "", "badge-designated"))
    if order.signed_late:
        out.append(Badge("超期签收", "soon", "badge-signed-late"))
    if order.late_return:
        out.append(Badge("超期退单", "soon", "badge-late-return"))
    if order.evaluation:
        css = "overdue" if order.evaluation == Evaluation.DISSATISFIED.value else "ok"
        out.append(Badge(f"评价：{Evaluation(order.evaluation).zh}", css, "badge-evaluation"))
    if order.screened_out:
        out.append(Badge("甄别剔除", "", "badge-screened-out"))
    if order.exempted:
        out.append(Badge("已豁免", "", "badge-exempted"))
    return out


# --- the timeline -----------------------------------------------------------------------------------

#: payload keys people read, with their labels; the others are bookkeeping
PAYLOAD_LABELS: Mapping[str, str] = {
    "unit": "承办单位", "co_units": "协办单位", "executing_unit": "经办单位", "designated": "指定承办",
    "handling_limit": "办理时限", "handling_limit_basis": "时限依据", "major_item": "重大事项",
    "leader_approved": "领导已审定", "approver": "审定人", "domain": "领域",
    "reason": "理由", "basis": "依据", "suggested_unit": "建议承办单位", "evidence": "证明材料",
    "leader_confirmed": "单位领导已确认", "complex_item": "复杂事项",
    "returned_by": "退回单位", "returns": "累计退单", "escalated_to": "提交认定", "first_receiver_must_handle": "首接负责，原单位办理",
    "implied_sign": "视为签收", "length": "延期时长", "due": "新的时限", "explain_to_requester": "须向诉求人说明",
    "progress": "办理进展", "next_steps": "下步打算", "promised_date": "承诺办结时限", "confirmed_by": "确认单位",
    "next_report_due": "下次进展报送", "reply": "答复", "outcome": "回访结果", "attempt": "第几次未接通",
    "evaluation": "满意度", "contacted": "单位联系了诉求人",
    "resolved": "问题已解决", "redo": "第几次重办", "written_opinion": "履职意见书", "answer_script": "答复口径",
    "label": "事由", "merged_into": "合并到", "refer_to": "告知渠道", "transfer_call": "三方转接",
    "earlier_order": "原工单", "terminated_order": "终结工单", "steps": "超期环节", "late": "超时",
    "auto_archive": "自动归档", "note": "备注",
}
_UNIT_KEYS = frozenset({"unit", "co_units", "executing_unit", "suggested_unit", "returned_by"})
_PERIOD_KEYS = frozenset({"length", "handling_limit"})
_TIME_KEYS = frozenset({"due", "next_report_due"})
_ANSWERS = frozenset({"contacted", "resolved"})


def _unit_name(code: object, names: Mapping[str, str]) -> str:
    text = str(code)
    return f"{names[text]}（{text}）" if text in names else text


def _value(key: str, value: Any, names: Mapping[str, str]) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if key in _UNIT_KEYS:
        items = value if isinstance(value, list) else [value]
        return "、".join(_unit_name(v, names) for v in items)
    if key in _PERIOD_KEYS:
        try:
            return Period.parse(str(value)).zh
        except InvalidInput:
            return str(value)
    if key in _TIME_KEYS:
        try:
            return local(datetime.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if key == "evaluation":
        try:
            return Evaluation(str(value)).zh
        except ValueError:
            return str(value)
    if key == "outcome" and value in set(CallbackOutcome):
        return CallbackOutcome(str(value)).zh
    if key == "steps" and isinstance(value, list):
        return "、".join(DeadlineKind(s).zh if s in set(DeadlineKind) else str(s) for s in value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def payload_parts(payload: Mapping[str, Any], names: Mapping[str, str]) -> list[tuple[str, str]]:
    parts: list[tuple[str, str]] = []
    for key, label in PAYLOAD_LABELS.items():
        if key not in payload or payload[key] in (None, "", [], {}):
            continue
        value = payload[key]
        if key == "reply" and isinstance(value, dict):
            for element in ReplyElement:
                if value.get(element.value):
                    parts.append((element.zh, str(value[element.value])))
            continue
        if value is False and key not in _ANSWERS:   # only a yes is news (指定承办, 超时…); a no to a question is too
            continue
        parts.append((label, _value(key, value, names)))
    return parts


@dataclass(frozen=True)
class EventView:
    seq: int
    at: str
    action: str
    action_zh: str
    actor: str
    role_zh: str
    unit: str
    from_zh: str
    to_zh: str
    moved: bool
    rules: tuple[str, ...]
    parts: tuple[tuple[str, str], ...]


def _zh(enum: Any, value: str) -> str:
    try:
        return str(enum(value).zh)
    except ValueError:
        return value


def timeline(events: Iterable[Event], names: Mapping[str, str]) -> list[EventView]:
    out = []
    for event in events:
        actor = event.actor
        who = (actor.display_name or actor.username) if actor else _zh(Role, event.actor_role)
        rules = tuple(dict.fromkeys(describe_rule(r) for r in event.rules if r))
        out.append(EventView(event.seq, local(event.at), event.action, _zh(Action, event.action), who,
                             _zh(Role, event.actor_role), _unit_name(event.actor_unit, names) if event.actor_unit else "",
                             _zh(State, event.from_state), _zh(State, event.to_state),
                             event.from_state != event.to_state, rules,
                             tuple(payload_parts(event.payload or {}, names))))
    return out


def unit_codes(events: Iterable[Event]) -> set[str]:
    """Every unit code the timeline names (to look their names up at once)."""
    codes: set[str] = set()
    for event in events:
        if event.actor_unit:
            codes.add(event.actor_unit)
        for key in _UNIT_KEYS:
            value = (event.payload or {}).get(key)
            if isinstance(value, list):
                codes.update(str(v) for v in value)
            elif value:
                codes.add(str(value))
    return codes
