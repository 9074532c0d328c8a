"""Proactive governance (主动治理, ankang §35, ziyang §31): the high-frequency common problems, and the
"topics of the month" the office adopts, tracked by how their monthly volume falls.

Common problems come from the rollup: the (category, district) cells with the most orders in the period,
with the same cell in the period before. A topic's monthly volume comes from the orders its rule matches
(category, region and the regions under it, any keyword in the title or content): keywords need the text,
so this reads the orders, narrowed first by the category and region.

Tracking a topic (``topic_tracking``)::

    before = mean monthly volume of the ``BASELINE_MONTHS`` whole months before the topic's month
    since  = mean monthly volume of the whole months from the topic's month up to the last whole month
    change = (since − before) ÷ before            (None when there is no baseline)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from hotline.analytics.dashboard import Filters, Names, _cells
from hotline.analytics.models import Topic
from hotline.analytics.rollup import day_start
from hotline.orders.models import Order

BASELINE_MONTHS = 3


@dataclass(frozen=True)
class Problem:
    category: tuple[str, str]
    region: tuple[str, str]
    count: int
    previous: int
    share: float                 # of the period's orders
    drill: dict[str, str]


def common_problems(filters: Filters, *, limit: int = 20) -> list[Problem]:
    """The (category, district) cells with the most orders in the period, with the period before."""
    names = Names.load()
    districts = names.districts()
    length = (filters.end - filters.start).days + 1
    before = Filters(filters.start - timedelta(days=length), filters.start - timedelta(days=1), filters.channel,
                     filters.appeal_type, filters.category, filters.region, filters.unit)

    def counted(f: Filters) -> dict[tuple[int, int], int]:
        out: dict[tuple[int, int], int] = defaultdict(int)
        rows = _cells(f, names).values_list("category_id", "region_id").annotate(n=Sum("count")).order_by()  # type: ignore[attr-defined]
        for category, region, n in rows:
            out[(category, names.lift(region, districts))] += n
        return out

    now, then = counted(filters), counted(before)
    total = sum(now.values()) or 1
    ranked = sorted(((k, n) for k, n in now.items() if k[0] and k[1]), key=lambda kv: (-kv[1], kv[0]))[:limit]
    problems = []
    for (category, region), n in ranked:
        c_code, c_name = names.categories[category]
        r_code, r_name = names.regions[region][:2]
        problems.append(Problem((c_code, c_name), (r_code, r_name), n, then.get((category, region), 0),
                                round(n / total, 4), filters.query(category=c_code, region=r_code)))
    return problems


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def topic_orders(topic: Topic) -> object:
    """The orders the topic's rule matches."""
    orders = Order.objects.all()
    if topic.category_id:
        orders = orders.filter(category_id=topic.category_id)
    if topic.region_id:
        orders = orders.filter(Q(appeal__region_id=topic.region_id) | Q(appeal__region__parent_id=topic.region_id) |
                               Q(appeal__region__parent__parent_id=topic.region_id))
    words = [w for w in topic.keywords if w]
    if words:
        orders = orders.filter(reduce(or_, (Q(appeal__content__contains=w) | Q(appeal__title__contains=w) |
                                            Q(matter__contains=w) for w in words)))
    return orders


@dataclass(frozen=True)
class Tracking:
    months: list[tuple[date, int, bool]]     # month, orders, since adoption
    before: float | None                     # mean of the baseline months
    since: float | None                      # mean of the whole months since adoption
    change: float | None                     # (since − before) ÷ before


def topic_tracking(topic: Topic, *, today: date | None = None) -> Tracking:
    today = today or timezone.localdate()
    start = add_months(topic.month, -BASELINE_MONTHS)
    this_month = first_of_month(today)
    orders = topic_orders(topic).filter(received_at__gte=day_start(start),  # type: ignore[attr-defined]
                                        received_at__lt=day_start(add_months(this_month, 1)))
    zone = timezone.get_current_timezone()
    counts = {(m.date() if hasattr(m, "date") else m): n for m, n in
              orders.annotate(m=TruncMonth("received_at", tzinfo=zone)).values_list("m").annotate(n=Count("pk"))
              .order_by()}
    months: list[tuple[date, int, bool]] = []
    month = start
    while month <= this_month:
        months.append((month, counts.get(month, 0), month >= topic.month))
        month = add_months(month, 1)
    whole = [m for m in months if m[0] < this_month]       # the running month is not over
    base = [n for m, n, since in whole if not since]
    after = [n for m, n, since in whole if since]
    before = sum(base) / len(base) if base else None
    since = sum(after) / len(after) if after else None
    change = round((since - before) / before, 4) if before and since is not None else None
    return Tracking(months, before, since, change)
