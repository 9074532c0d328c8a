"""坐席受理: the operator's screen for a call in progress, and the fragments it fetches as the operator types.

- ``GET/POST /intake/`` (``web:intake``): the form; a POST registers the appeal through
  ``services.appeal_intake`` (one transaction) and shows the result: order number and query code to read
  aloud, and the deadlines with their rule. A hidden random token is passed as ``idempotency_key``: a
  double submit (or a reload of the result) returns the first result and creates nothing.
- ``GET /intake/lookup/``: the caller's history by phone (logged read), suspension and warnings.
- ``GET /intake/repeats/``: repeat candidates of what is being typed.
- ``GET /intake/decline-reason/``: what to tell the requester and where to send them, for a decline reason.
- ``GET /intake/suggest/``: the slot for knowledge-base answers and category/unit suggestions.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from hotline.directory.models import User
from hotline.kb import search as kb_search_module
from hotline.orders import rulebook, selectors, services
from hotline.orders.models import Channel
from hotline.orders.services import IntakeResult
from hotline.rules.errors import RuleError
from hotline.rules.order import Action, State
from hotline.rules.periods import Period
from hotline.rules.profiles import Profile
from hotline.rules.vocabulary import AppealType, DeadlineKind, Urgency
from hotline.web.intake.forms import OUTCOME_LABELS, IntakeForm
from hotline.web.intake.helpers import order_url, refusal, role_required, rule_label, source_label
from hotline.web.intake.reads import MIN_DIGITS, caller_history, repeat_candidates
from hotline.web.views.common import page

INTAKE_ROLES = (User.Role.OPERATOR, User.Role.DISPATCHER)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # role_required let only users through
    return request.user


def _new_token() -> str:
    return secrets.token_urlsafe(18)


@role_required(*INTAKE_ROLES)
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    profile = rulebook.profile()
    if request.method != "POST":
        return _form_page(request, IntakeForm(profile=profile), profile, token=_new_token())
    form = IntakeForm(request.POST, profile=profile)
    token = (request.POST.get("idempotency_key") or "").strip() or _new_token()
    if not form.is_valid():
        return _form_page(request, form, profile, token=token, status=422)
    try:
        result = services.appeal_intake(user=_user(request), attachments=request.FILES.getlist("attachments"),
                                        **form.service_arguments())
    except RuleError as error:
        return _form_page(request, form, profile, token=token, error=error, status=422)
    _record_feedback(_user(request), result, form)
    return page(request, "web/intake/result.html", _result(request, result, profile), current="web:intake",
                title="受理结果")


def _registered_online(request: HttpRequest) -> list[Any]:
    """Appeals registered online (portal, Open311) that wait for an operator to accept, decline or answer them."""
    return list(selectors.order_list_for_user(user=_user(request), state=State.RECEIVED.value)
                .select_related("appeal")[:50])


def _form_page(request: HttpRequest, form: IntakeForm, profile: Profile, *, token: str,
               error: RuleError | None = None, status: int = 200) -> HttpResponse:
    chosen = form["decline_code"].value() or ""
    context: dict[str, Any] = {
        "form": form, "token": token, "profile": profile, "city": profile.profile.city_zh,
        "error": refusal(error) if error else None,
        "reason": _reason(profile, chosen) if chosen else None,
        "outcomes": OUTCOME_LABELS, "channels_rule": rule_label(profile.channels),
        "types_rule": ", ".join(dict.fromkeys(rule_label(r) for t, r in profile.appeal_types.items() if r.enabled)),
        "decline_rule": ", ".join(dict.fromkeys(rule_label(r) for r in profile.decline_reasons)),
        "min_digits": MIN_DIGITS,
        "termination_rule": rule_label(profile.termination) if form.answers_from_termination else "",
        "registered": _registered_online(request),
    }
    return page(request, "web/intake/form.html", context, current="web:intake", title="坐席受理", status=status)


def _deadlines(order: Any) -> list[dict[str, Any]]:
    return [{"kind": d.kind, "kind_zh": DeadlineKind(d.kind).zh, "due": d.due, "period_zh": Period.parse(d.period).zh,
             "rule": source_label(d.rule), "provisional": d.provisional, "warnings": d.warnings}
            for d in order.deadlines.order_by("due", "kind")]


def _result(request: HttpRequest, result: IntakeResult, profile: Profile) -> dict[str, Any]:
    user = _user(request)
    orders = []
    decline: dict[str, Any] | None = None
    for order in result.orders:
        events = {e.action: e for e in selectors.order_timeline(user=user, order=order)}
        declined = events.get(Action.DECLINE.value)
        if declined is not None and decline is None:
            decline = {**_reason(profile, str(declined.payload.get("decline_code", ""))),
                       "earlier_order": declined.payload.get("earlier_order", "")}
        orders.append({"id": order.pk, "number": order.number, "url": order_url(order.pk),
                       "query_code": result.query_codes.get(order.number, ""), "state": order.state,
                       "state_zh": State(order.state).zh, "matter": order.matter,
                       "urgency_zh": Urgency(order.urgency).zh, "urgent": order.urgency != Urgency.NORMAL.value,
                       "deadlines": _deadlines(order)})
    appeal = result.appeal
    state = State(result.orders[0].state) if result.orders else State.RECEIVED
    return {"result": result, "orders": orders, "decline": decline, "state": state.value, "state_zh": state.zh,
            "accepted": state is not State.DECLINED and state is not State.ANSWERED,
            "appeal_type_zh": AppealType(appeal.appeal_type).zh, "channel_zh": Channel(appeal.channel).label,
            "repeats": result.repeats, "replayed": result.replayed}


def _reason(profile: Profile, code: str) -> dict[str, Any]:
    reason = profile.decline_reason(code)
    if reason is None:
        return {"code": code, "known": False}
    return {"code": reason.code, "known": True, "label": reason.label, "refer_to": reason.refer_to,
            "transfer_call": reason.transfer_call, "requires_order": reason.requires_order, "rule": rule_label(reason)}


# --- fragments (htmx) ------------------------------------------------------------------------------

@role_required(*INTAKE_ROLES)
@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    profile = rulebook.profile()
    history = caller_history(user=_user(request), phone=request.GET.get("requester_phone", ""), profile=profile,
                             now=timezone.now())
    return render(request, "web/intake/_history.html", {"history": history, "min_digits": MIN_DIGITS})


@role_required(*INTAKE_ROLES)
@require_GET
def repeats(request: HttpRequest) -> HttpResponse:
    profile = rulebook.profile()
    rows = repeat_candidates(phone=request.GET.get("requester_phone", ""), address=request.GET.get("address", ""),
                             content=request.GET.get("content", ""), now=timezone.now())
    rule = profile.termination
    return render(request, "web/intake/_repeats.html", {
        "rows": rows, "typed": bool(request.GET.get("content", "").strip()),
        "terminated": any(r.match.terminated for r in rows),
        "answer_from_termination": rule.enabled and rule.repeats_answered_without_dispatch,
        "termination_rule": rule_label(rule)})


@role_required(*INTAKE_ROLES)
@require_GET
def decline_reason(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("decline_code", "")
    reason = _reason(rulebook.profile(), code) if code else None
    return render(request, "web/intake/_decline_reason.html", {"reason": reason})


#: the apps whose suggestions fill the slot: knowledge-base answers (kb), category and unit (suggest)
SUGGESTION_APPS = ("hotline.suggest", "hotline.kb")


@role_required(*INTAKE_ROLES)
@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """The smart-suggestions slot: the top knowledge-base answers for what is being typed (emergency
    information first), and the placeholder of the category/unit suggestions (``hotline.suggest``)."""
    available = all(apps.is_installed(name) for name in SUGGESTION_APPS)
    kb_installed = apps.is_installed("hotline.kb")
    content = request.GET.get("content", "").strip()[:kb_search_module.MAX_QUERY_CHARS]
    hits: list[Any] = []
    if kb_installed and content:
        try:
            found = kb_search_module.kb_search(content, region=request.GET.get("region") or None,
                                               audience="operator", limit=3)
        except RuleError:
            found = []
        hits = sorted((h.doc for h in found), key=lambda d: d.kind != "emergency")  # stable: rank kept
    suggested = _suggestions(content, request.GET.get("region")) if available and content else None
    return render(request, "web/intake/_suggestions.html", {"available": available, "kb": kb_installed,
                                                            "hits": hits, "typed": bool(content),
                                                            "suggested": suggested})


def _suggestions(content: str, region: str | None) -> Any:
    """Category, appeal type and unit suggestions (hotline.suggest) for what is typed; None when unusable."""
    from hotline.suggest.services import suggest_for_text

    try:
        return suggest_for_text(content, (region or "").strip() or None, similar=False)
    except RuleError:
        return None


def _record_feedback(user: User, result: IntakeResult, form: IntakeForm) -> None:
    """What the suggestions said for the category and appeal type, next to what the operator chose
    (one row per field, on the first order); a failure here never undoes the intake."""
    if result.replayed or not result.orders or not apps.is_installed("hotline.suggest"):
        return
    from hotline.suggest.services import suggestion_feedback_record

    data = form.cleaned_data
    found = _suggestions(str(data.get("content", "")), data.get("region") or None)
    if found is None:
        return
    chosen = {"category": data.get("category") or "", "appeal_type": data.get("appeal_type") or ""}
    for field, value in chosen.items():
        if not value:
            continue
        try:
            suggestion_feedback_record(user=user, order=result.orders[0], field=field,
                                       suggested=getattr(found, field), chosen=value,
                                       model_version=found.model_version)
        except RuleError:
            continue
