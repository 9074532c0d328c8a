"""Fixtures of the knowledge-base tests: the demo city, a fresh search index per test, entry helpers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from hotline.directory.seed import City
from hotline.kb import search, services
from hotline.kb.content import EntryContent
from hotline.kb.models import Entry
from hotline.rules.calendar import SHANGHAI

#: a Monday in term time
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def fresh_index(settings: Any) -> Iterator[None]:
    """Every search syncs with the database at once, and no index survives from another test."""
    settings.HOTLINE_KB_INDEX_SYNC_SECONDS = 0
    search.reset()
    yield
    search.reset()


def content(**overrides: Any) -> EntryContent:
    values: dict[str, Any] = {
        "question": "社会保障卡遗失后如何补办？", "variants": ("社保卡丢了怎么补",),
        "answer": "请先挂失，再持身份证到社保卡服务网点补卡，即时制卡网点当场领取。",
        "basis_document": "《示例市社会保障卡管理办法》", "basis_article": "第十五条", "categories": ("labour",),
        "tags": ("社保卡",), "public": True}
    values.update(overrides)
    return EntryContent(**values)


def draft(city: City, unit: str = "D04", at: datetime = MONDAY, **overrides: Any) -> Entry:
    return services.kb_entry_create(user=city.staff(unit), content=content(**overrides), at=at)


def publish(city: City, unit: str = "D04", at: datetime = MONDAY, kind: str = "entry", **overrides: Any) -> Entry:
    """An entry taken through the whole workflow of the deployment's profile: drafted, submitted, each
    step taken (the unit's steps by its leader, the hotline's by the supervisor)."""
    user = city.users["supervisor"] if unit == "HOTLINE" else city.staff(unit)
    entry = services.kb_entry_create(user=user, content=content(**overrides), kind=kind,
                                     unit=unit if unit == "HOTLINE" else None, at=at)
    services.kb_entry_submit(entry=entry.pk, user=user, at=at)
    entry.refresh_from_db()
    while entry.status == "submitted":
        if entry.pending_step == "hotline":
            services.kb_entry_publish(entry=entry.pk, user=city.users["supervisor"], at=at)
        else:
            services.kb_entry_approve(entry=entry.pk, user=city.staff(unit, leader=True), at=at)
        entry.refresh_from_db()
    return entry


def state(entry: Entry) -> tuple[object, ...]:
    """Everything a refused action must leave as it was."""
    entry.refresh_from_db()
    return (entry.status, entry.pending_step, list(entry.approvals), entry.latest_id, entry.published_id,
            entry.review_due_at, entry.events.count(), entry.versions.count(), entry.flags.count())
