"""What the public disclosure page shows (ankang §29, heyuan §19): processed appeals without personal data,
and the units' results of a closed month.

heyuan §19: "除不宜公开、诉求人要求保密的外" — so never:
- a confidential appeal (``Appeal.confidential``: the requester asked for secrecy, ziyang §27(2));
- a report (举报): it names a reported party on an unproven allegation and its requester is protected
  (``NOT_PUBLIC_TYPES``);
- an order not yet archived (only processed appeals are published).
Of the rest, only what a reader needs: the order number, dates, type, category, area, the road (the
address cut before its house number), the title and content and the unit's result with phone numbers,
ID numbers, e-mail, house numbers and the requester's own name, phone and ID number scrubbed. The
requester's name, phone and ID are read here only to be removed; they never leave this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from hotline.assessment.bulletin.build import month_start_day, satisfaction_weight
from hotline.assessment.bulletin.figures import Month
from hotline.assessment.bulletin.scrub import public_address, scrub_text
from hotline.assessment.bulletin.units import UnitTable, unit_tables
from hotline.orders.models import Event, Order
from hotline.rules.order import Action, State
from hotline.rules.vocabulary import AppealType, Evaluation

NOT_PUBLIC_TYPES = (AppealType.REPORT.value,)
PAGE_SIZE = 20


@dataclass(frozen=True)
class PublicAppeal:
    number: str
    received_at: datetime
    closed_at: datetime | None
    appeal_type: str
    category: str
    area: str
    address: str
    title: str
    content: str
    unit: str
    result: str
    evaluation: str


def public_orders() -> QuerySet[Order]:
    """The orders the public may read about: archived, not confidential, not a report; newest first."""
    return (Order.objects.filter(state=State.ARCHIVED.value, appeal__confidential=False)
            .exclude(appeal_type__in=NOT_PUBLIC_TYPES).exclude(appeal__appeal_type__in=NOT_PUBLIC_TYPES)
            .order_by("-received_at", "-pk"))


def with_details(orders: QuerySet[Order]) -> QuerySet[Order]:
    """What :func:`present` reads, fetched in a fixed number of queries for a page of orders."""
    replies = Event.objects.filter(action=Action.REPLY.value).order_by("seq")
    return orders.select_related("appeal", "appeal__requester", "appeal__region", "category", "lead_unit").prefetch_related(
        Prefetch("events", queryset=replies, to_attr="public_replies"))


def present(order: Order) -> PublicAppeal:
    """One order as published: personal data removed."""
    appeal = order.appeal
    if appeal.confidential or order.appeal_type in NOT_PUBLIC_TYPES:   # the queryset already left them out
        raise ValueError(f"order {order.number} may not be published")
    requester = appeal.requester
    names = [requester.name] if requester and requester.name else []
    numbers = [n for n in ((requester.phone, requester.id_number) if requester else ()) if n]
    replies = getattr(order, "public_replies", None)
    if replies is None:
        replies = list(order.events.filter(action=Action.REPLY.value).order_by("seq"))
    reply = replies[-1].payload.get("reply") if replies else None
    result = str(reply.get("result", "")) if isinstance(reply, dict) else ""
    return PublicAppeal(
        number=order.number, received_at=order.received_at, closed_at=order.closed_at,
        appeal_type=AppealType(order.appeal_type).zh,
        category=order.category.name if order.category else "",
        area=appeal.region.name if appeal.region else "",
        address=scrub_text(public_address(appeal.address), names=names, numbers=numbers),
        title=scrub_text(appeal.title, names=names, numbers=numbers),
        content=scrub_text(order.matter or appeal.content, names=names, numbers=numbers),
        unit=order.lead_unit.name if order.lead_unit else "",
        result=scrub_text(result, names=names, numbers=numbers),
        evaluation=Evaluation(order.evaluation).zh if order.evaluation and order.evaluation != "none" else "",
    )


def last_closed_month(now: datetime | None = None, profile_name: str | None = None) -> Month:
    """The latest month that has ended: the one whose results are published by default."""
    now = now or timezone.now()
    month = Month(now.year, now.month, month_start_day(profile_name))
    while month.end > now:
        month = month.previous()
    return month


def public_results(month: Month, *, now: datetime | None = None, profile_name: str | None = None) -> list[UnitTable]:
    """The units' results of a month that has ended (the assessment's, frozen when it has been frozen)."""
    now = now or timezone.now()
    if month.end > now:
        raise ValueError(f"month {month} has not ended")
    return unit_tables(month, as_of=now, weight=satisfaction_weight(profile_name), profile_name=profile_name)
