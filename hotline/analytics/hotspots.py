"""Hot issues (热点): appeals about the same place or matter in a window, grouped and ranked.

How the orders are grouped
    1. Candidates: the orders received in the window and in the window before it (for the growth), the
       newest first, at most ``HOTLINE_HOT_MAX_CANDIDATES`` per window.
    2. Blocks: orders are compared only within one block = (district of the appeal's region, category),
       so the work grows with the size of a block, not with the square of the city's volume.
    3. Similarity: cosine of the character-bigram TF-IDF vectors of title + content (Chinese needs no
       segmenter for this; a bigram catches 油烟/噪音/停水). Two orders are linked when the similarity is
       at least ``HOTLINE_HOT_SIMILARITY``, or at least ``HOTLINE_HOT_SAME_PLACE_SIMILARITY`` when their
       addresses are the same (after removing spaces).
    4. A hot issue is a connected group with at least ``HOTLINE_HOT_MIN_ORDERS`` orders in the window.

The heat index (docs/analytics.md)::

    W = Σ over the window's orders of 2^(−age / h)     age in days before the window's end, h the half-life
    R = distinct requesters in the window
    G = (N + 1) / (N_prev + 1)                         growth against the window before
    heat = (W + R) × √min(G, 4)
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer

from hotline.analytics.dashboard import Names
from hotline.analytics.rollup import day_start, local_day
from hotline.orders.models import Order

_KEEP = re.compile(r"[^\w]+")
#: a bigram in more than this share of the candidates (and more than COMMON_FLOOR of them) says nothing about
#: a place or a matter (反映, 问题, 一个): it is dropped, which also keeps the similarity matrix sparse
COMMON_SHARE = 0.05
COMMON_FLOOR = 50


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


@dataclass
class HotIssue:
    key: str
    label: str
    heat: float
    orders: int                   # in the window
    previous: int                 # in the window before
    requesters: int
    growth: float
    recency: float                # W of the formula
    category: tuple[str, str]     # code, name ("" when none)
    region: tuple[str, str]
    order_ids: list[int] = field(default_factory=list)          # the window's, newest first
    numbers: list[str] = field(default_factory=list)
    places: list[tuple[str, int]] = field(default_factory=list)
    trend: list[tuple[date, int]] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    pk: int
    number: str
    at: datetime
    text: str
    address: str
    requester: int
    category: int
    region: int
    current: bool


def _text(title: str, content: str, matter: str) -> str:
    return _KEEP.sub("", f"{title}{matter or content}")


def _candidates(start: datetime, end: datetime, cap: int, current: bool) -> list[tuple[Any, ...]]:
    return list(Order.objects.filter(received_at__gte=start, received_at__lt=end).order_by("-received_at", "-pk")
                .values_list("pk", "number", "received_at", "appeal__title", "appeal__content", "matter",
                             "appeal__address", "appeal__requester_id", "category_id", "appeal__region_id")[:cap])


def _vectors(rows: list[_Row]) -> Any:
    """The rows' TF-IDF vectors (L2-normalised), the IDF learnt from every candidate of the city: a bigram
    common everywhere (投诉, 小区) weighs little, one of a place or a matter (幸福路, 打桩) much."""
    try:
        return TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True, dtype=np.float32,
                               max_df=max(COMMON_FLOOR, int(COMMON_SHARE * len(rows)))).fit_transform(
            [r.text or "-" for r in rows])
    except ValueError:   # nothing to learn a vocabulary from
        return None


def _groups(rows: list[_Row], vectors: Any, strong: float, weak: float) -> list[list[int]]:
    """Indexes of ``rows`` linked by text (or by place and text), as connected groups of two or more."""
    if len(rows) < 2 or vectors is None:
        return []
    similar = (vectors @ vectors.T).tocoo()
    keep = (similar.row < similar.col) & (similar.data >= weak)
    i, j, s = similar.row[keep], similar.col[keep], similar.data[keep]
    _, place = np.unique(np.array([r.address for r in rows], dtype=object), return_inverse=True)
    blank = np.array([not r.address for r in rows])
    same_place = (place[i] == place[j]) & ~blank[i]
    linked = (s >= strong) | same_place
    graph = csr_matrix((np.ones(int(linked.sum())), (i[linked], j[linked])), shape=(len(rows), len(rows)))
    count, labels = connected_components(graph, directed=False)
    members: dict[int, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        members[int(label)].append(index)
    return [m for m in members.values() if len(m) >= 2]


def heat_index(ages_days: list[float], requesters: int, previous: int, half_life: float) -> tuple[float, float, float]:
    """(heat, W, G) of the formula in the module's docstring."""
    recency = sum(2 ** (-age / half_life) for age in ages_days)
    growth = (len(ages_days) + 1) / (previous + 1)
    return (recency + requesters) * math.sqrt(min(growth, 4.0)), recency, growth


def hot_issues(*, end: date, days: int | None = None, limit: int = 50, category: str = "",
               region: str = "") -> list[HotIssue]:
    """The hot issues of the ``days`` days before ``end`` (exclusive: ``end`` is the day after the window)."""
    days = days or int(_setting("HOTLINE_HOT_WINDOW_DAYS", 7))
    cap = int(_setting("HOTLINE_HOT_MAX_CANDIDATES", 50000))
    strong = _setting("HOTLINE_HOT_SIMILARITY", 0.25)
    weak = _setting("HOTLINE_HOT_SAME_PLACE_SIMILARITY", 0.12)
    least = int(_setting("HOTLINE_HOT_MIN_ORDERS", 3))
    half_life = _setting("HOTLINE_HOT_HALF_LIFE_DAYS", 3)
    names = Names.load()
    districts = names.districts()
    stop = day_start(end)
    begin = day_start(end - timedelta(days=days))
    before = day_start(end - timedelta(days=2 * days))
    category_id = next((pk for pk, (c, _) in names.categories.items() if c == category), -1) if category else 0
    region_ids = names.under(region) if region else set()
    blocks: dict[tuple[int, int], list[int]] = defaultdict(list)
    every: list[_Row] = []
    for current, (lo, hi) in ((True, (begin, stop)), (False, (before, begin))):
        for pk, number, at, title, content, matter, address, requester, cat, reg in _candidates(lo, hi, cap, current):
            if category and cat != category_id:
                continue
            if region and reg not in region_ids:
                continue
            row = _Row(pk, number, at, _text(title, content, matter), "".join(address.split()), requester or -pk,
                       cat or 0, reg or 0, current)
            blocks[(names.lift(row.region, districts), row.category)].append(len(every))
            every.append(row)
    vectors = _vectors(every)
    found: list[HotIssue] = []
    for (district, cat), indexes in blocks.items():
        rows = [every[k] for k in indexes]
        every_index = {id(row): k for row, k in zip(rows, indexes, strict=True)}
        for group in _groups(rows, vectors[indexes] if vectors is not None else None, strong, weak):
            members = [rows[k] for k in group]
            now_rows = sorted((r for r in members if r.current), key=lambda r: (r.at, r.pk), reverse=True)
            if len(now_rows) < least:
                continue
            found.append(_issue(members, now_rows, district, cat, names, stop, end, days, half_life,
                                _medoid(now_rows, vectors, every_index)))
    found.sort(key=lambda h: (-h.heat, -h.orders, h.key))
    return found[:limit]


def _medoid(rows: list[_Row], vectors: Any, index: dict[int, int]) -> int:
    """The position in ``rows`` of the row closest to the group's centroid (its text labels the issue)."""
    if vectors is None or len(rows) < 3:
        return 0
    group = vectors[[index[id(r)] for r in rows]]
    centroid = np.asarray(group.mean(axis=0)).ravel()
    return int(np.argmax(group @ centroid))


def _issue(members: list[_Row], now_rows: list[_Row], district: int, cat: int, names: Names, stop: datetime,
           end: date, days: int, half_life: float, best: int) -> HotIssue:
    previous = len(members) - len(now_rows)
    ages = [(stop - r.at).total_seconds() / 86400 for r in now_rows]
    requesters = len({r.requester for r in now_rows})
    heat, recency, growth = heat_index(ages, requesters, previous, half_life)
    per_day = Counter(local_day(r.at) for r in members)
    first = end - timedelta(days=2 * days)
    places = Counter(r.address for r in now_rows if r.address).most_common(5)
    category_code, category_name = names.categories.get(cat, ("", "未分类"))
    region_code, region_name = names.regions.get(district, ("", "未填区域", 0))[:2]
    return HotIssue(
        key=f"hot-{min(r.pk for r in now_rows)}", label=_label(now_rows[best]), heat=round(heat, 2),
        orders=len(now_rows), previous=previous, requesters=requesters, growth=round(growth, 2),
        recency=round(recency, 2), category=(category_code, category_name), region=(region_code, region_name),
        order_ids=[r.pk for r in now_rows], numbers=[r.number for r in now_rows], places=places,
        trend=[(first + timedelta(days=k), per_day.get(first + timedelta(days=k), 0)) for k in range(2 * days)])


def _label(row: _Row) -> str:
    return row.text if len(row.text) <= 40 else row.text[:39] + "…"
