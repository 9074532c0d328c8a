"""The citizen portal (市民网上诉求), public, no login, made for a phone screen.

- submit an appeal: ``appeal_intake`` on the channel "web" as the portal's own user (``portal_user``),
  then the order number and the query code to keep;
- check progress and result with the number and the query code (``order_get_for_requester``: the same
  answer for a wrong number or a wrong code; failures limited per address, shared with the public API);
- evaluate the unit's reply once the order is replied (``order_evaluate_by_requester``);
- search the published knowledge base (public entries only), when the knowledge base is installed.

Nothing here shows a staff member's name, an internal note, or anything of another requester: the order
is shown only as ``order_public_view`` gives it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hotline.directory.services import portal_user
from hotline.orders import rulebook
from hotline.orders import tracking_limits as throttle
from hotline.orders.models import Channel
from hotline.orders.services import appeal_intake
from hotline.orders.services.citizen import (
    REQUESTER_EVALUATIONS,
    order_evaluate_by_requester,
    order_get_for_requester,
    order_public_view,
)
from hotline.rules.errors import NotFound, RuleError
from hotline.rules.profiles import Profile
from hotline.web.portal import forms

log = logging.getLogger("hotline.web.portal")

NUMBER_MAX = 32
CODE_MAX = 20
KB_RESULTS = 10


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, f"web/portal/{template}", context, status=status)


def _web_channel(profile: Profile) -> tuple[bool, str]:
    """Does this hotline receive appeals on its website? And which channels it does use."""
    channels = profile.channels.channels
    return "web" in channels, "、".join(Channel(c).label for c in channels)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    profile = rulebook.profile()
    open_, channels = _web_channel(profile)
    return _render(request, "home.html", {"web_open": open_, "channels": channels,
                                          "types": "、".join(label for _, label in forms.appeal_types(profile)),
                                          "kb_open": apps.is_installed("hotline.kb")})


# --- submit ----------------------------------------------------------------------------------------------

def _form_context(profile: Profile, form: forms.AppealForm | None = None) -> dict[str, Any]:
    return {"form": form or forms.AppealForm(submission=forms.new_submission_key()),
            "types": forms.appeal_types(profile), "regions": forms.region_groups(),
            "attachment_types": forms.ATTACHMENT_TYPES, "attachments_max": forms.ATTACHMENTS_MAX,
            "content_max": forms.CONTENT_MAX, "honeypot": forms.HONEYPOT}


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    profile = rulebook.profile()
    open_, channels = _web_channel(profile)
    if not open_:
        return _render(request, "closed.html", {"channels": channels}, status=200 if request.method == "GET" else 403)
    if request.method == "GET":
        return _render(request, "submit.html", _form_context(profile))
    form = forms.parse(request.POST, request.FILES, profile)
    if form.robot:
        log.info("portal: a submission filled the honeypot field; refused (%s)", throttle.client_of(request))
        return _render(request, "submit.html", {**_form_context(profile), "error": "提交失败，请刷新页面后重试"},
                       status=400)
    if not form.valid:
        return _render(request, "submit.html", {**_form_context(profile, form), "error": "请按提示修改后再提交"},
                       status=422)
    try:
        result = appeal_intake(
            user=portal_user(), channel=Channel.WEB.value, appeal_type=form.appeal_type, content=form.content,
            requester_phone=form.phone, requester_name=form.name, region=form.region or None, address=form.address,
            confidential=form.confidential, attachments=form.attachments, idempotency_key=form.idempotency_key,
            outcome="register")   # an operator checks it and accepts, declines or answers it
    except RuleError as exc:
        return _render(request, "submit.html", {**_form_context(profile, form), "error": exc.message_zh}, status=422)
    orders = [{"number": o.number, "code": result.query_codes.get(o.number, "")} for o in result.orders]
    return _render(request, "submitted.html", {"orders": orders})


# --- progress and evaluation ------------------------------------------------------------------------------

def _credentials(request: HttpRequest) -> tuple[str, str]:
    number = request.POST.get("number", "").strip().upper()[:NUMBER_MAX]
    code = request.POST.get("code", "").strip()[:CODE_MAX]
    return number, code


def _track_context(number: str = "", error: str = "", **extra: Any) -> dict[str, Any]:
    return {"number": number, "error": error,
            "evaluations": [(e.value, e.zh) for e in REQUESTER_EVALUATIONS], **extra}


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """GET: the form; POST: the order's progress (the code is never put in a URL)."""
    if request.method == "GET":
        return _render(request, "track.html", _track_context(request.GET.get("number", "").strip()[:NUMBER_MAX]))
    number, code = _credentials(request)
    client = throttle.client_of(request)
    if not number or not code:
        return _render(request, "track.html", _track_context(number, "请填写工单号和查询码"), status=422)
    if throttle.blocked(number, client):
        return _render(request, "track.html", _track_context(number, throttle.TOO_MANY), status=429)
    try:
        order = order_get_for_requester(number=number, code=code)
    except NotFound as exc:
        throttle.count_failure(number, client)
        return _render(request, "track.html", _track_context(number, exc.message_zh), status=404)
    return _render(request, "track.html", _track_context(number, view=order_public_view(order), code=code))


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value.strip().lower())


@never_cache
@csrf_protect
@require_POST
def evaluate(request: HttpRequest) -> HttpResponse:
    number, code = _credentials(request)
    client = throttle.client_of(request)
    if not number or not code:
        return _render(request, "track.html", _track_context(number, "请填写工单号和查询码"), status=422)
    if throttle.blocked(number, client):
        return _render(request, "track.html", _track_context(number, throttle.TOO_MANY), status=429)
    try:
        order = order_evaluate_by_requester(
            number=number, code=code, evaluation=request.POST.get("evaluation", ""),
            contacted=_yes_no(request.POST.get("contacted", "")), resolved=_yes_no(request.POST.get("resolved", "")),
            note=request.POST.get("note", "").strip())
    except NotFound as exc:
        throttle.count_failure(number, client)
        return _render(request, "track.html", _track_context(number, exc.message_zh), status=404)
    except RuleError as exc:  # a bad value, or no longer waiting for an evaluation: nothing changed
        try:
            view = order_public_view(order_get_for_requester(number=number, code=code))
        except NotFound as wrong:  # the value was checked before the code: the code is wrong too
            throttle.count_failure(number, client)
            return _render(request, "track.html", _track_context(number, wrong.message_zh), status=404)
        return _render(request, "track.html", _track_context(number, exc.message_zh, view=view, code=code),
                       status=422)
    return _render(request, "track.html", _track_context(number, view=order_public_view(order), code=code,
                                                         done="感谢您的评价，我们已收到。"))


# --- knowledge base ------------------------------------------------------------------------------------

@require_GET
def kb(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    if not apps.is_installed("hotline.kb"):
        return _render(request, "kb.html", {"query": query, "kb_open": False})
    from hotline.kb.search import kb_search  # the knowledge base is an optional app

    hits = kb_search(query, audience="public", limit=KB_RESULTS) if query else []
    return _render(request, "kb.html", {"query": query, "kb_open": True, "docs": [h.doc for h in hits]})
