"""The citizen's progress check, no account (ankang §16): mounted at ``/api/v1/public/``.

``GET  orders/{number}?code=…``        the order's public view
``POST orders/{number}/evaluation``    the requester evaluates the unit's reply

The order number and the query code are the credential. A wrong number and a wrong code give the same
404; failed attempts are counted per order number and client address, and per client address, in
Django's cache: past the limits every attempt is answered 429 for the rest of the hour, a right code
included (so that guessing cannot go on by watching which answer changes).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from hotline.api.errors import ErrorOut, body, status_of
from hotline.orders import tracking_limits
from hotline.orders.services.citizen import (
    PublicOrder,
    order_evaluate_by_requester,
    order_get_for_requester,
    order_public_view,
)
from hotline.rules.errors import NotFound, RuleError

router = Router(tags=["public"])



class StepOut(Schema):
    action: str = Field(description="the action's code")
    label: str = Field(description="its Chinese label")
    at: datetime


class DeadlineOut(Schema):
    kind: str
    label: str
    due: datetime


class PublicOrderOut(Schema):
    number: str
    state: str
    state_zh: str
    closed: bool
    appeal_type: str
    appeal_type_zh: str
    category_code: str | None
    category_name: str | None
    received_at: datetime
    handling_unit: str | None = Field(description="the lead unit's name, once dispatched")
    deadlines: list[DeadlineOut] = Field(description="due times only")
    timeline: list[StepOut] = Field(description="milestones: labels and times only")
    reply_result: str | None = Field(description="the unit's result, while its reply stands")
    evaluation: str | None
    evaluation_zh: str | None
    can_evaluate: bool


class TrackQuery(Schema):
    code: str = Field(min_length=1, max_length=20, description="the query code given at intake (查询码)")


class EvaluationIn(Schema):
    code: str = Field(min_length=1, max_length=20, description="the query code given at intake (查询码)")
    evaluation: Literal["satisfied", "basically_satisfied", "dissatisfied"]
    contacted: bool | None = Field(None, description="did the unit contact you (是否联系)")
    resolved: bool | None = Field(None, description="is the matter resolved (是否解决)")
    note: str = Field("", max_length=500)


def _out(view: PublicOrder) -> PublicOrderOut:
    return PublicOrderOut.model_validate(view, from_attributes=True)


def _error(exc: RuleError) -> dict[str, Any]:
    return body(exc.code, exc.message_zh, exc.message_en, exc.article)


_TOO_MANY = body("too_many_attempts", tracking_limits.TOO_MANY,
                 "too many wrong order numbers or query codes: try again in an hour, or call 12345")


# --- endpoints ------------------------------------------------------------------------------------------

@router.get("/orders/{number}", response={200: PublicOrderOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
            summary="Check an order's progress with its query code (ankang §16)")
def order_track(request: HttpRequest, number: str, query: Query[TrackQuery]) -> Status[Any]:
    client = tracking_limits.client_of(request)
    if tracking_limits.blocked(number, client):
        return Status(429, _TOO_MANY)
    try:
        order = order_get_for_requester(number=number, code=query.code)
    except NotFound as exc:
        tracking_limits.count_failure(number, client)
        return Status(404, _error(exc))
    return Status(200, _out(order_public_view(order)))


@router.post("/orders/{number}/evaluation",
             response={200: PublicOrderOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut,
                       429: ErrorOut},
             summary="The requester evaluates the unit's reply (满意度评价)")
def order_evaluate(request: HttpRequest, number: str, payload: EvaluationIn) -> Status[Any]:
    client = tracking_limits.client_of(request)
    if tracking_limits.blocked(number, client):
        return Status(429, _TOO_MANY)
    try:
        order = order_evaluate_by_requester(number=number, code=payload.code, evaluation=payload.evaluation,
                                            contacted=payload.contacted, resolved=payload.resolved,
                                            note=payload.note)
    except NotFound as exc:
        tracking_limits.count_failure(number, client)
        return Status(404, _error(exc))
    except RuleError as exc:  # the API's one mapping: 400 bad input, 409 wrong state, 422 a rule refused
        status = status_of(exc)
        return Status(status if status in (400, 409, 422) else 409, _error(exc))
    return Status(200, _out(order_public_view(order)))
