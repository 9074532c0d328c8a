"""Failed-attempt limits of the citizen's progress check, shared by the portal pages and the public API.

The portal pages and the public API (``hotline.api.public``) use these same limits and cache keys, so they
count failures together, so guessing cannot double its attempts by switching between them. A
failure is a wrong order number or query code; past the limits every attempt is refused for the rest of
the hour, a right code included.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest

#: failed attempts allowed per hour, for one order number from one address, and from one address overall
FAILURES_PER_NUMBER_AND_CLIENT = 10
FAILURES_PER_CLIENT = 100
WINDOW_SECONDS = 3600

TOO_MANY = "工单号或查询码错误次数过多，请一小时后再试，或拨打12345热线查询"


def client_of(request: HttpRequest) -> str:
    # REMOTE_ADDR only: a client can write any X-Forwarded-For it likes
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _keys(number: str, client: str) -> tuple[str, str]:
    digest = hashlib.sha256(f"{number.strip()}|{client}".encode()).hexdigest()[:32]
    return f"public-track:pair:{digest}", f"public-track:client:{hashlib.sha256(client.encode()).hexdigest()[:32]}"


def blocked(number: str, client: str) -> bool:
    pair, overall = _keys(number, client)
    return (int(cache.get(pair, 0)) >= FAILURES_PER_NUMBER_AND_CLIENT
            or int(cache.get(overall, 0)) >= FAILURES_PER_CLIENT)


def count_failure(number: str, client: str) -> None:
    for key in _keys(number, client):
        if not cache.add(key, 1, timeout=WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=WINDOW_SECONDS)
