"""The analytics pages and their JSON: who may see them, and every chart's bucket drills down to exactly the
orders counted in it."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest
from django.test import Client

from hotline.analytics import services
from hotline.analytics.models import Topic
from hotline.analytics.rollup import rollup_refresh
from hotline.directory.seed import City
from tests.analytics.activity import START, activity, intake
from tests.analytics.test_hotspots import NOISE

PAGES = ["/analytics/", "/analytics/hot/", "/analytics/governance/"]
PERIOD = {"start": "2026-03-01", "end": "2026-03-31"}


def login(client: Client, city: City, username: str) -> Client:
    client.force_login(city.users[username])
    return client


@pytest.mark.parametrize("username", ["analyst", "supervisor", "admin"])
def test_analysts_supervisors_and_administrators_see_the_dashboards(client: Client, city: City,
                                                                     username: str) -> None:
    login(client, city, username)
    for url in PAGES:
        assert client.get(url).status_code == 200, url
    assert client.get("/api/v1/analytics/volume", PERIOD).status_code == 200
    assert "统计分析" in client.get("/analytics/").content.decode()


@pytest.mark.parametrize("username", ["operator", "dispatcher", "d01-handler", "d01-leader"])
def test_operators_dispatchers_and_units_do_not_see_the_city_wide_dashboards(client: Client, city: City,
                                                                              username: str) -> None:
    login(client, city, username)
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "统计分析仅供分析员、热线督办和管理员查看" in response.content.decode()
    answer = client.get("/api/v1/analytics/volume", PERIOD)
    assert answer.status_code == 403
    assert answer.json()["code"] == "forbidden"
    assert client.get("/api/v1/analytics/hot-issues").status_code == 403


def test_the_dashboard_uses_the_vendored_echarts_and_nothing_from_outside(client: Client, city: City) -> None:
    html = login(client, city, "analyst").get("/analytics/", PERIOD).content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in html
    for by in ("day", "channel", "appeal_type", "category", "region", "unit"):
        assert f'data-testid="chart-{by}"' in html
    assert not re.search(r'(src|href)="(https?:)?//', html)


def _listed(client: Client, url: str) -> int:
    html = client.get(url).content.decode()
    found = re.search(r'data-testid="result-count">共 (\d+) 张工单', html)
    if found:
        return int(found.group(1))
    assert 'data-testid="no-results"' in html, url
    return 0


@pytest.mark.parametrize("by", ["day", "month", "channel", "appeal_type", "category", "region", "unit"])
def test_every_bucket_drills_down_to_exactly_the_orders_it_counts(client: Client, city: City, by: str) -> None:
    activity(city, random.Random(17), orders=30, steps=40)
    rollup_refresh()
    login(client, city, "analyst")
    data = client.get("/api/v1/analytics/volume", {**PERIOD, "by": by}).json()
    assert data["total"] == 30
    drilled = [b for b in data["buckets"] if b["count"]]
    assert drilled
    for bucket in drilled:
        if bucket["orders_url"]:
            assert _listed(client, bucket["orders_url"]) == bucket["count"], bucket
        else:   # the "none" bucket (no category, no region, not dispatched): not selectable in the list
            assert bucket["key"] == ""


def test_filters_narrow_every_chart_and_the_drill_down_keeps_them(client: Client, city: City) -> None:
    activity(city, random.Random(23), orders=30, steps=30)
    rollup_refresh()
    login(client, city, "analyst")
    data = client.get("/api/v1/analytics/volume", {**PERIOD, "by": "unit", "channel": "phone",
                                                   "region": "990100"}).json()
    for bucket in (b for b in data["buckets"] if b["orders_url"]):
        assert "channel=phone" in bucket["orders_url"] and "region=990100" in bucket["orders_url"]
        assert _listed(client, bucket["orders_url"]) == bucket["count"]


def test_a_bad_filter_is_refused_in_chinese(client: Client, city: City) -> None:
    login(client, city, "analyst")
    answer = client.get("/api/v1/analytics/volume", {"start": "2026-03-10", "end": "2026-03-01"})
    assert answer.status_code == 400 and answer.json()["message_zh"] == "截止日期早于起始日期"
    assert client.get("/api/v1/analytics/volume", {"category": "nope"}).json()["message_zh"] == "诉求分类“nope”不存在"


def test_the_map_is_served_once_loaded_and_counts_each_order_in_its_district(client: Client, city: City) -> None:
    login(client, city, "analyst")
    assert client.get("/api/v1/analytics/map").status_code == 404
    services.region_map_load_demo()
    rng = random.Random(1)
    for k in range(3):
        intake(city, rng, START + timedelta(hours=k), region="990200")
    rollup_refresh()
    shape = client.get("/api/v1/analytics/map").json()
    assert shape["code_property"] == "code" and len(shape["geojson"]["features"]) == 4
    data = client.get("/api/v1/analytics/volume", {**PERIOD, "by": "region"}).json()
    west = next(b for b in data["buckets"] if b["key"] == "990200")
    assert west["count"] == 3 and west["label"] == "西城区"


def test_the_hot_issues_page_lists_each_issue_with_its_orders(client: Client, city: City) -> None:
    made = [intake(city, random.Random(k), START + timedelta(hours=k), content=text, category="urban",
                   region="990100", address="幸福路20号") for k, text in enumerate(NOISE)]
    html = login(client, city, "analyst").get("/analytics/hot/", {"end": "2026-03-08", "days": "7"}).content.decode()
    assert html.count('data-testid="hot-issue"') == 1
    for order in made:
        assert order.number in html
    assert "幸福路20号（5）" in html
    api = client.get("/api/v1/analytics/hot-issues", {"end": "2026-03-09", "days": "7"}).json()
    assert sorted(api[0]["numbers"]) == sorted(o.number for o in made)


def test_a_supervisor_adopts_a_topic_on_the_governance_page_and_an_analyst_cannot(client: Client, city: City) -> None:
    form = {"title": "工地夜间噪音", "month": "2026-04", "category": "urban", "region": "990100",
            "keywords": "噪音 打桩", "note": "列为四月专题"}
    response = login(client, city, "analyst").post("/analytics/governance/", form, follow=True)
    assert "只有热线督办人员可以采纳治理专题" in response.content.decode()
    assert not Topic.objects.exists()
    response = login(Client(), city, "supervisor").post("/analytics/governance/", form)
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/analytics/topics/{topic.pk}/"
    assert topic.month == date(2026, 4, 1) and topic.keywords == ["噪音", "打桩"]
    assert topic.adopted_by == city.users["supervisor"]
    page = login(client, city, "analyst").get(f"/analytics/topics/{topic.pk}/").content.decode()
    assert "工地夜间噪音" in page and 'data-testid="topic-chart"' in page


def test_a_long_period_draws_the_volume_by_month(client: Client, city: City) -> None:
    html = login(client, city, "analyst").get("/analytics/", {"start": "2025-01-01", "end": "2026-03-31"}).content.decode()
    assert 'data-testid="chart-month"' in html and 'data-testid="chart-day"' not in html
