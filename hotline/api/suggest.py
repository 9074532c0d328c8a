"""Smart suggestions over the API: mounted at ``/api/v1/suggest`` (``api.add_router("/v1/suggest", suggest.router)``: no trailing slash, so that the suggestions themselves are ``POST /api/v1/suggest``).

    POST   /api/v1/suggest              {text, region?} → category, appeal type, unit (top 3 with confidence)
                                        and, for hotline staff only, similar earlier orders (numbers, states)
    POST   /api/v1/suggest/feedback     {order, field, suggested, chosen, model_version?} → recorded
    GET    /api/v1/suggest/acceptance?since&until   per field, per week: how often the suggestion was kept

Thin: each endpoint calls ``hotline.suggest.services`` / ``selectors``; their errors become the API's one
error format (``hotline.api.errors``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from hotline.api.auth import user_of
from hotline.api.errors import errors
from hotline.directory.models import User
from hotline.orders import selectors as order_selectors
from hotline.rules.errors import Forbidden, InvalidInput
from hotline.suggest import selectors, services
from hotline.suggest.services import Choice, Suggestions

router = Router(tags=["suggest"])

NO_NUL = r"^[^\x00]*$"
Code = Annotated[str, Field(max_length=32, pattern=NO_NUL)]

#: who may ask for suggestions and record what was chosen: the hotline's staff
SUGGEST_ROLES = (User.Role.OPERATOR, User.Role.DISPATCHER, User.Role.SUPERVISOR, User.Role.ADMINISTRATOR)
FEEDBACK_ROLES = (User.Role.OPERATOR, User.Role.DISPATCHER, User.Role.SUPERVISOR)
FIGURE_ROLES = (User.Role.SUPERVISOR, User.Role.ANALYST, User.Role.ADMINISTRATOR)


def _require(user: User, roles: tuple[str, ...], what_zh: str, what_en: str) -> None:
    if user.role not in roles:
        raise Forbidden(f"当前角色（{user.get_role_display()}）不能{what_zh}",
                        f"the role {user.role!r} may not {what_en}")


# --- shapes ----------------------------------------------------------------------------------------

class SuggestIn(Schema):
    text: Annotated[str, Field(min_length=1, max_length=5000, pattern=NO_NUL)]
    region: Code | None = Field(None, description="the appeal's region code, when known")


class SuggestChoiceOut(Schema):
    code: str
    name: str
    confidence: float


class SuggestSimilarOut(Schema):
    order_id: int
    number: str
    state: str
    state_zh: str
    received_at: datetime
    similarity: float


class SuggestLowOut(Schema):
    category: bool
    appeal_type: bool
    unit: bool


class SuggestOut(Schema):
    category: list[SuggestChoiceOut]
    appeal_type: list[SuggestChoiceOut]
    unit: list[SuggestChoiceOut]
    similar: list[SuggestSimilarOut] = Field(description="hotline staff only (order numbers); empty for others")
    model_version: str
    cold_start: bool = Field(description="no trained model yet: the duty table and category keywords answer")
    low_confidence: SuggestLowOut = Field(description="per field: nothing suggested, the best guess was too unsure")
    threshold: float


class SuggestFeedbackIn(Schema):
    order: int = Field(ge=1, le=2**63 - 1, description="the order's id")
    field: Literal["category", "appeal_type", "unit"]
    suggested: Annotated[list[Code], Field(max_length=10)] = Field(
        default_factory=list, description="the suggested codes, best first (empty when nothing was suggested)")
    top_confidence: float | None = Field(None, ge=0, le=1, description="the first suggestion's confidence")
    chosen: Annotated[str, Field(min_length=1, max_length=32, pattern=NO_NUL)]
    model_version: Annotated[str, Field(max_length=20, pattern=NO_NUL)] = ""


class SuggestFeedbackOut(Schema):
    id: int
    order: int
    field: str
    suggested: list[str]
    chosen: str
    accepted: bool
    in_top3: bool
    at: datetime


class SuggestWeekOut(Schema):
    week: date
    shown: int
    accepted: int
    in_top3: int
    unsure: int
    rate: float | None
    top3_rate: float | None


class SuggestAcceptanceOut(Schema):
    since: date
    until: date
    fields: dict[str, list[SuggestWeekOut]]


def _choices(items: list[Choice]) -> list[dict[str, object]]:
    return [{"code": c.code, "name": c.name, "confidence": c.confidence} for c in items]


def suggestions_out(found: Suggestions) -> dict[str, object]:
    low = found.low_confidence
    return {"category": _choices(found.category), "appeal_type": _choices(found.appeal_type),
            "unit": _choices(found.unit),
            "similar": [{"order_id": s.order_id, "number": s.number, "state": s.state, "state_zh": s.state_zh,
                         "received_at": s.received_at, "similarity": s.similarity} for s in found.similar],
            "model_version": found.model_version, "cold_start": found.cold_start,
            "low_confidence": {"category": low.category, "appeal_type": low.appeal_type, "unit": low.unit},
            "threshold": found.threshold}


# --- endpoints -------------------------------------------------------------------------------------

@router.post("", response={200: SuggestOut, **errors()}, operation_id="suggest_for_text",
             summary="分类、诉求类型、承办单位建议 / suggestions for an appeal's text")
def suggest(request: HttpRequest, payload: SuggestIn) -> dict[str, object]:
    user = user_of(request)
    _require(user, SUGGEST_ROLES, "获取智能推荐", "ask for suggestions")
    found = services.suggest_for_text(payload.text, payload.region, similar=user.is_hotline_staff)
    return suggestions_out(found)


@router.post("/feedback", response={201: SuggestFeedbackOut, **errors()}, operation_id="suggest_feedback",
             summary="记录建议与实际选择 / record what was suggested and what was chosen")
def feedback(request: HttpRequest, payload: SuggestFeedbackIn) -> Status[Any]:
    user = user_of(request)
    _require(user, FEEDBACK_ROLES, "记录建议采纳情况", "record suggestion feedback")
    order = order_selectors.order_get_for_user(user=user, order_id=payload.order)
    suggested: list[tuple[str, str, float] | str] = list(payload.suggested)
    if suggested and payload.top_confidence is not None:
        suggested[0] = (payload.suggested[0], "", payload.top_confidence)
    row = services.suggestion_feedback_record(user=user, order=order, field=payload.field, suggested=suggested,
                                              chosen=payload.chosen, model_version=payload.model_version)
    return Status(201, {"id": row.pk, "order": order.pk, "field": row.field, "suggested": row.suggested,
                 "chosen": row.chosen, "accepted": row.accepted, "in_top3": row.in_top3, "at": row.at})


@router.get("/acceptance", response={200: SuggestAcceptanceOut, **errors()}, operation_id="suggest_acceptance",
            summary="建议采纳率（按字段、按周）/ acceptance rate per field per week")
def acceptance(request: HttpRequest, since: Query[date | None] = None,
               until: Query[date | None] = None) -> dict[str, object]:
    user = user_of(request)
    _require(user, FIGURE_ROLES, "查看建议采纳率", "see the acceptance figures")
    today = timezone.localdate()
    until = until or today
    since = since or until - timedelta(days=84)
    if since > until:
        raise InvalidInput(f"起始日期 {since} 晚于截止日期 {until}", f"since {since} is after until {until}")
    zone = timezone.get_current_timezone()
    rates = selectors.acceptance_rates(datetime.combine(since, time.min, zone),
                                       datetime.combine(until + timedelta(days=1), time.min, zone))
    return {"since": since, "until": until,
            "fields": {field: [{"week": w.week, "shown": w.shown, "accepted": w.accepted, "in_top3": w.in_top3,
                                "unsure": w.unsure, "rate": w.rate, "top3_rate": w.top3_rate} for w in weeks]
                       for field, weeks in rates.items()}}
