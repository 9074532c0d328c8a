"""Writes of the analytics app: the region map, governance topics. One transaction each."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from hotline.analytics import geojson
from hotline.analytics.models import RegionMap, Topic
from hotline.directory.models import Category, Region, User
from hotline.rules.errors import InvalidInput, RoleNotAllowed, RuleError

MAP_ROLES = frozenset({User.Role.ADMINISTRATOR})
TOPIC_ROLES = frozenset({User.Role.SUPERVISOR})
DEMO_MAP = Path(__file__).parent / "demo" / "regions.geojson"


@transaction.atomic
def region_map_load(*, user: User | None, raw: bytes | str, name: str, code_property: str = "code") -> RegionMap:
    """Check a GeoJSON map (``geojson.validate``) and make it the one the dashboards draw.

    ``user`` None: the system (the demo, the command line run by an administrator of the server).
    """
    if user is not None and user.role not in MAP_ROLES:
        raise RoleNotAllowed("只有管理员可以上传区域地图", "only administrators load the region map")
    code_property = (code_property or "code").strip()
    if not name.strip():
        raise InvalidInput("请填写地图名称", "the map needs a name")
    data = geojson.parse(raw)
    codes = geojson.validate(data, code_property=code_property)
    RegionMap.objects.filter(active=True).update(active=False)
    return RegionMap.objects.create(name=name.strip()[:100], code_property=code_property, geojson=data, codes=codes,
                                    active=True, uploaded_by=user)


def region_map_load_demo() -> RegionMap:
    """The demo city's made-up map (package data), read from its file each time."""
    return region_map_load(user=None, raw=DEMO_MAP.read_bytes(), name="示例市区县（虚构）")


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


@transaction.atomic
def topic_adopt(*, user: User, title: str, note: str, month: date, category: str = "", region: str = "",
                keywords: list[str] | str = "", at: datetime | None = None) -> Topic:
    """A supervisor adopts a "topic of the month" (主动治理, ankang §35, ziyang §31) with its matching rule."""
    if user.role not in TOPIC_ROLES:
        raise RoleNotAllowed("只有热线督办人员可以采纳治理专题", "only supervisors adopt governance topics")
    title, note = title.strip(), note.strip()
    if not title:
        raise InvalidInput("请填写专题名称", "the topic needs a title")
    if not note:
        raise InvalidInput("请填写采纳意见", "the adoption needs a note")
    words = keywords.split() if isinstance(keywords, str) else [w.strip() for w in keywords]
    words = [w[:30] for w in dict.fromkeys(w for w in words if w)][:20]
    found_category = Category.objects.filter(code=category).first() if category else None
    if category and found_category is None:
        raise InvalidInput(f"诉求分类“{category}”不存在", f"unknown category {category!r}")
    found_region = Region.objects.filter(code=region).first() if region else None
    if region and found_region is None:
        raise InvalidInput(f"区域“{region}”不存在", f"unknown region {region!r}")
    if found_category is None and found_region is None and not words:
        raise InvalidInput("专题至少要有分类、区域或关键词之一，否则会匹配全部诉求",
                           "a topic needs a category, a region or keywords")
    return Topic.objects.create(title=title[:100], note=note, month=_first_of_month(month), category=found_category,
                                region=found_region, keywords=words, adopted_by=user, adopted_at=at or timezone.now())




def analytics_load_demo() -> None:
    """The demo's last step: the made-up region map (unless a map is loaded) and the rollup brought up to date."""
    from hotline.analytics.rollup import rollup_refresh

    if not RegionMap.objects.filter(active=True).exists():
        region_map_load_demo()
    rollup_refresh()


__all__ = ["RuleError", "analytics_load_demo", "region_map_load", "region_map_load_demo", "topic_adopt"]
