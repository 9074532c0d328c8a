"""The detection maths (no database): each detector fires on an injected anomaly and stays quiet on
plain, seeded data (ziyang §21: 对异常情况实时智能预警; xixian §9(6): 对应急突发类事件进行预警)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from hotline.early_warning import bench
from hotline.early_warning import detectors as d
from hotline.early_warning.conf import Thresholds
from hotline.rules.calendar import WorkCalendar
from tests.rules.walk import article

TZ = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar()
T = Thresholds()
MONDAY = date(2026, 6, 15)


def at(day: date, hour: float) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=TZ) + timedelta(hours=hour)


def weekday_series(rng: np.random.Generator, days: list[date], level: float) -> dict[date, int]:
    return {x: int(rng.poisson(level * (1.0 if CAL.is_working_day(x) else 0.5))) for x in days}


# --- the robust baseline -----------------------------------------------------------------------------------------

def test_the_baseline_is_the_median_and_the_mad_and_never_narrower_than_poisson() -> None:
    base = d.baseline([MONDAY] * 5, [10, 12, 11, 50, 9])
    assert base.median == 11 and base.mad == 1
    assert base.spread == pytest.approx(11 ** 0.5)          # 1.4826 × 1 < √11: the Poisson floor
    wide = d.baseline([MONDAY] * 5, [10, 30, 20, 40, 0])
    assert wide.median == 20 and wide.mad == 10 and wide.spread == pytest.approx(14.826)


def test_a_monday_is_compared_with_the_mondays_before_it() -> None:
    reference = d.weekday_reference(MONDAY, weeks=8, since=date(2026, 1, 1), is_working=CAL.is_working_day)
    assert all(x.weekday() == 0 and CAL.is_working_day(x) for x in reference)
    assert max(reference) == MONDAY - timedelta(weeks=1) and min(reference) == MONDAY - timedelta(weeks=8)
    assert date(2026, 5, 4) not in reference and len(reference) == 7   # Labour Day week: that Monday was off


def test_a_holiday_is_compared_with_days_off_and_a_working_saturday_with_working_days() -> None:
    labour_day = date(2026, 5, 1)                  # a Friday, a public holiday
    reference = d.weekday_reference(labour_day, weeks=8, since=date(2026, 1, 1), is_working=CAL.is_working_day)
    assert reference and not any(CAL.is_working_day(x) for x in reference)
    swapped = date(2026, 5, 9)                     # a Saturday worked in exchange (调休)
    assert CAL.is_working_day(swapped)
    reference = d.weekday_reference(swapped, weeks=8, since=date(2026, 1, 1), is_working=CAL.is_working_day)
    assert len(reference) >= d.MIN_REFERENCE and all(CAL.is_working_day(x) for x in reference)


def test_no_judgement_without_enough_history() -> None:
    series = {MONDAY: 500}
    reference = d.weekday_reference(MONDAY, weeks=8, since=MONDAY - timedelta(days=3), is_working=CAL.is_working_day)
    assert len(reference) < d.MIN_REFERENCE                  # one working day of history (the Friday)
    assert d.departure(series, MONDAY, reference, z=4, min_count=10) is None


@article("ziyang §21")
def test_a_category_whose_daily_volume_jumps_far_above_its_weekday_level_is_a_departure() -> None:
    rng = np.random.default_rng(7)
    days = [MONDAY - timedelta(days=k) for k in range(70, -1, -1)]
    series = weekday_series(rng, days, 30)
    series[MONDAY] = 90
    reference = d.weekday_reference(MONDAY, weeks=8, since=days[0], is_working=CAL.is_working_day)
    found = d.departure(series, MONDAY, reference, z=4, min_count=10)
    assert found is not None and found.direction == "up" and found.count == 90
    assert found.z >= 4 and 20 <= found.expected <= 40
    assert found.baseline.days == tuple(reference)


@article("ziyang §21")
def test_plain_weekday_patterned_volume_raises_almost_nothing() -> None:
    rng = np.random.default_rng(11)
    days = [date(2026, 3, 2) + timedelta(days=k) for k in range(150)]
    fired = judged = 0
    for level in (5, 20, 60):
        series = weekday_series(rng, days, level)
        for day in days[-60:]:
            reference = d.weekday_reference(day, weeks=8, since=days[0], is_working=CAL.is_working_day)
            fired += d.departure(series, day, reference, z=T.volume_z, min_count=T.volume_min_count) is not None
            judged += 1
    assert fired <= 1, f"{fired} false warnings in {judged} plain days"


def test_a_small_category_needs_the_minimum_count_to_warn() -> None:
    days = [MONDAY - timedelta(weeks=k) for k in range(8, 0, -1)]
    series = dict.fromkeys(days, 0) | {MONDAY: 6}         # z = 6, but six appeals
    assert d.departure(series, MONDAY, days, z=4, min_count=10) is None
    assert d.departure(series, MONDAY, days, z=4, min_count=5) is not None


def test_a_day_not_over_is_judged_upward_only() -> None:
    days = [MONDAY - timedelta(weeks=k) for k in range(8, 0, -1)]
    series = dict.fromkeys(days, 40) | {MONDAY: 2}
    assert d.departure(series, MONDAY, days, z=4, min_count=10).direction == "down"  # type: ignore[union-attr]
    assert d.departure(series, MONDAY, days, z=4, min_count=10, upward_only=True) is None


def test_one_earlier_spike_in_the_reference_weeks_does_not_hide_the_next() -> None:
    days = [MONDAY - timedelta(weeks=k) for k in range(8, 0, -1)]
    series = dict.fromkeys(days, 20) | {days[-1]: 200, MONDAY: 60}
    found = d.departure(series, MONDAY, days, z=4, min_count=10)
    assert found is not None and found.expected == 20


# --- overdue -------------------------------------------------------------------------------------------------------

@article("ziyang §21")
def test_a_unit_whose_newly_overdue_orders_jump_against_its_own_recent_days_is_warned_about() -> None:
    rng = np.random.default_rng(3)
    days = [MONDAY - timedelta(days=k) for k in range(40, -1, -1)]
    series = {x: int(rng.poisson(2 if CAL.is_working_day(x) else 0.5)) for x in days}
    reference = d.recent_reference(MONDAY, days=28, since=days[0], is_working=CAL.is_working_day)
    assert d.departure(series, MONDAY, reference, z=T.overdue_z, min_count=T.overdue_min_count,
                       upward_only=True) is None
    series[MONDAY] = 14
    found = d.departure(series, MONDAY, reference, z=T.overdue_z, min_count=T.overdue_min_count, upward_only=True)
    assert found is not None and found.count == 14 and found.expected <= 3


# --- bursts -----------------------------------------------------------------------------------------------------------

def appeal(n: int, hour: float, text: str, *, address: str = "", region: int = 1, requester: int | None = None,
           category: int | None = 1, day: date = MONDAY) -> d.Item:
    return d.Item(n, at(day, hour), text, region, address, requester if requester is not None else 1000 + n, category)


OUTAGE = ["阳光小区从早上开始停电了，到现在还没来电", "阳光小区全小区停电好几个小时了，什么时候恢复",
          "我们阳光小区又停电了，冰箱里东西都坏了", "阳光小区停电了，物业也说不清楚原因", "阳光小区突然停电，电梯里还困着人"]


@article("xixian §9(6)")
def test_five_people_at_one_estate_within_hours_are_a_burst() -> None:
    items = [appeal(n, 9 + n * 0.4, OUTAGE[n], address=f"雁江区人民路阳光小区{n + 1}栋") for n in range(5)]
    items.append(appeal(9, 10, "孩子入学需要什么材料", address="雁江区建设路12号"))
    found = d.bursts(items, hours=T.burst_hours, min_appeals=T.burst_min_appeals, similarity=T.burst_similarity)
    assert len(found) == 1
    burst = found[0]
    assert burst.ids == (0, 1, 2, 3, 4) and burst.requesters == 5 and "address" in burst.basis
    assert burst.address.startswith("雁江区人民路阳光小区")


def test_the_same_text_without_addresses_is_a_burst_too() -> None:
    items = [appeal(n, 14 + n * 0.2, "人民路和建设路路口红绿灯坏了，车辆乱成一团，请马上派人") for n in range(6)]
    found = d.bursts(items, hours=6, min_appeals=5, similarity=0.6)
    assert len(found) == 1 and found[0].basis == "text"


def test_one_requester_calling_five_times_is_not_a_burst() -> None:
    items = [appeal(n, 9 + n * 0.3, OUTAGE[n], address="雁江区人民路阳光小区1栋", requester=77) for n in range(5)]
    assert d.bursts(items, hours=6, min_appeals=5, similarity=0.6) == []


def test_appeals_days_apart_or_in_other_regions_are_not_a_burst() -> None:
    spread_out = [appeal(n, 9 + n * 24, OUTAGE[n], address="雁江区人民路阳光小区1栋") for n in range(5)]
    assert d.bursts(spread_out, hours=6, min_appeals=5, similarity=0.6) == []
    elsewhere = [appeal(n, 9 + n * 0.2, OUTAGE[n], address=f"某区某路阳光小区{n}栋", region=n) for n in range(5)]
    assert d.bursts(elsewhere, hours=6, min_appeals=5, similarity=0.6) == []


def test_the_same_estate_with_different_matters_is_not_a_burst() -> None:
    texts = ["楼下烧烤店噪音太大影响休息", "孩子入学需要什么材料", "医保报销进度太慢", "物业公司乱收费", "公交车不按站停靠"]
    items = [appeal(n, 9 + n * 0.2, t, address=f"雁江区人民路阳光小区{n + 1}栋") for n, t in enumerate(texts)]
    assert d.bursts(items, hours=6, min_appeals=5, similarity=0.6) == []


@article("xixian §9(6)")
def test_a_plain_month_of_appeals_raises_no_burst_and_injected_events_are_found() -> None:
    rng = np.random.default_rng(2024)
    stream = bench.plain_stream(rng, days=7, per_day=300)
    kwargs = {"hours": T.burst_hours, "min_appeals": T.burst_min_appeals, "similarity": T.burst_similarity}
    assert d.bursts(stream.items, **kwargs) == []  # type: ignore[arg-type]
    injected = bench.inject_bursts(rng, stream, 5)
    found = d.bursts(stream.items, **kwargs)  # type: ignore[arg-type]
    assert all(any(len(set(g.ids) & event) * 2 > len(g.ids) for event in injected) for g in found)
    assert sum(any(len(set(g.ids) & event) >= 5 for g in found) for event in injected) >= 4


# --- repeats ---------------------------------------------------------------------------------------------------------

@article("ziyang §21")
def test_a_requester_appealing_the_same_matter_three_times_is_warned_about() -> None:
    items = [appeal(1, 9, "楼下烧烤店噪音太大影响休息，每天吵到半夜", address="雁江区和平街5号", requester=42, category=3),
             appeal(2, 9, "又是楼下烧烤店，噪音太大，还是没人管", address="雁江区和平街5号", requester=42, category=3,
                    day=MONDAY + timedelta(days=5)),
             appeal(3, 9, "第三次反映烧烤店噪音扰民的问题", address="雁江区和平街5号", requester=42, category=3,
                    day=MONDAY + timedelta(days=12))]
    found = d.repeats(items, min_appeals=3, similarity=0.5)
    assert len(found) == 1 and found[0].requester == 42 and found[0].ids == (1, 2, 3)
    assert d.repeats(items[:2], min_appeals=3, similarity=0.5) == []


def test_three_appeals_about_three_matters_are_not_a_repeat() -> None:
    items = [appeal(1, 9, "楼下烧烤店噪音太大", address="雁江区和平街5号", requester=42, category=3),
             appeal(2, 10, "孩子入学需要什么材料", address="雁江区和平街5号", requester=42, category=8),
             appeal(3, 11, "门前道路坑洼不平", address="雁江区人民路100号", requester=42, category=3)]
    assert d.repeats(items, min_appeals=3, similarity=0.5) == []


def test_without_addresses_a_repeat_is_recognised_by_its_text() -> None:
    texts = ["社保卡补办了一个月还没拿到，请催一下", "社保卡补办了一个月还没拿到，怎么回事", "我的社保卡补办了一个多月还没拿到"]
    items = [appeal(n, 9 + n * 48, t, requester=5, category=None) for n, t in enumerate(texts)]
    assert [g.ids for g in d.repeats(items, min_appeals=3, similarity=0.5)] == [(0, 1, 2)]


@article("ziyang §21")
def test_a_plain_month_with_frequent_callers_raises_no_repeat_and_injected_ones_are_found() -> None:
    rng = np.random.default_rng(99)
    stream = bench.plain_stream(rng, days=30, per_day=200, requesters=5000)
    assert d.repeats(stream.items, min_appeals=3, similarity=0.5) == []
    injected = bench.inject_repeats(rng, stream, 10)
    found = d.repeats(stream.items, min_appeals=3, similarity=0.5)
    assert sum(any(len(set(g.ids) & event) >= 3 for g in found) for event in injected) >= 7
    assert all(any(set(g.ids) <= event for event in injected) for g in found)


# --- danger words ------------------------------------------------------------------------------------------------------

WORDS = d.load_words()


@article("xixian §9(6)")
@pytest.mark.parametrize(("text", "word", "kind"), [
    ("邻居说不想活了要跳楼，家里人劝不住", "跳楼", "life"),
    ("老人独自在家闻到煤气味很重，担心煤气泄漏", "煤气泄漏", "safety"),
    ("工地老板拖欠工资半年，工人准备明天去政府门口拉横幅讨薪", "讨薪", "mass"),
    ("几十户业主在售楼部门口聚集维权", "聚集", "mass"),
])
def test_words_that_signal_danger_to_life_or_a_mass_incident_are_found(text: str, word: str, kind: str) -> None:
    found = d.danger_matches(text, WORDS)
    assert (word, kind) in {(m.word, m.kind) for m in found}


@pytest.mark.parametrize("text", ["社区通知疫情期间防止聚集，请问广场舞还能跳吗", "物业说要做火灾隐患排查，需要入户吗",
                                  "燃气费在哪里缴纳", "楼上漏水把我家天花板泡了", "咨询工资个税怎么算"])
def test_harmless_phrases_are_not_danger(text: str) -> None:
    assert d.danger_matches(text, WORDS) == []


def test_the_evidence_snippet_masks_digits_and_a_word_inside_a_longer_one_counts_once() -> None:
    found = d.danger_matches("我电话13800001111，工人们要去集体上访", WORDS)
    assert [m.word for m in found] == ["集体上访"]
    assert "1380" not in found[0].snippet and "集体上访" in found[0].snippet


def test_the_word_list_ships_with_the_package_and_rejects_a_bad_line() -> None:
    assert {kind for _, kind in WORDS.words} == set(d.DANGER_KINDS)
    assert len(WORDS.words) >= 40
    with pytest.raises(ValueError, match="line 1"):
        d.parse_words("跳楼 danger")


# --- the benchmark ------------------------------------------------------------------------------------------------------

def test_the_bench_reports_precision_and_recall_for_every_kind() -> None:
    t = Thresholds()
    scores = [bench.bench_volume(1, t, CAL), bench.bench_overdue(1, t, CAL)]
    text = bench.report(scores, t)
    assert "volume" in text and "overdue" in text and "precision" in text and "recall" in text
    assert scores[0].recall >= 0.9 and scores[0].precision >= 0.8
