"""Two people of the same unit press the same button at the same moment: exactly one wins, the other
gets 409. The order row is locked for the length of each action: SELECT … FOR UPDATE on PostgreSQL;
on SQLite, BEGIN IMMEDIATE makes the second writer wait for the first (settings.SQLITE_OPTIONS)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from hotline.directory.seed import City
from hotline.directory.tokens import token_create
from hotline.orders.models import Event, Order
from tests.api.conftest import COMPLAINT

SQLITE_REASON = ("needs PostgreSQL: threads share pytest-django's in-memory SQLite test database in shared-cache "
                 "mode, where a second writer fails at once ('database table is locked') instead of waiting; "
                 "test_on_a_sqlite_file_… covers SQLite")


def pg_only(test: Callable[..., None]) -> Callable[..., None]:
    """A test of threads on the pytest database: each thread its own connection, data committed."""
    marked: Callable[..., None] = pytest.mark.django_db(transaction=True)(test)
    skipped: Callable[..., None] = pytest.mark.skipif(connection.vendor != "postgresql", reason=SQLITE_REASON)(marked)
    return skipped


def at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released together; each thread has its own database connection."""
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = calls[index]()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def poster(key: str, path: str, body: str = "") -> Callable[[], tuple[int, dict[str, Any]]]:
    def call() -> tuple[int, dict[str, Any]]:
        response = Client().post(path, data=body, content_type="application/json",
                                 headers={"Authorization": f"Bearer {key}"})
        return response.status_code, response.json()
    return call


def dispatched_order(city: City) -> int:
    _, operator = token_create(user=city.users["operator"])
    _, dispatcher = token_create(user=city.users["dispatcher"])
    client = Client()
    created = client.post("/api/v1/appeals", json.dumps(COMPLAINT), content_type="application/json",
                          headers={"Authorization": f"Bearer {operator}"})
    order_id: int = created.json()["orders"][0]["id"]
    response = client.post(f"/api/v1/orders/{order_id}/dispatch", json.dumps({"unit": "D01"}),
                           content_type="application/json", headers={"Authorization": f"Bearer {dispatcher}"})
    assert response.status_code == 200, response.content
    return order_id


@pytest.fixture
def unit_keys(city: City) -> tuple[str, str]:
    """Tokens of two people of unit D01: the handler and the leader."""
    return token_create(user=city.staff("D01"))[1], token_create(user=city.staff("D01", leader=True))[1]


@pytest.mark.parametrize("attempt", range(3))
@pg_only
def test_two_signs_at_once_one_succeeds_the_other_gets_409(attempt: int, city: City,
                                                           unit_keys: tuple[str, str]) -> None:
    order_id = dispatched_order(city)
    results = at_once([poster(key, f"/api/v1/orders/{order_id}/sign") for key in unit_keys])

    assert sorted(status for status, _ in results) == [200, 409], results
    loser = next(body for status, body in results if status == 409)
    assert loser["code"] == "action_not_allowed"
    assert Order.objects.get(pk=order_id).state == "signed"
    assert Event.objects.filter(order_id=order_id, action="sign").count() == 1


@pytest.mark.parametrize("attempt", range(3))
@pg_only
def test_two_return_requests_at_once_one_succeeds_the_other_gets_409(attempt: int, city: City,
                                                                     unit_keys: tuple[str, str]) -> None:
    order_id = dispatched_order(city)
    body = json.dumps({"reason": "不属于本单位职责", "basis": "三定方案", "suggested_unit": "D02"})
    results = at_once([poster(key, f"/api/v1/orders/{order_id}/request-return", body) for key in unit_keys])

    assert sorted(status for status, _ in results) == [200, 409], results
    assert Order.objects.get(pk=order_id).state == "return_requested"
    assert Event.objects.filter(order_id=order_id, action="request_return").count() == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite pass runs it")
def test_on_a_sqlite_file_two_signs_or_returns_at_once_one_succeeds_the_other_gets_409(tmp_path: Path) -> None:
    """The deployed SQLite setup (a file, WAL, BEGIN IMMEDIATE), in a subprocess: see sqlite_race.py."""
    done = subprocess.run([sys.executable, "-m", "tests.api.sqlite_race", str(tmp_path / "race.sqlite3")],
                          cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "HOTLINE_DEBUG": "1", "HOTLINE_PROFILE": "ziyang"})
    assert done.returncode == 0, done.stderr[-3000:]
    races = json.loads(done.stdout.strip().splitlines()[-1])
    assert [action for action, _ in races] == ["sign", "request-return"] * 2
    assert all(statuses == [200, 409] for _, statuses in races), races
