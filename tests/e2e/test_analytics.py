"""The analyst's dashboard in the browser: the charts draw from the JSON endpoints, the city map is drawn from its
GeoJSON, and a click on a bar opens the orders list with exactly the orders behind it."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from hotline.analytics.rollup import rollup_refresh
from hotline.analytics.services import region_map_load_demo
from hotline.directory.seed import City
from tests.analytics.activity import activity
from tests.e2e.helpers import ServerLog, Shots

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = pytest.importorskip("playwright.sync_api").expect

Browse = Callable[..., "Page"]


def test_the_analyst_sees_the_charts_and_a_click_on_a_bar_drills_down_to_its_orders(
        browse: Browse, city: City, shots: Shots, server: ServerLog) -> None:
    activity(city, random.Random(5), orders=24, steps=30)
    region_map_load_demo()
    rollup_refresh()

    analyst = browse("analyst")
    analyst.goto("/analytics/?start=2026-03-01&end=2026-03-31")
    for by in ("day", "channel", "appeal_type", "category", "region", "unit"):
        expect(analyst.get_by_test_id(f"chart-{by}")).to_have_attribute("data-ready", "1")
    expect(analyst.get_by_test_id("analytics-total")).to_have_text("24")
    assert analyst.locator("[data-testid=chart-category] canvas").count() == 1
    shots.take(analyst, "analytics-dashboard")

    analyst.get_by_test_id("chart-category").scroll_into_view_if_needed()
    # the biggest category's bar: ECharts says where it is drawn; a real mouse click there
    target = analyst.evaluate("""() => {
        const {chart, data} = window.hotlineCharts.category;
        const shown = data.buckets.slice(0, 15).reverse();
        const index = shown.findIndex(b => b.orders_url);
        const [x, y] = chart.convertToPixel({seriesIndex: 0}, [shown[index].count / 2, index]);
        const box = chart.getDom().getBoundingClientRect();
        return {x: box.left + x, y: box.top + y, count: shown[index].count, key: shown[index].key};
    }""")
    analyst.mouse.click(target["x"], target["y"])
    analyst.wait_for_url(lambda url: "/orders/" in url)
    assert f"category={target['key']}" in analyst.url
    expect(analyst.get_by_test_id("result-count")).to_contain_text(f"共 {target['count']} 张工单")
    assert "received_from=2026-03-01" in analyst.url and "received_to=2026-03-31" in analyst.url
    server.quiet()
