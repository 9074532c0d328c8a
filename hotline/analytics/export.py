"""Orders and events for the provincial platform (ziyang §20: 实时向省12345热线平台推送数据), as JSON lines.

    lines, result = export_since(since=CURSOR)

The cursor is the id of the last timeline event exported (0: from the start). Every change of an order is an
event, so the events after the cursor say which orders changed: for each such order one ``order`` line (the
order as it is now) comes first, then its new ``event`` lines in order. The next cursor is returned with the
lines; giving it back exports what happened since, nothing twice. Events recorded in the last
``HOTLINE_EXPORT_SETTLE_SECONDS`` seconds wait for the next run, so that a transaction that took a lower id
but committed later is not skipped.

What leaves the platform (docs/analytics.md, "Export"): the matter (content, address, category, region,
units, times, states, the callback's answers) — what the provincial platform needs to follow and assess the
order. What does not: the requester's name and phone. The requester is a pseudonym (an HMAC of the
requester's id with the deployment's secret key), the same for every order of one person, so the province
can count repeat appeals without learning who made them (ziyang §22: 谁使用、谁负责; the Personal
Information Protection Law's minimum-necessary rule). Confidential appeals are exported with
``"confidential": true`` for the province to keep from the reported party.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from hotline.analytics.models import ExportRun
from hotline.orders.models import Event, Order

SCHEMA = 1
BATCH = 1000


@dataclass
class ExportResult:
    since: int
    next_cursor: int
    orders: int = 0
    events: int = 0


def pseudonym(requester_id: int | None) -> str | None:
    if requester_id is None:
        return None
    key = str(settings.SECRET_KEY).encode()
    return hmac.new(key, f"requester:{requester_id}".encode(), hashlib.sha256).hexdigest()[:20]


def _time(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def order_line(order: Order) -> dict[str, Any]:
    appeal = order.appeal
    return {
        "kind": "order", "schema": SCHEMA, "number": order.number, "profile": order.profile, "state": order.state,
        "appeal_type": order.appeal_type, "channel": appeal.channel, "urgency": order.urgency,
        "category": order.category.code if order.category else None,
        "region": appeal.region.code if appeal.region else None, "address": appeal.address,
        "title": appeal.title, "content": appeal.content, "matter": order.matter,
        "confidential": appeal.confidential, "requester": pseudonym(appeal.requester_id),
        "external_id": appeal.external_id,
        "lead_unit": order.lead_unit.code if order.lead_unit else None,
        "co_units": sorted(u.code for u in order.co_units.all()),
        "received_at": _time(order.received_at), "dispatched_at": _time(order.dispatched_at),
        "signed_at": _time(order.signed_at), "replied_at": _time(order.replied_at),
        "closed_at": _time(order.closed_at), "handle_due": _time(order.handle_due),
        "returns": order.returns, "extensions": order.extensions, "redos": order.redos,
        "supervised": order.supervised, "evaluation": order.evaluation, "contacted": order.contacted,
        "resolved": order.resolved, "screened_out": order.screened_out, "exempted": order.exempted,
    }


def event_line(event: Event, number: str) -> dict[str, Any]:
    return {"kind": "event", "schema": SCHEMA, "id": event.pk, "order": number, "seq": event.seq,
            "action": event.action, "at": _time(event.at), "from_state": event.from_state,
            "to_state": event.to_state, "actor_role": event.actor_role, "actor_unit": event.actor_unit,
            "rules": event.rules, "payload": event.payload}


def export_since(*, since: int, now: datetime | None = None, limit: int | None = None,
                 target: str = "") -> tuple[Iterator[str], ExportResult]:
    """The lines (JSON, one object each) after cursor ``since``, and the result with the next cursor."""
    if since < 0:
        raise ValueError("the cursor is an event id, 0 or more")
    now = now or timezone.now()
    settle = timedelta(seconds=float(getattr(settings, "HOTLINE_EXPORT_SETTLE_SECONDS", 5)))
    events = Event.objects.filter(pk__gt=since, recorded_at__lte=now - settle)
    until = events.aggregate(m=Max("pk"))["m"] or since
    if limit is not None:
        ids = list(events.order_by("pk").values_list("pk", flat=True)[:limit])
        until = ids[-1] if ids else since
    result = ExportResult(since=since, next_cursor=until)

    def lines() -> Iterator[str]:
        low = since
        while low < until:
            batch = list(Event.objects.filter(pk__gt=low, pk__lte=until).order_by("pk")[:BATCH])
            if not batch:
                break
            by_order: dict[int, list[Event]] = {}
            for event in batch:
                by_order.setdefault(event.order_id, []).append(event)
            orders = (Order.objects.filter(pk__in=by_order).select_related("appeal", "appeal__region", "category",
                                                                          "lead_unit").prefetch_related("co_units"))
            for order in sorted(orders, key=lambda o: by_order[o.pk][0].pk):
                result.orders += 1
                yield json.dumps(order_line(order), ensure_ascii=False)
                for event in by_order[order.pk]:
                    result.events += 1
                    yield json.dumps(event_line(event, order.number), ensure_ascii=False)
            low = batch[-1].pk
        ExportRun.objects.create(since=since, until=until, orders=result.orders, events=result.events,
                                 target=target[:300])

    return lines(), result
