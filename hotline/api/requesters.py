"""Requesters, for hotline staff: who is calling (earlier orders, warnings, suspension), and recording
abusive use (warning, then suspension where the rulebook allows it). Every look-up is logged."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import P, PathEx, QueryEx, Router, Status

from hotline.api import schemas as s
from hotline.api.auth import user_of
from hotline.api.errors import errors
from hotline.orders import selectors, services
from hotline.orders.services.intake import active_suspension
from hotline.requesters.models import Conduct, Requester
from hotline.rules.errors import Forbidden
from hotline.rules.order import State

router = Router(tags=["requesters"])

Phone = QueryEx[str, P(min_length=1, max_length=32, pattern=r"^[0-9+\- ()]+$", description="the phone number")]
RequesterId = PathEx[int, P(ge=1, le=s.MAX_ID)]


def conduct_out(conduct: Conduct) -> dict[str, Any]:
    return {"id": conduct.pk, "kind": conduct.kind, "kind_zh": Conduct.Kind(conduct.kind).label,
            "reason": conduct.reason, "rule": conduct.rule, "starts_at": conduct.starts_at, "ends_at": conduct.ends_at,
            "by": conduct.by.username}


@router.get("/requesters/lookup", response={200: s.RequesterLookupOut, **errors()}, operation_id="requester_lookup",
            summary="来电人查询 / a caller's earlier orders, warnings and suspension (hotline staff; logged)")
def requester_lookup(request: HttpRequest, phone: Phone) -> dict[str, Any]:
    user = user_of(request)
    if user.role not in selectors.FULL_VIEW_ROLES:
        raise Forbidden("只有热线工作人员可以查询来电人", "only hotline staff look up callers")
    orders = selectors.requester_history(user=user, phone=phone, purpose="intake lookup")  # logs the read
    requester = Requester.objects.filter(phone=phone.strip()).order_by("pk").first()
    if requester is None:
        return {"requester": None, "orders": [], "suspension": None, "warnings": []}
    suspension = active_suspension(requester, timezone.now())
    warnings = requester.conduct.filter(kind=Conduct.Kind.WARNING).select_related("by").order_by("-starts_at")
    return {
        "requester": {"id": requester.pk, "name": requester.name, "phone": requester.phone, "kind": requester.kind},
        "orders": [{"id": o.pk, "number": o.number, "state": o.state, "state_zh": State(o.state).zh,
                    "appeal_type": o.appeal_type, "received_at": o.received_at,
                    "lead_unit": {"code": o.lead_unit.code, "name": o.lead_unit.name} if o.lead_unit else None,
                    "summary": (o.matter or o.appeal.content)[:80]} for o in orders],
        "suspension": conduct_out(suspension) if suspension is not None else None,
        "warnings": [conduct_out(w) for w in warnings],
    }


@router.post("/requesters/{requester_id}/conduct", response={201: s.ConductOut, **errors()},
             operation_id="requester_conduct_record",
             summary="记录不当使用 / warn a requester, or suspend them where the rulebook allows it")
def requester_conduct(request: HttpRequest, requester_id: RequesterId, payload: s.ConductIn) -> Status[Any]:
    conduct = services.requester_conduct_record(user=user_of(request), requester=requester_id, kind=payload.kind,
                                                reason=payload.reason, days=payload.days)
    return Status(201, conduct_out(conduct))
