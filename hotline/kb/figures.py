"""Knowledge-base figures: the first-contact answer rate (一次性解答率) and each unit's upkeep.

First-contact answer rate (ziyang §17): consultations answered on the spot over all consultations, read
from the orders and their events:

* a consultation is an order of appeal type ``consult`` received in the period, except those declined
  (out of scope: not a consultation the hotline handled) and those merged into another (counted there);
* it was answered directly when its timeline holds ``answer_directly`` and it ended there (state
  ``answered``, or ``archived`` after it);
* by category: the order's category ("未分类" when none);
* by unit: a dispatched consultation counts for its lead unit; one answered directly (no unit) counts for
  the units whose duties include its category — the units whose knowledge answered it, or should have
  ("谁提供、谁负责"). A consultation with neither a unit nor a category counts in the total only.

Categories under the profile's ``knowledge.first_contact_threshold`` (ziyang §17: 90%) are flagged: the
units concerned owe the operators on-site guidance and training.

Upkeep per unit (xixian §22: 知识库信息维护 is assessed): entries in service, drafts, entries waiting for
review, entries overdue for review, open flags and the age of the oldest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone

from hotline.directory.models import Category, Unit
from hotline.kb.models import Entry, EntryFlag
from hotline.kb.selectors import entries_due_for_review
from hotline.kb.workflow import Status
from hotline.orders import rulebook
from hotline.orders.models import Event, Order
from hotline.rules.errors import InvalidInput
from hotline.rules.order import Action, State

#: the states a consultation answered on the spot ends in
ANSWERED_STATES = (State.ANSWERED.value, State.ARCHIVED.value)
#: consultations that do not count at all
EXCLUDED_STATES = (State.DECLINED.value, State.MERGED.value)
NO_CATEGORY = "未分类"


@dataclass(frozen=True)
class RateRow:
    code: str
    name: str
    consultations: int
    answered: int
    below_threshold: bool = False

    @property
    def rate(self) -> float | None:
        return self.answered / self.consultations if self.consultations else None


@dataclass(frozen=True)
class FirstContactFigures:
    since: datetime
    until: datetime
    threshold: float | None
    rule: str
    total: RateRow
    by_category: list[RateRow] = field(default_factory=list)
    by_unit: list[RateRow] = field(default_factory=list)

    @property
    def training_needed(self) -> list[RateRow]:
        """The categories under the threshold (ziyang §17: 选派专家、业务骨干开展现场指导和业务培训)."""
        return [row for row in self.by_category if row.below_threshold]


def _below(threshold: float | None, consultations: int, answered: int) -> bool:
    return threshold is not None and consultations > 0 and answered / consultations < threshold


def first_contact_rate(*, since: datetime, until: datetime, profile: str | None = None) -> FirstContactFigures:
    """The first-contact answer rate of consultations received in [since, until), of orders kept under
    ``profile`` (default: the deployment's)."""
    if until <= since:
        raise InvalidInput("统计截止时间应晚于开始时间", "until must be after since")
    rules = rulebook.profile(profile)
    threshold, rule = rules.knowledge.first_contact_threshold, rules.knowledge.source
    direct = Exists(Event.objects.filter(order=OuterRef("pk"), action=Action.ANSWER_DIRECTLY.value))
    rows = (Order.objects.filter(appeal_type="consult", received_at__gte=since, received_at__lt=until,
                                 profile=rules.name)
            .exclude(state__in=EXCLUDED_STATES)
            .annotate(direct=direct)
            .values("category_id", "lead_unit_id", "direct", "state")
            .annotate(n=Count("pk")))
    by_category: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    by_unit: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    duty_units: dict[int, list[int]] = defaultdict(list)
    for category_id, unit_id in Unit.duties.through.objects.values_list("category_id", "unit_id"):
        duty_units[category_id].append(unit_id)
    total = [0, 0]
    for row in rows:
        answered = bool(row["direct"]) and row["state"] in ANSWERED_STATES
        count = row["n"]
        for bucket in (total, by_category[row["category_id"]]):
            bucket[0] += count
            bucket[1] += count if answered else 0
        owners = [row["lead_unit_id"]] if row["lead_unit_id"] else duty_units.get(row["category_id"], [])
        for unit_id in owners:
            by_unit[unit_id][0] += count
            by_unit[unit_id][1] += count if answered else 0
    categories = {c.pk: c for c in Category.objects.filter(pk__in=[k for k in by_category if k is not None])}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=list(by_unit))}
    category_rows = sorted(
        (RateRow(categories[k].code if k is not None else "", categories[k].name if k is not None else NO_CATEGORY,
                 n, a, _below(threshold, n, a)) for k, (n, a) in by_category.items()),
        key=lambda r: (r.rate if r.rate is not None else 2.0, r.code))
    unit_rows = sorted((RateRow(units[k].code, units[k].name, n, a, _below(threshold, n, a))
                        for k, (n, a) in by_unit.items()), key=lambda r: (r.rate if r.rate is not None else 2.0, r.code))
    return FirstContactFigures(since, until, threshold, rule, RateRow("", "合计", total[0], total[1],
                                                                     _below(threshold, *total)),
                               category_rows, unit_rows)


@dataclass(frozen=True)
class UpkeepRow:
    """One unit's knowledge-base upkeep, for its assessment (xixian §22)."""

    code: str
    name: str
    in_service: int           # entries with a published version
    drafts: int               # drafts and entries sent back, not yet submitted
    in_review: int            # submitted, waiting for a review step
    overdue_review: int       # in service and past their review date or near their valid-until
    open_flags: int
    oldest_flag_days: int | None


def kb_upkeep(*, now: datetime | None = None, unit: str | None = None) -> list[UpkeepRow]:
    """Every unit that keeps entries or has flags, worst first (overdue reviews, then open flags)."""
    now = now or timezone.now()
    entries = Entry.objects.all()
    if unit:
        entries = entries.filter(unit__code=unit)
    counts = {row["unit_id"]: row for row in entries.values("unit_id").annotate(
        in_service=Count("pk", filter=Q(published__isnull=False)),
        drafts=Count("pk", filter=Q(status__in=[Status.DRAFT.value, Status.RETURNED.value])),
        in_review=Count("pk", filter=Q(status=Status.SUBMITTED.value)))}
    overdue = dict(entries_due_for_review(now).filter(pk__in=entries.values("pk")).values("unit_id")
                   .annotate(n=Count("pk")).values_list("unit_id", "n"))
    flags = {row["entry__unit_id"]: row for row in EntryFlag.objects.filter(
        status=EntryFlag.Status.OPEN, entry__in=entries).values("entry__unit_id").annotate(
        n=Count("pk"), oldest=Min("raised_at"))}
    units = {u.pk: u for u in Unit.objects.filter(pk__in={*counts, *flags})}
    rows = []
    for pk, found in units.items():
        row = counts.get(pk, {})
        flag = flags.get(pk)
        rows.append(UpkeepRow(
            found.code, found.name, row.get("in_service", 0), row.get("drafts", 0), row.get("in_review", 0),
            overdue.get(pk, 0), flag["n"] if flag else 0, (now - flag["oldest"]).days if flag else None))
    return sorted(rows, key=lambda r: (-r.overdue_review, -r.open_flags, r.code))
