"""Hot issues: the same matter at the same place is grouped, unrelated appeals are not, and the heat index
ranks what is bigger, newer and growing first."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest

from hotline.analytics.hotspots import heat_index, hot_issues
from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.models import Order
from hotline.rules.calendar import SHANGHAI
from tests.rules.walk import article

END = date(2026, 3, 16)                         # the window is 03-09 .. 03-15
DAY = datetime(2026, 3, 15, 10, 0, tzinfo=SHANGHAI)
_phones = itertools.count(1)

NOISE = ["幸福路20号工地夜间施工噪音太大，凌晨两点还在打桩，影响休息",
         "幸福路20号的工地晚上施工噪音很大，半夜还在打桩",
         "投诉幸福路20号工地夜间施工，噪音扰民，凌晨还在施工",
         "幸福路二十号工地夜里施工打桩噪音大，影响居民休息",
         "幸福路20号工地夜间违规施工，噪音太吵睡不着"]
FUMES = ["滨河路8号餐馆油烟直排，窗户都不能开",
         "滨河路8号那家餐馆油烟直排进小区，味道很大",
         "滨河路8号餐馆油烟扰民，每天晚上油烟直排"]
UNRELATED = ["小区门口路灯坏了一个月没人修", "建议学府路增设公交站台", "某装饰公司拖欠工资三个月",
             "人行道井盖缺失很危险", "小区电梯经常故障停运", "物业费上涨不合理"]


def appeal(city: City, content: str, at: datetime, *, category: str = "urban", region: str = "990100",
           address: str = "", phone: str = "") -> Order:
    return services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="complaint",
                                  content=content, category=category, region=region, address=address,
                                  requester_phone=phone or f"1370000{next(_phones):04d}", requester_name="市民",
                                  at=at).orders[0]


@article("ziyang §21")
def test_appeals_about_the_same_matter_and_place_are_one_hot_issue_and_unrelated_ones_are_not(city: City) -> None:
    noise = [appeal(city, text, DAY - timedelta(hours=5 * k), address="东城区幸福路20号")
             for k, text in enumerate(NOISE)]
    fumes = [appeal(city, text, DAY - timedelta(hours=7 * k), category="environment", address="滨河路 8号")
             for k, text in enumerate(FUMES)]
    others = [appeal(city, text, DAY - timedelta(hours=3 * k)) for k, text in enumerate(UNRELATED)]

    found = hot_issues(end=END, days=7)

    groups = {frozenset(h.order_ids) for h in found}
    assert frozenset(o.pk for o in noise) in groups
    assert frozenset(o.pk for o in fumes) in groups
    assert not {o.pk for o in others} & {pk for h in found for pk in h.order_ids}
    noisy = next(h for h in found if set(h.order_ids) == {o.pk for o in noise})
    assert noisy.places == [("东城区幸福路20号", 5)]
    assert noisy.region == ("990100", "东城区") and noisy.category[0] == "urban"
    assert sum(n for _, n in noisy.trend) == 5 and len(noisy.trend) == 14


def test_the_same_matter_in_another_district_is_another_issue(city: City) -> None:
    for k, text in enumerate(NOISE[:3]):
        appeal(city, text, DAY - timedelta(hours=k), region="990100")
    for k, text in enumerate(NOISE[:3]):
        appeal(city, text, DAY - timedelta(hours=k), region="990200")
    found = hot_issues(end=END, days=7)
    assert sorted(h.region[0] for h in found) == ["990100", "990200"]


def test_fewer_orders_than_the_threshold_are_not_a_hot_issue(city: City, settings: object) -> None:
    for k, text in enumerate(NOISE[:2]):
        appeal(city, text, DAY - timedelta(hours=k))
    assert hot_issues(end=END, days=7) == []
    settings.HOTLINE_HOT_MIN_ORDERS = 2  # type: ignore[attr-defined]
    assert len(hot_issues(end=END, days=7)) == 1


def test_heat_index_more_requesters_newer_and_growing_rank_higher() -> None:
    half_life = 3.0
    base, _, _ = heat_index([1.0, 2.0, 3.0], requesters=3, previous=3, half_life=half_life)
    more, _, _ = heat_index([1.0, 2.0, 3.0, 3.5], requesters=4, previous=3, half_life=half_life)
    same_person, _, _ = heat_index([1.0, 2.0, 3.0], requesters=1, previous=3, half_life=half_life)
    older, _, _ = heat_index([5.0, 6.0, 6.5], requesters=3, previous=3, half_life=half_life)
    growing, _, growth = heat_index([1.0, 2.0, 3.0], requesters=3, previous=0, half_life=half_life)
    assert more > base > same_person
    assert base > older
    assert growing > base and growth == 4.0
    # W: an order at the window's end weighs 1, one a half-life old weighs ½
    heat, recency, growth = heat_index([0.0, 3.0], requesters=0, previous=2, half_life=half_life)
    assert recency == pytest.approx(1.5) and growth == 1.0 and heat == pytest.approx(1.5)


def test_hot_issues_are_ranked_by_heat(city: City) -> None:
    # five fresh noise complaints outrank three week-old fume complaints
    for k, text in enumerate(NOISE):
        appeal(city, text, DAY - timedelta(hours=k), address="幸福路20号")
    for k, text in enumerate(FUMES):
        appeal(city, text, DAY - timedelta(days=6, hours=k), category="environment", address="滨河路8号")
    found = hot_issues(end=END, days=7)
    assert [h.category[0] for h in found] == ["urban", "environment"]
    assert found[0].heat > found[1].heat


def test_a_matter_that_grows_against_the_window_before_outranks_a_steady_one(city: City) -> None:
    # the same number of orders now; the fumes were as many the week before, the noise is new
    for k, text in enumerate(NOISE[:3]):
        appeal(city, text, DAY - timedelta(days=1, hours=k))
    for k, text in enumerate(FUMES):
        appeal(city, text, DAY - timedelta(days=1, hours=k), category="environment")
        appeal(city, text, DAY - timedelta(days=8, hours=k), category="environment")
    found = hot_issues(end=END, days=7)
    assert [(h.category[0], h.orders, h.previous) for h in found] == [("urban", 3, 0), ("environment", 3, 3)]
