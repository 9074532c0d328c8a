"""The knowledge base over the API: mounted at ``/api/v1/kb/`` (``api.add_router("/v1/kb/", kb.router)``).

    GET    search?q=…&region=…              one search for intake, unit pages and the portal (hotline.kb.search)
    GET    public/search?q=…                citizens, no account: published public entries only (ziyang §18)
    GET    emergency                        emergency information in force, by priority (tianjin §15)
    GET    entries  POST entries            list (filters) / a new draft of the caller's unit
    GET    entries/{id}  PUT entries/{id}   one entry / a new version of it
    POST   entries/{id}/submit|approve|publish|reject|withdraw|confirm    the workflow (hotline.kb.workflow)
    GET    entries/{id}/versions[/{number}]
    POST   entries/{id}/flags   GET flags   POST flags/{id}/resolve      an answer reported wrong
    GET    synonyms  POST synonyms  PUT|DELETE synonyms/{id}
    GET    figures/first-contact  GET figures/upkeep
    POST   import (multipart: file, submit)  GET export                  Excel

Thin: each endpoint calls a service or a selector of ``hotline.kb``; the errors they raise become the
API's one error format (``hotline.api.errors``). An import refused for bad rows answers 400 with every
row's problem in ``details``.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Form, P, PathEx, Query, Router, Schema, Status, UploadedFile
from pydantic import field_validator

from hotline.api.auth import user_of
from hotline.api.errors import body, errors
from hotline.directory.models import User
from hotline.kb import excel, figures, selectors, services
from hotline.kb.content import EntryContent
from hotline.kb.models import Entry, EntryEvent, EntryFlag, EntryVersion, Synonym
from hotline.kb.search import Doc, Hit, kb_emergency_active, kb_search
from hotline.kb.workflow import UNIT_ROLES, Action, Kind
from hotline.kb.workflow import Status as EntryStatus
from hotline.rules.errors import Forbidden, InvalidInput, NotFound

router = Router(tags=["kb"])

NO_NUL = r"^[^\x00]*$"
MAX_ID = 2**63 - 1
EntryId = PathEx[int, P(ge=1, le=MAX_ID, description="the entry's id")]
FlagId = PathEx[int, P(ge=1, le=MAX_ID, description="the flag's id")]
SynonymId = PathEx[int, P(ge=1, le=MAX_ID, description="the synonym group's id")]
VersionNumber = PathEx[int, P(ge=1, le=100000, description="the version's number")]
Short = Annotated[str, Field(max_length=300, pattern=NO_NUL)]
Note = Annotated[str, Field(max_length=2000, pattern=NO_NUL)]
Code = Annotated[str, Field(max_length=32, pattern=NO_NUL)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- shapes ----------------------------------------------------------------------------------------

class ContentIn(Schema):
    """What an entry says; the same fields as a row of the Excel file."""

    question: Annotated[str, Field(min_length=1, max_length=300, pattern=NO_NUL)]
    answer: Annotated[str, Field(min_length=1, max_length=10000, pattern=NO_NUL)]
    variants: Annotated[list[Short], Field(max_length=20)] = Field(default_factory=list,
                                                                  description="other ways people ask it")
    basis_document: Short = ""
    basis_article: Annotated[str, Field(max_length=100, pattern=NO_NUL)] = ""
    basis_url: Annotated[str, Field(max_length=500, pattern=NO_NUL)] = ""
    region: Code | None = Field(None, description="a region code; empty: the whole city")
    categories: Annotated[list[Code], Field(max_length=20)] = Field(default_factory=list)
    valid_from: date | None = None
    valid_until: date | None = None
    tags: Annotated[list[Annotated[str, Field(max_length=30, pattern=NO_NUL)]], Field(max_length=20)] = Field(
        default_factory=list)
    public: bool = Field(False, description="shown to citizens once published (ziyang §18)")
    priority: Annotated[int, Field(ge=-100, le=100)] = 0
    expires_at: datetime | None = Field(None, description="emergency information only: when it stops being shown")

    @field_validator("expires_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and timezone.is_naive(value):
            return timezone.make_aware(value)
        return value

    def content(self) -> EntryContent:
        return EntryContent(
            question=self.question, answer=self.answer, variants=tuple(self.variants),
            basis_document=self.basis_document, basis_article=self.basis_article, basis_url=self.basis_url,
            region=self.region, categories=tuple(self.categories), valid_from=self.valid_from,
            valid_until=self.valid_until, tags=tuple(self.tags), public=self.public, priority=self.priority,
            expires_at=self.expires_at)


class EntryIn(ContentIn):
    kind: Literal["entry", "interpretation", "emergency"] = "entry"
    unit: Code | None = Field(None, description="the owning unit: unit staff enter their own unit's entries; the "
                                                "hotline names the unit of emergency information")
    code: Code | None = Field(None, description="the entry's code (KB000123 when not given)")
    note: Note = ""


class EntryUpdateIn(ContentIn):
    note: Note = Field("", description="what changed and why")


class KbNoteIn(Schema):
    note: Note = ""


class KbRequiredNoteIn(Schema):
    note: Annotated[str, Field(min_length=1, max_length=2000, pattern=NO_NUL)]


class FlagIn(Schema):
    reason: Annotated[str, Field(min_length=1, max_length=2000, pattern=NO_NUL)]
    order_number: Annotated[str, Field(max_length=32, pattern=NO_NUL)] = ""


class ResolveIn(Schema):
    resolution: Literal["corrected", "not_wrong"]
    note: Annotated[str, Field(min_length=1, max_length=2000, pattern=NO_NUL)]


class SynonymIn(Schema):
    terms: Annotated[list[Annotated[str, Field(min_length=1, max_length=30, pattern=NO_NUL)]],
                     Field(min_length=2, max_length=30)]
    note: Annotated[str, Field(max_length=200, pattern=NO_NUL)] = ""
    active: bool = True


class KbUnitOut(Schema):
    code: str
    name: str


class VersionOut(Schema):
    number: int
    question: str
    variants: list[str]
    answer: str
    basis_document: str
    basis_article: str
    basis_url: str
    region: str | None
    region_name: str | None
    categories: list[str]
    valid_from: date | None
    valid_until: date | None
    tags: list[str]
    public: bool
    priority: int
    expires_at: datetime | None
    note: str
    created_at: datetime
    created_by: str | None


class KbEventOut(Schema):
    action: str
    action_zh: str
    version: int
    actor: str | None
    actor_role: str
    actor_unit: str
    at: datetime
    from_status: str
    to_status: str
    step: str
    rule: str
    note: str


class EntrySummaryOut(Schema):
    id: int
    code: str
    kind: str
    kind_zh: str
    unit: KbUnitOut
    status: str
    status_zh: str
    pending_step: str | None = Field(description="the review step it waits for (unit_leader, hotline…)")
    question: str
    version: int | None
    published_version: int | None
    review_due_at: datetime | None
    updated_at: datetime


class EntryOut(EntrySummaryOut):
    approvals: list[str]
    published_at: datetime | None
    review_requested_at: datetime | None
    content: VersionOut | None = Field(description="the working copy (the unit and the hotline) or the "
                                                   "published version (other units)")
    published: VersionOut | None
    events: list[KbEventOut]
    open_flags: int


class EntryListOut(Schema):
    count: int
    items: list[EntrySummaryOut]


class EntryFilters(Schema):
    status: Literal["draft", "submitted", "published", "returned", "withdrawn"] | None = None
    unit: Code | None = None
    kind: Literal["entry", "interpretation", "emergency"] | None = None
    waiting_for_me: bool = Field(False, description="only the entries whose pending review step is the caller's")
    due_for_review: bool = False
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0


class HitOut(Schema):
    entry_id: int
    code: str
    kind: str
    kind_zh: str
    question: str
    answer: str
    unit_code: str
    unit_name: str
    region_name: str
    basis_document: str
    basis_article: str
    basis_url: str
    valid_from: date | None
    valid_until: date | None
    public: bool
    priority: int
    expires_at: datetime | None
    score: float


class PublicHitOut(Schema):
    code: str
    question: str
    answer: str
    unit_name: str
    region_name: str
    basis_document: str
    basis_article: str
    basis_url: str
    valid_until: date | None


class SearchQuery(Schema):
    q: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL, description="the question, in words")]
    region: Code | None = Field(None, description="the caller's region code (district or street)")
    limit: Annotated[int, Field(ge=1, le=50)] = 10


class FlagOut(Schema):
    id: int
    entry_id: int
    entry_code: str
    unit: KbUnitOut
    version: int
    reason: str
    order_number: str
    raised_by: str
    raised_at: datetime
    status: str
    resolution: str
    resolution_note: str
    resolved_by: str | None
    resolved_at: datetime | None


class FlagFilters(Schema):
    status: Literal["open", "resolved"] | None = "open"
    unit: Code | None = None


class SynonymOut(Schema):
    id: int
    terms: list[str]
    note: str
    active: bool
    updated_at: datetime


class RateOut(Schema):
    code: str
    name: str
    consultations: int
    answered: int
    rate: float | None
    below_threshold: bool


class FirstContactOut(Schema):
    since: datetime
    until: datetime
    threshold: float | None
    rule: str
    total: RateOut
    by_category: list[RateOut]
    by_unit: list[RateOut]
    training_needed: list[str] = Field(description="codes of the categories under the threshold (ziyang §17)")


class PeriodQuery(Schema):
    since: Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31), description="first day")]
    until: Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31), description="the day after the last")]


class UpkeepOut(Schema):
    code: str
    name: str
    in_service: int
    drafts: int
    in_review: int
    overdue_review: int
    open_flags: int
    oldest_flag_days: int | None


class ImportOut(Schema):
    created: list[str]
    updated: list[str]
    unchanged: list[str]


class ExportQuery(Schema):
    unit: Code | None = None
    status: Literal["draft", "submitted", "published", "returned", "withdrawn"] | None = None


# --- converting ------------------------------------------------------------------------------------

def _name(user: User | None) -> str | None:
    return (user.display_name or user.username) if user is not None else None


def version_out(version: EntryVersion) -> dict[str, Any]:
    return {
        "number": version.number, "question": version.question, "variants": list(version.variants),
        "answer": version.answer, "basis_document": version.basis_document, "basis_article": version.basis_article,
        "basis_url": version.basis_url, "region": version.region.code if version.region else None,
        "region_name": version.region.name if version.region else None, "categories": list(version.categories),
        "valid_from": version.valid_from, "valid_until": version.valid_until, "tags": list(version.tags),
        "public": version.public, "priority": version.priority, "expires_at": version.expires_at,
        "note": version.note, "created_at": version.created_at, "created_by": _name(version.created_by),
    }


def _event_out(event: EntryEvent) -> dict[str, Any]:
    return {"action": event.action, "action_zh": Action(event.action).zh, "version": event.version,
            "actor": _name(event.actor), "actor_role": event.actor_role, "actor_unit": event.actor_unit,
            "at": event.at, "from_status": event.from_status, "to_status": event.to_status, "step": event.step,
            "rule": event.rule, "note": event.note}


def _summary(user: User, entry: Entry) -> dict[str, Any]:
    shown = selectors.shown_version(user, entry)
    return {
        "id": entry.pk, "code": entry.code, "kind": entry.kind, "kind_zh": Kind(entry.kind).zh,
        "unit": {"code": entry.unit.code, "name": entry.unit.name}, "status": entry.status,
        "status_zh": EntryStatus(entry.status).zh, "pending_step": entry.pending_step or None,
        "question": shown.question if shown else "", "version": shown.number if shown else None,
        "published_version": entry.published.number if entry.published else None,
        "review_due_at": entry.review_due_at, "updated_at": entry.updated_at,
    }


def entry_out(user: User, entry: Entry) -> dict[str, Any]:
    entry = selectors.entry_get_for_user(user=user, entry_id=entry.pk)   # fresh, through the gate
    shown = selectors.shown_version(user, entry)
    return {
        **_summary(user, entry), "approvals": list(entry.approvals), "published_at": entry.published_at,
        "review_requested_at": entry.review_requested_at,
        "content": version_out(shown) if shown else None,
        "published": version_out(entry.published) if entry.published else None,
        "events": [_event_out(e) for e in selectors.entry_events(user=user, entry=entry)],
        "open_flags": entry.flags.filter(status=EntryFlag.Status.OPEN).count() if selectors.sees_drafts(user, entry) else 0,
    }


def _hit_out(hit: Hit) -> dict[str, Any]:
    doc: Doc = hit.doc
    return {"entry_id": doc.entry_id, "code": doc.code, "kind": doc.kind, "kind_zh": Kind(doc.kind).zh,
            "question": doc.question, "answer": doc.answer, "unit_code": doc.unit_code, "unit_name": doc.unit_name,
            "region_name": doc.region_name, "basis_document": doc.basis_document, "basis_article": doc.basis_article,
            "basis_url": doc.basis_url, "valid_from": doc.valid_from, "valid_until": doc.valid_until,
            "public": doc.public, "priority": doc.priority, "expires_at": doc.expires_at, "score": round(hit.score, 4)}


def _flag_out(flag: EntryFlag) -> dict[str, Any]:
    return {"id": flag.pk, "entry_id": flag.entry_id, "entry_code": flag.entry.code,
            "unit": {"code": flag.entry.unit.code, "name": flag.entry.unit.name}, "version": flag.version.number,
            "reason": flag.reason, "order_number": flag.order_number, "raised_by": _name(flag.raised_by) or "",
            "raised_at": flag.raised_at, "status": flag.status, "resolution": flag.resolution,
            "resolution_note": flag.resolution_note, "resolved_by": _name(flag.resolved_by),
            "resolved_at": flag.resolved_at}


def _synonym_out(row: Synonym) -> dict[str, Any]:
    return {"id": row.pk, "terms": list(row.terms), "note": row.note, "active": row.active, "updated_at": row.updated_at}


def _rate_out(row: figures.RateRow) -> dict[str, Any]:
    return {"code": row.code, "name": row.name, "consultations": row.consultations, "answered": row.answered,
            "rate": row.rate, "below_threshold": row.below_threshold}


def _audience(user: User) -> str:
    return "unit" if user.role in UNIT_ROLES else "operator"


def _staff(user: User) -> None:
    if user.role not in selectors.STAFF_ROLES:
        raise Forbidden("该统计仅供热线管理机构和分析人员查看", "these figures are for the hotline and analysts")


# --- search ----------------------------------------------------------------------------------------

@router.get("/search", response={200: list[HitOut], **errors()}, operation_id="kb_search",
            summary="检索知识库 / search the knowledge base")
def search(request: HttpRequest, query: Query[SearchQuery]) -> list[dict[str, Any]]:
    user = user_of(request)
    return [_hit_out(h) for h in kb_search(query.q, region=query.region, audience=_audience(user), limit=query.limit)]


@router.get("/public/search", auth=None, response={200: list[PublicHitOut], **errors(400, 422)},
            operation_id="kb_public_search", summary="公众自助查询（仅公开条目）/ citizens' search, public entries only")
def public_search(request: HttpRequest, query: Query[SearchQuery]) -> list[dict[str, Any]]:
    return [{"code": h.doc.code, "question": h.doc.question, "answer": h.doc.answer, "unit_name": h.doc.unit_name,
             "region_name": h.doc.region_name, "basis_document": h.doc.basis_document,
             "basis_article": h.doc.basis_article, "basis_url": h.doc.basis_url, "valid_until": h.doc.valid_until}
            for h in kb_search(query.q, region=query.region, audience="public", limit=query.limit)]


@router.get("/emergency", response={200: list[HitOut], **errors()}, operation_id="kb_emergency",
            summary="在用的应急信息及答复口径 / emergency information in force (tianjin §15)")
def emergency(request: HttpRequest, region: Code | None = None) -> list[dict[str, Any]]:
    user_of(request)
    return [_hit_out(Hit(doc, 0.0)) for doc in kb_emergency_active(region=region)]


# --- entries ---------------------------------------------------------------------------------------

@router.get("/entries", response={200: EntryListOut, **errors()}, operation_id="kb_entry_list",
            summary="条目列表 / entries")
def entry_list(request: HttpRequest, filters: Query[EntryFilters]) -> dict[str, Any]:
    user = user_of(request)
    rows = selectors.entry_list_for_user(user=user, status=filters.status, unit=filters.unit, kind=filters.kind,
                                         waiting_for_me=filters.waiting_for_me, due_for_review=filters.due_for_review)
    return {"count": rows.count(),
            "items": [_summary(user, e) for e in rows[filters.offset:filters.offset + filters.limit]]}


@router.post("/entries", response={201: EntryOut, **errors()}, operation_id="kb_entry_create",
             summary="新建条目（草稿）/ a new entry, in draft")
def entry_create(request: HttpRequest, payload: EntryIn) -> Status[Any]:
    user = user_of(request)
    entry = services.kb_entry_create(user=user, content=payload.content(), kind=payload.kind, unit=payload.unit,
                                     code=payload.code, note=payload.note)
    return Status(201, entry_out(user, entry))


@router.get("/entries/{entry_id}", response={200: EntryOut, **errors()}, operation_id="kb_entry_get",
            summary="条目详情 / one entry")
def entry_get(request: HttpRequest, entry_id: EntryId) -> dict[str, Any]:
    user = user_of(request)
    return entry_out(user, selectors.entry_get_for_user(user=user, entry_id=entry_id))


@router.put("/entries/{entry_id}", response={200: EntryOut, **errors()}, operation_id="kb_entry_update",
            summary="修改条目（新版本，回到草稿）/ a new version of the entry, back in draft")
def entry_update(request: HttpRequest, entry_id: EntryId, payload: EntryUpdateIn) -> dict[str, Any]:
    user = user_of(request)
    selectors.entry_get_for_user(user=user, entry_id=entry_id)
    entry = services.kb_entry_update(entry=entry_id, user=user, content=payload.content(), note=payload.note)
    return entry_out(user, entry)


def _step(name: str, doc: str, service: Any, note: type[Schema]) -> None:
    def view(request: HttpRequest, entry_id: EntryId, payload: Any) -> dict[str, Any]:
        user = user_of(request)
        selectors.entry_get_for_user(user=user, entry_id=entry_id)
        return entry_out(user, service(entry=entry_id, user=user, note=payload.note))

    view.__annotations__ = {"request": HttpRequest, "entry_id": EntryId, "payload": note, "return": dict[str, Any]}
    view.__name__ = f"entry_{name}"
    router.post(f"/entries/{{entry_id}}/{name}", response={200: EntryOut, **errors()}, operation_id=f"kb_entry_{name}",
                summary=doc)(view)


_step("submit", "提交审核 / send the draft for review (xixian §13)", services.kb_entry_submit, KbNoteIn)
_step("approve", "单位审核通过 / the unit's review step", services.kb_entry_approve, KbNoteIn)
_step("publish", "热线发布 / the hotline publishes", services.kb_entry_publish, KbNoteIn)
_step("reject", "退回修改 / send back to the unit, saying why", services.kb_entry_reject, KbRequiredNoteIn)
_step("withdraw", "撤下 / take out of service", services.kb_entry_withdraw, KbRequiredNoteIn)
_step("confirm", "复核确认仍然有效 / confirm it is still right", services.kb_entry_confirm, KbNoteIn)


@router.get("/entries/{entry_id}/versions", response={200: list[VersionOut], **errors()},
            operation_id="kb_entry_versions", summary="版本 / versions")
def entry_versions(request: HttpRequest, entry_id: EntryId) -> list[dict[str, Any]]:
    user = user_of(request)
    entry = selectors.entry_get_for_user(user=user, entry_id=entry_id)
    return [version_out(v) for v in selectors.entry_versions(user=user, entry=entry)]


@router.get("/entries/{entry_id}/versions/{number}", response={200: VersionOut, **errors()},
            operation_id="kb_entry_version", summary="一个版本 / one version")
def entry_version(request: HttpRequest, entry_id: EntryId, number: VersionNumber) -> dict[str, Any]:
    user = user_of(request)
    entry = selectors.entry_get_for_user(user=user, entry_id=entry_id)
    version = selectors.entry_versions(user=user, entry=entry).filter(number=number).first()
    if version is None:
        raise NotFound(f"条目 {entry.code} 没有版本 {number}", f"entry {entry.code} has no version {number}")
    return version_out(version)


# --- flags -----------------------------------------------------------------------------------------

@router.post("/entries/{entry_id}/flags", response={201: FlagOut, **errors()}, operation_id="kb_entry_flag",
             summary="报告答案有误 / report the answer as wrong")
def entry_flag(request: HttpRequest, entry_id: EntryId, payload: FlagIn) -> Status[Any]:
    user = user_of(request)
    selectors.entry_get_for_user(user=user, entry_id=entry_id)
    flag = services.kb_entry_flag(entry=entry_id, user=user, reason=payload.reason, order_number=payload.order_number)
    return Status(201, _flag_out(selectors.flags_for_user(user=user, status=None).get(pk=flag.pk)))


@router.get("/flags", response={200: list[FlagOut], **errors()}, operation_id="kb_flag_list",
            summary="纠错报告 / flags")
def flag_list(request: HttpRequest, filters: Query[FlagFilters]) -> list[dict[str, Any]]:
    user = user_of(request)
    return [_flag_out(f) for f in selectors.flags_for_user(user=user, status=filters.status, unit=filters.unit)[:500]]


@router.post("/flags/{flag_id}/resolve", response={200: FlagOut, **errors()}, operation_id="kb_flag_resolve",
             summary="处理纠错 / resolve a flag")
def flag_resolve(request: HttpRequest, flag_id: FlagId, payload: ResolveIn) -> dict[str, Any]:
    user = user_of(request)
    if not selectors.flags_for_user(user=user, status=None).filter(pk=flag_id).exists():
        raise NotFound(f"纠错报告 {flag_id} 不存在", f"flag {flag_id} does not exist")
    flag = services.kb_flag_resolve(flag=flag_id, user=user, resolution=payload.resolution, note=payload.note)
    return _flag_out(selectors.flags_for_user(user=user, status=None).get(pk=flag.pk))


# --- synonyms --------------------------------------------------------------------------------------

@router.get("/synonyms", response={200: list[SynonymOut], **errors()}, operation_id="kb_synonym_list",
            summary="同义词 / synonyms")
def synonym_list(request: HttpRequest) -> list[dict[str, Any]]:
    user_of(request)
    return [_synonym_out(row) for row in Synonym.objects.order_by("pk")[:2000]]


@router.post("/synonyms", response={201: SynonymOut, **errors()}, operation_id="kb_synonym_create",
             summary="新增同义词组 / a new synonym group")
def synonym_create(request: HttpRequest, payload: SynonymIn) -> Status[Any]:
    row = services.kb_synonym_save(user=user_of(request), terms=payload.terms, note=payload.note, active=payload.active)
    return Status(201, _synonym_out(row))


@router.put("/synonyms/{synonym_id}", response={200: SynonymOut, **errors()}, operation_id="kb_synonym_update",
            summary="修改同义词组 / change a synonym group")
def synonym_update(request: HttpRequest, synonym_id: SynonymId, payload: SynonymIn) -> dict[str, Any]:
    row = services.kb_synonym_save(user=user_of(request), terms=payload.terms, note=payload.note,
                                   active=payload.active, synonym=synonym_id)
    return _synonym_out(row)


@router.delete("/synonyms/{synonym_id}", response={204: None, **errors()}, operation_id="kb_synonym_delete",
               summary="删除同义词组 / delete a synonym group")
def synonym_delete(request: HttpRequest, synonym_id: SynonymId) -> Status[None]:
    services.kb_synonym_delete(user=user_of(request), synonym=synonym_id)
    return Status(204, None)


# --- figures ---------------------------------------------------------------------------------------

@router.get("/figures/first-contact", response={200: FirstContactOut, **errors()},
            operation_id="kb_first_contact", summary="一次性解答率 / first-contact answer rate (ziyang §17)")
def first_contact(request: HttpRequest, period: Query[PeriodQuery]) -> dict[str, Any]:
    _staff(user_of(request))
    zone = timezone.get_current_timezone()
    found = figures.first_contact_rate(since=datetime.combine(period.since, time.min, zone),
                                       until=datetime.combine(period.until, time.min, zone))
    return {"since": found.since, "until": found.until, "threshold": found.threshold, "rule": found.rule,
            "total": _rate_out(found.total), "by_category": [_rate_out(r) for r in found.by_category],
            "by_unit": [_rate_out(r) for r in found.by_unit],
            "training_needed": [r.code for r in found.training_needed]}


@router.get("/figures/upkeep", response={200: list[UpkeepOut], **errors()}, operation_id="kb_upkeep",
            summary="各单位知识库维护情况 / each unit's upkeep (xixian §22)")
def upkeep(request: HttpRequest) -> list[dict[str, Any]]:
    user = user_of(request)
    if user.role in UNIT_ROLES:
        rows = figures.kb_upkeep(unit=user.unit.code if user.unit else "")
    else:
        _staff(user)
        rows = figures.kb_upkeep()
    return [row.__dict__ for row in rows]


# --- Excel -----------------------------------------------------------------------------------------

@router.post("/import", response={200: ImportOut, **errors()}, operation_id="kb_import",
             summary="从 Excel 导入（有任何错误则全部不导入）/ import from Excel (all or nothing)")
def kb_import(request: HttpRequest, file: File[UploadedFile],
              submit: Form[bool] = False) -> Status[Any] | dict[str, Any]:
    user = user_of(request)
    if (file.size or 0) > excel.MAX_BYTES:
        raise InvalidInput(f"文件超过 {excel.MAX_BYTES // (1024 * 1024)} MB",
                           f"the file is larger than {excel.MAX_BYTES // (1024 * 1024)} MB")
    try:
        result = excel.kb_import(user=user, data=file.read(), submit=submit)
    except excel.ImportRefused as exc:
        return Status(400, body(exc.code, exc.message_zh, exc.message_en,
                                details=[p.as_dict() for p in exc.problems]))
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


@router.get("/export", response={200: None, **errors()}, operation_id="kb_export",
            summary="导出到 Excel / export to Excel", openapi_extra={
                "responses": {"200": {"description": "an .xlsx file", "content": {XLSX: {}}}}})
def kb_export(request: HttpRequest, query: Query[ExportQuery]) -> HttpResponse:
    user = user_of(request)
    data = excel.kb_export(user=user, unit=query.unit, status=query.status)
    response = HttpResponse(data, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="kb-{stamp}.xlsx"'
    return response

