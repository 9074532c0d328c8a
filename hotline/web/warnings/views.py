"""The early-warning pages (预警, ziyang §21, xixian §9(6)).

Supervisors and administrators see every warning and act on it (acknowledge; close with a note);
analysts read; unit staff see only the overdue warnings about their own unit (the selectors decide).
Thin: ``hotline.early_warning.selectors`` reads, ``hotline.early_warning.services`` writes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from hotline.directory.models import User
from hotline.early_warning import selectors, services
from hotline.early_warning.models import EarlyWarning, Kind, Status
from hotline.orders.models import Order
from hotline.rules.errors import Forbidden, RuleError
from hotline.web.supervision.access import order_url, roles_required, rule_text
from hotline.web.views.common import page

READERS = (User.Role.SUPERVISOR, User.Role.ADMINISTRATOR, User.Role.ANALYST, User.Role.UNIT_HANDLER,
           User.Role.UNIT_LEADER)
STATUS_FILTERS = (("active", "未关闭"), ("open", "待处理"), ("acknowledged", "已确认"), ("closed", "已关闭"), ("all", "全部"))


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _forbidden(request: HttpRequest, error: RuleError) -> HttpResponse:
    return page(request, "web/supervision/forbidden.html", {"message": rule_text(error)}, title="无权访问", status=403)


@require_GET
@roles_required(READERS, "预警")
def warnings_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    status = request.GET.get("status", "active")
    kind = request.GET.get("kind", "")
    status = status if status in dict(STATUS_FILTERS) else "active"
    kind = kind if kind in Kind.values else ""
    try:
        rows = selectors.warning_list(user=user, status="" if status == "all" else status, kind=kind)
        counts = selectors.warning_counts(user=user)
    except RuleError as exc:
        return _forbidden(request, exc)
    context = {
        "rows": rows, "status": status, "kind": kind, "statuses": STATUS_FILTERS, "kinds": Kind.choices,
        "counts": [(value, label, counts.get(value, 0)) for value, label in Kind.choices],
        "may_act": user.role in services.ACTORS,
    }
    return page(request, "web/warnings/list.html", context, current="web:warnings", title="预警")


def _orders(warning: EarlyWarning) -> list[dict[str, Any]]:
    """The orders behind the warning: numbers and links for the hotline; the order page applies its own gate."""
    numbers = list(warning.evidence.get("orders", []))
    found = {o.number: o for o in Order.objects.filter(number__in=numbers).only("pk", "number", "state")}
    return [{"number": n, "url": order_url(found[n].pk) if n in found else ""} for n in numbers]


def _reference(warning: EarlyWarning) -> list[dict[str, Any]]:
    rows = list(warning.evidence.get("reference", []))
    top = max([r["count"] for r in rows] + [warning.evidence.get("count", 0), 1])
    rows = [{**r, "width": round(100 * r["count"] / top)} for r in rows]
    if rows:
        rows.append({"day": warning.evidence.get("day", ""), "count": warning.evidence.get("count", 0),
                     "width": round(100 * warning.evidence.get("count", 0) / top), "judged": True})
    return rows


def _history(warning: EarlyWarning) -> list[dict[str, Any]]:
    label = dict(Status.choices)
    return [{"at": e.at, "action": e.action, "action_zh": e.get_action_display(),
             "actor": (e.actor.display_name or e.actor.username) if e.actor else "系统",
             "from_zh": label.get(e.from_status, ""), "to_zh": label.get(e.to_status, e.to_status), "note": e.note}
            for e in selectors.warning_history(warning)]


@require_GET
@roles_required(READERS, "预警")
def warning_page(request: HttpRequest, warning_id: int) -> HttpResponse:
    user = _user(request)
    try:
        warning = selectors.warning_get(user=user, warning_id=warning_id)
    except RuleError as exc:
        if isinstance(exc, Forbidden):
            return _forbidden(request, exc)
        return page(request, "web/warnings/missing.html", {"message": rule_text(exc)}, title="预警", status=404)
    context = {
        "w": warning, "e": warning.evidence, "history": _history(warning),
        "orders": _orders(warning), "reference": _reference(warning),
        "may_act": user.role in services.ACTORS, "is_open": warning.status == Status.OPEN,
        "is_closed": warning.status == Status.CLOSED,
    }
    return page(request, "web/warnings/detail.html", context, current="web:warnings", title=f"预警 #{warning.pk}")


@require_POST
@roles_required(READERS, "预警")
def warning_act(request: HttpRequest, warning_id: int, action: str) -> HttpResponse:
    """Acknowledge or close; a refusal comes back on the page with its reason (status 422 / 403)."""
    user = _user(request)
    note = request.POST.get("note", "")
    try:
        if action == "acknowledge":
            services.warning_acknowledge(user=user, warning_id=warning_id, note=note)
            messages.success(request, "已确认预警")
        elif action == "close":
            services.warning_close(user=user, warning_id=warning_id, note=note)
            messages.success(request, "已关闭预警")
        else:
            return page(request, "web/warnings/missing.html", {"message": f"未知操作：{action}"}, title="预警",
                        status=404)
    except RuleError as exc:
        if isinstance(exc, Forbidden):
            return _forbidden(request, exc)
        try:
            warning = selectors.warning_get(user=user, warning_id=warning_id)
        except RuleError as missing:
            return page(request, "web/warnings/missing.html", {"message": rule_text(missing)}, title="预警",
                        status=404)
        context = {
            "w": warning, "e": warning.evidence, "history": _history(warning),
            "orders": _orders(warning), "reference": _reference(warning), "may_act": True,
            "is_open": warning.status == Status.OPEN, "is_closed": warning.status == Status.CLOSED,
            "error": rule_text(exc), "note": note, "failed_action": action,
        }
        return page(request, "web/warnings/detail.html", context, current="web:warnings",
                    title=f"预警 #{warning.pk}", status=422)
    return redirect(reverse("web:warning", args=[warning_id]))
