"""Work orders: list, detail, timeline, deadlines, and one POST endpoint per lifecycle action.

Every read goes through the permission gate (``selectors.order_get_for_user``): a unit asking for
another unit's order gets 404, as if it did not exist. Every action calls its ``order_<action>``
service (``ACTION_SERVICES``), which asks the lifecycle table; the endpoint then answers with the
order as it now is. The action endpoints are declared from one table, :data:`ACTIONS`.
"""

# No `from __future__ import annotations` here: the action endpoints are built in a loop, and ninja
# reads each one's body type from the function's (evaluated) annotations.

from collections.abc import Callable
from datetime import UTC
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import P, PathEx, Query, Router, Schema

from hotline.api import schemas as s
from hotline.api.auth import channel_of, user_of
from hotline.api.errors import errors
from hotline.directory.models import User
from hotline.orders import rulebook, selectors
from hotline.orders.models import Channel, Event, Order
from hotline.orders.services import ACTION_SERVICES
from hotline.orders.services.transition import actor_of
from hotline.rules import lifecycle
from hotline.rules.errors import InvalidInput, RuleError
from hotline.rules.order import Action, CallbackOutcome, Command, Inputs, State
from hotline.rules.periods import Period
from hotline.rules.vocabulary import AppealType, DeadlineKind, Evaluation, ReplyElement, Role, Urgency

router = Router(tags=["orders"])

OrderId = PathEx[int, P(ge=1, le=s.MAX_ID, description="the order's id")]
OrderNumber = PathEx[str, P(max_length=32, pattern=s.NO_NUL, description="the order's number (ZY2026112300001)")]

#: each action with an endpoint: its body (None: none; one whose fields all have defaults may be left out)
ACTIONS: tuple[tuple[Action, type[Schema] | None, str], ...] = (
    (Action.DISPATCH, s.DispatchIn, "派单 / dispatch the order to a handling unit (and co-units)"),
    (Action.SIGN, None, "签收 / the unit acknowledges receipt"),
    (Action.FIRST_RESPONSE, s.RequiredNoteIn, "初步响应 / first response on a special or urgent item"),
    (Action.DELEGATE, s.DelegateIn, "下派 / pass the order down to an executing unit"),
    (Action.CO_HANDLE, s.RequiredNoteIn, "协办意见 / a co-unit's opinion"),
    (Action.REQUEST_RETURN, s.RequestReturnIn, "申请退单 / send the order back as not the unit's duty"),
    (Action.APPROVE_RETURN, s.NoteIn, "同意退单 / approve a return"),
    (Action.REJECT_RETURN, s.NoteIn, "驳回退单 / reject a return: the unit handles the order"),
    (Action.DESIGNATE_UNIT, s.DesignateUnitIn, "认定承办单位 / designate the unit of a disputed order"),
    (Action.REQUEST_EXTENSION, s.RequestExtensionIn, "申请延期 / ask for more time"),
    (Action.APPROVE_EXTENSION, s.ApproveExtensionIn, "同意延期 / approve an extension"),
    (Action.REJECT_EXTENSION, s.NoteIn, "驳回延期 / reject an extension"),
    (Action.REQUEST_PROVISIONAL_CLOSE, s.RequestProvisionalCloseIn, "申请临时办结 / ask for a provisional close"),
    (Action.APPROVE_PROVISIONAL_CLOSE, s.NoteIn, "同意临时办结 / approve a provisional close"),
    (Action.REJECT_PROVISIONAL_CLOSE, s.NoteIn, "驳回临时办结 / reject a provisional close"),
    (Action.REPORT_PROGRESS, s.ReportProgressIn, "报送进展 / report progress on a provisionally closed order"),
    (Action.REPLY, s.ReplyIn, "办结答复 / the unit's reply: what was done"),
    (Action.RECORD_CALLBACK_FAILURE, s.NoteIn, "回访未接通 / the callback did not reach the requester"),
    (Action.RECORD_CALLBACK_DECLINED, s.NoteIn,
     "拒绝评价 / the requester was reached but would not answer: the order closes without an evaluation"),
    (Action.EVALUATE, s.EvaluateIn, "满意度评价 / record the callback: contacted (响应), resolved (解决) and the evaluation"),
    (Action.REDO, s.NoteIn, "发回重办 / send a dissatisfied order back to the unit"),
    (Action.SCREEN_OUT, s.RequiredNoteIn, "甄别为非承办单位原因 / the dissatisfaction is not the unit's fault"),
    (Action.UPHOLD_DISSATISFIED, s.NoteIn, "甄别为承办单位原因 / the dissatisfaction counts"),
    (Action.REQUEST_EXEMPTION, s.RequestExemptionIn, "申请豁免 / ask for an exemption from assessment"),
    (Action.APPROVE_EXEMPTION, s.NoteIn, "同意豁免 / approve an exemption"),
    (Action.REJECT_EXEMPTION, s.NoteIn, "驳回豁免 / reject an exemption"),
    (Action.REQUEST_TERMINATION, s.RequestTerminationIn, "申请终结 / ask to close a repeated matter for good"),
    (Action.APPROVE_TERMINATION, s.NoteIn, "同意终结 / approve a termination"),
    (Action.REJECT_TERMINATION, s.NoteIn, "驳回终结 / reject a termination"),
    (Action.REMIND, s.NoteIn, "催办 / remind the unit"),
    (Action.SUPERVISE, s.SuperviseIn, "督办 / put the order under supervision"),
    (Action.MERGE, s.MergeIn, "合并 / merge a repeat into the order it repeats"),
    (Action.RECORD_PHONE_ALERT, s.NoteIn, "电话预警 / the unit was alerted by phone (urgent items)"),
    (Action.ACCEPT, s.AcceptIn, "受理 / accept an appeal registered online (an order still at intake)"),
    (Action.DECLINE, s.DeclineIn, "不予受理 / decline (an order still at intake)"),
    (Action.ANSWER_DIRECTLY, s.NoteIn, "直接答复 / answer directly (an order still at intake)"),
    (Action.ARCHIVE, s.NoteIn, "归档 / archive a closed order"),
)
ENDPOINT_ACTIONS = frozenset(action for action, _, _ in ACTIONS)


def endpoint_path(action: Action) -> str:
    return action.value.replace("_", "-")


# --- reads ----------------------------------------------------------------------------------------

def _unit(unit: Any) -> dict[str, str] | None:
    return {"code": unit.code, "name": unit.name} if unit is not None else None


def _summary(order: Order) -> str:
    text = order.matter or order.appeal.title or order.appeal.content
    return text if len(text) <= 80 else text[:79] + "…"


def _overdue(order: Order, now: Any) -> bool:
    return bool(order.handle_due and order.handle_due < now and not order.replied_at and not order.closed_at)


def deadline_out(row: Any, *, trace: bool = False) -> dict[str, Any]:
    period = Period.parse(row.period)
    out = {"kind": row.kind, "kind_zh": DeadlineKind(row.kind).zh, "start": row.start, "due": row.due,
           "period": row.period, "period_zh": period.zh, "rule": row.rule, "provisional": row.provisional,
           "warnings": list(row.warnings)}
    if trace:
        out["trace"] = list(row.trace)
    return out


#: inputs for asking the table whether an action is open: every free-text field filled, so that only
#: the rules that do not depend on what the user will type can refuse (role, unit, state, counts, timing)
_PROBE = Inputs(reason="…", basis="…", suggested_unit="…", evidence="…", leader_confirmed=True, progress="…",
                next_steps="…", promised_date="…", written_opinion="…", answer_script="…", note="…",
                reply={element: "…" for element in ReplyElement})


def allowed_actions(user: User, order: Order) -> list[dict[str, Any]]:
    """For each action the table has from the order's state: may this user take it now, and if not, why.

    A refusal that only asks for input (InvalidInput: a unit to name, a length…) counts as allowed:
    the form will ask for it. Rules that depend on what is typed may still refuse the action later.
    """
    state = State(order.state)
    actions = [a for a in lifecycle.actions_from(state) if a in ENDPOINT_ACTIONS]
    if not actions:
        return []
    snapshot = rulebook.snapshot(order)
    profile, calendar, actor, now = rulebook.profile(order.profile), rulebook.calendar(), actor_of(user), timezone.now()
    found = []
    for action in actions:
        refusal = lifecycle.allowed(profile, calendar, snapshot, Command(action, actor, now, _PROBE))
        if isinstance(refusal, InvalidInput):
            refusal = None
        found.append({"action": action.value, "action_zh": action.zh,
                      "endpoint": f"/api/v1/orders/{order.pk}/{endpoint_path(action)}", "allowed": refusal is None,
                      "refusal": refusal.as_dict() if isinstance(refusal, RuleError) else None})
    return found


def order_detail(request: HttpRequest, order: Order) -> dict[str, Any]:
    """The order as ``user`` may see it; reading the requester goes to the personal-data access log."""
    user = user_of(request)
    appeal = order.appeal
    view = selectors.requester_for(user=user, order=order, purpose="order detail", channel=channel_of(request))
    evaluation = Evaluation(order.evaluation) if order.evaluation else None
    return {
        "id": order.pk, "number": order.number, "profile": order.profile,
        "state": order.state, "state_zh": State(order.state).zh,
        "appeal_type": order.appeal_type, "appeal_type_zh": AppealType(order.appeal_type).zh,
        "urgency": order.urgency, "urgency_zh": Urgency(order.urgency).zh,
        "category": _unit(order.category), "lead_unit": _unit(order.lead_unit),
        "co_units": [_unit(u) for u in order.co_units.order_by("code")], "executing_unit": _unit(order.executing_unit),
        "handling_limit": order.handling_limit, "received_at": order.received_at,
        "dispatched_at": order.dispatched_at, "signed_at": order.signed_at, "replied_at": order.replied_at,
        "closed_at": order.closed_at, "handle_due": order.handle_due,
        "evaluation": order.evaluation, "evaluation_zh": evaluation.zh if evaluation else None,
        "contacted": order.contacted, "resolved": order.resolved,
        "callback_outcome": order.callback_outcome,
        "callback_outcome_zh": CallbackOutcome(order.callback_outcome).zh if order.callback_outcome else None,
        "counters": {"returns": order.returns, "extensions": order.extensions, "redos": order.redos,
                     "reminders": order.reminders, "callback_attempts": order.callback_attempts},
        "flags": {"designated": order.designated, "supervised": order.supervised, "phone_alerted": order.phone_alerted,
                  "first_responded": order.first_responded, "late_return": order.late_return,
                  "signed_late": order.signed_late, "screened_out": order.screened_out, "exempted": order.exempted,
                  "overdue_steps": list(order.overdue_steps)},
        "deadlines": [deadline_out(d) for d in order.deadlines.order_by("due", "kind")],
        "appeal": {
            "id": appeal.pk, "channel": appeal.channel, "channel_zh": Channel(appeal.channel).label,
            "appeal_type": appeal.appeal_type, "title": appeal.title, "content": appeal.content, "matter": order.matter,
            "category": _unit(appeal.category), "region": _unit(appeal.region), "address": appeal.address,
            "latitude": float(appeal.latitude) if appeal.latitude is not None else None,
            "longitude": float(appeal.longitude) if appeal.longitude is not None else None,
            "confidential": appeal.confidential, "reported_party": appeal.reported_party,
            "received_at": appeal.received_at,
        },
        "requester": {"visible": view.visible, "masked": view.masked, "name": view.name, "phone": view.phone,
                      "id": view.requester_id},
        "allowed_actions": allowed_actions(user, order),
        "version": order.version,
    }


def _aware(value: Any, field: str) -> Any:
    if value is None:
        return None
    try:
        aware = value if timezone.is_aware(value) else timezone.make_aware(value)
        aware.astimezone(UTC)  # a datetime at the edge of the calendar cannot be stored or compared
    except (OverflowError, ValueError):
        raise InvalidInput(f"{field} 超出可用的时间范围", f"{field} is out of the supported range") from None
    return aware


@router.get("/orders", response={200: s.OrderListOut, **errors()}, operation_id="order_list",
            summary="工单列表 / the orders you may see, filtered, newest first")
def order_list(request: HttpRequest, filters: Query[s.OrderFilters]) -> dict[str, Any]:
    user = user_of(request)
    if filters.state:
        unknown = sorted({v for v in filters.state.split(",") if v} - set(State))
        if unknown:
            raise InvalidInput(f"状态 {'、'.join(unknown)} 不存在", f"unknown state(s): {', '.join(unknown)}")
    now = timezone.now()
    orders = selectors.order_list_for_user(
        user=user, state=filters.state or None, unit=filters.unit, category=filters.category,
        appeal_type=filters.appeal_type.value if filters.appeal_type else None, overdue=filters.overdue,
        supervised=filters.supervised, received_from=_aware(filters.received_from, "received_from"),
        received_to=_aware(filters.received_to, "received_to"), q=filters.q, now=now)
    start = (filters.page - 1) * filters.page_size
    page = list(orders[start:start + filters.page_size])
    items = [{
        "id": o.pk, "number": o.number, "state": o.state, "state_zh": State(o.state).zh, "appeal_type": o.appeal_type,
        "appeal_type_zh": AppealType(o.appeal_type).zh, "urgency": o.urgency, "category": _unit(o.category),
        "lead_unit": _unit(o.lead_unit), "summary": _summary(o), "received_at": o.received_at,
        "handle_due": o.handle_due, "replied_at": o.replied_at, "closed_at": o.closed_at,
        "supervised": o.supervised, "overdue": _overdue(o, now),
    } for o in page]
    return {"count": orders.count(), "page": filters.page, "page_size": filters.page_size, "items": items}


@router.get("/orders/by-number/{number}", response={200: s.OrderOut, **errors()}, operation_id="order_by_number",
            summary="按工单编号查看工单 / an order by its number")
def order_by_number(request: HttpRequest, number: OrderNumber) -> dict[str, Any]:
    return order_detail(request, selectors.order_get_for_user(user=user_of(request), number=number))


@router.get("/orders/{order_id}", response={200: s.OrderOut, **errors()}, operation_id="order_get",
            summary="工单详情 / an order: state, units, deadlines, the requester as you may see them, what you may do")
def order_get(request: HttpRequest, order_id: OrderId) -> dict[str, Any]:
    return order_detail(request, selectors.order_get_for_user(user=user_of(request), order_id=order_id))


@router.get("/orders/{order_id}/events", response={200: list[s.EventOut], **errors()}, operation_id="order_events",
            summary="流转记录 / the order's timeline")
def order_events(request: HttpRequest, order_id: OrderId) -> list[dict[str, Any]]:
    user = user_of(request)
    order = selectors.order_get_for_user(user=user, order_id=order_id)
    return [_event_out(event) for event in selectors.order_timeline(user=user, order=order)]


def _event_out(event: Event) -> dict[str, Any]:
    actor = event.actor
    return {"seq": event.seq, "action": event.action, "action_zh": Action(event.action).zh,
            "actor": {"username": actor.username if actor else None,
                      "display_name": (actor.display_name or actor.username) if actor else None,
                      "role": event.actor_role, "role_zh": Role(event.actor_role).zh, "unit": event.actor_unit},
            "at": event.at, "from_state": event.from_state, "from_state_zh": State(event.from_state).zh,
            "to_state": event.to_state, "to_state_zh": State(event.to_state).zh, "rules": list(event.rules),
            "payload": dict(event.payload)}


@router.get("/orders/{order_id}/deadlines", response={200: list[s.OrderDeadlineTraceOut], **errors()},
            operation_id="order_deadlines", summary="时限及其计算过程 / the order's deadlines, with how each was counted")
def order_deadlines(request: HttpRequest, order_id: OrderId) -> list[dict[str, Any]]:
    order = selectors.order_get_for_user(user=user_of(request), order_id=order_id)
    return [deadline_out(d, trace=True) for d in order.deadlines.order_by("due", "kind")]


# --- actions --------------------------------------------------------------------------------------

def _service_kwargs(action: Action, payload: Schema | None) -> dict[str, Any]:
    if payload is None:
        return {}
    kwargs = payload.model_dump()
    if action is Action.REPLY:
        kwargs["reply"] = {k: v for k, v in kwargs["reply"].items() if v}
    return kwargs


def _act(request: HttpRequest, order_id: int, action: Action, payload: Schema | None) -> dict[str, Any]:
    user = user_of(request)
    selectors.order_check_visible(user=user, order_id=order_id)  # the gate: 404 for an order you may not see
    ACTION_SERVICES[action](order=order_id, user=user, **_service_kwargs(action, payload))  # type: ignore[operator]
    return order_detail(request, selectors.order_get_for_user(user=user, order_id=order_id))


def _action_view(action: Action, body: type[Schema] | None) -> Callable[..., dict[str, Any]]:
    if body is None:
        def view(request: HttpRequest, order_id: OrderId) -> dict[str, Any]:
            return _act(request, order_id, action, None)
    elif not any(f.is_required() for f in body.model_fields.values()):  # nothing required: the body may be left out
        def view(request: HttpRequest, order_id: OrderId,  # type: ignore[misc]
                 payload: body | None = None) -> dict[str, Any]:  # type: ignore[valid-type]
            return _act(request, order_id, action, payload)
    else:
        def view(request: HttpRequest, order_id: OrderId, payload: body) -> dict[str, Any]:  # type: ignore[misc,valid-type]
            return _act(request, order_id, action, payload)
    view.__name__ = view.__qualname__ = f"order_{action.value}"
    return view


for _action, _body, _summary_text in ACTIONS:
    router.post(f"/orders/{{order_id}}/{endpoint_path(_action)}", response={200: s.OrderOut, **errors()},
                operation_id=f"order_{_action.value}", summary=_summary_text,
                description=f"Calls `order_{_action.value}`; answers with the order as it now is. "
                            "409: the order's state does not allow it; 422 with `article`: a rule refused it.")(
        _action_view(_action, _body))
