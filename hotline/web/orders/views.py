"""The order pages: one order with everything about it, the search, and the shared action endpoint.

``POST /orders/<id>/act/<action>/`` is the one way every page acts on an order: it parses the action's
form (``actions.FORMS``), calls the action's service (``ACTION_SERVICES``), and answers
- success: a message ``已<动作>：<工单号>`` and a redirect to ``next`` (a local URL) or the order page
  (htmx: an ``HX-Redirect`` header);
- a refusal (a rule, the role, a bad field): the Chinese message with its article, nothing changed —
  back to ``next`` with the message; without ``next``, the order page again with the form as it was
  filled (422, or 403 for a role that may not act); htmx: a 422/403 fragment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from hotline.directory.models import Category, Region, Unit, User
from hotline.orders import rulebook, selectors
from hotline.orders.models import Channel, Order
from hotline.orders.services import ACTION_SERVICES
from hotline.rules.deadlines import describe_rule
from hotline.rules.errors import Forbidden, NotFound, RoleNotAllowed, RuleError
from hotline.rules.order import Action, State
from hotline.rules.vocabulary import AppealType, Urgency
from hotline.web.orders import actions, present
from hotline.web.orders.actions import FORMS, ActionForm, FormError
from hotline.web.orders.panel import panel
from hotline.web.views.common import page

SEARCH_ROLES = frozenset({User.Role.OPERATOR, User.Role.DISPATCHER, User.Role.SUPERVISOR, User.Role.UNIT_HANDLER,
                          User.Role.UNIT_LEADER, User.Role.ANALYST, User.Role.ADMINISTRATOR})
PAGE_SIZE = 30


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def problem(request: HttpRequest, status: int, message: str, *, title: str = "") -> HttpResponse:
    """A page (or, for htmx, a fragment) saying in Chinese why the request cannot be served."""
    heading = title or {403: "无权访问", 404: "未找到", 405: "请求方式不对"}.get(status, "无法办理")
    if is_htmx(request):
        return render(request, "web/orders/_problem.html", {"heading": heading, "message": message}, status=status)
    return page(request, "web/orders/problem.html", {"heading": heading, "message": message}, title=heading,
                status=status)


def safe_next(request: HttpRequest) -> str:
    """``next`` when it is a URL of this server, else ""."""
    target = str(request.POST.get("next") or request.GET.get("next") or "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return ""


def refusal_text(err: RuleError) -> str:
    """The message with the rule it comes from, once: ``资阳 §13(3)：咨询类工单不予延期``."""
    text = err.message_zh
    if err.article:
        rule = describe_rule(err.article)
        if rule not in text:
            text += f"（依据：{rule}）"
    return text


def _status_of(err: RuleError) -> int:
    return 403 if isinstance(err, RoleNotAllowed | Forbidden) else 422


# --- the order page ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Failure:
    """An action just refused, to show at its form with what was typed."""

    action: Action
    error: RuleError
    data: QueryDict


def _unit_names(codes: set[str]) -> dict[str, str]:
    wanted = {c for c in codes if c}
    return dict(Unit.objects.filter(code__in=wanted).values_list("code", "name")) if wanted else {}


def _delegate_units(user: User, units: dict[str, str]) -> list[str] | None:
    """Executing units a unit may pass an order down to: its own sub-units if it has any, else any other unit."""
    if not user.unit_id:
        return None
    children = list(Unit.objects.filter(parent_id=user.unit_id, active=True).values_list("code", flat=True))
    own = user.unit.code if user.unit else ""
    return children or [code for code in units if code != own]


def order_context(request: HttpRequest, order: Order, failure: Failure | None = None) -> dict[str, Any]:
    user = _user(request)
    now = timezone.now()
    prefetch_related_objects([order], "deadlines", "co_units")
    profile, calendar = rulebook.profile(order.profile), rulebook.calendar()
    snapshot = rulebook.snapshot(order)
    items = panel(user, snapshot, profile, calendar, now)
    enabled = [i for i in items if i.enabled]
    units = actions.active_units() if any(i.form.needs_units for i in enabled) else {}
    forms = {}
    for item in enabled:
        failed = failure is not None and failure.action is item.form.action
        bound = actions.bind(item.form, profile, units=units, data=failure.data if failed and failure else None,
                             error_field=failure.error.field if failed and failure and isinstance(failure.error, FormError) else "",
                             unit_filter=_delegate_units(user, units) if item.form.action is Action.DELEGATE else None)
        if failed and failure:
            bound.error_zh, bound.error_en = refusal_text(failure.error), failure.error.message_en
            rule = describe_rule(failure.error.article) if failure.error.article else ""
            bound.error_rule = rule if rule not in bound.error_zh else ""
        forms[item.action] = bound
    events = list(selectors.order_timeline(user=user, order=order))
    co_units = list(order.co_units.all())
    names = _unit_names(present.unit_codes(events))
    requester = selectors.requester_for(user=user, order=order, purpose="查看工单")
    appeal = order.appeal
    loose_error = None
    if failure is not None and failure.action.value not in forms:
        loose_error = {"action_zh": failure.action.zh, "message": refusal_text(failure.error),
                       "message_en": failure.error.message_en}
    return {
        "order": order, "appeal": appeal, "profile": profile,
        "state_zh": State(order.state).zh, "appeal_type_zh": AppealType(order.appeal_type).zh,
        "urgency_zh": Urgency(order.urgency).zh, "channel_zh": Channel(appeal.channel).label,
        "badges": present.badges(order, now), "co_units": co_units,
        "deadlines": present.deadlines(order, order.deadlines.all(), now),
        "timeline": present.timeline(events, names),
        "requester": requester,
        "panel": [{"item": i, "form": forms.get(i.action)} for i in items],
        "open_action": failure.action.value if failure is not None else "",
        "loose_error": loose_error,
        "reply_elements": [e.zh for e in profile.reply.elements],
        "reply_rule": describe_rule(profile.reply.source),
        "privacy_rule": describe_rule(profile.privacy.source),
    }


@login_required
def order_page(request: HttpRequest, order_id: int) -> HttpResponse:
    try:
        order = selectors.order_get_for_user(user=_user(request), order_id=order_id)
    except NotFound as exc:
        return problem(request, 404, exc.message_zh)
    return page(request, "web/orders/order.html", order_context(request, order), current="web:orders",
                title=f"工单 {order.number}")


# --- the shared action endpoint ------------------------------------------------------------------------

@login_required
def order_act(request: HttpRequest, order_id: int, action: str) -> HttpResponse:
    if request.method != "POST":
        response = problem(request, 405, "办理工单须提交表单（POST）")
        response["Allow"] = "POST"
        return response
    user = _user(request)
    try:
        act = Action(action)
    except ValueError:
        return problem(request, 404, f"没有“{action}”这个操作")
    form = FORMS.get(act)
    if form is None:
        return problem(request, 404, f"“{act.zh}”由系统自动办理，不能通过此入口操作")
    try:
        order = selectors.order_get_for_user(user=user, order_id=order_id)
    except NotFound as exc:
        return problem(request, 404, exc.message_zh)
    next_url = safe_next(request)
    try:
        profile = rulebook.profile(order.profile)
        kwargs = actions.parse(form, request.POST, profile, units=actions.active_units() if form.needs_units else None)
        ACTION_SERVICES[act](order=order.pk, user=user, **kwargs)  # type: ignore[operator]
    except RuleError as err:
        return _refused(request, order, form, err, next_url)
    messages.success(request, f"{form.done}：{order.number}")
    target = next_url or reverse("web:order", args=[order.pk])
    if is_htmx(request):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


def _refused(request: HttpRequest, order: Order, form: ActionForm, err: RuleError, next_url: str) -> HttpResponse:
    status = _status_of(err)
    if is_htmx(request):
        return render(request, "web/orders/_refusal.html", {
            "action_zh": form.label, "number": order.number, "message": refusal_text(err), "message_en": err.message_en,
            "rule": describe_rule(err.article) if err.article else "", "field": getattr(err, "field", ""),
            "code": err.code}, status=status)
    order_url = reverse("web:order", args=[order.pk])
    if next_url and next_url.split("?")[0].split("#")[0] != order_url:
        messages.error(request, f"未能{form.label}（{order.number}）：{refusal_text(err)}")
        return redirect(next_url)
    order = selectors.order_get_for_user(user=_user(request), order_id=order.pk)  # as it is: nothing changed
    context = order_context(request, order, Failure(form.action, err, request.POST))
    return page(request, "web/orders/order.html", context, current="web:orders", title=f"工单 {order.number}",
                status=status)


# --- the search -------------------------------------------------------------------------------------

_YESNO = {"": None, "yes": True, "no": False}


def _day(value: str, label: str, errors: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(f"{label}“{value}”不是有效日期，应写成 2026-03-02 / {label}: not a date (YYYY-MM-DD)")
        return None


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search_filters(params: QueryDict, user: User) -> tuple[dict[str, Any], list[str]]:
    """The selector's filters from the query string, and the errors (Chinese / English) of bad ones."""
    errors: list[str] = []
    filters: dict[str, Any] = {}
    state = params.get("state", "")
    if state:
        if state in {s.value for s in State}:
            filters["state"] = state
        else:
            errors.append(f"状态“{state}”不存在 / unknown state {state!r}")
    appeal_type = params.get("appeal_type", "")
    if appeal_type:
        if appeal_type in {t.value for t in AppealType}:
            filters["appeal_type"] = appeal_type
        else:
            errors.append(f"诉求类型“{appeal_type}”不存在 / unknown appeal type {appeal_type!r}")
    for key in ("unit", "category", "region"):
        value = params.get(key, "").strip()
        if value:
            filters[key] = value[:32]
    channel = params.get("channel", "")
    if channel:
        if channel in Channel.values:
            filters["channel"] = channel
        else:
            errors.append(f"受理渠道“{channel}”不存在 / unknown channel {channel!r}")
    for key, label in (("overdue", "是否超期"), ("supervised", "是否督办")):
        value = params.get(key, "")
        if value not in _YESNO:
            errors.append(f"{label}只能是 yes 或 no / {key}: yes or no")
        elif _YESNO[value] is not None:
            filters[key] = _YESNO[value]
    start = _day(params.get("received_from", ""), "受理日期起", errors)
    end = _day(params.get("received_to", ""), "受理日期止", errors)
    if start:
        filters["received_from"] = _aware(start)
    if end:
        filters["received_to"] = _aware(end + timedelta(days=1))
    if start and end and end < start:
        errors.append("受理日期止早于受理日期起 / received_to is before received_from")
    q = params.get("q", "").strip()
    if q:
        filters["q"] = q[:100]
    return filters, errors


def order_row(order: Order, now: datetime) -> dict[str, Any]:
    text = order.matter or order.appeal.title or order.appeal.content
    return {"order": order, "state_zh": State(order.state).zh, "appeal_type_zh": AppealType(order.appeal_type).zh,
            "summary": text if len(text) <= 60 else text[:59] + "…", "due": present.local(order.handle_due),
            "due_status": present.handle_status(order, now), "urgent": order.urgency != Urgency.NORMAL.value}


@login_required
def order_search(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role not in SEARCH_ROLES:
        return problem(request, 403, "您的角色不能查询工单")
    filters, errors = search_filters(request.GET, user)
    now = timezone.now()
    rows: list[dict[str, Any]] = []
    paged = None
    if not errors:
        orders = selectors.order_list_for_user(user=user, now=now, **filters)
        paged = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [order_row(o, now) for o in paged]
    keep = request.GET.copy()
    keep.pop("page", None)
    context: dict[str, object] = {
        "rows": rows, "paged": paged, "errors": errors, "params": request.GET, "query": keep.urlencode(),
        "states": [(s.value, s.zh) for s in State], "appeal_types": [(t.value, t.zh) for t in AppealType],
        "categories": list(Category.objects.filter(active=True).order_by("code").values_list("code", "name")),
        "channels": Channel.choices,
        "regions": list(Region.objects.order_by("code").values_list("code", "name")),
        "units": list(actions.active_units().items()) if not user.is_unit_staff else [],
        "yesno": [("", "不限"), ("yes", "是"), ("no", "否")],
    }
    return page(request, "web/orders/search.html", context, current="web:orders", title="工单查询",
                status=400 if errors else 200)
