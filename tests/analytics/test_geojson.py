"""The city's region map: a bad GeoJSON is refused with a clear Chinese message; a good one replaces the old."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from hotline.analytics import services
from hotline.analytics.geojson import MapInvalid
from hotline.analytics.models import RegionMap
from hotline.directory.seed import City
from hotline.rules.errors import RoleNotAllowed

DEMO = json.loads(services.DEMO_MAP.read_text())


def load(city: City, data: Any, **kwargs: Any) -> RegionMap:
    raw = data if isinstance(data, str | bytes) else json.dumps(data, ensure_ascii=False)
    return services.region_map_load(user=city.users["admin"], raw=raw, name="示例", **kwargs)


def test_the_demo_map_names_every_district_of_the_demo_city(city: City) -> None:
    loaded = services.region_map_load_demo()
    assert sorted(loaded.codes) == ["990100", "990200", "990300", "990400"]
    assert loaded.active


def test_a_new_map_replaces_the_active_one(city: City) -> None:
    first = load(city, DEMO)
    second = load(city, DEMO)
    assert list(RegionMap.objects.filter(active=True)) == [second]
    first.refresh_from_db()
    assert not first.active


def broken(change: Any) -> Any:
    data = copy.deepcopy(DEMO)
    change(data)
    return data


@pytest.mark.parametrize(("data", "message"), [
    ("{not json", "不是有效的 JSON"),
    ({"type": "Feature"}, "顶层应为 FeatureCollection"),
    ({"type": "FeatureCollection", "features": []}, "没有任何要素"),
    (broken(lambda d: d["features"][0]["properties"].pop("code")), "没有区划代码属性“code”"),
    (broken(lambda d: d["features"][1]["properties"].update(code="123456")), "这些区划代码在行政区域中不存在：123456"),
    (broken(lambda d: d["features"][1]["properties"].update(code="990100")), "区划代码 990100 出现了不止一次"),
    (broken(lambda d: d["features"][0].update(geometry={"type": "Point", "coordinates": [104.6, 30.1]})),
     "几何类型是“Point”，应为 Polygon 或 MultiPolygon"),
    (broken(lambda d: d["features"][0]["geometry"]["coordinates"][0].pop()), "未闭合"),
    (broken(lambda d: d["features"][0]["geometry"]["coordinates"][0][1].__setitem__(1, 95.0)), "超出经纬度范围"),
    (broken(lambda d: d["features"][0]["geometry"]["coordinates"][0][1].__setitem__(0, "东")), "不是 [经度, 纬度] 数值对"),
])
def test_a_bad_map_is_refused_with_a_chinese_message_and_nothing_changes(city: City, data: Any, message: str) -> None:
    good = load(city, DEMO)
    with pytest.raises(MapInvalid) as refused:
        load(city, data)
    assert message in refused.value.message_zh
    assert refused.value.message_zh.startswith("区域地图不合格")
    assert list(RegionMap.objects.values_list("pk", "active")) == [(good.pk, True)]


def test_features_may_name_their_region_in_another_property(city: City) -> None:
    data = broken(lambda d: [f["properties"].update(adcode=f["properties"].pop("code")) for f in d["features"]])
    with pytest.raises(MapInvalid):
        load(city, data)
    assert len(load(city, data, code_property="adcode").codes) == 4


def test_only_an_administrator_loads_a_map(city: City) -> None:
    with pytest.raises(RoleNotAllowed):
        services.region_map_load(user=city.users["analyst"], raw=json.dumps(DEMO), name="x")
    assert not RegionMap.objects.exists()
