"""Entries go back to their units for review (the profile's review interval; near their valid-until), and
an answer an operator reports as wrong goes to the unit with the report."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hotline.directory.seed import City
from hotline.kb import services
from hotline.kb.models import EntryFlag
from hotline.notify.models import Notification
from hotline.orders import rulebook
from hotline.rules.deadlines import add_period
from hotline.rules.errors import ActionNotAllowed, Forbidden, InvalidInput
from tests.kb.conftest import MONDAY, content, draft, publish, state

pytestmark = pytest.mark.django_db


def test_an_entry_goes_back_for_review_after_the_profiles_interval_once(city: City) -> None:
    """ziyang: knowledge.review_interval = 120wd (a default the profile marks; ziyang §17 asks for timely updates)."""
    entry = publish(city)
    profile = rulebook.profile()
    interval = profile.knowledge.review_interval
    assert interval is not None
    due = add_period(rulebook.calendar(), profile.hours, MONDAY, interval).due
    assert entry.review_due_at == due and due.date().isoformat() == "2026-08-21"
    assert services.kb_review_due(due - timedelta(minutes=1)) == 0
    assert services.kb_review_due(due) == 1
    assert services.kb_review_due(due + timedelta(days=1)) == 0                  # once per cycle
    entry.refresh_from_db()
    assert entry.review_requested_at == due
    event = entry.events.get(action="review_requested")
    assert (event.actor, event.note) == (None, "已到复核期限")
    assert Notification.objects.filter(kind="kb_review", recipient="D04", text__contains=entry.code).count() == 1

    services.kb_entry_confirm(entry=entry.pk, user=city.staff("D04", leader=True), note="政策未变", at=due)
    entry.refresh_from_db()
    assert entry.review_requested_at is None and entry.review_due_at > due + timedelta(days=150)
    assert services.kb_review_due(due + timedelta(days=1)) == 0


def test_an_entry_near_its_valid_until_goes_back_and_cannot_just_be_confirmed(city: City) -> None:
    entry = publish(city, valid_until=MONDAY.date() + timedelta(days=10))
    assert services.kb_review_due(MONDAY) == 1
    assert "将于 2026-03-12 失效" in entry.events.get(action="review_requested").note
    before = state(entry)
    with pytest.raises(InvalidInput, match="将于 2026-03-12 失效"):
        services.kb_entry_confirm(entry=entry.pk, user=city.staff("D04", leader=True), at=MONDAY)
    with pytest.raises(Forbidden):
        services.kb_entry_confirm(entry=entry.pk, user=city.staff("D04"), at=MONDAY)
    assert state(entry) == before
    services.kb_entry_update(entry=entry.pk, user=city.staff("D04"), at=MONDAY,
                             content=content(valid_until=MONDAY.date() + timedelta(days=400)))
    services.kb_entry_submit(entry=entry.pk, user=city.staff("D04"), at=MONDAY)      # ziyang: the unit publishes
    entry.refresh_from_db()
    assert entry.status == "published" and entry.review_requested_at is None


def test_an_operator_flags_a_wrong_answer_and_the_unit_resolves_it(city: City) -> None:
    entry = publish(city)
    operator = city.users["operator"]
    flag = services.kb_entry_flag(entry=entry.pk, user=operator, reason="补卡已改为全市通办，答案过时",
                                  order_number="ZY2026030200001", at=MONDAY)
    assert (flag.status, flag.version_id, flag.raised_by) == ("open", entry.published_id, operator)
    assert Notification.objects.filter(kind="kb_flag", recipient="D04", text__contains="全市通办").exists()
    with pytest.raises(Forbidden):
        services.kb_flag_resolve(flag=flag.pk, user=city.staff("D05"), resolution="not_wrong", note="不是我们")
    with pytest.raises(InvalidInput, match="尚未修改"):
        services.kb_flag_resolve(flag=flag.pk, user=city.staff("D04"), resolution="corrected", note="已改")
    flag.refresh_from_db()
    assert flag.status == "open"
    services.kb_entry_update(entry=entry.pk, user=city.staff("D04"), content=content(answer="全市通办，当场领取。"))
    services.kb_flag_resolve(flag=flag.pk, user=city.staff("D04"), resolution="corrected", note="已更新答案")
    flag.refresh_from_db()
    assert (flag.status, flag.resolution, flag.resolved_by) == ("resolved", "corrected", city.staff("D04"))
    with pytest.raises(ActionNotAllowed):
        services.kb_flag_resolve(flag=flag.pk, user=city.staff("D04"), resolution="not_wrong", note="再次")
    assert list(entry.events.filter(action__in=["flag", "resolve_flag"]).values_list("action", flat=True)) == [
        "flag", "resolve_flag"]


def test_only_the_hotline_flags_and_only_what_is_published(city: City) -> None:
    entry = publish(city)
    with pytest.raises(Forbidden):
        services.kb_entry_flag(entry=entry.pk, user=city.staff("D05"), reason="不对")
    with pytest.raises(InvalidInput):
        services.kb_entry_flag(entry=entry.pk, user=city.users["operator"], reason="  ")
    unpublished = draft(city)
    with pytest.raises(ActionNotAllowed):
        services.kb_entry_flag(entry=unpublished.pk, user=city.users["operator"], reason="不对")
    assert EntryFlag.objects.count() == 0
    flag = services.kb_entry_flag(entry=entry.pk, user=city.users["dispatcher"], reason="电话号码错了")
    services.kb_flag_resolve(flag=flag.pk, user=city.staff("D04", leader=True), resolution="not_wrong",
                             note="经核实号码无误")
    flag.refresh_from_db()
    assert flag.resolution == "not_wrong"
