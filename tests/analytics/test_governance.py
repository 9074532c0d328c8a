"""Proactive governance (主动治理): common problems per category and district, and a topic of the month
tracked by how its monthly volume falls after the office adopted it."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest

from hotline.analytics import services
from hotline.analytics.dashboard import Filters
from hotline.analytics.governance import common_problems, topic_tracking
from hotline.analytics.rollup import rollup_refresh
from hotline.directory.seed import City
from hotline.orders import services as order_services
from hotline.rules.calendar import SHANGHAI
from hotline.rules.errors import InvalidInput, RoleNotAllowed
from tests.rules.walk import article

_phones = itertools.count(1)


def appeal(city: City, content: str, at: datetime, *, category: str = "urban", region: str = "990100") -> None:
    order_services.appeal_intake(user=city.users["operator"], channel="phone", appeal_type="complaint",
                                 content=content, category=category, region=region,
                                 requester_phone=f"1360000{next(_phones):04d}", requester_name="市民", at=at)


def in_month(year: int, month: int, k: int) -> datetime:
    return datetime(year, month, 3 + k, 10, 0, tzinfo=SHANGHAI)


@article("ankang §35")
def test_a_topic_of_the_month_is_tracked_by_its_monthly_volume_before_and_since_adoption(city: City) -> None:
    plan = {(2026, 1): 6, (2026, 2): 6, (2026, 3): 6, (2026, 4): 4, (2026, 5): 2, (2026, 6): 1}
    for (year, month), n in plan.items():
        for k in range(n):
            appeal(city, "工地夜间施工噪音扰民", in_month(year, month, k))
        # not the topic: another matter, another district, another category
        appeal(city, "小区路灯不亮", in_month(year, month, 9))
        appeal(city, "工地夜间施工噪音扰民", in_month(year, month, 10), region="990200")
        appeal(city, "工地夜间施工噪音扰民", in_month(year, month, 11), category="environment")
    topic = services.topic_adopt(user=city.users["supervisor"], title="建筑工地夜间施工噪音", note="列为四月专题，住建局牵头",
                                 month=date(2026, 4, 15), category="urban", region="990100", keywords="噪音 打桩")

    tracking = topic_tracking(topic, today=date(2026, 6, 20))

    assert topic.month == date(2026, 4, 1)
    assert [(m.month, n, since) for m, n, since in tracking.months] == [
        (1, 6, False), (2, 6, False), (3, 6, False), (4, 4, True), (5, 2, True), (6, 1, True)]
    assert tracking.before == 6.0          # January to March
    assert tracking.since == 3.0           # April and May; June is not over
    assert tracking.change == -0.5


@article("ziyang §31")
def test_high_frequency_common_problems_are_ranked_per_category_and_district(city: City) -> None:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    for k in range(5):
        appeal(city, "工地噪音", start + timedelta(hours=k), region="990100")
    for k in range(3):
        appeal(city, "油烟", start + timedelta(hours=k), category="environment", region="990200")
    for k in range(2):   # the week before: the noise is not new
        appeal(city, "工地噪音", start - timedelta(days=5, hours=k), region="990100")
    appeal(city, "公交", start, category="traffic", region="990300")
    rollup_refresh()
    found = common_problems(Filters(date(2026, 3, 2), date(2026, 3, 8)))
    assert [(p.category[0], p.region[0], p.count, p.previous) for p in found] == [
        ("urban", "990100", 5, 2), ("environment", "990200", 3, 0), ("traffic", "990300", 1, 0)]
    assert found[0].share == pytest.approx(5 / 9, abs=1e-4)
    assert found[0].drill["category"] == "urban" and found[0].drill["region"] == "990100"


def test_only_a_supervisor_adopts_a_topic_and_a_topic_must_say_what_it_matches(city: City) -> None:
    with pytest.raises(RoleNotAllowed):
        services.topic_adopt(user=city.users["analyst"], title="噪音", note="x", month=date(2026, 4, 1), keywords="噪音")
    with pytest.raises(InvalidInput, match="分类、区域或关键词"):
        services.topic_adopt(user=city.users["supervisor"], title="噪音", note="x", month=date(2026, 4, 1))
    with pytest.raises(InvalidInput, match="采纳意见"):
        services.topic_adopt(user=city.users["supervisor"], title="噪音", note=" ", month=date(2026, 4, 1),
                             keywords="噪音")
