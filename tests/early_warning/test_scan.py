"""The scan on a real database: warnings fire on injected anomalies, not on plain history; each carries
its evidence; the same anomaly is one warning, updated, not one per scan (ziyang §21, xixian §9(6))."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from hotline.directory.seed import City
from hotline.early_warning.models import EarlyWarning, EarlyWarningEvent, Kind, ScanMark, Severity, Status
from hotline.early_warning.scan import warnings_check_appeal, warnings_scan, warnings_tick
from hotline.early_warning.services import warning_close
from hotline.notify.models import Notification
from hotline.orders import automation
from hotline.orders import services as order_services
from hotline.requesters.models import Requester
from tests.early_warning.history import appeals, moment, overdue_marks, weekday_history
from tests.rules.walk import article

TODAY = date(2026, 6, 17)                  # a Wednesday
YESTERDAY = TODAY - timedelta(days=1)
NOW = moment(TODAY, 15)

pytestmark = pytest.mark.django_db


def of(kind: str) -> list[EarlyWarning]:
    return list(EarlyWarning.objects.filter(kind=kind).order_by("pk"))


# --- 1. volume ---------------------------------------------------------------------------------------------------

@article("ziyang §21")
def test_a_category_and_a_region_whose_volume_leaps_yesterday_are_warned_about_with_the_baseline(city: City) -> None:
    weekday_history(TODAY, level=20)
    spike = appeals(YESTERDAY, 70, start=8, step=0.15)
    warnings_scan(now=NOW, kinds=[Kind.VOLUME])
    found = {w.evidence["dimension"]: w for w in of(Kind.VOLUME)}
    assert set(found) == {"category", "region"}          # urban, and 东城区 (the city level is left out)
    warning = found["category"]
    assert warning.category is not None and warning.category.code == "urban"
    assert warning.status == Status.OPEN and warning.rule == "ziyang §21; xixian §9(6)"
    e = warning.evidence
    assert e["day"] == YESTERDAY.isoformat() and e["direction"] == "up" and e["partial_day"] is False
    assert e["count"] >= 70 and 10 <= e["expected"] <= 30 and e["z"] >= e["threshold_z"] == 4.0
    assert e["min_count"] == 10
    tuesdays = [YESTERDAY - timedelta(weeks=k) for k in range(1, 9)]
    assert [r["day"] for r in e["reference"]] == [d.isoformat() for d in tuesdays if d != date(2026, 5, 5)]  # a holiday
    assert all(r["count"] <= 40 for r in e["reference"])
    assert "median" in e["method"] and "MAD" in e["method"]
    assert {a.pk for a in spike} <= set(warning.appeals.values_list("pk", flat=True))
    assert warning.count == e["count"]


@article("ziyang §21")
def test_plain_weekday_patterned_history_raises_no_volume_warning(city: City) -> None:
    weekday_history(TODAY, level=20)
    appeals(TODAY, 12, start=8, step=0.5)            # today so far: an ordinary morning
    warnings_scan(now=NOW, kinds=[Kind.VOLUME])
    assert of(Kind.VOLUME) == []


def test_today_is_judged_so_far_and_the_same_spike_is_one_warning_updated(city: City) -> None:
    weekday_history(TODAY, level=20)
    appeals(TODAY, 60, start=8, step=0.1)
    first = warnings_scan(now=NOW, kinds=[Kind.VOLUME])
    assert first.counts[Kind.VOLUME] == {"raised": 2}
    again = warnings_scan(now=NOW + timedelta(minutes=10), kinds=[Kind.VOLUME])
    assert again.counts[Kind.VOLUME] == {"unchanged": 2}
    appeals(TODAY, 20, start=14.5, step=0.01)
    grew = warnings_scan(now=NOW + timedelta(minutes=20), kinds=[Kind.VOLUME])
    assert grew.counts[Kind.VOLUME] == {"updated": 2}
    warning = EarlyWarning.objects.get(kind=Kind.VOLUME, category__code="urban")
    assert warning.evidence["partial_day"] is True and warning.evidence["count"] == 80
    assert warning.detections == 2
    assert [(e.action, e.actor.username if e.actor else None) for e in warning.events.order_by("at")] == [
        ("raised", "system"), ("updated", "system")]
    assert warning.events.get(action="updated").payload["count"] == [60, 80]


# --- 2. bursts ------------------------------------------------------------------------------------------------------

OUTAGE = ["阳光小区从早上开始停电了，到现在还没来电", "阳光小区全小区停电好几个小时了，什么时候恢复",
          "我们阳光小区又停电了，冰箱里东西都坏了", "阳光小区停电了，物业也说不清楚原因", "阳光小区突然停电，电梯里还困着人",
          "阳光小区停电三个小时了还没来电"]


ORDINARY = ["楼下烧烤店噪音太大", "孩子入学需要什么材料", "医保报销进度太慢", "物业公司乱收费", "公交车不按站停靠",
            "门前道路坑洼不平", "垃圾桶好几天没人清运", "自来水发黄有异味"]


def outage(n: int, start: float = 11.0) -> list[int]:
    ids = []
    for k in range(n):
        ids += [a.pk for a in appeals(TODAY, 1, content=OUTAGE[k % len(OUTAGE)], address=f"东城区人民路阳光小区{k + 1}栋",
                                      start=start + k * 0.3)]
    return ids


@article("xixian §9(6)")
def test_many_people_appealing_about_one_estate_within_hours_is_a_burst_warning(city: City) -> None:
    ids = outage(5)
    for k, text in enumerate(ORDINARY):                      # ordinary appeals meanwhile, in the same district
        appeals(TODAY, 1, content=text, start=9 + k * 0.3)
    warnings_scan(now=NOW, kinds=[Kind.BURST])
    [warning] = of(Kind.BURST)
    assert sorted(warning.appeals.values_list("pk", flat=True)) == sorted(ids)
    e = warning.evidence
    assert e["count"] == 5 and e["requesters"] == 5 and e["basis"].startswith("address")
    assert e["threshold_appeals"] == 5 and e["window_hours"] == 6 and e["address"].startswith("东城区人民路阳光小区")
    assert "阳光小区" in warning.title and warning.region is not None and warning.region.code == "990100"


def test_a_burst_that_grows_is_the_same_warning_and_reopens_if_it_was_closed(city: City) -> None:
    outage(5)
    warnings_scan(now=NOW, kinds=[Kind.BURST])
    [warning] = of(Kind.BURST)
    warning_close(user=city.users["supervisor"], warning_id=warning.pk, note="已通知供电公司抢修", at=NOW)
    assert warnings_scan(now=NOW + timedelta(minutes=5), kinds=[Kind.BURST]).counts[Kind.BURST] == {"unchanged": 1}
    more = appeals(TODAY, 1, content="阳光小区停电还没恢复，老人在家很热", address="东城区人民路阳光小区9栋", start=14.8)
    result = warnings_scan(now=NOW + timedelta(minutes=10), kinds=[Kind.BURST])
    assert result.counts[Kind.BURST] == {"reopened": 1}
    [warning] = of(Kind.BURST)
    assert warning.status == Status.OPEN and warning.count == 6 and more[0].pk in set(
        warning.appeals.values_list("pk", flat=True))
    assert list(warning.events.values_list("action", flat=True)) == ["raised", "closed", "reopened"]
    told = list(Notification.objects.filter(kind="early_warning").order_by("pk").values_list("text", flat=True))
    assert len(told) == 2 and "新预警（集中来件）" in told[0] and "重新打开（集中来件）" in told[1]


def test_ordinary_appeals_at_one_estate_about_different_matters_are_no_burst(city: City) -> None:
    for k, text in enumerate(ORDINARY):
        appeals(TODAY, 1, content=text, address=f"东城区人民路阳光小区{k + 1}栋", start=10 + k * 0.2)
    warnings_scan(now=NOW, kinds=[Kind.BURST])
    assert of(Kind.BURST) == []


# --- 3. repeats -----------------------------------------------------------------------------------------------------

@article("ziyang §21")
def test_a_requester_appealing_the_same_matter_three_times_is_warned_about_without_personal_data(city: City) -> None:
    requester = Requester.objects.create(name="张三", phone="13912345678")
    texts = ["楼下烧烤店噪音太大影响休息，每天吵到半夜", "又是楼下烧烤店，噪音太大，还是没人管", "第三次反映楼下烧烤店噪音扰民"]
    ids = [appeals(TODAY - timedelta(days=12 - 5 * k), 1, content=t, address="东城区和平街5号", requester=requester)[0].pk
           for k, t in enumerate(texts)]
    warnings_scan(now=NOW, kinds=[Kind.REPEAT])
    [warning] = of(Kind.REPEAT)
    assert warning.requester_id == requester.pk and warning.count == 3
    assert sorted(warning.appeals.values_list("pk", flat=True)) == sorted(ids)
    assert warning.evidence["threshold_appeals"] == 3 and warning.evidence["window_days"] == 30
    shown = f"{warning.title} {warning.evidence}"
    assert "张三" not in shown and "13912345678" not in shown


def test_two_appeals_of_a_matter_or_three_of_different_matters_are_no_repeat(city: City) -> None:
    one = Requester.objects.create(phone="13900000001")
    two = Requester.objects.create(phone="13900000002")
    for k in range(2):
        appeals(TODAY - timedelta(days=k), 1, content="楼下烧烤店噪音太大影响休息", address="东城区和平街5号", requester=one)
    for k, (text, category) in enumerate([("楼下烧烤店噪音太大", "urban"), ("孩子入学需要什么材料", "education"),
                                          ("公交车不按站停靠", "traffic")]):
        appeals(TODAY - timedelta(days=k), 1, content=text, category=category, address="东城区和平街5号", requester=two)
    warnings_scan(now=NOW, kinds=[Kind.REPEAT])
    assert of(Kind.REPEAT) == []


# --- 4. overdue -----------------------------------------------------------------------------------------------------

@article("ziyang §21")
def test_a_unit_whose_overdue_count_jumps_against_its_own_recent_days_is_warned_about(city: City) -> None:
    unit = city.units["D01"]
    for k in range(30, 1, -1):
        overdue_marks(unit, TODAY - timedelta(days=k), k % 3)          # 0, 1 or 2 a day
    jumped = overdue_marks(unit, YESTERDAY, 12)
    overdue_marks(city.units["D02"], YESTERDAY, 2)                    # another unit, an ordinary day
    warnings_scan(now=NOW, kinds=[Kind.OVERDUE])
    [warning] = of(Kind.OVERDUE)
    assert warning.unit == unit and warning.evidence["count"] == 12 and warning.evidence["expected"] <= 2
    assert warning.evidence["threshold_z"] == 4.0 and warning.evidence["min_count"] == 5
    assert sorted(warning.evidence["orders"]) == sorted(o.number for o in jumped)
    assert warning.count == 12


def test_a_unit_with_its_usual_overdue_orders_raises_nothing(city: City) -> None:
    unit = city.units["D01"]
    for k in range(30, 0, -1):
        overdue_marks(unit, TODAY - timedelta(days=k), 2 + k % 2)
    warnings_scan(now=NOW, kinds=[Kind.OVERDUE])
    assert of(Kind.OVERDUE) == []


# --- 5. danger words, from the tick ---------------------------------------------------------------------------------

@article("xixian §9(6)")
def test_an_appeal_with_words_of_danger_to_life_is_a_warning_at_the_next_tick(city: City) -> None:
    result = order_services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="help",
                                          content="邻居说不想活了要跳楼，家里人劝不住，电话13812345678",
                                          requester_phone="13800000009", category="urban", at=NOW)
    automation.tick(NOW + timedelta(minutes=1))
    [warning] = of(Kind.DANGER)
    assert warning.severity == Severity.HIGH and warning.status == Status.OPEN
    words = {w["word"]: w for w in warning.evidence["words"]}
    assert {"跳楼", "不想活"} <= set(words) and words["跳楼"]["kind"] == "life"
    assert "13812345678" not in str(warning.evidence)
    assert warning.evidence["orders"] == [result.orders[0].number]
    automation.tick(NOW + timedelta(minutes=2))
    assert EarlyWarning.objects.filter(kind=Kind.DANGER).count() == 1
    assert warning.events.count() == 1
    assert ScanMark.objects.get(name="danger").cursor == result.appeal.pk     # the next tick reads from here on
    later = appeals(TODAY, 1, content="工人们说再不发工资就去堵路", start=14)[0]   # backdated: found by its id
    automation.tick(NOW + timedelta(minutes=3))
    assert EarlyWarning.objects.get(kind=Kind.DANGER, key=f"appeal:{later.pk}").evidence["words"][0]["word"] == "堵路"


def test_a_new_warning_goes_to_the_hotline_office_inbox_once(city: City) -> None:
    appeals(TODAY, 1, content="邻居说不想活了要跳楼，电话13812345678", start=14)
    warnings_scan(now=NOW, kinds=[Kind.DANGER])
    warnings_scan(now=NOW + timedelta(minutes=5), kinds=[Kind.DANGER])
    [sent] = Notification.objects.filter(kind="early_warning")
    warning = EarlyWarning.objects.get(kind=Kind.DANGER)
    assert sent.channel == "unit_inbox" and sent.recipient == city.office.code
    assert sent.text.startswith("【紧急】新预警（危险信号）") and f"#{warning.pk}" in sent.text
    assert "13812345678" not in sent.text


def test_an_appeal_can_be_checked_for_danger_words_at_once(city: City) -> None:
    plain = appeals(TODAY, 1, content="小区门口路灯坏了")[0]
    danger = appeals(TODAY, 1, content="老人独自在家闻到煤气味很重，担心煤气泄漏")[0]
    assert warnings_check_appeal(plain.pk, now=NOW).counts == {}
    assert warnings_check_appeal(danger.pk, now=NOW).counts == {Kind.DANGER: {"raised": 1}}
    assert of(Kind.DANGER)[0].severity == Severity.MEDIUM          # public safety, not life or a mass incident


def test_the_tick_runs_the_heavy_detectors_at_most_every_few_minutes(city: City) -> None:
    automation.tick(NOW)
    marks = dict(ScanMark.objects.values_list("name", "last_at"))
    assert set(marks) == {k.value for k in Kind} and all(v == NOW for v in marks.values())
    automation.tick(NOW + timedelta(minutes=3))        # bursts and danger words only: nothing else is due
    assert dict(ScanMark.objects.values_list("name", "last_at")) == marks
    automation.tick(NOW + timedelta(minutes=11))
    marks = dict(ScanMark.objects.values_list("name", "last_at"))
    assert marks["volume"] == marks["repeat"] == marks["overdue"] == NOW + timedelta(minutes=11)


def test_the_tick_reads_bursts_and_danger_words_in_one_query_when_nothing_else_is_due(
        city: City, django_assert_max_num_queries: Any) -> None:
    automation.tick(NOW)
    with django_assert_max_num_queries(4):
        warnings_tick(NOW + timedelta(minutes=1))


def test_nothing_on_a_quiet_database(city: City) -> None:
    result = warnings_scan(now=NOW)
    assert result.raised == 0 and EarlyWarning.objects.count() == 0 and EarlyWarningEvent.objects.count() == 0
