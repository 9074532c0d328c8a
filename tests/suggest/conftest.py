"""Fixtures of the suggestion tests: a model directory of the test's own, a fresh serving state, and
helpers that build archived orders through the platform's services."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.models import Order
from hotline.rules.calendar import SHANGHAI
from tests.suggest.appeals import APPEALS

#: until settings.py lists the app, its models cannot be imported: these tests are not collected then
collect_ignore_glob = [] if "hotline.suggest" in django_settings.INSTALLED_APPS else ["test_*.py"]

START = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)     # a Monday
REPLY = {"time": "次日", "process": "现场核查", "result": "已处理", "contact": "已电话告知"}


@pytest.fixture(autouse=True)
def suggest_settings(settings: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    from hotline.suggest import serving

    model_dir = tmp_path / "models"
    settings.HOTLINE_SUGGEST_MODEL_DIR = model_dir  # type: ignore[attr-defined]
    settings.HOTLINE_SUGGEST_RELOAD_SECONDS = 0  # type: ignore[attr-defined]
    serving.reset()
    yield model_dir
    serving.reset()


def write_csv(path: Path, rows: Sequence[Sequence[str]], header: Sequence[str] = ("text", "label")) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def appeals_csv(tmp_path: Path) -> Path:
    """The invented appeals as a CSV: text, category, appeal type, unit."""
    return write_csv(tmp_path / "appeals.csv", APPEALS, header=("text", "category", "appeal_type", "unit"))


def archive_order(city: City, text: str, category: str, appeal_type: str, unit: str, at: datetime,
                  *, returned_by: str | None = None) -> Order:
    """An appeal taken in, dispatched, handled and archived through the services (optionally first
    dispatched to ``returned_by``, which returns it, the return approved)."""
    operator, dispatcher = city.users["operator"], city.users["dispatcher"]
    order = services.appeal_intake(user=operator, channel="phone", appeal_type=appeal_type, content=text,
                                   category=category, at=at).orders[0]
    step = timedelta(minutes=10)
    if returned_by:
        services.order_dispatch(order=order.pk, user=dispatcher, unit=returned_by, at=at + step)
        services.order_request_return(order=order.pk, user=city.staff(returned_by), reason="不属于本单位职责",
                                      basis="三定方案", suggested_unit=unit, evidence="职责清单",
                                      leader_confirmed=True, at=at + 2 * step)
        services.order_approve_return(order=order.pk, user=dispatcher, at=at + 3 * step)
        at += 3 * step
    services.order_dispatch(order=order.pk, user=dispatcher, unit=unit, at=at + step)
    services.order_sign(order=order.pk, user=city.staff(unit), at=at + 2 * step)
    services.order_reply(order=order.pk, user=city.staff(unit), reply=REPLY, at=at + 3 * step)
    services.order_evaluate(order=order.pk, user=operator, evaluation="satisfied", contacted=True, resolved=True,
                            at=at + 4 * step)
    services.order_archive(order=order.pk, user=operator, at=at + 5 * step)
    return order


def archive_answered(city: City, text: str, category: str, appeal_type: str, at: datetime) -> Order:
    """A consultation answered on the spot and archived (teaches category and appeal type, no unit)."""
    operator = city.users["operator"]
    order = services.appeal_intake(user=operator, channel="phone", appeal_type=appeal_type, content=text,
                                   category=category, outcome="answer_directly", at=at).orders[0]
    services.order_archive(order=order.pk, user=operator, at=at + timedelta(minutes=5))
    return order
