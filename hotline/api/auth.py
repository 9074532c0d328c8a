"""Who is calling: a system with a token (``Authorization: Bearer <key>``), or a person logged in to
the web pages (Django's session cookie, with the CSRF token on every unsafe request).

Both are accepted on every route except the public ones; the token is tried first, so a system never
needs a CSRF token. A request with neither gets 401 in the API's error format.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from hotline.directory.models import User
from hotline.directory.tokens import token_verify


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <key>``, a key made by ``hotline token create``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_verify(token)
        if user is not None:
            request.auth_channel = "api"  # type: ignore[attr-defined]
        return user


class SessionAuth(APIKeyCookie):
    """Django's session, as the web pages use it. CSRF is checked only when the session authenticates
    (an anonymous call gets 401, not a CSRF error)."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, "CSRF check Failed")
        return request.COOKIES.get(self.param_name, "")

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        request.auth_channel = "web"  # type: ignore[attr-defined]
        return user


#: every non-public route accepts either
AUTH = [TokenAuth(), SessionAuth()]


def user_of(request: HttpRequest) -> User:
    """The authenticated user of a request that passed :data:`AUTH`."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def channel_of(request: HttpRequest) -> str:
    """How the personal-data access log names the way this request came in: ``api`` or ``web``."""
    return str(getattr(request, "auth_channel", "api"))
