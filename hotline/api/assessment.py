"""The unit assessment over the API: mounted at ``/api/v1/assessment/``.

    GET  figures?period=2026-10&group=department     every unit's figures, ranked (hotline.assessment.selectors)
    GET  figures/{unit}/orders?period=…&figure=…      the orders behind one figure (numerator, denominator, excluded)
    GET  revisions?period=…                          changes after the period was frozen
    GET  interviews?period=…                         units at the bottom in satisfaction N months running
    POST freeze        {"period": "2026-10"}          supervisors: freeze a period that has ended
    POST vetoes        {"unit", "period", "reason"}   supervisors: one-vote veto where the profile provides it

Rates and scores are decimals written as text ("0.9250" = 92.50 %), so that no float rounding creeps in.
Supervisors, analysts and administrators read every unit; a unit leader reads their own unit only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from hotline.api.auth import user_of
from hotline.api.errors import errors
from hotline.assessment import selectors, services
from hotline.assessment.selectors import UnitFigures

router = Router(tags=["assessment"])

NO_NUL = r"^[^\x00]*$"
PeriodText = Annotated[str, Field(min_length=4, max_length=10, pattern=r"^[0-9Qq-]+$",
                                  description="2026-10 (month), 2026-Q4, 2026 or 2026-10-05 (day)")]


class AssessmentFiguresQuery(Schema):
    period: PeriodText
    group: Annotated[str, Field(pattern=r"^(department|area)$")] | None = None


class AssessmentPeriodQuery(Schema):
    period: PeriodText


class AssessmentOrdersQuery(Schema):
    period: PeriodText
    figure: Annotated[str, Field(max_length=40, pattern=r"^[a-z_]+$")]


class UnitFiguresOut(Schema):
    unit_code: str
    unit_name: str
    group: str
    period: str
    start: date
    end: date
    counts: dict[str, int]
    rates: dict[str, str | None]
    score: str | None
    grade: str
    rank: int | None
    previous_rank: int | None
    rank_change: int | None
    yoy_score: str | None
    frozen: bool
    vetoed: bool
    revised: bool
    exclusions: dict[str, str]


class FigureOrderOut(Schema):
    number: str
    day: date
    counts: dict[str, int]
    evaluation: str
    excluded: str
    excluded_rule: str
    role: str


class AssessmentRevisionOut(Schema):
    unit_code: str
    unit_name: str
    order_number: str
    count: str
    old: int
    new: int
    action: str
    by: str
    by_role: str
    at: datetime


class InterviewCandidateOut(Schema):
    unit_code: str
    unit_name: str
    group: str
    reason: str
    rule: str
    trigger: str | None


class AssessmentFreezeIn(Schema):
    period: PeriodText


class AssessmentFreezeOut(Schema):
    profile: str
    period: str
    start: date
    end: date
    frozen_at: datetime
    units: int


class VetoIn(Schema):
    unit: Annotated[str, Field(min_length=1, max_length=32, pattern=NO_NUL)]
    period: PeriodText
    reason: Annotated[str, Field(min_length=1, max_length=2000, pattern=NO_NUL)]


class VetoOut(Schema):
    unit: str
    period: str
    reason: str
    rule: str
    at: datetime


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _out(f: UnitFigures) -> dict[str, Any]:
    return {"unit_code": f.unit_code, "unit_name": f.unit_name, "group": f.group, "period": f.period,
            "start": f.start, "end": f.end, "counts": dict(f.counts),
            "rates": {k: _text(v) for k, v in f.rates.items()}, "score": _text(f.score), "grade": f.grade,
            "rank": f.rank, "previous_rank": f.previous_rank, "rank_change": f.rank_change,
            "yoy_score": _text(f.yoy_score), "frozen": f.frozen, "vetoed": f.vetoed, "revised": f.revised,
            "exclusions": dict(f.exclusions)}


@router.get("/figures", response={200: list[UnitFiguresOut], **errors()}, operation_id="assessment_figures",
            summary="单位考核结果 / every unit's figures for a period, ranked within its group")
def figures(request: HttpRequest, query: Query[AssessmentFiguresQuery]) -> list[dict[str, Any]]:
    user = user_of(request)
    selectors.check_reader(user)
    found = selectors.unit_figures(query.period, group=query.group)
    return [_out(f) for f in found if selectors.readable_unit(user, f.unit_code)]


@router.get("/figures/{unit}/orders", response={200: list[FigureOrderOut], **errors()},
            operation_id="assessment_figure_orders", summary="指标明细工单 / the orders behind one figure")
def figure_orders(request: HttpRequest, unit: str, query: Query[AssessmentOrdersQuery]) -> list[Any]:
    return list(selectors.figure_orders(user=user_of(request), period=query.period, unit=unit, figure=query.figure))


@router.get("/revisions", response={200: list[AssessmentRevisionOut], **errors()}, operation_id="assessment_revisions",
            summary="封存后修订 / changes recorded after the period was frozen")
def revisions(request: HttpRequest, query: Query[AssessmentPeriodQuery]) -> list[Any]:
    user = user_of(request)
    selectors.check_reader(user)
    return [r for r in selectors.revisions(query.period) if selectors.readable_unit(user, r.unit_code)]


@router.get("/interviews", response={200: list[InterviewCandidateOut], **errors()}, operation_id="assessment_interviews",
            summary="约谈建议 / units at the bottom in satisfaction months running (ziyang §25(5))")
def interviews(request: HttpRequest, query: Query[AssessmentPeriodQuery]) -> list[Any]:
    user = user_of(request)
    selectors.check_reader(user)
    return [f for f in selectors.interview_candidates(query.period) if selectors.readable_unit(user, f.unit_code)]


@router.post("/freeze", response={200: AssessmentFreezeOut, **errors()}, operation_id="assessment_freeze",
             summary="封存考核期 / freeze a period that has ended (supervisors)")
def freeze(request: HttpRequest, payload: AssessmentFreezeIn) -> dict[str, Any]:
    frozen = services.assessment_freeze(user=user_of(request), period=payload.period)
    return {"profile": frozen.profile, "period": frozen.period, "start": frozen.start, "end": frozen.end,
            "frozen_at": frozen.frozen_at, "units": frozen.figures.count()}


@router.post("/vetoes", response={200: VetoOut, **errors()}, operation_id="assessment_veto",
             summary="一票否决 / one-vote veto (xixian §23; supervisors)")
def veto(request: HttpRequest, payload: VetoIn) -> dict[str, Any]:
    found = services.assessment_veto(user=user_of(request), unit=payload.unit, period=payload.period,
                                     reason=payload.reason)
    return {"unit": found.unit.code, "period": found.period, "reason": found.reason, "rule": found.rule,
            "at": found.at}
