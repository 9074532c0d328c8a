"""Repeat detection at intake: the same requester, or the same place, with similar content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from hotline.orders.models import Appeal, Event, Order
from hotline.requesters.models import Requester
from hotline.rules.order import Action, State


@dataclass(frozen=True)
class RepeatMatch:
    order_id: int
    number: str
    state: str
    state_zh: str
    received_at: datetime
    similarity: float
    same_requester: bool
    same_place: bool
    terminated: bool          # answered from the termination opinion, not dispatched (ziyang §15)


def _grams(text: str) -> set[str]:
    cleaned = "".join(ch for ch in text if ch.isalnum())
    return {cleaned[i:i + 2] for i in range(len(cleaned) - 1)} or {cleaned}


def similarity(a: str, b: str) -> float:
    """Character-bigram Dice similarity (0..1): robust for Chinese without a segmenter, and kinder
    than Jaccard to a paraphrase of the same complaint."""
    ga, gb = _grams(a), _grams(b)
    return 2 * len(ga & gb) / (len(ga) + len(gb)) if ga and gb else 0.0


def find_repeats(*, phone: str, address: str, content: str, at: datetime, limit: int = 10) -> list[RepeatMatch]:
    """Earlier orders of the same requester or place within the window, most similar first."""
    phone, address = phone.strip(), address.strip()
    if not (phone or address):
        return []
    since = at - timedelta(days=settings.HOTLINE_REPEAT_WINDOW_DAYS)
    # the appeals of this phone or this address first, each found by its index (requester phone, appeal
    # address), then their orders: a condition over the joined tables would read every recent order instead
    where = Q()
    if phone:
        where |= Q(requester__in=Requester.objects.filter(phone=phone).values("pk"))
    if address:
        where |= Q(address=address)
    recent_or_terminated = Q(received_at__gte=since) | Q(state=State.TERMINATED.value)
    candidates = (Order.objects.filter(recent_or_terminated, appeal__in=Appeal.objects.filter(where).values("pk"),
                                       received_at__lte=at)
                  .select_related("appeal", "appeal__requester").order_by("-received_at")[:200])
    threshold = settings.HOTLINE_REPEAT_SIMILARITY
    similar = [(order, score) for order in candidates
               if (score := similarity(content, order.matter or order.appeal.content)) >= threshold]
    ever_terminated = set(Event.objects.filter(order__in=[o for o, _ in similar], action=Action.APPROVE_TERMINATION.value)
                          .values_list("order_id", flat=True))
    matches = []
    for order, score in similar:
        requester = order.appeal.requester
        terminated = order.state == State.TERMINATED.value or order.pk in ever_terminated
        matches.append(RepeatMatch(
            order.pk, order.number, order.state, State(order.state).zh, order.received_at, round(score, 3),
            bool(phone and requester is not None and requester.phone == phone),
            bool(address and order.appeal.address == address), terminated))
    matches.sort(key=lambda m: (-m.terminated, -m.similarity))
    return matches[:limit]
