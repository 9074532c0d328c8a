"""Calling the REST API as a user of the demo city, with a real token, through Django's test client."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from hotline.directory.models import User
from hotline.directory.seed import City
from hotline.directory.tokens import token_create

COMPLAINT = {"channel": "phone", "appeal_type": "complaint", "content": "小区门口路灯坏了一个月无人修",
             "requester": {"name": "张三", "phone": "13800000001"}, "category": "urban",
             "address": "东城区朝阳街道幸福路1号"}
REPLY = {"reply": {"time": "当日", "process": "现场核查", "result": "已修复路灯", "contact": "已电话告知诉求人"}}


@dataclass
class Api:
    """One user calling the API with a bearer token."""

    user: User
    key: str
    client: Client = field(default_factory=Client)

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}", **(extra or {})}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, params or {}, headers=self._headers(None))

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        data = "" if body is None else json.dumps(body)
        return self.client.post(path, data=data, content_type="application/json", headers=self._headers(headers))

    def act(self, order_id: int, action: str, body: Any = None) -> Any:
        """POST /api/v1/orders/{id}/{action}; the action's name with dashes or underscores."""
        return self.post(f"/api/v1/orders/{order_id}/{action.replace('_', '-')}", body)

    def ok(self, order_id: int, action: str, body: Any = None) -> dict[str, Any]:
        """The action, which must succeed; the order as it now is."""
        response = self.act(order_id, action, body)
        assert response.status_code == 200, (action, response.status_code, response.content.decode())
        result: dict[str, Any] = response.json()
        return result

    def intake(self, **overrides: Any) -> dict[str, Any]:
        """A complaint registered and accepted; the first order of the answer."""
        response = self.post("/api/v1/appeals", {**COMPLAINT, **overrides})
        assert response.status_code == 201, response.content.decode()
        order: dict[str, Any] = response.json()["orders"][0]
        return order


@pytest.fixture
def as_user(city: City) -> Callable[[str], Api]:
    """``as_user("dispatcher")``: a caller with a fresh token of that demo user."""
    callers: dict[str, Api] = {}

    def make(username: str) -> Api:
        if username not in callers:
            user = User.objects.get(username=username)
            _, key = token_create(user=user, name=f"tests: {username}")
            callers[username] = Api(user, key)
        return callers[username]

    return make
