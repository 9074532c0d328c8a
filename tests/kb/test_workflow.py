"""The entry's life as each profile's ``knowledge.entry_approval`` sets it, with roles; a refused step
changes nothing. Most tests run under xixian, the rulebook that spells the workflow out (§13: the unit
drafts → its deputy leader, 分管领导, reviews → the hotline publishes)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hotline.directory.seed import City
from hotline.kb import services, workflow
from hotline.kb.models import EntryVersion
from hotline.kb.search import kb_search
from hotline.kb.workflow import Kind, Step
from hotline.notify.models import Notification
from hotline.orders import rulebook
from hotline.rules.errors import ActionNotAllowed, Forbidden, GuardRefused, InvalidInput, NotFound
from tests.kb.conftest import MONDAY, content, draft, publish, state

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def xixian(settings: Any) -> None:
    settings.HOTLINE_PROFILE = "xixian"


def test_a_unit_drafts_its_leader_reviews_and_the_hotline_publishes(city: City) -> None:
    handler, leader, supervisor = city.staff("D04"), city.staff("D04", leader=True), city.users["supervisor"]
    entry = draft(city)
    assert (entry.status, entry.code, entry.unit.code) == ("draft", f"KB{entry.pk:06d}", "D04")
    assert kb_search("社保卡丢了") == []                                   # a draft is nobody's answer yet

    services.kb_entry_submit(entry=entry.pk, user=handler, at=MONDAY)
    entry.refresh_from_db()
    assert (entry.status, entry.pending_step) == ("submitted", "unit_deputy_leader")
    assert Notification.objects.filter(kind="kb_submitted", recipient="D04").exists()

    services.kb_entry_approve(entry=entry.pk, user=leader, at=MONDAY)
    entry.refresh_from_db()
    assert (entry.status, entry.pending_step, entry.approvals) == ("submitted", "hotline", ["unit_deputy_leader"])
    assert kb_search("社保卡丢了") == []                                   # reviewed, not yet published

    services.kb_entry_publish(entry=entry.pk, user=supervisor, at=MONDAY)
    entry.refresh_from_db()
    assert (entry.status, entry.pending_step, entry.published_id) == ("published", "", entry.latest_id)
    assert [h.doc.code for h in kb_search("社保卡丢了")] == [entry.code]
    events = list(entry.events.values_list("action", "actor__username", "step", "rule"))
    assert events == [("create", "d04-handler", "", ""), ("submit", "d04-handler", "", ""),
                      ("approve", "d04-leader", "unit_deputy_leader", "xixian §13; xixian §11"),
                      ("publish", "supervisor", "hotline", "xixian §13; xixian §11")]


@pytest.mark.parametrize(("who", "action", "error"), [
    ("d04-handler", "approve", GuardRefused),      # a handler is not the leader
    ("d05-leader", "approve", GuardRefused),       # the leader of another unit
    ("supervisor", "publish", GuardRefused),       # the hotline before the unit's review
    ("operator", "approve", GuardRefused),
    ("d04-leader", "publish", GuardRefused),       # the leader publishes nothing
    ("d05-handler", "submit", Forbidden),          # another unit's entry
    ("operator", "submit", Forbidden),
])
def test_a_refused_step_changes_nothing(city: City, who: str, action: str, error: type[Exception]) -> None:
    entry = draft(city)
    if action != "submit":
        services.kb_entry_submit(entry=entry.pk, user=city.staff("D04"), at=MONDAY)
    before = state(entry)
    service: Any = {"approve": services.kb_entry_approve, "publish": services.kb_entry_publish,
                    "submit": services.kb_entry_submit}[action]
    with pytest.raises(error):
        service(entry=entry.pk, user=city.users[who], at=MONDAY)
    assert state(entry) == before


def test_the_hotline_cannot_publish_twice_nor_a_draft(city: City) -> None:
    entry = draft(city)
    before = state(entry)
    with pytest.raises(ActionNotAllowed):
        services.kb_entry_publish(entry=entry.pk, user=city.users["supervisor"], at=MONDAY)
    assert state(entry) == before
    published = publish(city)
    before = state(published)
    with pytest.raises(ActionNotAllowed):
        services.kb_entry_publish(entry=published.pk, user=city.users["supervisor"], at=MONDAY)
    assert state(published) == before


def test_the_step_names_its_rule_when_refused(city: City) -> None:
    entry = draft(city)
    services.kb_entry_submit(entry=entry.pk, user=city.staff("D04"), at=MONDAY)
    with pytest.raises(GuardRefused) as info:
        services.kb_entry_publish(entry=entry.pk, user=city.users["supervisor"], at=MONDAY)
    assert info.value.code == "kb_review_first" and info.value.article == "xixian §13; xixian §11"
    assert "单位分管领导" in info.value.message_zh and info.value.message_zh.startswith("西咸")


def test_every_change_is_a_new_attributed_version_and_the_published_one_stays_in_service(city: City) -> None:
    entry = publish(city)
    first = entry.published_id
    services.kb_entry_update(entry=entry.pk, user=city.staff("D04", leader=True), note="补卡改为全市通办",
                             content=content(answer="全市任一社保卡服务网点均可补卡，当场领取。"),
                             at=MONDAY + timedelta(days=1))
    entry.refresh_from_db()
    assert (entry.status, entry.published_id) == ("draft", first)
    assert list(entry.versions.values_list("number", "created_by__username", "note")) == [
        (1, "d04-handler", "新建"), (2, "d04-leader", "补卡改为全市通办")]
    (hit,) = kb_search("社保卡丢了")
    assert "即时制卡" in hit.doc.answer and hit.doc.version == 1         # the old answer serves meanwhile

    services.kb_entry_submit(entry=entry.pk, user=city.staff("D04"))
    services.kb_entry_approve(entry=entry.pk, user=city.staff("D04", leader=True))
    services.kb_entry_publish(entry=entry.pk, user=city.users["dispatcher"])
    (hit,) = kb_search("社保卡丢了")
    assert "全市任一" in hit.doc.answer and hit.doc.version == 2
    with pytest.raises(ValueError, match="immutable"):
        version = EntryVersion.objects.get(entry=entry, number=1)
        version.answer = "改写历史"
        version.save()


def test_an_entry_in_review_cannot_change_and_a_reviewer_sends_it_back_with_a_reason(city: City) -> None:
    entry = draft(city)
    services.kb_entry_submit(entry=entry.pk, user=city.staff("D04"), at=MONDAY)
    before = state(entry)
    with pytest.raises(ActionNotAllowed):
        services.kb_entry_update(entry=entry.pk, user=city.staff("D04"), content=content(answer="新答案"))
    with pytest.raises(InvalidInput):
        services.kb_entry_reject(entry=entry.pk, user=city.staff("D04", leader=True), note=" ")
    assert state(entry) == before
    services.kb_entry_reject(entry=entry.pk, user=city.staff("D04", leader=True), note="依据文件已废止，请更新")
    entry.refresh_from_db()
    assert (entry.status, entry.approvals, entry.pending_step) == ("returned", [], "")
    assert Notification.objects.filter(kind="kb_returned", recipient="D04", text__contains="依据文件已废止").exists()
    services.kb_entry_update(entry=entry.pk, user=city.staff("D04"), content=content(basis_document="新办法"))
    services.kb_entry_submit(entry=entry.pk, user=city.staff("D04"))
    entry.refresh_from_db()
    assert (entry.status, entry.pending_step) == ("submitted", "unit_deputy_leader")


def test_bad_content_is_refused_naming_each_field(city: City) -> None:
    with pytest.raises(InvalidInput) as info:
        services.kb_entry_create(user=city.staff("D04"), content=content(
            question="", region="nowhere", categories=("nope",), basis_url="ftp://x",
            valid_from=MONDAY.date(), valid_until=MONDAY.date() - timedelta(days=1)))
    for field in ("标准问题", "适用区域", "分类", "依据链接", "失效日期"):
        assert field in info.value.message_zh
    assert "question: is required" in info.value.message_en


def test_unit_staff_enter_their_own_units_entries_only(city: City) -> None:
    with pytest.raises(Forbidden):
        services.kb_entry_create(user=city.staff("D04"), content=content(), unit="D05")
    with pytest.raises(Forbidden):                                     # the hotline drafts emergency information only
        services.kb_entry_create(user=city.users["supervisor"], content=content(), unit="D04")
    entry = draft(city)
    with pytest.raises(Forbidden):
        services.kb_entry_update(entry=entry.pk, user=city.staff("D05"), content=content())
    with pytest.raises(NotFound):
        services.kb_entry_update(entry=987654, user=city.staff("D04"), content=content())


def test_ziyang_units_publish_their_own_entries(city: City, settings: Any) -> None:
    """ziyang §17 (谁提供、谁负责、谁更新; entry_approval = ["unit"]): the unit's submission publishes it."""
    settings.HOTLINE_PROFILE = "ziyang"
    entry = draft(city)
    services.kb_entry_submit(entry=entry.pk, user=city.staff("D04"), at=MONDAY)
    entry.refresh_from_db()
    assert (entry.status, entry.approvals, entry.published_by) == ("published", ["unit"], city.staff("D04"))
    assert list(entry.events.values_list("action", "from_status", "to_status", "rule")) == [
        ("create", "", "draft", ""), ("submit", "draft", "submitted", "ziyang §17"),
        ("publish", "submitted", "published", "ziyang §17")]
    assert [h.doc.code for h in kb_search("社保卡丢了")] == [entry.code]
    with pytest.raises(Forbidden):                                     # still only the unit's own entries
        services.kb_entry_submit(entry=draft(city).pk, user=city.staff("D05"))


def test_a_rulebook_naming_no_steps_gets_the_platform_default(city: City, settings: Any) -> None:
    """tianjin names no approval steps: the unit's leader reviews, then the hotline publishes."""
    settings.HOTLINE_PROFILE = "tianjin"
    entry = draft(city)
    services.kb_entry_submit(entry=entry.pk, user=city.staff("D04"))
    entry.refresh_from_db()
    assert entry.pending_step == "unit_leader"
    with pytest.raises(GuardRefused) as info:
        services.kb_entry_approve(entry=entry.pk, user=city.staff("D04"))
    assert (info.value.article or "").startswith("default:")
    services.kb_entry_approve(entry=entry.pk, user=city.staff("D04", leader=True))
    services.kb_entry_publish(entry=entry.pk, user=city.users["dispatcher"])
    entry.refresh_from_db()
    assert entry.approvals == ["unit_leader", "hotline"] and entry.status == "published"


def test_a_profile_listing_other_steps_has_them_taken_in_order(city: City, monkeypatch: pytest.MonkeyPatch) -> None:
    """When a profile lists its steps, they are taken in that order, each by whoever fills it."""
    base = rulebook.profile()
    knowledge = base.knowledge.model_copy(update={"entry_approval": ["unit", "unit_deputy_leader", "hotline"]})
    custom = base.model_copy(update={"knowledge": knowledge})
    monkeypatch.setattr(rulebook, "profile", lambda name=None: custom)
    entry = draft(city)
    services.kb_entry_submit(entry=entry.pk, user=city.staff("D04"))          # the unit's own step: submitting
    entry.refresh_from_db()
    assert (entry.approvals, entry.pending_step) == (["unit"], "unit_deputy_leader")
    with pytest.raises(GuardRefused):
        services.kb_entry_approve(entry=entry.pk, user=city.staff("D04"))
    services.kb_entry_approve(entry=entry.pk, user=city.staff("D04", leader=True))
    services.kb_entry_publish(entry=entry.pk, user=city.users["supervisor"])
    entry.refresh_from_db()
    assert entry.status == "published" and entry.approvals == ["unit", "unit_deputy_leader", "hotline"]


def test_the_steps_of_the_workflow_table() -> None:
    assert workflow.steps_for(Kind.ENTRY, []) == (Step.UNIT_LEADER, Step.HOTLINE)
    assert workflow.steps_for(Kind.ENTRY, ["unit_deputy_leader", "hotline"]) == (Step.UNIT_DEPUTY_LEADER, Step.HOTLINE)
    assert workflow.steps_for(Kind.EMERGENCY, ["unit_leader", "hotline"]) == (Step.HOTLINE,)
    assert workflow.next_step((Step.UNIT_LEADER, Step.HOTLINE), ["unit_leader"]) is Step.HOTLINE
    assert workflow.next_step((Step.UNIT_LEADER, Step.HOTLINE), ["unit_leader", "hotline"]) is None
    leader = workflow.Who("unit_leader", "D04")
    assert leader.fills(Step.UNIT_DEPUTY_LEADER, "D04") and not leader.fills(Step.UNIT_LEADER, "D05")
    assert not leader.fills(Step.HOTLINE, "D04") and workflow.Who("dispatcher", "HOTLINE").fills(Step.HOTLINE, "D04")


def test_emergency_information_is_published_by_the_hotline_at_once_and_shown_first(city: City) -> None:
    """tianjin §15: event information and answer scripts; operators see them first, until they expire."""
    publish(city, unit="C01", question="停水期间生活用水怎么办？", variants=("停水", "没水用"),
            answer="可到社区临时送水点取水。", categories=("utilities",), tags=("停水",))
    alert = publish(city, unit="HOTLINE", kind="emergency", question="金桥街道爆管停水的答复口径",
                    answer="抢修中，预计22时恢复供水。", variants=("金桥停水",), priority=10, tags=("停水",),
                    categories=(), expires_at=MONDAY + timedelta(hours=12))
    assert [e.action for e in alert.events.all()] == ["create", "submit", "publish"]
    codes = [h.doc.code for h in kb_search("家里停水了怎么办", now=MONDAY + timedelta(hours=1))]
    assert codes[0] == alert.code and len(codes) == 2
    later = [h.doc.code for h in kb_search("家里停水了怎么办", now=MONDAY + timedelta(hours=13))]
    assert alert.code not in later
    with pytest.raises(InvalidInput, match="截止时间"):
        services.kb_entry_create(user=city.users["supervisor"], kind="emergency", content=content(expires_at=None))


def test_a_policy_interpretation_reaches_operators_before_the_policy_takes_effect(city: City) -> None:
    """tianjin §15: units give the hotline their interpretation before the policy is published."""
    starts = MONDAY.date() + timedelta(days=30)
    entry = publish(city, kind="interpretation", question="基础养老金提高后怎么发放？", public=True,
                    answer="施行当月起每人每月提高20元，自动调整。", variants=("基础养老金上调",), valid_from=starts)
    assert [h.doc.code for h in kb_search("基础养老金上调", now=MONDAY)] == [entry.code]
    assert kb_search("基础养老金上调", audience="public", now=MONDAY) == []
    assert kb_search("基础养老金上调", audience="public", now=MONDAY + timedelta(days=31))[0].doc.code == entry.code
    with pytest.raises(InvalidInput, match="施行日期"):
        services.kb_entry_create(user=city.staff("D04"), kind="interpretation", content=content())


def test_a_withdrawn_entry_leaves_the_search(city: City) -> None:
    entry = publish(city)
    with pytest.raises(Forbidden):
        services.kb_entry_withdraw(entry=entry.pk, user=city.staff("D04"), note="过时")
    services.kb_entry_withdraw(entry=entry.pk, user=city.staff("D04", leader=True), note="政策废止")
    entry.refresh_from_db()
    assert (entry.status, entry.published_id) == ("withdrawn", None)
    assert kb_search("社保卡丢了") == []
