"""The callback queue (回访): record the requester's evaluation of each reply; screening (甄别) of the
dissatisfied ones.

- the queue lists replied orders oldest first, with the callback due time and the evaluation window;
- the callback panel of one order shows the unit's reply and the requester's phone (``requester_for``,
  logged with the purpose "回访") and the forms: the three answers (did the unit contact you 响应, is it
  resolved 解决, satisfied / basically / dissatisfied; all required), "unreachable" (回访未接通, attempts
  counted; the order keeps waiting) and "declined to answer" (拒绝评价: the order closes without an
  evaluation); docs/design.md, "Callback answers";
- supervisors see the orders in screening with redo, screen out (note required: why the dissatisfaction
  is not the unit's fault, ziyang §14(2)) and uphold.
Every form posts to the shared action endpoint ``web:order_act``; the lifecycle moves a dissatisfied
evaluation to screening by itself.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from hotline.directory.models import User
from hotline.orders import rulebook
from hotline.orders.selectors import requester_for
from hotline.rules.deadlines import describe_rule
from hotline.rules.errors import NotFound
from hotline.rules.order import Action, Inputs, State
from hotline.rules.vocabulary import Evaluation
from hotline.web.callbacks import reads
from hotline.web.supervision.access import button, order_url, roles_required
from hotline.web.views.common import page

CALLBACK_ROLES = (User.Role.OPERATOR, User.Role.SUPERVISOR)
PURPOSE = "回访"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _decorate(row: reads.QueueRow) -> reads.QueueRow:
    row.url = order_url(row.order.pk)
    return row


def _screening_buttons(user: User, row: reads.QueueRow, now: datetime) -> reads.QueueRow:
    order = row.order
    row.buttons.update(redo=button(user, order, Action.REDO, now), screen_out=button(user, order, Action.SCREEN_OUT, now),
                       uphold=button(user, order, Action.UPHOLD_DISSATISFIED, now),
                       rule=describe_rule(rulebook.profile(order.profile).screening.source))
    return _decorate(row)


@require_GET
@roles_required(CALLBACK_ROLES, "回访")
def queue(request: HttpRequest) -> HttpResponse:
    user, now = _user(request), timezone.now()
    rows, total = reads.callback_queue(user=user)
    context: dict[str, object] = {"rows": [_decorate(r) for r in rows], "total": total, "limit": reads.QUEUE_LIMIT,
                                  "is_supervisor": user.role == User.Role.SUPERVISOR, "next": reverse("web:callbacks")}
    if user.role == User.Role.SUPERVISOR:
        screening, screening_total = reads.screening_queue(user=user)
        context.update(screening=[_screening_buttons(user, r, now) for r in screening], screening_total=screening_total)
    return page(request, "web/callbacks/queue.html", context, current="web:callbacks", title="回访")


@require_GET
@roles_required(CALLBACK_ROLES, "回访")
def callback(request: HttpRequest, order_id: int) -> HttpResponse:
    """The callback panel of one order (a fragment for htmx, else a page of its own)."""
    user, now = _user(request), timezone.now()
    try:
        row = _decorate(reads.callback_order(user=user, order_id=order_id))
    except NotFound as exc:
        return page(request, "web/supervision/forbidden.html", {"message": exc.message_zh}, title="未找到", status=404)
    order = row.order
    waiting = order.state == State.REPLIED.value
    profile = rulebook.profile(order.profile)
    options = [(o.value, o.zh) for o in profile.evaluation.options if o is not Evaluation.NONE]
    context = {
        "row": row, "order": order, "waiting": waiting, "state_zh": State(order.state).zh,
        # the requester is read (and the read logged) only while the callback is to be made
        "requester": requester_for(user=user, order=order, purpose=PURPOSE) if waiting else None,
        "options": options, "evaluation_rule": describe_rule(profile.evaluation.source),
        "silence_counts_as": "" if profile.evaluation.silence_counts_as is Evaluation.NONE
        else profile.evaluation.silence_counts_as.zh,
        "silence_rule": describe_rule(profile.evaluation.source),
        "evaluate": button(user, order, Action.EVALUATE, now,
                           Inputs(evaluation=Evaluation(options[0][0]) if options else None, contacted=True,
                                  resolved=True)),
        "failure": button(user, order, Action.RECORD_CALLBACK_FAILURE, now),
        "declined": button(user, order, Action.RECORD_CALLBACK_DECLINED, now),
        "next": reverse("web:callbacks"),
    }
    if _is_htmx(request):
        return page(request, "web/callbacks/_panel.html", context)
    return page(request, "web/callbacks/callback.html", context, current="web:callbacks", title=f"回访 {order.number}")
