"""Intake over the API: ``POST /api/v1/appeals`` registers an appeal and carries out the operator's
decision on it (accept, decline, answer directly…), as ``services.appeal_intake`` does.

A call with an ``Idempotency-Key`` header may be retried safely: the retry creates nothing and answers
200 with the same appeal, orders and query codes as the first call's 201.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import HeaderEx, P, Router, Status

from hotline.api import schemas as s
from hotline.api.auth import user_of
from hotline.api.errors import errors
from hotline.api.orders import deadline_out
from hotline.orders import services
from hotline.orders.repeats import RepeatMatch, find_repeats
from hotline.orders.services import IntakeResult
from hotline.rules.order import State

router = Router(tags=["appeals"])

IdempotencyKey = HeaderEx[str | None, P(alias="Idempotency-Key", max_length=100, pattern=s.NO_NUL,
                                       description="a retry with the same key creates nothing and answers 200 with "
                                                   "the first call's result")]


def _decimal(value: float | None) -> Decimal | None:
    return Decimal(f"{value:.6f}") if value is not None else None


def _repeat_out(match: RepeatMatch) -> dict[str, Any]:
    return {"order_id": match.order_id, "number": match.number, "state": match.state, "state_zh": match.state_zh,
            "received_at": match.received_at, "similarity": match.similarity, "same_requester": match.same_requester,
            "same_place": match.same_place, "terminated": match.terminated}


def _repeats(result: IntakeResult) -> list[RepeatMatch]:
    if not result.replayed:
        return result.repeats
    # a retry: the repeats found the first time (the appeal's own orders left out)
    appeal = result.appeal
    own = {order.pk for order in result.orders}
    phone = appeal.requester.phone if appeal.requester is not None else ""
    found = find_repeats(phone=phone, address=appeal.address, content=appeal.content, at=appeal.received_at)
    return [match for match in found if match.order_id not in own]


def intake_out(result: IntakeResult) -> dict[str, Any]:
    return {
        "appeal_id": result.appeal.pk,
        "orders": [{"id": order.pk, "number": order.number, "query_code": result.query_codes.get(order.number, ""),
                    "state": order.state, "state_zh": State(order.state).zh,
                    "deadlines": [deadline_out(d) for d in order.deadlines.order_by("due", "kind")]}
                   for order in result.orders],
        "repeats": [_repeat_out(match) for match in _repeats(result)],
    }


@router.post("/appeals", response={201: s.IntakeOut, 200: s.IntakeOut, **errors()}, operation_id="appeal_create",
             summary="受理诉求 / register an appeal and accept, decline or answer it",
             description="201: registered. 200: a retry with the same Idempotency-Key (nothing new created). "
                         "422 with `article`: a rule refused it (a suspended requester, a terminated matter…).")
def appeal_create(request: HttpRequest, payload: s.AppealIn, idempotency_key: IdempotencyKey = None) -> Status[Any]:
    requester = payload.requester or s.RequesterIn()
    result = services.appeal_intake(
        user=user_of(request), channel=payload.channel, appeal_type=payload.appeal_type.value, content=payload.content,
        requester_phone=requester.phone, requester_name=requester.name, requester_kind=requester.kind,
        category=payload.category or None, region=payload.region or None, address=payload.address,
        latitude=_decimal(payload.latitude), longitude=_decimal(payload.longitude), title=payload.title,
        confidential=payload.confidential, reported_party=payload.reported_party, urgency=payload.urgency.value,
        outcome=payload.outcome, decline_code=payload.decline_code, note=payload.note, parts=payload.parts,
        terminated_order=payload.terminated_order, special_case=payload.special_case,
        idempotency_key=(idempotency_key or "").strip() or None)
    return Status(200 if result.replayed else 201, intake_out(result))
