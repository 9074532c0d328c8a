"""Writes on the knowledge base, one function per action, keyword-only, named ``kb_<thing>_<action>``.

Each has the same shape: lock the entry, ask the workflow table (``workflow.py``) and the actor's part in
it, write with ``update_fields``, add the timeline row, schedule notifications and the search index's
update on commit. A refused action raises before anything is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from hotline.directory.models import Category, Region, Unit, User
from hotline.kb import search
from hotline.kb.content import Checker, EntryContent, content_problems
from hotline.kb.models import Entry, EntryEvent, EntryFlag, EntryVersion, IndexChange, Synonym
from hotline.kb.selectors import entries_due_for_review, review_notice_days
from hotline.kb.workflow import (
    PUBLISHER_ROLES,
    SYNONYM_EDITORS,
    UNIT_ROLES,
    Action,
    Kind,
    Status,
    Step,
    Who,
    allowed,
    next_step,
    steps_for,
)
from hotline.notify import services as notify
from hotline.orders import rulebook
from hotline.rules.deadlines import add_period
from hotline.rules.errors import ActionNotAllowed, Forbidden, GuardRefused, InvalidInput, NotFound
from hotline.rules.profiles import cite_zh

__all__ = [
    "approval_rule", "approval_steps", "kb_entry_approve", "kb_entry_confirm", "kb_entry_create", "kb_entry_flag",
    "kb_entry_publish", "kb_entry_reject", "kb_entry_submit", "kb_entry_update", "kb_entry_withdraw",
    "kb_flag_resolve", "kb_review_due", "kb_synonym_delete", "kb_synonym_save",
]


def who(user: User) -> Who:
    return Who(user.role, user.unit.code if user.unit_id and user.unit else None)


def approval_rule() -> tuple[tuple[str, ...], str]:
    """The deployment profile's approval steps and where they come from (article or platform default)."""
    rule = rulebook.profile().knowledge
    steps = tuple(getattr(rule, "entry_approval", ()) or ())
    if steps:
        return steps, rule.source
    return (), "default: platform workflow after xixian §13 (unit leader reviews, the hotline publishes)"


def approval_steps(kind: Kind) -> tuple[Step, ...]:
    return steps_for(kind, approval_rule()[0])


def _rule_zh(source: str) -> str:
    return "平台默认流程" if source.startswith("default:") else cite_zh(source)


# --- helpers -------------------------------------------------------------------------------------

def _lock(entry_id: int) -> Entry:
    try:
        return (Entry.objects.select_for_update(of=("self",)).select_related("unit", "latest", "published")
                .get(pk=entry_id))
    except Entry.DoesNotExist:
        raise NotFound(f"知识库条目 {entry_id} 不存在", f"knowledge-base entry {entry_id} does not exist") from None


def _refuse_state(entry: Entry, action: Action) -> ActionNotAllowed:
    status = entry.status_enum
    return ActionNotAllowed(f"条目 {entry.code} 处于“{status.zh}”状态，不能{action.zh}",
                            f"entry {entry.code} is {status.value}: it cannot be {action.value}d here",
                            code="kb_action_not_allowed")


def _event(entry: Entry, action: Action, user: User | None, at: datetime, before: str, *, step: str = "",
           rule: str = "", note: str = "", after: str | None = None) -> EntryEvent:
    return EntryEvent.objects.create(
        entry=entry, version=entry.latest.number if entry.latest else 0, action=action.value, actor=user,
        actor_role=user.role if user else "system", actor_unit=user.unit.code if user and user.unit_id and user.unit else "",
        at=at, from_status=before, to_status=after or entry.status, step=step, rule=rule, note=note)


def _index_changed(entry: Entry | None) -> None:
    IndexChange.objects.create(entry=entry)
    transaction.on_commit(search.mark_stale)


def _validated(content: EntryContent, kind: Kind, at: datetime) -> tuple[EntryContent, Region | None]:
    content = content.normalised()
    region_codes = [content.region] if content.region else []
    regions = {r.code: r for r in Region.objects.filter(code__in=region_codes)}
    categories = set(Category.objects.filter(code__in=content.categories).values_list("code", flat=True))
    problems = content_problems(content, kind, regions=regions, categories=categories, now=at)
    check = Checker(problems)
    check.raise_if_any()
    return content, regions.get(content.region or "")


def _new_version(entry: Entry, content: EntryContent, region: Region | None, user: User, at: datetime,
                 note: str) -> EntryVersion:
    number = (entry.latest.number if entry.latest else 0) + 1
    return EntryVersion.objects.create(
        entry=entry, number=number, question=content.question, variants=list(content.variants), answer=content.answer,
        basis_document=content.basis_document, basis_article=content.basis_article, basis_url=content.basis_url,
        region=region, categories=list(content.categories), valid_from=content.valid_from,
        valid_until=content.valid_until, tags=list(content.tags), public=content.public, priority=content.priority,
        expires_at=content.expires_at, note=note.strip()[:500], created_at=at, created_by=user)


def content_of(version: EntryVersion) -> EntryContent:
    """A version's content, as a caller would give it."""
    return EntryContent(
        question=version.question, answer=version.answer, variants=tuple(version.variants),
        basis_document=version.basis_document, basis_article=version.basis_article, basis_url=version.basis_url,
        region=version.region.code if version.region_id and version.region else None,
        categories=tuple(version.categories), valid_from=version.valid_from, valid_until=version.valid_until,
        tags=tuple(version.tags), public=version.public, priority=version.priority, expires_at=version.expires_at)


def _owner(user: User, unit: str | None, kind: Kind) -> Unit:
    actor = who(user)
    if user.role in UNIT_ROLES:
        if unit and unit != actor.unit:
            raise Forbidden(f"只能为本单位（{actor.unit}）录入知识库条目，不能为 {unit}",
                            f"unit staff enter their own unit's entries ({actor.unit}), not {unit}'s")
        assert user.unit is not None  # unit staff have a unit (a check constraint)
        return user.unit
    if kind is Kind.EMERGENCY and user.role in PUBLISHER_ROLES:
        code = unit or actor.unit
        found = Unit.objects.filter(code=code, active=True).first() if code else None
        if found is None:
            raise InvalidInput(f"单位代码 {code} 不存在或已撤销", f"unit code {code!r} unknown or no longer active")
        return found
    raise Forbidden("知识库条目由承办单位录入；热线工作人员只能录入应急信息（tianjin §15）",
                    "entries are entered by their unit; hotline staff enter emergency information only (tianjin §15)")


def _may_edit(entry: Entry, user: User) -> None:
    if not who(user).may_edit(entry.unit.code, entry.kind_enum):
        raise Forbidden(f"条目 {entry.code} 由{entry.unit.name}负责维护（谁提供、谁负责、谁更新，ziyang §17）",
                        f"entry {entry.code} is kept by unit {entry.unit.code} (ziyang §17)")


# --- entries ---------------------------------------------------------------------------------------

def kb_entry_create(*, user: User, content: EntryContent, kind: str = Kind.ENTRY.value, unit: str | None = None,
                    code: str | None = None, note: str = "", at: datetime | None = None) -> Entry:
    """A new entry in draft, owned by the user's unit (or, for emergency information drafted by the hotline,
    by the unit named)."""
    at = at or timezone.now()
    try:
        entry_kind = Kind(kind)
    except ValueError:
        raise InvalidInput(f"条目类型 {kind!r} 不正确（entry、interpretation、emergency）",
                           f"kind {kind!r} is not one of entry, interpretation, emergency") from None
    owner = _owner(user, unit, entry_kind)
    content, region = _validated(content, entry_kind, at)
    code = (code or "").strip()
    if code and (len(code) > 32 or not code.replace("-", "").replace("_", "").isalnum()):
        raise InvalidInput(f"条目编号 {code!r} 只能由字母、数字、- 和 _ 组成（最多32个）",
                           f"entry code {code!r}: letters, digits, - and _ only (32 at most)")
    with transaction.atomic():
        if code and Entry.objects.filter(code=code).exists():
            raise InvalidInput(f"条目编号 {code} 已被使用", f"entry code {code} is taken")
        entry = Entry.objects.create(code=code or f"tmp-{uuid.uuid4().hex[:24]}", kind=entry_kind.value, unit=owner,
                                     status=Status.DRAFT.value, created_at=at, created_by=user, updated_at=at)
        if not code:
            entry.code = f"KB{entry.pk:06d}"
        entry.latest = _new_version(entry, content, region, user, at, note or "新建")
        entry.save(update_fields=["code", "latest"])
        _event(entry, Action.CREATE, user, at, "", note=note)
    return entry


def kb_entry_update(*, entry: int, user: User, content: EntryContent, note: str = "",
                    at: datetime | None = None) -> Entry:
    """A new version of the entry (a draft again); a published version stays in service until the new one
    is published."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = _lock(entry)
        _may_edit(locked, user)
        after = allowed(locked.status_enum, Action.UPDATE)
        if after is None:
            raise _refuse_state(locked, Action.UPDATE)
        cleaned, region = _validated(content, locked.kind_enum, at)
        before = locked.status
        locked.latest = _new_version(locked, cleaned, region, user, at, note)
        locked.status, locked.approvals, locked.pending_step, locked.updated_at = after.value, [], "", at
        locked.save(update_fields=["latest", "status", "approvals", "pending_step", "updated_at"])
        _event(locked, Action.UPDATE, user, at, before, note=note)
    return locked


def kb_entry_submit(*, entry: int, user: User, note: str = "", at: datetime | None = None) -> Entry:
    """The unit sends its draft for review (xixian §13). When the profile's first step is the unit itself
    (``unit``: ziyang §17 谁提供、谁负责、谁更新), the submission is that step; when no step is left, the
    entry is published at once."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = _lock(entry)
        _may_edit(locked, user)
        after = allowed(locked.status_enum, Action.SUBMIT)
        if after is None:
            raise _refuse_state(locked, Action.SUBMIT)
        steps = approval_steps(locked.kind_enum)
        _, source = approval_rule()
        done = [Step.UNIT.value] if steps and steps[0] is Step.UNIT and who(user).fills(Step.UNIT, locked.unit.code) else []
        first = next_step(steps, done)
        before = locked.status
        locked.status, locked.approvals, locked.updated_at = after.value, done, at
        locked.pending_step = first.value if first else ""
        fields = ["status", "approvals", "pending_step", "updated_at"]
        if first is None:
            _publish(locked, user, at)
            fields += ["published", "published_at", "published_by", "review_due_at", "review_requested_at"]
        locked.save(update_fields=fields)
        _event(locked, Action.SUBMIT, user, at, before, step=done[0] if done else "", rule=source if done else "",
               note=note, after=Status.SUBMITTED.value)
        if first is None:
            _event(locked, Action.PUBLISH, user, at, Status.SUBMITTED.value, step=Step.UNIT.value, rule=source)
        elif first is not Step.HOTLINE:
            notify.schedule(kind="kb_submitted", channel="unit_inbox", recipient=locked.unit.code,
                            text=f"知识库条目 {locked.code}《{locked.latest.question if locked.latest else ''}》"
                                 f"待{first.zh}审核。")
    return locked


def _take_step(entry: int, user: User, at: datetime | None, note: str, *, publishing: bool) -> Entry:
    at = at or timezone.now()
    action = Action.PUBLISH if publishing else Action.APPROVE
    with transaction.atomic():
        locked = _lock(entry)
        if allowed(locked.status_enum, action) is None:
            raise _refuse_state(locked, action)
        steps = approval_steps(locked.kind_enum)
        step = next_step(steps, locked.approvals) or Step.HOTLINE
        _, source = approval_rule()
        if publishing and step is not Step.HOTLINE:
            raise GuardRefused(f"{_rule_zh(source)}：条目 {locked.code} 须先经{step.zh}审核，才能由热线发布",
                               f"{source}: entry {locked.code} needs the {step.value} review before publication",
                               article=source, code="kb_review_first")
        if not publishing and step is Step.HOTLINE:
            raise ActionNotAllowed(f"条目 {locked.code} 已通过单位审核，待热线管理机构发布",
                                   f"entry {locked.code} waits for the hotline to publish it", code="kb_waits_publication")
        if not who(user).fills(step, locked.unit.code):
            raise _not_your_step(locked, step, source)
        before = locked.status
        done = [*locked.approvals, step.value]
        following = next_step(steps, done)
        locked.approvals, locked.updated_at = done, at
        fields = ["approvals", "pending_step", "updated_at"]
        if following is None:
            _publish(locked, user, at)
            fields += ["status", "published", "published_at", "published_by", "review_due_at", "review_requested_at"]
        else:
            locked.pending_step = following.value
        locked.save(update_fields=fields)
        _event(locked, Action.PUBLISH if following is None else Action.APPROVE, user, at, before, step=step.value,
               rule=source, note=note)
    return locked


def _not_your_step(entry: Entry, step: Step, source: str) -> GuardRefused:
    if step is Step.HOTLINE:
        return GuardRefused(f"{_rule_zh(source)}：条目由热线管理机构（督办、派单人员）发布",
                            f"{source}: the hotline (a supervisor or dispatcher) publishes entries",
                            article=source, code="kb_not_your_step")
    return GuardRefused(f"{_rule_zh(source)}：条目 {entry.code} 此环节须由{entry.unit.name}{step.zh}审核",
                        f"{source}: this step of entry {entry.code} is for the {step.value} of unit {entry.unit.code}",
                        article=source, code="kb_not_your_step")


def _publish(entry: Entry, user: User, at: datetime) -> None:
    entry.status, entry.pending_step = Status.PUBLISHED.value, ""
    entry.published, entry.published_at, entry.published_by = entry.latest, at, user
    entry.review_due_at = review_due_after(at)
    entry.review_requested_at = None
    _index_changed(entry)


def review_due_after(at: datetime) -> datetime | None:
    """When an entry published or confirmed at ``at`` is due for review: the profile's review interval."""
    interval = rulebook.profile().knowledge.review_interval
    if interval is None:
        return None
    profile = rulebook.profile()
    return add_period(rulebook.calendar(), profile.hours, at, interval).due


def kb_entry_approve(*, entry: int, user: User, note: str = "", at: datetime | None = None) -> Entry:
    """The unit's review step (its leader, or the steps the profile names, in order)."""
    return _take_step(entry, user, at, note, publishing=False)


def kb_entry_publish(*, entry: int, user: User, note: str = "", at: datetime | None = None) -> Entry:
    """The hotline publishes a reviewed entry (xixian §13: 提交新区热线办发布); operators see it at once."""
    return _take_step(entry, user, at, note, publishing=True)


def kb_entry_reject(*, entry: int, user: User, note: str, at: datetime | None = None) -> Entry:
    """The reviewer of the pending step sends the entry back to the unit, saying why."""
    at = at or timezone.now()
    if not note.strip():
        raise InvalidInput("退回须写明理由", "say why the entry is sent back")
    with transaction.atomic():
        locked = _lock(entry)
        after = allowed(locked.status_enum, Action.REJECT)
        if after is None:
            raise _refuse_state(locked, Action.REJECT)
        step = Step(locked.pending_step)
        _, source = approval_rule()
        if not who(user).fills(step, locked.unit.code):
            raise _not_your_step(locked, step, source)
        before = locked.status
        locked.status, locked.approvals, locked.pending_step, locked.updated_at = after.value, [], "", at
        locked.save(update_fields=["status", "approvals", "pending_step", "updated_at"])
        _event(locked, Action.REJECT, user, at, before, step=step.value, rule=source, note=note)
        notify.schedule(kind="kb_returned", channel="unit_inbox", recipient=locked.unit.code,
                        text=f"知识库条目 {locked.code} 被退回修改：{note.strip()}")
    return locked


def kb_entry_withdraw(*, entry: int, user: User, note: str, at: datetime | None = None) -> Entry:
    """Take a published entry out of service (the hotline, or the owning unit's leader)."""
    at = at or timezone.now()
    if not note.strip():
        raise InvalidInput("撤下须写明理由", "say why the entry is withdrawn")
    with transaction.atomic():
        locked = _lock(entry)
        actor = who(user)
        if not (user.role in PUBLISHER_ROLES or (actor.fills(Step.UNIT_LEADER, locked.unit.code))):
            raise Forbidden("只有热线管理机构或责任单位负责人可以撤下条目",
                            "only the hotline or the owning unit's leader withdraws an entry")
        after = allowed(locked.status_enum, Action.WITHDRAW)
        if after is None:
            raise _refuse_state(locked, Action.WITHDRAW)
        before = locked.status
        locked.status, locked.published, locked.updated_at = after.value, None, at
        locked.review_due_at = locked.review_requested_at = None
        locked.save(update_fields=["status", "published", "updated_at", "review_due_at", "review_requested_at"])
        _index_changed(locked)
        _event(locked, Action.WITHDRAW, user, at, before, note=note)
    return locked


def kb_entry_confirm(*, entry: int, user: User, note: str = "", at: datetime | None = None) -> Entry:
    """The owning unit's leader confirms a published entry is still right: the next review is one interval on."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = _lock(entry)
        if not who(user).fills(Step.UNIT_LEADER, locked.unit.code):
            raise Forbidden(f"复核确认由{locked.unit.name}负责人作出", f"the leader of unit {locked.unit.code} confirms")
        if allowed(locked.status_enum, Action.CONFIRM) is None:
            raise _refuse_state(locked, Action.CONFIRM)
        version = locked.published
        assert version is not None  # a published entry has its published version
        today = at.astimezone(timezone.get_current_timezone()).date()
        if version.valid_until and version.valid_until <= today + timedelta(days=review_notice_days()):
            raise InvalidInput(f"条目 {locked.code} 将于 {version.valid_until} 失效：请修改有效期或内容后提交审核发布",
                               f"entry {locked.code} expires on {version.valid_until}: update it and submit it instead")
        before = locked.status
        locked.review_due_at, locked.review_requested_at, locked.updated_at = review_due_after(at), None, at
        locked.save(update_fields=["review_due_at", "review_requested_at", "updated_at"])
        _event(locked, Action.CONFIRM, user, at, before, note=note)
    return locked


# --- review due (the tick) -------------------------------------------------------------------------

def kb_review_due(now: datetime | None = None) -> int:
    """Send back to their units the published entries due for review: older than the profile's
    ``knowledge.review_interval`` since publication or last confirmation, or within the notice days of
    their valid-until. Each entry once per cycle; returns how many were sent. Called by the tick."""
    now = now or timezone.now()
    sent = 0
    for entry_id in list(entries_due_for_review(now).filter(review_requested_at__isnull=True)
                         .values_list("pk", flat=True)[:5000]):
        with transaction.atomic():
            locked = _lock(entry_id)
            if locked.review_requested_at is not None or locked.status != Status.PUBLISHED.value:
                continue
            version = locked.published
            assert version is not None
            why = _review_reason(locked, version, now)
            locked.review_requested_at = now
            locked.save(update_fields=["review_requested_at"])
            _event(locked, Action.REVIEW_REQUESTED, None, now, locked.status, rule=rulebook.profile().knowledge.source,
                   note=why)
            notify.schedule(kind="kb_review", channel="unit_inbox", recipient=locked.unit.code,
                            dedupe_key=f"kb_review:{locked.code}:{now:%Y%m%d%H%M%S}",
                            text=f"知识库条目 {locked.code}《{version.question}》{why}，请复核：确认仍然有效，或修改后提交审核。")
            sent += 1
    return sent


def _review_reason(entry: Entry, version: EntryVersion, now: datetime) -> str:
    if version.valid_until is not None:
        today = now.astimezone(timezone.get_current_timezone()).date()
        if version.valid_until <= today + timedelta(days=review_notice_days()):
            return f"将于 {version.valid_until} 失效" if version.valid_until >= today else f"已于 {version.valid_until} 失效"
    return "已到复核期限"


# --- flags -----------------------------------------------------------------------------------------

def kb_entry_flag(*, entry: int, user: User, reason: str, order_number: str = "",
                  at: datetime | None = None) -> EntryFlag:
    """An operator reports that a published answer is wrong; the owning unit gets the flag."""
    at = at or timezone.now()
    if user.role not in {"operator", "dispatcher", "supervisor"}:
        raise Forbidden("只有热线工作人员可以报告答案有误", "only hotline staff flag an answer as wrong")
    if not reason.strip():
        raise InvalidInput("请写明答案哪里有误", "say what is wrong with the answer")
    if len(reason) > 2000 or len(order_number) > 32:
        raise InvalidInput("问题说明最多2000字，工单号最多32位", "the reason is 2,000 characters at most, the order number 32")
    with transaction.atomic():
        locked = _lock(entry)
        if locked.published is None:
            raise ActionNotAllowed(f"条目 {locked.code} 未发布，不能报告纠错",
                                   f"entry {locked.code} is not published: nothing to flag", code="kb_not_published")
        flag = EntryFlag.objects.create(entry=locked, version=locked.published, reason=reason.strip(),
                                        order_number=order_number.strip(), raised_by=user, raised_at=at)
        _event(locked, Action.FLAG, user, at, locked.status, note=reason.strip())
        notify.schedule(kind="kb_flag", channel="unit_inbox", recipient=locked.unit.code, order_number=order_number,
                        text=f"知识库条目 {locked.code} 被报告答案有误：{reason.strip()}。请核实更正。")
    return flag


def kb_flag_resolve(*, flag: int, user: User, resolution: str, note: str, at: datetime | None = None) -> EntryFlag:
    """The owning unit answers a flag: corrected (a newer version exists) or checked and not wrong."""
    at = at or timezone.now()
    if resolution not in EntryFlag.Resolution.values:
        raise InvalidInput(f"处理结果 {resolution!r} 不正确（corrected 已更正、not_wrong 经核实无误）",
                           f"resolution {resolution!r} is not one of corrected, not_wrong")
    if not note.strip():
        raise InvalidInput("请写明处理说明", "give a note on what was done")
    with transaction.atomic():
        row = EntryFlag.objects.select_for_update().filter(pk=flag).first()
        if row is None:
            raise NotFound(f"纠错报告 {flag} 不存在", f"flag {flag} does not exist")
        locked = _lock(row.entry_id)
        if not who(user).fills(Step.UNIT, locked.unit.code):
            raise Forbidden(f"纠错由责任单位{locked.unit.name}处理", f"the owning unit {locked.unit.code} resolves flags")
        if row.status != EntryFlag.Status.OPEN:
            raise ActionNotAllowed(f"纠错报告 {flag} 已处理", f"flag {flag} is already resolved", code="kb_flag_resolved")
        if resolution == EntryFlag.Resolution.CORRECTED:
            latest = locked.latest.number if locked.latest else 0
            flagged = EntryVersion.objects.get(pk=row.version_id).number
            if latest <= flagged:
                raise InvalidInput(f"条目 {locked.code} 尚未修改：请先修改条目再标记“已更正”",
                                   f"entry {locked.code} has no version after the flagged one: update it first")
        row.status, row.resolution, row.resolution_note = EntryFlag.Status.RESOLVED, resolution, note.strip()
        row.resolved_by, row.resolved_at = user, at
        row.save(update_fields=["status", "resolution", "resolution_note", "resolved_by", "resolved_at"])
        _event(locked, Action.RESOLVE_FLAG, user, at, locked.status, note=f"{row.get_resolution_display()}：{note.strip()}")
    return row


# --- synonyms --------------------------------------------------------------------------------------

def _synonym_editor(user: User) -> None:
    if user.role not in SYNONYM_EDITORS:
        raise Forbidden("同义词由热线管理机构维护", "synonyms are kept by the hotline (supervisor, dispatcher, administrator)")


def kb_synonym_save(*, user: User, terms: Sequence[str], note: str = "", active: bool = True,
                    synonym: int | None = None, at: datetime | None = None) -> Synonym:
    """Create (or, with ``synonym``, replace) a group of words searched as one."""
    _synonym_editor(user)
    at = at or timezone.now()
    cleaned = list(dict.fromkeys(t.strip() for t in terms if t.strip()))
    if len(cleaned) < 2:
        raise InvalidInput("同义词组至少要有两个不同的词", "a synonym group needs two different words at least")
    if len(cleaned) > 30 or any(len(t) > 30 or "\x00" in t or " " in t for t in cleaned):
        raise InvalidInput("同义词组最多30个词，每个词最多30字、不含空格", "30 words at most, each 30 characters at most, no spaces")
    if len(note) > 200:
        raise InvalidInput("说明最多200字", "the note is 200 characters at most")
    with transaction.atomic():
        if synonym is None:
            row = Synonym.objects.create(terms=cleaned, note=note, active=active, updated_at=at, updated_by=user)
        else:
            found = Synonym.objects.select_for_update().filter(pk=synonym).first()
            if found is None:
                raise NotFound(f"同义词组 {synonym} 不存在", f"synonym group {synonym} does not exist")
            found.terms, found.note, found.active, found.updated_at, found.updated_by = cleaned, note, active, at, user
            found.save(update_fields=["terms", "note", "active", "updated_at", "updated_by"])
            row = found
        _index_changed(None)
    return row


def kb_synonym_delete(*, user: User, synonym: int) -> None:
    _synonym_editor(user)
    with transaction.atomic():
        deleted, _ = Synonym.objects.filter(pk=synonym).delete()
        if not deleted:
            raise NotFound(f"同义词组 {synonym} 不存在", f"synonym group {synonym} does not exist")
        _index_changed(None)
