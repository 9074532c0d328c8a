"""Reads of the knowledge base, always through who may see what.

* Hotline staff (operator, dispatcher, supervisor), analysts and administrators see every entry, in
  every state: the knowledge base is the hotline's (ziyang §16).
* Unit staff see their own unit's entries in every state, and the other units' published versions.
* Citizens see nothing here: only ``search.kb_search(..., audience="public")`` (ziyang §18).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from hotline.directory.models import Region, User
from hotline.kb.models import Entry, EntryEvent, EntryFlag, EntryVersion, Synonym
from hotline.kb.search import Doc
from hotline.kb.workflow import UNIT_ROLES, Status, Step, Who
from hotline.rules.errors import InvalidInput, NotFound

STAFF_ROLES = frozenset({"operator", "dispatcher", "supervisor", "analyst", "administrator"})
#: an entry is sent back for review this many days before its valid-until (the rulebooks name no figure)
DEFAULT_REVIEW_NOTICE_DAYS = 15


def review_notice_days() -> int:
    return int(getattr(settings, "HOTLINE_KB_REVIEW_NOTICE_DAYS", DEFAULT_REVIEW_NOTICE_DAYS))


def _unit_code(user: User) -> str | None:
    return user.unit.code if user.unit_id and user.unit else None


def entries_visible_to(user: User) -> QuerySet[Entry]:
    base = Entry.objects.select_related("unit", "latest", "published", "latest__region")
    if user.role in STAFF_ROLES:
        return base
    if user.role in UNIT_ROLES and user.unit_id:
        return base.filter(Q(unit_id=user.unit_id) | Q(published__isnull=False))
    return base.none()


def sees_drafts(user: User, entry: Entry) -> bool:
    """May the user see the entry's unpublished versions (and its timeline)?"""
    return user.role in STAFF_ROLES or (user.role in UNIT_ROLES and user.unit_id == entry.unit_id)


def entry_get_for_user(*, user: User, entry_id: int | None = None, code: str | None = None) -> Entry:
    found = entries_visible_to(user).filter(**({"pk": entry_id} if entry_id is not None else {"code": code})).first()
    if found is None:
        what = entry_id if entry_id is not None else code
        raise NotFound(f"知识库条目 {what} 不存在", f"knowledge-base entry {what} does not exist")
    return found


def entry_list_for_user(*, user: User, status: str | None = None, unit: str | None = None, kind: str | None = None,
                        waiting_for_me: bool = False, due_for_review: bool = False,
                        now: datetime | None = None) -> QuerySet[Entry]:
    rows = entries_visible_to(user)
    if status:
        if status not in Status.__members__.values():
            raise InvalidInput(f"状态 {status!r} 不正确", f"status {status!r} is not one of "
                               + ", ".join(s.value for s in Status))
        rows = rows.filter(status=status)
        if user.role not in STAFF_ROLES and status != Status.PUBLISHED.value:
            rows = rows.filter(unit_id=user.unit_id or 0)
    if unit:
        rows = rows.filter(unit__code=unit)
    if kind:
        rows = rows.filter(kind=kind)
    if waiting_for_me:
        rows = rows.filter(_waiting_for(user))
    if due_for_review:
        rows = rows.filter(pk__in=entries_due_for_review(now or timezone.now()).values("pk"))
    return rows.order_by("-updated_at", "pk")


def _waiting_for(user: User) -> Q:
    """The entries whose pending step this user fills."""
    actor = Who(user.role, _unit_code(user))
    steps = [s.value for s in Step if s is not Step.HOTLINE and actor.fills(s, actor.unit or "")]
    condition = Q(pk__in=[])
    if steps:
        condition |= Q(pending_step__in=steps, unit_id=user.unit_id)
    if actor.fills(Step.HOTLINE, ""):
        condition |= Q(pending_step=Step.HOTLINE.value)
    return Q(status=Status.SUBMITTED.value) & condition


def shown_version(user: User, entry: Entry) -> EntryVersion | None:
    """The version a user is shown: the working copy for those who see drafts, else the published one."""
    return entry.latest if sees_drafts(user, entry) else entry.published


def entry_versions(*, user: User, entry: Entry) -> QuerySet[EntryVersion]:
    rows = EntryVersion.objects.filter(entry=entry).select_related("region", "created_by").order_by("number")
    if not sees_drafts(user, entry):
        rows = rows.filter(pk=entry.published_id) if entry.published_id else rows.none()
    return rows


def entry_events(*, user: User, entry: Entry) -> QuerySet[EntryEvent]:
    rows = EntryEvent.objects.filter(entry=entry).select_related("actor").order_by("pk")
    return rows if sees_drafts(user, entry) else rows.none()


def flags_for_user(*, user: User, status: str | None = "open", unit: str | None = None) -> QuerySet[EntryFlag]:
    rows = EntryFlag.objects.select_related("entry", "entry__unit", "version", "raised_by").order_by("-raised_at")
    if user.role in UNIT_ROLES:
        rows = rows.filter(entry__unit_id=user.unit_id or 0)
    elif user.role not in STAFF_ROLES:
        return rows.none()
    if status:
        rows = rows.filter(status=status)
    if unit:
        rows = rows.filter(entry__unit__code=unit)
    return rows


def entries_due_for_review(now: datetime) -> QuerySet[Entry]:
    """Published entries past their review date, or within the notice days of their valid-until."""
    today = timezone.localtime(now).date()
    near = today + timedelta(days=review_notice_days())
    return Entry.objects.filter(published__isnull=False).filter(
        Q(review_due_at__lte=now) | Q(published__valid_until__lte=near))


# --- what the search index reads ------------------------------------------------------------------

def region_rows() -> list[tuple[int, str, int | None]]:
    return list(Region.objects.values_list("pk", "code", "parent_id"))


def synonym_groups() -> list[list[str]]:
    return [list(terms) for terms in Synonym.objects.filter(active=True).values_list("terms", flat=True)]


def doc_of(entry: Entry, version: EntryVersion) -> Doc:
    return Doc(
        entry_id=entry.pk, code=entry.code, version=version.number, kind=entry.kind, unit_code=entry.unit.code,
        unit_name=entry.unit.name, region_id=version.region_id, region_name=version.region.name if version.region else "",
        question=version.question, variants=tuple(version.variants), answer=version.answer,
        basis_document=version.basis_document, basis_article=version.basis_article, basis_url=version.basis_url,
        categories=tuple(version.categories), tags=tuple(version.tags), valid_from=version.valid_from,
        valid_until=version.valid_until, public=version.public, priority=version.priority,
        expires_at=version.expires_at)


def published_docs(entry_ids: Iterable[int] | None = None) -> list[Doc]:
    """The published version of every entry in service (or of the entries named)."""
    rows = Entry.objects.filter(published__isnull=False).select_related("unit", "published", "published__region")
    if entry_ids is not None:
        rows = rows.filter(pk__in=list(entry_ids))
    docs = []
    for entry in rows.iterator(chunk_size=2000):
        assert entry.published is not None
        docs.append(doc_of(entry, entry.published))
    return docs
