"""API tokens (接口令牌): a system calls the API as a user with ``Authorization: Bearer <key>``.

Only a sha256 of the key and its first 8 characters (to name it in lists and to revoke it) are
stored; the key itself is shown once, when it is created, and cannot be recovered.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hotline.directory.models import ApiToken, User
from hotline.rules.errors import Conflict, InvalidInput, NotFound

PREFIX_LENGTH = 8
#: last_used_at is written at most this often per token, so that reads do not all write
LAST_USED_GRANULARITY = timedelta(minutes=1)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the key (shown once, never stored)."""
    if not user.is_active:
        raise InvalidInput(f"用户 {user.username} 已停用，不能创建令牌", f"user {user.username} is inactive")
    purpose = name.strip() or "api"
    if len(purpose) > ApiToken._meta.get_field("name").max_length:  # type: ignore[operator]
        raise InvalidInput("令牌用途过长（最多100字）", "the token's purpose is too long (100 characters at most)")
    with transaction.atomic():
        while True:  # a key never starts with "-", so that its prefix is never taken for an option
            key = secrets.token_urlsafe(32)
            if not key.startswith("-") and not ApiToken.objects.filter(key_hash=key_hash(key)).exists():
                break
        token = ApiToken.objects.create(user=user, name=purpose, key_hash=key_hash(key), prefix=key[:PREFIX_LENGTH])
    return token, key


def token_verify(key: str) -> User | None:
    """The active user a key belongs to, or None (unknown, revoked, or the user is inactive)."""
    key = key.strip()
    if not key or len(key) > 200:
        return None
    token = ApiToken.objects.select_related("user", "user__unit").filter(key_hash=key_hash(key), revoked=False).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_revoke(*, prefix: str) -> ApiToken:
    """Revoke the one live token whose key starts with ``prefix``."""
    prefix = prefix.strip()
    if len(prefix) < 4:
        raise InvalidInput("请给出令牌前缀（至少4个字符）", "give the token's prefix (at least 4 characters)")
    with transaction.atomic():
        found = list(ApiToken.objects.select_for_update().filter(prefix__startswith=prefix[:PREFIX_LENGTH],
                                                                 revoked=False)[:2])
        if not found:
            raise NotFound(f"没有前缀为 {prefix} 的有效令牌", f"no live token starts with {prefix}")
        if len(found) > 1:
            raise Conflict(f"前缀 {prefix} 对应多个令牌，请给出完整的8位前缀",
                           f"several tokens start with {prefix}: give the full 8-character prefix")
        token = found[0]
        token.revoked = True
        token.save(update_fields=["revoked"])
    return token
