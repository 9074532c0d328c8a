"""``hotline analytics …`` and the demo's analytics step."""

from __future__ import annotations

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hotline.analytics.models import DailyVolume, RegionMap
from hotline.analytics.rollup import rollup_refresh
from hotline.analytics.services import analytics_load_demo
from hotline.directory.seed import City
from tests.analytics.activity import activity, direct_count, rollup_count


def run(*args: str) -> str:
    out = StringIO()
    call_command("analytics", *args, stdout=out)
    return out.getvalue()


def test_refresh_and_rebuild_bring_the_rollup_to_the_orders(city: City) -> None:
    activity(city, random.Random(8), orders=8, steps=8)
    assert "orders read 8" in run("refresh")
    assert rollup_count() == direct_count()
    DailyVolume.objects.update(count=1000)
    assert "orders read 8" in run("refresh", "--rebuild")
    assert rollup_count() == direct_count()
    with pytest.raises(CommandError, match="不是日期"):
        run("refresh", "--rebuild", "--start", "March")


def test_load_map_refuses_a_bad_file_with_its_reasons(city: City, tmp_path: object) -> None:
    from pathlib import Path

    bad = Path(str(tmp_path)) / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(CommandError, match="没有任何要素"):
        run("load-map", str(bad))
    assert "4 个区域" in run("load-map", "--demo")


def test_hot_and_bench_print_their_figures(city: City) -> None:
    activity(city, random.Random(9), orders=10, steps=5)
    rollup_refresh()
    assert "hot issue(s) in" in run("hot", "--end", "2026-03-10")
    assert "p95" in run("bench", "--rounds", "2")


def test_the_demo_loads_the_made_up_map_and_fills_the_rollup(city: City) -> None:
    activity(city, random.Random(10), orders=5, steps=5)
    analytics_load_demo()
    assert RegionMap.objects.get(active=True).codes == ["990100", "990200", "990300", "990400"]
    assert rollup_count() == direct_count()
    analytics_load_demo()      # again: the map is kept, not loaded twice
    assert RegionMap.objects.count() == 1
