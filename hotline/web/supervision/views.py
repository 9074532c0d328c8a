"""The supervision board (督办): overdue and due-soon orders by unit, supervised orders, interviews (约谈).

Reminders (催办) and supervision notices (督办) post to the shared action endpoint ``web:order_act``;
interviews are about a unit, not an order, and are recorded here through
:func:`hotline.supervision.services.interview_record`.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from hotline.directory.models import User
from hotline.orders import rulebook
from hotline.orders.models import Order
from hotline.rules.deadlines import describe_rule
from hotline.rules.errors import InvalidInput, RuleError
from hotline.rules.order import Action, Inputs, State
from hotline.rules.profiles import Profile
from hotline.rules.vocabulary import AppealType
from hotline.supervision import selectors
from hotline.supervision.services import interview_record
from hotline.web.supervision.access import button, order_url, roles_required, rule_text
from hotline.web.views.common import page

SUPERVISORS = (User.Role.SUPERVISOR,)
#: rows shown in the drill-down when no unit is chosen
ALL_UNITS_LIMIT = 200


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _triggers(profile: Profile) -> list[dict[str, object]]:
    return [{"code": t.code, "label": t.label, "auto": t.auto, "rule": describe_rule(t.source)}
            for t in profile.supervision.triggers]


def _row(user: User, order: Order, now: datetime, next_url: str, step: selectors.DueStep | None = None) -> dict[str, object]:
    """One order on the board: what it is, its pressing step, and its two buttons."""
    profile = rulebook.profile(order.profile)
    triggers = _triggers(profile)
    first = str(triggers[0]["code"]) if triggers else ""
    return {
        "order": order, "url": order_url(order.pk), "state_zh": State(order.state).zh,
        "type_zh": AppealType(order.appeal_type).zh, "step": step, "step_zh": step.kind.zh if step else "",
        "remind": button(user, order, Action.REMIND, now),
        "supervise": button(user, order, Action.SUPERVISE, now, Inputs(trigger=first)),
        "triggers": triggers, "next": next_url,
    }


def _unit_rows(request: HttpRequest, unit: str | None, now: datetime,
               steps: dict[int, selectors.DueStep] | None = None) -> tuple[list[dict[str, object]], bool]:
    user = _user(request)
    found = selectors.unit_orders(user=user, now=now, unit=unit, steps=steps)
    cut = not unit and len(found) > ALL_UNITS_LIMIT
    next_url = reverse("web:supervision") + (f"?{urlencode({'unit': unit})}" if unit else "")
    return [_row(user, order, now, next_url, step) for order, step in found[:ALL_UNITS_LIMIT]], cut


def _interview_form(request: HttpRequest, values: dict[str, str] | None = None, error: str = "") -> dict[str, object]:
    profile = rulebook.profile()
    values = values or {"unit": request.GET.get("interview_unit", "")}
    labels = {str(t["code"]): t for t in _triggers(profile)}
    interviews = [{"interview": i, "label": labels[i.trigger]["label"] if i.trigger in labels else i.trigger,
                   "rule": describe_rule(i.rule)}
                  for i in selectors.interviews_recent(user=_user(request))]
    return {"units": selectors.interview_units(), "triggers": list(labels.values()), "values": values, "error": error,
            "interviews": interviews,
            "now_local": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}


def _board(request: HttpRequest, *, interview: dict[str, object] | None = None, status: int = 200) -> HttpResponse:
    user = _user(request)
    now = timezone.now()
    sort = request.GET.get("sort", "overdue")
    sort = sort if sort in selectors.SORTS else "overdue"
    unit = request.GET.get("unit", "").strip() or None
    steps = selectors.due_steps(user=user, now=now)
    loads = selectors.unit_loads(user=user, now=now, sort=sort, steps=steps)
    rows, cut = _unit_rows(request, unit, now, steps)
    query = request.GET.urlencode()
    next_url = reverse("web:supervision") + (f"?{query}" if query else "")
    supervised = [{**_row(user, s.order, now, next_url), "trigger_views": s.triggers}
                  for s in selectors.supervised_orders(user=user)]
    hours = selectors.soon_window().total_seconds() / 3600
    context: dict[str, object] = {
        "loads": loads, "sort": sort, "unit": unit, "rows": rows, "cut": cut, "limit": ALL_UNITS_LIMIT,
        "overdue_total": sum(load.overdue for load in loads), "soon_total": sum(load.soon for load in loads),
        "window_hours": int(hours) if hours.is_integer() else round(hours, 1),
        "supervised": supervised, "interview": interview or _interview_form(request),
        "unit_name": next((load.unit.name for load in loads if load.unit.code == unit), unit or ""),
    }
    return page(request, "web/supervision/board.html", context, current="web:supervision", title="督办", status=status)


@require_GET
@roles_required(SUPERVISORS, "督办")
def board(request: HttpRequest) -> HttpResponse:
    return _board(request)


@require_GET
@roles_required(SUPERVISORS, "督办")
def unit_orders(request: HttpRequest, code: str) -> HttpResponse:
    """The drill-down: one unit's overdue and due-soon orders (a fragment for htmx, else the board)."""
    if not request.headers.get("HX-Request"):
        return redirect(f"{reverse('web:supervision')}?{urlencode({'unit': code})}#unit-orders")
    rows, cut = _unit_rows(request, code, timezone.now())
    unit = selectors.interview_units().filter(code=code).first()
    return page(request, "web/supervision/_unit_orders.html",
                {"rows": rows, "unit": code, "unit_name": unit.name if unit else code, "cut": cut,
                 "limit": ALL_UNITS_LIMIT})


def _held_at(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("约谈时间格式不正确（例如 2026-03-02T10:00）",
                           "held_at: not a date and time (e.g. 2026-03-02T10:00)") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@require_POST
@roles_required(SUPERVISORS, "督办")
def interview_create(request: HttpRequest) -> HttpResponse:
    """Record an interview (约谈) held with a unit; on a refusal the form comes back with what was typed."""
    fields = ("unit", "trigger", "reason", "held_at", "attendees", "outcome")
    values = {name: request.POST.get(name, "") for name in fields}
    try:
        interview = interview_record(user=_user(request), unit=values["unit"], trigger=values["trigger"],
                                     reason=values["reason"], held_at=_held_at(values["held_at"]),
                                     attendees=values["attendees"], outcome=values["outcome"])
    except RuleError as exc:
        return _board(request, interview=_interview_form(request, values, rule_text(exc)), status=422)
    messages.success(request, f"已记录约谈：{interview.unit.name}（{timezone.localtime(interview.held_at):%Y-%m-%d %H:%M}）")
    return redirect(f"{reverse('web:supervision')}#interviews")
