"""The search: other words than the entry's (synonyms, variants), audiences, regions, validity, and an
index that follows the database."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from hotline.directory.seed import City
from hotline.kb import bench, search, services
from hotline.kb.demo import demo_data, demo_questions, kb_demo_load
from hotline.kb.models import IndexChange
from hotline.kb.search import Doc, Index, kb_emergency_active, kb_search, tokenizer
from hotline.rules.errors import InvalidInput
from tests.kb.conftest import MONDAY, publish


def doc(entry_id: int, question: str, answer: str = "", variants: tuple[str, ...] = ()) -> Doc:
    return Doc(entry_id=entry_id, code=f"E{entry_id}", version=1, kind="entry", unit_code="D04", unit_name="人社局",
               region_id=None, region_name="", question=question, variants=variants, answer=answer)


def test_segmentation_keeps_the_words_of_government_services_and_drops_function_words() -> None:
    words = tokenizer().tokens("请问我的社保卡丢了怎么补办")
    assert "社保卡" in words and "补办" in words and "丢" in words
    assert not {"请问", "我", "的", "怎么", "了"} & set(words)


def test_a_synonym_group_finds_the_entry_in_other_words() -> None:
    docs = [doc(1, "社保卡遗失后怎么补办"), doc(2, "公积金贷款额度是多少")]
    plain = Index(tokenizer()).build(docs)
    assert plain.search("社会保险卡不见了", limit=5, now=MONDAY) == []
    with_synonyms = Index(tokenizer())
    with_synonyms.set_synonyms([["社保卡", "社会保险卡"], ["遗失", "不见了"]])
    with_synonyms.build(docs)
    assert [h.doc.code for h in with_synonyms.search("社会保险卡不见了", limit=5, now=MONDAY)] == ["E1"]


def test_the_other_ways_people_ask_are_searched_too() -> None:
    index = Index(tokenizer()).build([doc(1, "灵活就业人员如何参加职工养老保险", variants=("打零工怎么交社保",)),
                                      doc(2, "失业保险金怎么申领")])
    assert index.search("打零工的人社保自己交", limit=1, now=MONDAY)[0].doc.code == "E1"


def test_bm25_prefers_the_entry_whose_question_holds_the_rare_words() -> None:
    index = Index(tokenizer()).build([
        doc(1, "公积金贷款可以提前还款吗", "公积金贷款可部分或全部提前还款，不收违约金。"),
        doc(2, "公积金缴存比例是多少", "公积金缴存比例为5%至12%。"),
        doc(3, "公积金租房提取", "租房可提取公积金。")])
    assert [h.doc.code for h in index.search("公积金能提前还清吗", limit=3, now=MONDAY)][0] == "E1"


def test_common_words_only_rerank_what_rarer_words_found() -> None:
    docs = [doc(n, f"第{n}号办理事项", "办理时间为工作日") for n in range(1, 120)]
    docs.append(doc(500, "电动自行车上牌怎么办理", "持购车发票到登记点办理"))
    index = Index(tokenizer()).build(docs)
    scores = index.scores("电动自行车上牌办理")
    assert max(scores, key=scores.__getitem__) == index.slots[500]
    assert len(scores) == 1                                      # 办理 (in every entry) brought no one in


@pytest.mark.django_db
def test_audiences_see_what_they_may(city: City) -> None:
    """ziyang §18: the knowledge base opens to units and the public; the public sees public entries only."""
    public = publish(city, question="社保卡遗失怎么补办", public=True)
    internal = publish(city, question="社保卡批量补卡内部流程", public=False, variants=())
    operator = {h.doc.code for h in kb_search("社保卡补办", audience="operator")}
    assert operator == {public.code, internal.code}
    assert {h.doc.code for h in kb_search("社保卡补办", audience="unit")} == operator
    assert [h.doc.code for h in kb_search("社保卡补办", audience="public")] == [public.code]
    with pytest.raises(InvalidInput):
        kb_search("社保卡", audience="everyone")


@pytest.mark.django_db
def test_an_entry_for_a_district_answers_there_and_a_city_wide_one_everywhere(city: City) -> None:
    district = publish(city, unit="R01", question="东城区政务服务中心在哪里", region="990100", categories=(),
                       variants=("办事大厅地址",), answer="文化路88号。")
    everywhere = publish(city, unit="D04", question="社保经办窗口在哪里", variants=("办事大厅地址",),
                         answer="各区政务服务中心。")
    assert {h.doc.code for h in kb_search("办事大厅地址", region="990100")} == {district.code, everywhere.code}
    assert {h.doc.code for h in kb_search("办事大厅地址", region="990200")} == {everywhere.code}
    assert {h.doc.code for h in kb_search("办事大厅地址")} == {district.code, everywhere.code}
    with pytest.raises(InvalidInput, match="区域代码"):
        kb_search("办事大厅地址", region="000000")


@pytest.mark.django_db
def test_only_entries_in_force_are_found(city: City) -> None:
    today = MONDAY.date()
    expired = publish(city, question="2025年度社保缴费基数", valid_until=today - timedelta(days=1))
    future = publish(city, question="2027年度社保缴费基数", valid_from=today + timedelta(days=10))
    current = publish(city, question="2026年度社保缴费基数", valid_from=today - timedelta(days=60),
                      valid_until=today + timedelta(days=300))
    found = {h.doc.code for h in kb_search("社保缴费基数", now=MONDAY)}
    assert found == {current.code}
    later = {h.doc.code for h in kb_search("社保缴费基数", now=MONDAY + timedelta(days=11))}
    assert later == {current.code, future.code} and expired.code not in later


@pytest.mark.django_db
def test_a_synonym_the_hotline_adds_takes_effect_at_once(city: City) -> None:
    entry = publish(city, question="驾驶证遗失补领", variants=(), categories=("traffic",), unit="D09",
                    answer="可在交管12123补领。")
    assert kb_search("驾照丢了") == []
    services.kb_synonym_save(user=city.users["supervisor"], terms=["驾照", "驾驶证"])
    services.kb_synonym_save(user=city.users["supervisor"], terms=["丢了", "遗失"])
    assert [h.doc.code for h in kb_search("驾照丢了")] == [entry.code]
    with pytest.raises(Exception, match="同义词由热线管理机构维护"):
        services.kb_synonym_save(user=city.staff("D09"), terms=["a", "b"])


@pytest.mark.django_db
def test_the_index_rebuilds_when_the_change_log_does_not_follow_on(city: City) -> None:
    first = publish(city, question="社保卡补办")
    assert [h.doc.code for h in kb_search("社保卡补办")] == [first.code]
    IndexChange.objects.all().delete()                          # as after a restore: the log starts anew
    second = publish(city, question="社保卡补办地点", variants=())
    assert {h.doc.code for h in kb_search("社保卡补办")} == {first.code, second.code}


@pytest.mark.django_db
def test_emergency_information_in_force_is_listed_for_operators(city: City) -> None:
    alert = publish(city, unit="HOTLINE", kind="emergency", question="暴雨停课通知答复口径", categories=(),
                    answer="全市中小学停课一天。", priority=5, expires_at=MONDAY + timedelta(hours=6))
    assert [d.code for d in kb_emergency_active(now=MONDAY)] == [alert.code]
    assert kb_emergency_active(now=MONDAY + timedelta(hours=7)) == []


@pytest.mark.django_db
def test_the_demo_knowledge_base_answers_its_questions(city: City) -> None:
    loaded = kb_demo_load(at=MONDAY)
    assert loaded.created == 119 and loaded.synonyms > 50
    assert kb_demo_load(at=MONDAY).skipped == 119                        # idempotent
    assert kb_search("社保卡丢了去哪里补", now=MONDAY)[0].doc.code == "SB01"
    asked = [q for q in demo_questions() if q.split == "fresh"][:30]
    hits = sum(q.entry in [h.doc.code for h in kb_search(q.text, limit=5, now=MONDAY)] for q in asked)
    assert hits / len(asked) >= 0.85


def test_the_question_set_is_large_enough_and_phrased_differently() -> None:
    questions = demo_questions()
    assert len(questions) >= 200 and {q.split for q in questions} == {"tune", "check", "fresh"}
    entries = {e["code"]: e for e in demo_data()["entries"]}
    for question in questions:
        entry = entries[question.entry]
        assert question.text not in (entry["question"], *entry["variants"])


def test_the_bench_command_runs(settings: object) -> None:
    """A tiny smoke run; the real figures come from `hotline kb bench` (docs/kb.md)."""
    out = StringIO()
    call_command("kb", "bench", "--entries", "300", "--rounds", "1", stdout=out)
    text = out.getvalue()
    assert "300 条" in text and "top-5" in text and "p95" in text
    result = bench.run(300, rounds=1, questions=demo_questions()[:40])
    assert result.overall.top5 >= 0.8 and result.p95_ms < 200


def test_the_index_module_state_can_be_reset() -> None:
    search.reset()
    assert search._STATE is None
