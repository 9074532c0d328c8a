"""What the intake screen reads about a caller and an appeal being typed: history, conduct, repeats.

The history goes through ``selectors.requester_history`` (hotline staff only; it logs the lookup in the
personal-data access log, ziyang §22); repeats through ``hotline.orders.repeats.find_repeats``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings

from hotline.directory.models import User
from hotline.orders import selectors
from hotline.orders.models import Appeal
from hotline.orders.repeats import RepeatMatch, find_repeats
from hotline.orders.services.intake import active_suspension
from hotline.requesters.models import Conduct, Requester
from hotline.rules.order import State
from hotline.rules.profiles import Profile
from hotline.rules.vocabulary import AppealType
from hotline.web.intake.helpers import order_url, rule_label

#: a lookup starts once this many digits are typed (a partial number matches no one and is not logged)
MIN_DIGITS = 7


def digits(phone: str) -> int:
    return len(re.sub(r"\D", "", phone))


@dataclass(frozen=True)
class HistoryRow:
    number: str
    url: str
    received_at: datetime
    appeal_type_zh: str
    state: str
    state_zh: str
    open: bool
    unit: str
    content: str


@dataclass
class CallerHistory:
    phone: str
    found: bool = False
    rows: list[HistoryRow] = field(default_factory=list)
    recent: int = 0                      # orders within the repeat window
    window_days: int = 0
    suspension: Conduct | None = None
    warnings: list[Conduct] = field(default_factory=list)
    abuse_rule: str = ""

    @property
    def open_rows(self) -> list[HistoryRow]:
        return [r for r in self.rows if r.open]


def caller_history(*, user: User, phone: str, profile: Profile, now: datetime) -> CallerHistory:
    """Earlier appeals and open orders of the caller, with an active suspension and warnings (logged read)."""
    phone = phone.strip()
    history = CallerHistory(phone, window_days=settings.HOTLINE_REPEAT_WINDOW_DAYS, abuse_rule=rule_label(profile.abuse))
    if digits(phone) < MIN_DIGITS:
        return history
    orders = selectors.requester_history(user=user, phone=phone, purpose="intake lookup")
    requester = Requester.objects.filter(phone=phone).order_by("pk").first() if user.is_hotline_staff else None
    if requester is None:
        return history
    history.found = True
    contents = dict(Appeal.objects.filter(pk__in={o.appeal_id for o in orders}).values_list("pk", "content"))
    since = now - timedelta(days=history.window_days)
    for order in orders:
        state = State(order.state)
        history.rows.append(HistoryRow(
            order.number, order_url(order.pk), order.received_at, AppealType(order.appeal_type).zh, order.state,
            state.zh, state.is_open, order.lead_unit.name if order.lead_unit else "",
            (order.matter or contents.get(order.appeal_id, ""))[:80]))
        history.recent += order.received_at >= since
    history.suspension = active_suspension(requester, now)
    history.warnings = list(requester.conduct.filter(kind=Conduct.Kind.WARNING).order_by("-starts_at")[:5])
    return history


@dataclass(frozen=True)
class RepeatRow:
    match: RepeatMatch
    url: str


def repeat_candidates(*, phone: str, address: str, content: str, now: datetime) -> list[RepeatRow]:
    """Earlier orders of the same caller or place with similar content (a terminated matter first)."""
    if not content.strip() or not (phone.strip() or address.strip()):
        return []
    return [RepeatRow(m, order_url(m.order_id))
            for m in find_repeats(phone=phone, address=address, content=content, at=now)]
