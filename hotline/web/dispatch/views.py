"""派单与审核: the dispatch queue and the hotline's review queues.

Both pages only read and render: their buttons are small forms posting to the shared action endpoint
``web:order_act`` (``POST /orders/<id>/act/<action>/``, fields = the service's keyword arguments, ``next`` =
back to this page), which carries out the action through the services and shows a refusal with its rule.
A button the rules would refuse now is disabled, with the rule next to it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from hotline.directory.models import User
from hotline.orders import rulebook
from hotline.web.dispatch.queues import dispatch_rows
from hotline.web.dispatch.reviews import pending_count, review_sections
from hotline.web.intake.helpers import role_required, rule_label
from hotline.web.views.common import page

DISPATCH_ROLES = (User.Role.DISPATCHER, User.Role.SUPERVISOR)


@role_required(*DISPATCH_ROLES)
@require_GET
def dispatch_queue(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    now = timezone.now()
    rows, total = dispatch_rows(request.user, now)
    profile = rulebook.profile()
    return page(request, "web/dispatch/queue.html", {
        "rows": rows, "total": total, "now": now, "next": request.get_full_path(),
        "city": profile.profile.city_zh, "dispatch_rule": rule_label(profile.dispatch),
    }, current="web:dispatch", title="派单")


@role_required(*DISPATCH_ROLES)
@require_GET
def reviews(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    sections = review_sections(request.user, timezone.now())
    return page(request, "web/dispatch/reviews.html", {
        "sections": sections, "pending": pending_count(sections), "next": request.get_full_path(),
        "city": rulebook.profile().profile.city_zh,
    }, current="web:reviews", title="审核")
