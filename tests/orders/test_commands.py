"""``hotline tick`` and ``hotline worker``: the tick from the command line."""

from __future__ import annotations

import os
import signal
import threading
import time
from io import StringIO
from typing import Any as SettingsWrapper  # pytest-django's `settings` fixture

import pytest
from django.core.management import CommandError, call_command

from hotline.cli.main import main
from hotline.directory.seed import City
from hotline.orders.models import Order
from tests.orders.test_automation import MONDAY, accepted


@pytest.fixture(autouse=True)
def fast_passwords(settings: SettingsWrapper) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_tick_now_prints_what_it_did(city: City) -> None:
    order = accepted(city)  # dispatch due 12:00 (ziyang §13(1))

    output = run("tick", "--now", "2026-03-02T12:01:00+08:00")

    assert output.splitlines()[0] == "tick 2026-03-02T12:01:00+08:00"
    assert "超期标记 overdue: 1" in output and "自动督办 supervised: 0" in output and "失败 failed: 0" in output
    assert Order.objects.get(pk=order.pk).overdue_steps == ["dispatch"]


def test_tick_now_without_a_zone_is_the_deployments_local_time(city: City) -> None:
    accepted(city)

    assert "overdue: 0" in run("tick", "--now", "2026-03-02T11:59")
    assert "overdue: 1" in run("tick", "--now", "2026-03-02T12:01")


def test_tick_refuses_a_time_it_cannot_read(db: None) -> None:
    with pytest.raises(CommandError, match="ISO 8601") as info:
        run("tick", "--now", "next tuesday")
    assert "不是 ISO 8601 时间" in str(info.value)


def test_the_hotline_script_forwards_tick_to_django(city: City, capsys: pytest.CaptureFixture[str]) -> None:
    accepted(city)

    assert main(["tick", "--now", "2026-03-02T12:01:00+08:00"]) == 0

    assert "overdue: 1" in capsys.readouterr().out


def test_worker_once_runs_one_tick_and_stops(city: City) -> None:
    order = accepted(city, when=MONDAY.replace(year=2025))  # long past its dispatch deadline

    output = run("worker", "--once")

    assert "overdue: 1" in output and output.rstrip().endswith("worker stopped")
    assert Order.objects.get(pk=order.pk).state == "accepted"


def test_worker_stops_cleanly_on_sigterm(db: None) -> None:
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM))
    before = signal.getsignal(signal.SIGTERM)
    started = time.monotonic()
    timer.start()
    try:
        output = run("worker", "--interval", "30")
    finally:
        timer.cancel()

    assert time.monotonic() - started < 5
    assert output.count("tick ") == 1 and output.rstrip().endswith("worker stopped")
    assert signal.getsignal(signal.SIGTERM) is before


def test_worker_refuses_a_zero_interval(db: None) -> None:
    with pytest.raises(CommandError, match="interval"):
        run("worker", "--interval", "0")
