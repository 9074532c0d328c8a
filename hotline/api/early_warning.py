"""Early warnings over the API: mounted at ``/api/v1/warnings`` (ziyang §21, xixian §9(6)).

    GET    /api/v1/warnings?status=open|acknowledged|closed|active&kind=…   newest first
    GET    /api/v1/warnings/{id}                       one warning, its evidence and its history
    POST   /api/v1/warnings/{id}/acknowledge  {note?}  supervisors and administrators
    POST   /api/v1/warnings/{id}/close        {note}   supervisors and administrators; the note is required
    POST   /api/v1/warnings/scan          {kinds?}     run the detectors now (supervisors and administrators)

Who sees what is ``hotline.early_warning.selectors``' (units: only the overdue warnings about
themselves). Thin: services and selectors do the work; their errors become the API's one error format.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, P, PathEx, Query, Router, Schema

from hotline.api.auth import user_of
from hotline.api.errors import errors
from hotline.early_warning import selectors, services
from hotline.early_warning.models import EarlyWarning, Kind
from hotline.early_warning.scan import warnings_scan
from hotline.rules.errors import Forbidden

router = Router(tags=["warnings"])

NO_NUL = r"^[^\x00]*$"
WarningId = PathEx[int, P(ge=1, le=2**63 - 1, description="the warning's id")]


class WarningEventOut(Schema):
    action: str
    action_zh: str
    actor: str | None = Field(description="the user's name (the scan acts as 系统)")
    at: datetime
    from_status: str
    to_status: str
    note: str


class WarningOut(Schema):
    id: int
    kind: str
    kind_zh: str
    status: str
    status_zh: str
    severity: str
    title: str
    rule: str = Field(description="the articles that call for the warning")
    category: str | None = Field(description="the category's code")
    region: str | None = Field(description="the region's code")
    unit: str | None = Field(description="the unit's code")
    count: int = Field(description="the appeals behind it")
    score: float = Field(description="the robust z-score (volume, overdue) or the number of appeals")
    evidence: dict[str, Any] = Field(description="the numbers, the baseline, the thresholds and the order numbers")
    first_detected_at: datetime
    last_detected_at: datetime
    detections: int
    acknowledged_at: datetime | None
    closed_at: datetime | None
    note: str


class WarningDetailOut(WarningOut):
    history: list[WarningEventOut]


class WarningNoteIn(Schema):
    note: Annotated[str, Field(max_length=2000, pattern=NO_NUL)] = ""


class WarningCloseIn(Schema):
    note: Annotated[str, Field(min_length=1, max_length=2000, pattern=NO_NUL)]


class WarningScanIn(Schema):
    kinds: list[Kind] = Field(default_factory=list, description="empty: every kind")


class WarningScanOut(Schema):
    counts: dict[str, dict[str, int]] = Field(description="per kind: raised / updated / reopened / unchanged")


class WarningListQuery(Schema):
    status: Annotated[str, Field(max_length=20, pattern=NO_NUL)] = Field(
        "", description="open, acknowledged, closed, or active (open or acknowledged)")
    kind: Annotated[str, Field(max_length=20, pattern=NO_NUL)] = ""
    limit: int = Field(100, ge=1, le=500)


def warning_out(w: EarlyWarning) -> dict[str, Any]:
    return {
        "id": w.pk, "kind": w.kind, "kind_zh": w.get_kind_display(), "status": w.status,
        "status_zh": w.get_status_display(), "severity": w.severity, "title": w.title, "rule": w.rule,
        "category": w.category.code if w.category else None, "region": w.region.code if w.region else None,
        "unit": w.unit.code if w.unit else None, "count": w.count, "score": w.score, "evidence": w.evidence,
        "first_detected_at": w.first_detected_at, "last_detected_at": w.last_detected_at,
        "detections": w.detections, "acknowledged_at": w.acknowledged_at, "closed_at": w.closed_at, "note": w.note,
    }


def detail_out(w: EarlyWarning) -> dict[str, Any]:
    history = [{"action": e.action, "action_zh": e.get_action_display(),
                "actor": (e.actor.display_name or e.actor.username) if e.actor else None, "at": e.at,
                "from_status": e.from_status, "to_status": e.to_status, "note": e.note}
               for e in selectors.warning_history(w)]
    return {**warning_out(w), "history": history}


@router.get("/warnings", response={200: list[WarningOut], **errors()}, operation_id="warnings_list",
            summary="预警列表 / the warnings the caller may see, newest first")
def warnings_list(request: HttpRequest, query: Query[WarningListQuery]) -> list[dict[str, Any]]:
    rows = selectors.warning_list(user=user_of(request), status=query.status, kind=query.kind, limit=query.limit)
    return [warning_out(w) for w in rows]


@router.post("/warnings/scan", response={200: WarningScanOut, **errors()}, operation_id="warnings_scan",
             summary="立即扫描 / run the detectors now")
def warnings_scan_now(request: HttpRequest, payload: WarningScanIn) -> dict[str, Any]:
    user = user_of(request)
    if user.role not in services.ACTORS:
        raise Forbidden("只有热线督办人员或管理员可以发起预警扫描", "only supervisors and administrators run a scan")
    result = warnings_scan(kinds=[Kind(k) for k in payload.kinds] or None)
    return {"counts": result.counts}


@router.get("/warnings/{warning_id}", response={200: WarningDetailOut, **errors()}, operation_id="warnings_get",
            summary="预警详情 / one warning with its evidence and history")
def warnings_get(request: HttpRequest, warning_id: WarningId) -> dict[str, Any]:
    return detail_out(selectors.warning_get(user=user_of(request), warning_id=warning_id))


@router.post("/warnings/{warning_id}/acknowledge", response={200: WarningDetailOut, **errors()},
             operation_id="warnings_acknowledge", summary="确认预警 / acknowledge an open warning")
def warnings_acknowledge(request: HttpRequest, warning_id: WarningId, payload: WarningNoteIn) -> dict[str, Any]:
    user = user_of(request)
    warning = services.warning_acknowledge(user=user, warning_id=warning_id, note=payload.note)
    return detail_out(selectors.warning_get(user=user, warning_id=warning.pk))


@router.post("/warnings/{warning_id}/close", response={200: WarningDetailOut, **errors()},
             operation_id="warnings_close", summary="关闭预警（须写明处理说明）/ close a warning with a note")
def warnings_close(request: HttpRequest, warning_id: WarningId, payload: WarningCloseIn) -> dict[str, Any]:
    user = user_of(request)
    warning = services.warning_close(user=user, warning_id=warning_id, note=payload.note)
    return detail_out(selectors.warning_get(user=user, warning_id=warning.pk))
