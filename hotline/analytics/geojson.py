"""Checking a city's region map (GeoJSON, RFC 7946) before it is stored.

A map is refused, with every problem named in Chinese, unless it is a FeatureCollection of Polygon or
MultiPolygon features whose coordinates are [longitude, latitude] pairs in range, each feature naming in
``properties[code_property]`` the code of a Region of the directory, no code twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from hotline.directory.models import Region
from hotline.rules.errors import InvalidInput

MAX_BYTES = 20 * 1024 * 1024
MAX_PROBLEMS = 10


class MapInvalid(InvalidInput):
    """A region map refused; ``problems`` lists each reason (Chinese)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "；".join(problems[:MAX_PROBLEMS]) + ("；……" if len(problems) > MAX_PROBLEMS else "")
        super().__init__(f"区域地图不合格：{shown}", f"the region map is not valid GeoJSON for this city "
                                                     f"({len(problems)} problem(s))", code="invalid_region_map")


def parse(raw: bytes | str) -> Any:
    if len(raw) > MAX_BYTES:
        raise MapInvalid([f"文件超过 {MAX_BYTES // (1024 * 1024)} MB"])
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MapInvalid([f"不是有效的 JSON 文件（{exc}）"]) from None


def _ring_problems(ring: Any, where: str) -> Iterable[str]:
    if not isinstance(ring, list) or len(ring) < 4:
        yield f"{where}的边界环至少要有 4 个坐标点"
        return
    for point in ring:
        if (not isinstance(point, list) or len(point) < 2
                or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in point[:2])):
            yield f"{where}有坐标不是 [经度, 纬度] 数值对"
            return
        lon, lat = point[0], point[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            yield f"{where}的坐标 [{lon}, {lat}] 超出经纬度范围"
            return
    if ring[0][:2] != ring[-1][:2]:
        yield f"{where}的边界环首尾坐标不一致（未闭合）"


def _geometry_problems(geometry: Any, where: str) -> Iterable[str]:
    if not isinstance(geometry, dict):
        yield f"{where}缺少 geometry"
        return
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates if isinstance(coordinates, list) else [None]
    else:
        yield f"{where}的几何类型是“{kind}”，应为 Polygon 或 MultiPolygon"
        return
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            yield f"{where}的多边形坐标为空或格式不对"
            return
        for ring in polygon:
            yield from _ring_problems(ring, where)


def validate(data: Any, *, code_property: str = "code") -> list[str]:
    """The Region codes the map's features name, in order; raises :class:`MapInvalid` listing every problem."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise MapInvalid(["顶层应为 FeatureCollection（要素集合）"])
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise MapInvalid(["没有任何要素（features 为空）"])
    problems: list[str] = []
    codes: list[str] = []
    for index, feature in enumerate(features, start=1):
        where = f"第 {index} 个要素"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(f"{where}不是 Feature")
            continue
        properties = feature.get("properties")
        code = properties.get(code_property) if isinstance(properties, dict) else None
        if code is None or str(code).strip() == "":
            problems.append(f"{where}的 properties 中没有区划代码属性“{code_property}”")
        else:
            code = str(code).strip()
            where = f"第 {index} 个要素（{code}）"
            if code in codes:
                problems.append(f"区划代码 {code} 出现了不止一次")
            codes.append(code)
        problems.extend(_geometry_problems(feature.get("geometry"), where))
    known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        problems.append(f"这些区划代码在行政区域中不存在：{'、'.join(unknown[:20])}")
    if problems:
        raise MapInvalid(problems)
    return codes
