"""What the intake, dispatch and review pages share: the role check (a Chinese 403), links to the order page
and to the shared action endpoint, and rules written for people."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

from hotline.directory.models import User
from hotline.rules.errors import RuleError
from hotline.rules.profiles import Rule, cite_zh
from hotline.web.views.common import page

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponse]


def forbidden(request: HttpRequest, allowed: Iterable[str]) -> HttpResponse:
    """403 with the roles that may use the page, in Chinese."""
    who = "、".join(User.Role(role).label for role in allowed)
    return page(request, "web/intake/forbidden.html", {"allowed": who}, title="无权访问", status=403)


def role_required(*roles: str) -> Callable[[View[P]], View[P]]:
    """Login first (redirect to the login page), then the role check (403 in Chinese)."""

    def decorate(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            user = request.user
            if not isinstance(user, User) or user.role not in roles:
                return forbidden(request, roles)
            return view(request, *args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]

    return decorate


def order_url(order_id: int) -> str:
    """The order page (``web:order``), or "" while it does not exist."""
    try:
        return reverse("web:order", args=[order_id])
    except NoReverseMatch:
        return ""


def act_url(order_id: int, action: str) -> str:
    """The shared action endpoint ``web:order_act`` (``POST /orders/<id>/act/<action>/``)."""
    try:
        return reverse("web:order_act", args=[order_id, action])
    except NoReverseMatch:   # not built yet: the address the web preamble fixes
        return f"/orders/{order_id}/act/{action}/"


def rule_label(rule: Rule) -> str:
    """``资阳 §13(2)``, or ``平台默认规则`` for a value no article states."""
    return cite_zh(rule.cite) if rule.cite else "平台默认规则"


def source_label(source: str) -> str:
    """A rule source as stored on deadlines and events (``ziyang §13(1)`` or ``default: …``), for people."""
    if not source or source.startswith("default:") or source == "order":
        return "平台默认规则"
    return cite_zh(source)


def refusal(error: RuleError) -> dict[str, str]:
    """A refused action for a template: the Chinese message, the article (``rule``; ``article`` only when the
    message does not name it already), the English message."""
    article = source_label(error.article) if error.article else ""
    cited = bool(article) and article in error.message_zh   # the message already names it: show it once
    return {"message": error.message_zh, "article": "" if cited else article, "rule": article,
            "message_en": error.message_en, "code": error.code}
