"""Who may open a page of the supervision and callback workbenches, and the buttons on their rows.

- :func:`roles_required`: login first, then the role; any other role gets a 403 page in Chinese;
- :func:`button`: one action on one order as a small form posting to the shared endpoint ``web:order_act``,
  disabled with the rule that refuses it (``lifecycle.allowed``) when the table would refuse it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

from hotline.directory.models import User
from hotline.orders import rulebook
from hotline.orders.models import Order
from hotline.orders.services.transition import actor_of
from hotline.rules import lifecycle
from hotline.rules.deadlines import describe_rule
from hotline.rules.errors import RuleError
from hotline.rules.order import Action, Command, Inputs
from hotline.web.views.common import page

View = TypeVar("View", bound=Callable[..., HttpResponse])


def roles_required(roles: Iterable[str], what: str) -> Callable[[View], View]:
    """Only users of ``roles`` may open the page (``what`` names it in the 403 message)."""
    allowed = frozenset(str(r) for r in roles)

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not isinstance(user, User) or user.role not in allowed:
                names = "、".join(User.Role(r).label for r in sorted(allowed))
                return page(request, "web/supervision/forbidden.html",
                            {"message": f"您的角色不能使用“{what}”（仅限{names}）"}, title="无权访问", status=403)
            return view(request, *args, **kwargs)

        return cast(View, login_required(wrapper))

    return decorate


def act_url(order_id: int, action: Action | str) -> str:
    """The shared action endpoint (``web:order_act``) for one order and action."""
    value = action.value if isinstance(action, Action) else action
    try:
        return reverse("web:order_act", args=[order_id, value])
    except NoReverseMatch:  # the orders workbench is not there yet: its documented path
        return f"/orders/{order_id}/act/{value}/"


def order_url(order_id: int) -> str:
    """The order page (``web:order``), or "" while it does not exist."""
    try:
        return reverse("web:order", args=[order_id])
    except NoReverseMatch:
        return ""


def rule_text(error: RuleError) -> str:
    """A refusal as people read it: the Chinese message and the article it comes from."""
    if not error.article:
        return error.message_zh
    rule = describe_rule(error.article)
    return error.message_zh if rule in error.message_zh else f"{error.message_zh}（依据：{rule}）"


@dataclass(frozen=True)
class Button:
    action: str
    label: str
    url: str
    refused: RuleError | None

    @property
    def disabled(self) -> bool:
        return self.refused is not None

    @property
    def reason(self) -> str:
        return rule_text(self.refused) if self.refused is not None else ""


def button(user: User, order: Order, action: Action, now: datetime, inputs: Inputs | None = None,
           label: str | None = None) -> Button:
    """Would the lifecycle accept ``action`` on ``order`` from ``user`` now? (order: prefetch deadlines, co_units)"""
    command = Command(action, actor_of(user), now, inputs or Inputs())
    try:
        refused = lifecycle.allowed(rulebook.profile(order.profile), rulebook.calendar(), rulebook.snapshot(order),
                                    command)
    except RuleError as exc:  # e.g. the order's profile cannot be loaded
        refused = exc
    return Button(action.value, label or action.zh, act_url(order.pk, action), refused)
