"""Reads for the suggestions: training examples from the archive, the cold start's tables, similar
earlier appeals, names of suggested codes, and acceptance figures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from hotline.directory.models import Category, Region, Unit
from hotline.orders.models import Order
from hotline.orders.repeats import similarity
from hotline.rules.order import State
from hotline.suggest import conf
from hotline.suggest.bundle import ColdStart
from hotline.suggest.models import SuggestionFeedback


@dataclass(frozen=True)
class Example:
    """One archived order as a training example; a field is "" when the order does not teach it."""

    order_id: int
    received_at: datetime
    text: str
    region: str
    category: str
    appeal_type: str
    unit: str


def order_text(title: str, content: str, matter: str = "") -> str:
    """What a classifier reads of an appeal: the order's own matter when split, else title + content."""
    return matter or (f"{title}。{content}" if title else content)


def training_examples(*, until: datetime | None = None) -> list[Example]:
    """Archived orders, oldest first: final category, appeal type as recorded, and the unit that handled
    it (the lead unit at archive time: the dispatched unit when returns == 0, else the last lead unit
    after the approved returns)."""
    orders = (Order.objects.filter(state=State.ARCHIVED.value)
              .select_related("appeal", "appeal__region", "category", "lead_unit").order_by("received_at", "pk"))
    if until is not None:
        orders = orders.filter(received_at__lte=until)
    return [Example(o.pk, o.received_at, order_text(o.appeal.title, o.appeal.content, o.matter),
                    o.appeal.region.code if o.appeal.region else "", o.category.code if o.category else "",
                    o.appeal_type, o.lead_unit.code if o.lead_unit else "")
            for o in orders.iterator(chunk_size=2000)]


def training_examples_count(*, until: datetime | None = None) -> int:
    """How many archived orders there are to learn from (one COUNT, for the tick's retrain check)."""
    orders = Order.objects.filter(state=State.ARCHIVED.value)
    if until is not None:
        orders = orders.filter(received_at__lte=until)
    return orders.count()


def region_parents() -> dict[str, str]:
    return {code: parent for code, parent in Region.objects.filter(parent__isnull=False)
            .values_list("code", "parent__code")}


def cold_start_predictor() -> ColdStart:
    """The duty table (派单目录) and category keywords of this deployment."""
    keywords = {c.code: tuple(c.keywords.split()) for c in Category.objects.filter(active=True).exclude(keywords="")}
    duties: dict[str, list[str]] = defaultdict(list)
    unit_regions: dict[str, str] = {}
    for unit_code, category_code, region_code in (Unit.objects.filter(active=True, duties__active=True)
                                                  .values_list("code", "duties__code", "region__code")
                                                  .order_by("code")):
        duties[category_code].append(unit_code)
        unit_regions[unit_code] = region_code or ""
    return ColdStart(keywords, {k: tuple(v) for k, v in duties.items()}, unit_regions)


def category_names(codes: Iterable[str]) -> dict[str, str]:
    """Names of the active categories among ``codes`` (inactive ones are left out)."""
    return dict(Category.objects.filter(code__in=set(codes), active=True).values_list("code", "name"))


def unit_names(codes: Iterable[str]) -> dict[str, tuple[str, str]]:
    """code → (code to suggest, name): a merged unit is replaced by the unit it went into; an inactive
    unit with no successor is left out."""
    found: dict[str, tuple[str, str]] = {}
    for unit in Unit.objects.filter(code__in=set(codes)).select_related("merged_into"):
        target = unit
        if target.merged_into is not None:
            target = target.merged_into
        if target.active:
            found[unit.code] = (target.code, target.name)
    return found


@dataclass(frozen=True)
class SimilarAppeal:
    order_id: int
    number: str
    state: str
    state_zh: str
    received_at: datetime
    similarity: float


def similar_orders(text: str, *, region: str | None = None, at: datetime | None = None,
                   limit: int | None = None, candidates: int = 300) -> list[SimilarAppeal]:
    """Earlier orders (within the repeat window, same region when known) whose text is most alike
    (character-bigram Jaccard, as at intake). No personal data: numbers, states, dates only."""
    at = at or timezone.now()
    limit = conf.similar_limit() if limit is None else limit
    since = at - timedelta(days=conf.similar_window_days())
    orders = Order.objects.filter(received_at__gte=since, received_at__lte=at)
    if region:
        orders = orders.filter(Q(appeal__region__code=region) | Q(appeal__region__parent__code=region))
    rows = orders.order_by("-received_at").values_list("pk", "number", "state", "received_at", "matter",
                                                         "appeal__title", "appeal__content")[:candidates]
    threshold = conf.similar_threshold()
    found = []
    for pk, number, state, received_at, matter, title, content in rows:
        score = similarity(text, order_text(title, content, matter))
        if score >= threshold:
            found.append(SimilarAppeal(pk, number, state, State(state).zh, received_at, round(score, 3)))
    found.sort(key=lambda s: (-s.similarity, -s.received_at.timestamp()))
    return found[:limit]


@dataclass(frozen=True)
class WeekRate:
    week: date              # the Monday the week starts on
    shown: int              # choices made while something was suggested
    accepted: int           # the first suggestion was kept
    in_top3: int            # the choice was among the suggestions
    unsure: int             # nothing was suggested (low confidence)

    @property
    def rate(self) -> float | None:
        return self.accepted / self.shown if self.shown else None

    @property
    def top3_rate(self) -> float | None:
        return self.in_top3 / self.shown if self.shown else None


def acceptance_rates(since: datetime, until: datetime) -> dict[str, list[WeekRate]]:
    """Per field, per week (Monday to Sunday, local time): how often operators kept the suggestion."""
    rows = (SuggestionFeedback.objects.filter(at__gte=since, at__lt=until)
            .annotate(week=TruncWeek("at", tzinfo=timezone.get_current_timezone()))
            .values("field", "week")
            .annotate(n=Count("pk"), unsure=Count("pk", filter=Q(shown=False)),
                      accepted=Count("pk", filter=Q(accepted=True)), in_top3=Count("pk", filter=Q(in_top3=True)))
            .order_by("field", "week"))
    result: dict[str, list[WeekRate]] = {f: [] for f in SuggestionFeedback.Field.values}
    for row in rows:
        week = row["week"].date() if isinstance(row["week"], datetime) else row["week"]
        result[row["field"]].append(WeekRate(week, row["n"] - row["unsure"], row["accepted"], row["in_top3"],
                                             row["unsure"]))
    return result
