"""Tokens for systems (shown once, stored as a hash, revocable) and the web session with CSRF."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from hotline.directory.models import ApiToken
from hotline.directory.seed import City
from hotline.directory.tokens import token_create, token_revoke, token_verify
from hotline.rules.errors import NotFound


def test_a_token_is_stored_as_a_hash_with_an_8_character_prefix(city: City) -> None:
    token, key = token_create(user=city.users["operator"], name="呼叫中心")
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest() and key not in token.key_hash
    assert token.prefix == key[:8] and len(key) >= 40
    assert token_verify(key) == city.users["operator"]
    assert token_verify(key + "x") is None and token_verify("") is None


def test_the_token_command_prints_the_key_once_and_revokes_by_prefix(city: City, client: Client) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", "--user", "dispatcher", "--name", "派单机器人", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert ApiToken.objects.get(prefix=key[:8]).name == "派单机器人" and "shown only once" in err.getvalue()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).json()["username"] == "dispatcher"

    listing = io.StringIO()
    call_command("token", "list", stdout=listing)
    assert key[:8] in listing.getvalue() and key not in listing.getvalue()

    call_command("token", "revoke", key[:8], stdout=io.StringIO())
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    with pytest.raises(CommandError, match="no user"):
        call_command("token", "create", "--user", "nobody", stdout=io.StringIO())
    with pytest.raises(NotFound):
        token_revoke(prefix=key[:8])  # already revoked


def test_an_inactive_users_token_no_longer_works(city: City, client: Client) -> None:
    user = city.users["operator"]
    _, key = token_create(user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_the_web_session_works_and_needs_the_csrf_token_to_write(city: City) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(city.users["operator"])
    me = browser.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["auth"] == "web"

    appeal: dict[str, Any] = {"channel": "phone", "appeal_type": "help", "content": "求助：路面塌陷"}
    refused = browser.post("/api/v1/appeals", appeal, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"

    browser.get("/api/docs")  # any page that sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post("/api/v1/appeals", appeal, content_type="application/json", headers={"X-CSRFToken": token})
    assert accepted.status_code == 201, accepted.content


def test_a_token_needs_no_csrf_token(city: City) -> None:
    _, key = token_create(user=city.users["operator"])
    system = Client(enforce_csrf_checks=True)
    response = system.post("/api/v1/appeals", {"channel": "phone", "appeal_type": "help", "content": "求助"},
                           content_type="application/json", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 201
