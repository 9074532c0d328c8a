"""The dashboards' figures, read from the rollup only (``DailyVolume``), never from the orders.

    filters = parse_filters(request.GET, today=…)      # period, channel, appeal type, category, region, unit
    volume(filters, by="category")                    # buckets: key, label, count, the orders behind them

Every bucket carries the query string of the orders list (``/orders/``) that shows the orders behind it:
the same period and filters plus the bucket's own value, so a click on a bar or a region drills down to
exactly the orders counted in it (tests/web/test_analytics_pages.py follows the links and counts).

A region filter takes the region and every region under it (a district and its streets); the map and the
"by region" chart count each order in the map's region (or district) that contains its appeal's region.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal
from urllib.parse import urlencode

from django.db.models import Sum

from hotline.analytics.models import DailyVolume, RegionMap
from hotline.directory.models import Category, Region, Unit
from hotline.orders.models import Channel
from hotline.rules.errors import InvalidInput
from hotline.rules.vocabulary import AppealType

By = Literal["day", "month", "channel", "appeal_type", "category", "region", "unit"]
BY_VALUES: tuple[str, ...] = ("day", "month", "channel", "appeal_type", "category", "region", "unit")
MAX_DAYS = 800
DEFAULT_DAYS = 30
NONE_LABEL = {"category": "未分类", "region": "未填区域", "unit": "未派单"}


@dataclass(frozen=True)
class Filters:
    start: date
    end: date                      # inclusive
    channel: str = ""
    appeal_type: str = ""
    category: str = ""             # codes
    region: str = ""
    unit: str = ""

    def query(self, **override: str) -> dict[str, str]:
        """The orders list's query parameters for these filters (``override`` narrows them)."""
        params = {"received_from": self.start.isoformat(), "received_to": self.end.isoformat(),
                  "channel": self.channel, "appeal_type": self.appeal_type, "category": self.category,
                  "region": self.region, "unit": self.unit}
        params.update(override)
        return {k: v for k, v in params.items() if v}

    def as_params(self) -> dict[str, str]:
        params = {"start": self.start.isoformat(), "end": self.end.isoformat(), "channel": self.channel,
                  "appeal_type": self.appeal_type, "category": self.category, "region": self.region,
                  "unit": self.unit}
        return {k: v for k, v in params.items() if v}


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


def _day(value: str, name: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name}“{value}”不是有效日期，应写成 2026-03-02",
                           f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(f"{name}应在 2000-01-01 至 2100-12-31 之间", f"{name}: between 2000-01-01 and 2100-12-31")
    return day


def parse_filters(params: Mapping[str, str], *, today: date) -> Filters:
    """The dashboard's filters from a query string; a bad value is refused with a Chinese message."""
    end = _day(params["end"], "截止日期") if params.get("end") else today
    start = _day(params["start"], "起始日期") if params.get("start") else end - timedelta(days=DEFAULT_DAYS - 1)
    if end < start:
        raise InvalidInput("截止日期早于起始日期", "end is before start")
    if (end - start).days >= MAX_DAYS:
        raise InvalidInput(f"统计区间最长 {MAX_DAYS} 天", f"the period is at most {MAX_DAYS} days")
    channel = (params.get("channel") or "").strip()
    if channel and channel not in Channel.values:
        raise InvalidInput(f"受理渠道“{channel}”不存在", f"unknown channel {channel!r}")
    appeal_type = (params.get("appeal_type") or "").strip()
    if appeal_type and appeal_type not in {t.value for t in AppealType}:
        raise InvalidInput(f"诉求类型“{appeal_type}”不存在", f"unknown appeal type {appeal_type!r}")
    category = (params.get("category") or "").strip()[:32]
    if category and not Category.objects.filter(code=category).exists():
        raise InvalidInput(f"诉求分类“{category}”不存在", f"unknown category {category!r}")
    region = (params.get("region") or "").strip()[:32]
    if region and not Region.objects.filter(code=region).exists():
        raise InvalidInput(f"区域“{region}”不存在", f"unknown region {region!r}")
    unit = (params.get("unit") or "").strip()[:32]
    if unit and not Unit.objects.filter(code=unit).exists():
        raise InvalidInput(f"承办单位“{unit}”不存在", f"unknown unit {unit!r}")
    return Filters(start, end, channel, appeal_type, category, region, unit)


# --- reference data, read once per call ---------------------------------------------------------------

@dataclass
class Names:
    categories: dict[int, tuple[str, str]] = field(default_factory=dict)     # id → (code, name)
    regions: dict[int, tuple[str, str, int]] = field(default_factory=dict)   # id → (code, name, parent id or 0)
    units: dict[int, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Names:
        return cls(
            {pk: (code, name) for pk, code, name in Category.objects.values_list("pk", "code", "name")},
            {pk: (code, name, parent or 0) for pk, code, name, parent in
             Region.objects.values_list("pk", "code", "name", "parent_id")},
            {pk: (code, name) for pk, code, name in Unit.objects.values_list("pk", "code", "name")})

    def region_id(self, code: str) -> int:
        return next((pk for pk, (c, _, _) in self.regions.items() if c == code), -1)

    def under(self, code: str) -> set[int]:
        """The region of ``code`` and every region below it."""
        children: dict[int, list[int]] = defaultdict(list)
        for pk, (_, _, parent) in self.regions.items():
            children[parent].append(pk)
        found, todo = set(), [self.region_id(code)]
        while todo:
            pk = todo.pop()
            if pk in found or pk < 0:
                continue
            found.add(pk)
            todo.extend(children.get(pk, []))
        return found

    def lift(self, region_id: int, targets: set[int]) -> int:
        """The first of ``targets`` at or above ``region_id`` (0 when none)."""
        seen = 0
        while region_id and seen < 10:
            if region_id in targets:
                return region_id
            region_id = self.regions.get(region_id, ("", "", 0))[2]
            seen += 1
        return 0

    def districts(self) -> set[int]:
        """The regions right below the top (the city): the "by region" chart's level."""
        tops = {pk for pk, (_, _, parent) in self.regions.items() if not parent}
        below = {pk for pk, (_, _, parent) in self.regions.items() if parent in tops}
        return below or tops


def _cells(filters: Filters, names: Names) -> object:
    cells = DailyVolume.objects.filter(day__gte=filters.start, day__lte=filters.end)
    if filters.channel:
        cells = cells.filter(channel=filters.channel)
    if filters.appeal_type:
        cells = cells.filter(appeal_type=filters.appeal_type)
    if filters.category:
        cells = cells.filter(category_id=next((pk for pk, (c, _) in names.categories.items() if c == filters.category), -1))
    if filters.unit:
        cells = cells.filter(lead_unit_id=next((pk for pk, (c, _) in names.units.items() if c == filters.unit), -1))
    if filters.region:
        cells = cells.filter(region_id__in=sorted(names.under(filters.region)))
    return cells


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    count: int
    drill: dict[str, str] | None      # the orders list's query; None when the list cannot select it


@dataclass(frozen=True)
class Volume:
    by: str
    total: int
    buckets: list[Bucket]
    filters: Filters


def _month_end(day: date) -> date:
    nxt = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return nxt - timedelta(days=1)


def volume(filters: Filters, by: str, *, names: Names | None = None,
           regions: set[int] | None = None) -> Volume:
    """The orders received in the period, by ``by``; ``regions``: the map's regions (``by="region"``)."""
    if by not in BY_VALUES:
        raise InvalidInput(f"不能按“{by}”统计", f"cannot count by {by!r}",)
    names = names or Names.load()
    cells = _cells(filters, names)
    column = {"day": "day", "month": "day", "channel": "channel", "appeal_type": "appeal_type",
              "category": "category_id", "region": "region_id", "unit": "lead_unit_id"}[by]
    rows = list(cells.values_list(column).annotate(n=Sum("count")).order_by())  # type: ignore[attr-defined]
    counts: dict[object, int] = defaultdict(int)
    if by == "month":
        for day, n in rows:
            counts[day.replace(day=1)] += n
    elif by == "region":
        targets = regions if regions is not None else names.districts()
        for region_id, n in rows:
            counts[names.lift(region_id, targets)] += n
    else:
        for key, n in rows:
            counts[key] += n
    buckets = [_bucket(filters, by, key, n, names) for key, n in counts.items()]
    if by in ("day", "month"):
        buckets = _fill_days(filters, by, buckets, names)
    else:
        buckets.sort(key=lambda b: (-b.count, b.key))
    return Volume(by, sum(counts.values()), buckets, filters)


def _fill_days(filters: Filters, by: str, buckets: list[Bucket], names: Names) -> list[Bucket]:
    """Every day (month) of the period, empty ones too, in order."""
    have = {b.key: b for b in buckets}
    out: list[Bucket] = []
    day = filters.start if by == "day" else filters.start.replace(day=1)
    while day <= filters.end:
        out.append(have.get(day.isoformat()) or _bucket(filters, by, day, 0, names))
        day = day + timedelta(days=1) if by == "day" else _month_end(day) + timedelta(days=1)
    return out


def _bucket(filters: Filters, by: str, key: object, n: int, names: Names) -> Bucket:
    if by == "day":
        day = key if isinstance(key, date) else date.fromisoformat(str(key))
        return Bucket(day.isoformat(), f"{day:%m-%d}", n,
                      filters.query(received_from=day.isoformat(), received_to=day.isoformat()))
    if by == "month":
        assert isinstance(key, date)
        first, last = max(key, filters.start), min(_month_end(key), filters.end)
        return Bucket(key.isoformat(), f"{key:%Y-%m}", n,
                      filters.query(received_from=first.isoformat(), received_to=last.isoformat()))
    if by == "channel":
        return Bucket(str(key), Channel(key).label if key in Channel.values else str(key), n,
                      filters.query(channel=str(key)))
    if by == "appeal_type":
        label = next((t.zh for t in AppealType if t.value == key), str(key))
        return Bucket(str(key), label, n, filters.query(appeal_type=str(key)))
    pk = int(key)  # type: ignore[call-overload]
    tables: dict[str, Mapping[int, tuple[object, ...]]] = {"category": names.categories, "region": names.regions,
                                                          "unit": names.units}
    table = tables[by]
    if not pk or pk not in table:
        return Bucket("", NONE_LABEL[by], n, None)
    code, name = str(table[pk][0]), str(table[pk][1])
    return Bucket(code, name, n, filters.query(**{by: code}))


def drill_url(base: str, bucket: Bucket) -> str:
    return f"{base}?{urlencode(bucket.drill)}" if bucket.drill is not None else ""


# --- the map -------------------------------------------------------------------------------------

def region_map() -> RegionMap | None:
    return RegionMap.objects.filter(active=True).first()


def map_regions(found: RegionMap | None, names: Names) -> set[int] | None:
    if found is None:
        return None
    codes = set(found.codes)
    return {pk for pk, (code, _, _) in names.regions.items() if code in codes}
