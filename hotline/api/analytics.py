"""Analytics over the API, mounted at ``/api/v1/analytics/``: what the dashboards' charts fetch.

    GET  volume?by=day|month|channel|appeal_type|category|region|unit&start&end&channel&appeal_type&category&region&unit
    GET  map                          the city's region map (GeoJSON) and the property naming each region's code
    GET  hot-issues?end&days&category&region
    GET  common-problems?start&end&…  high-frequency problems per category and district
    GET  topics   GET topics/{id}     topics of the month and their monthly volume
    POST topics                       a supervisor adopts a topic

Analysts, supervisors and administrators only (``hotline.analytics.access``). Volume buckets carry
``orders_url``: the orders list showing the orders behind the bucket.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, P, PathEx, Query, Router, Schema, Status

from hotline.analytics import dashboard, governance, hotspots, services
from hotline.analytics.access import analytics_check
from hotline.analytics.models import Topic
from hotline.api.auth import user_of
from hotline.api.errors import errors
from hotline.rules.errors import NotFound

router = Router(tags=["analytics"])

NO_NUL = r"^[^\x00]*$"
Code = Annotated[str, Field(max_length=32, pattern=NO_NUL)]
Day = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))]
TopicId = PathEx[int, P(ge=1, le=2**63 - 1, description="the topic's id")]


class FiltersIn(Schema):
    start: Day | None = Field(None, description="first day (default: 29 days before end)")
    end: Day | None = Field(None, description="last day, inclusive (default: today)")
    channel: Code = ""
    appeal_type: Code = ""
    category: Code = Field("", description="category code")
    region: Code = Field("", description="region code: the region and the regions under it")
    unit: Code = Field("", description="lead unit code")


class VolumeIn(FiltersIn):
    by: Annotated[str, Field(pattern="^(day|month|channel|appeal_type|category|region|unit)$")] = "day"


class BucketOut(Schema):
    key: str
    label: str
    count: int
    orders_url: str


class VolumeOut(Schema):
    by: str
    start: date
    end: date
    total: int
    buckets: list[BucketOut]


class MapOut(Schema):
    name: str
    code_property: str
    codes: list[str]
    geojson: dict[str, Any]


class HotIn(Schema):
    end: Day | None = Field(None, description="the day after the window (default: tomorrow)")
    days: Annotated[int, Field(ge=1, le=62)] = 7
    category: Code = ""
    region: Code = ""


class HotOut(Schema):
    key: str
    label: str
    heat: float
    orders: int
    previous: int
    requesters: int
    growth: float
    category: str
    category_name: str
    region: str
    region_name: str
    numbers: list[str]
    places: list[tuple[str, int]]
    trend: list[tuple[date, int]]


class ProblemOut(Schema):
    category: str
    category_name: str
    region: str
    region_name: str
    count: int
    previous: int
    share: float
    orders_url: str


class MonthOut(Schema):
    month: date
    orders: int
    since_adoption: bool


class TopicOut(Schema):
    id: int
    title: str
    month: date
    category: str | None
    region: str | None
    keywords: list[str]
    note: str
    adopted_by: str
    before: float | None = None
    since: float | None = None
    change: float | None = None
    months: list[MonthOut] = []


class TopicIn(Schema):
    title: Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
    note: Annotated[str, Field(min_length=1, max_length=2000, pattern=NO_NUL)]
    month: Day
    category: Code = ""
    region: Code = ""
    keywords: list[Annotated[str, Field(max_length=30, pattern=NO_NUL)]] = []


def _filters(params: FiltersIn) -> dashboard.Filters:
    raw = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in params.dict().items() if v}
    return dashboard.parse_filters(raw, today=timezone.localdate())


def _orders_url(drill: dict[str, str] | None) -> str:
    if drill is None:
        return ""
    from urllib.parse import urlencode

    return f"{reverse('web:orders')}?{urlencode(drill)}"


def volume_out(found: dashboard.Volume) -> dict[str, Any]:
    return {"by": found.by, "start": found.filters.start, "end": found.filters.end, "total": found.total,
            "buckets": [{"key": b.key, "label": b.label, "count": b.count, "orders_url": _orders_url(b.drill)}
                        for b in found.buckets]}


@router.get("/volume", response={200: VolumeOut, **errors()}, operation_id="analytics_volume",
            summary="工单量（按日、月、渠道、类型、分类、区域、单位）/ order volume by a dimension")
def volume(request: HttpRequest, params: Query[VolumeIn]) -> dict[str, Any]:
    analytics_check(user_of(request))
    filters = _filters(params)
    names = dashboard.Names.load()
    regions = dashboard.map_regions(dashboard.region_map(), names) if params.by == "region" else None
    return volume_out(dashboard.volume(filters, params.by, names=names, regions=regions))


@router.get("/map", response={200: MapOut, **errors()}, operation_id="analytics_map",
            summary="区域地图（GeoJSON）/ the city's region map")
def region_map(request: HttpRequest) -> dict[str, Any]:
    analytics_check(user_of(request))
    found = dashboard.region_map()
    if found is None:
        raise NotFound("尚未上传区域地图（管理后台 → 区域地图）", "no region map has been loaded")
    return {"name": found.name, "code_property": found.code_property, "codes": found.codes, "geojson": found.geojson}


def hot_out(issue: hotspots.HotIssue) -> dict[str, Any]:
    return {"key": issue.key, "label": issue.label, "heat": issue.heat, "orders": issue.orders,
            "previous": issue.previous, "requesters": issue.requesters, "growth": issue.growth,
            "category": issue.category[0], "category_name": issue.category[1], "region": issue.region[0],
            "region_name": issue.region[1], "numbers": issue.numbers, "places": issue.places, "trend": issue.trend}


@router.get("/hot-issues", response={200: list[HotOut], **errors()}, operation_id="analytics_hot_issues",
            summary="热点诉求 / hot issues (ziyang §21)")
def hot_issues(request: HttpRequest, params: Query[HotIn]) -> list[dict[str, Any]]:
    analytics_check(user_of(request))
    end = params.end or timezone.localdate() + timedelta(days=1)
    return [hot_out(h) for h in hotspots.hot_issues(end=end, days=params.days, category=params.category,
                                                    region=params.region)]


@router.get("/common-problems", response={200: list[ProblemOut], **errors()},
            operation_id="analytics_common_problems",
            summary="高频共性问题（分类 × 区域）/ high-frequency common problems (ankang §35, ziyang §31)")
def common_problems(request: HttpRequest, params: Query[FiltersIn]) -> list[dict[str, Any]]:
    analytics_check(user_of(request))
    return [{"category": p.category[0], "category_name": p.category[1], "region": p.region[0],
             "region_name": p.region[1], "count": p.count, "previous": p.previous, "share": p.share,
             "orders_url": _orders_url(p.drill)} for p in governance.common_problems(_filters(params))]


def topic_out(topic: Topic, tracked: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": topic.pk, "title": topic.title, "month": topic.month,
        "category": topic.category.code if topic.category else None,
        "region": topic.region.code if topic.region else None, "keywords": topic.keywords, "note": topic.note,
        "adopted_by": str(topic.adopted_by)}
    if tracked:
        tracking = governance.topic_tracking(topic)
        out.update(before=tracking.before, since=tracking.since, change=tracking.change,
                   months=[{"month": m, "orders": n, "since_adoption": s} for m, n, s in tracking.months])
    return out


@router.get("/topics", response={200: list[TopicOut], **errors()}, operation_id="analytics_topics",
            summary="月度治理专题 / topics of the month")
def topics(request: HttpRequest) -> list[dict[str, Any]]:
    analytics_check(user_of(request))
    return [topic_out(t) for t in Topic.objects.select_related("category", "region", "adopted_by")]


@router.get("/topics/{topic_id}", response={200: TopicOut, **errors()}, operation_id="analytics_topic",
            summary="专题及其月度工单量 / a topic and its monthly volume")
def topic(request: HttpRequest, topic_id: TopicId) -> dict[str, Any]:
    analytics_check(user_of(request))
    found = Topic.objects.select_related("category", "region", "adopted_by").filter(pk=topic_id).first()
    if found is None:
        raise NotFound(f"专题 {topic_id} 不存在", f"topic {topic_id} does not exist")
    return topic_out(found, tracked=True)


@router.post("/topics", response={201: TopicOut, **errors()}, operation_id="analytics_topic_adopt",
             summary="采纳月度治理专题（热线督办）/ adopt a topic of the month (supervisors)")
def topic_adopt(request: HttpRequest, payload: TopicIn) -> Status[dict[str, Any]]:
    user = user_of(request)
    made = services.topic_adopt(user=user, title=payload.title, note=payload.note, month=payload.month,
                                category=payload.category, region=payload.region, keywords=payload.keywords)
    return Status(201, topic_out(made, tracked=True))
