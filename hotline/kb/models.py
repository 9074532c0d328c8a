"""Knowledge-base entries, their versions (immutable, attributed), timeline, flags, synonyms.

An entry is an identity (owning unit, kind, workflow status); what it says lives in its versions, one row
per change. ``latest`` is the working copy the unit edits; ``published`` the version operators, units and
(when public) citizens see. Only the services in ``services.py`` write these rows.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from hotline.directory.models import Region, Unit
from hotline.kb.workflow import Action, Kind, Status, Step


def _choices(enum: Any) -> list[tuple[str, str]]:
    return [(m.value, m.zh) for m in enum]


def _valid(field: str, enum: Any, name: str, blank: bool = False) -> models.CheckConstraint:
    values = [m.value for m in enum] + ([""] if blank else [])
    return models.CheckConstraint(condition=Q(**{f"{field}__in": values}), name=name)


class Entry(models.Model):
    """A knowledge-base entry: who keeps it, what kind it is, where it stands in the workflow."""

    code = models.CharField("条目编号", max_length=32, unique=True)
    kind = models.CharField("类型", max_length=16, choices=_choices(Kind), default=Kind.ENTRY.value)
    unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="kb_entries")
    status = models.CharField("状态", max_length=16, choices=_choices(Status), default=Status.DRAFT.value)
    pending_step = models.CharField("待审核环节", max_length=24, choices=_choices(Step), blank=True)
    approvals = models.JSONField("已完成的审核环节", default=list, blank=True)
    latest = models.ForeignKey("EntryVersion", verbose_name="最新版本", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    published = models.ForeignKey("EntryVersion", verbose_name="发布版本", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    review_due_at = models.DateTimeField("复核到期", null=True, blank=True, db_index=True)
    review_requested_at = models.DateTimeField("已提醒复核", null=True, blank=True)
    created_at = models.DateTimeField("创建时间")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = verbose_name_plural = "知识库条目"
        ordering = ["code"]
        constraints = [
            _valid("kind", Kind, "kb_entry_kind_valid"),
            _valid("status", Status, "kb_entry_status_valid"),
            _valid("pending_step", Step, "kb_entry_pending_step_valid", blank=True),
            models.CheckConstraint(condition=Q(status=Status.SUBMITTED.value) | Q(pending_step=""),
                                   name="kb_pending_step_only_in_review"),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="kb_entry_unit_status")]

    def __str__(self) -> str:
        return self.code

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def kind_enum(self) -> Kind:
        return Kind(self.kind)


class EntryVersion(models.Model):
    """What an entry said at one change. Immutable: every change is a new row, attributed."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    question = models.CharField("标准问题", max_length=300)
    variants = models.JSONField("其他问法", default=list, blank=True)
    answer = models.TextField("答案")
    basis_document = models.CharField("政策依据文件", max_length=300, blank=True)
    basis_article = models.CharField("条款", max_length=100, blank=True)
    basis_url = models.CharField("依据链接", max_length=500, blank=True)
    region = models.ForeignKey(Region, verbose_name="适用区域", null=True, blank=True, on_delete=models.PROTECT,
                               help_text="空：全市适用")
    categories = models.JSONField("分类代码", default=list, blank=True)
    valid_from = models.DateField("生效日期", null=True, blank=True)
    valid_until = models.DateField("失效日期", null=True, blank=True)
    tags = models.JSONField("标签", default=list, blank=True)
    public = models.BooleanField("向公众公开", default=False)
    priority = models.SmallIntegerField("优先级", default=0, help_text="应急信息：数字越大越靠前")
    expires_at = models.DateTimeField("应急信息截止时间", null=True, blank=True)
    note = models.CharField("修改说明", max_length=500, blank=True)
    created_at = models.DateTimeField("修改时间")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "知识库条目版本"
        ordering = ["entry_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="kb_version_number_unique"),
            models.CheckConstraint(condition=Q(valid_from__isnull=True) | Q(valid_until__isnull=True)
                                   | Q(valid_until__gte=models.F("valid_from")), name="kb_version_validity_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("知识库条目版本不可修改 / entry versions are immutable")
        super().save(*args, **kwargs)


class EntryEvent(models.Model):
    """One accepted action on an entry (its timeline). Immutable."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="events")
    version = models.PositiveIntegerField("版本号")
    action = models.CharField(max_length=24, choices=_choices(Action))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_role = models.CharField(max_length=20)
    actor_unit = models.CharField(max_length=32, blank=True)
    at = models.DateTimeField(db_index=True)
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    step = models.CharField(max_length=24, blank=True)
    rule = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "知识库流转记录"
        ordering = ["entry_id", "pk"]
        constraints = [_valid("action", Action, "kb_event_action_valid")]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("知识库流转记录不可修改 / entry events are immutable")
        super().save(*args, **kwargs)


class FlagStatus(models.TextChoices):
    OPEN = "open", "待处理"
    RESOLVED = "resolved", "已处理"


class FlagResolution(models.TextChoices):
    CORRECTED = "corrected", "已更正"
    NOT_WRONG = "not_wrong", "经核实无误"


class EntryFlag(models.Model):
    """An operator's report that a published answer is wrong, sent to the owning unit."""

    Status = FlagStatus
    Resolution = FlagResolution

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="flags")
    version = models.ForeignKey(EntryVersion, verbose_name="被报告的版本", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("问题说明")
    order_number = models.CharField("相关工单", max_length=32, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField("报告时间")
    status = models.CharField("状态", max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    resolution = models.CharField("处理结果", max_length=16, choices=FlagResolution.choices, blank=True)
    resolution_note = models.TextField("处理说明", blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "知识库纠错"
        ordering = ["-raised_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=FlagStatus.values), name="kb_flag_status_valid"),
            models.CheckConstraint(condition=Q(resolution__in=[*FlagResolution.values, ""]),
                                   name="kb_flag_resolution_valid"),
            models.CheckConstraint(condition=Q(status=FlagStatus.OPEN, resolution="")
                                   | Q(status=FlagStatus.RESOLVED) & ~Q(resolution=""),
                                   name="kb_flag_resolved_has_resolution"),
        ]
        indexes = [models.Index(fields=["status", "entry"], name="kb_flag_status_entry")]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.status}"


class Synonym(models.Model):
    """A group of words the search treats as one (社保 ↔ 社会保险), edited by the hotline."""

    terms = models.JSONField("同义词", help_text="两个或更多等义词")
    note = models.CharField("说明", max_length=200, blank=True)
    active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "同义词"
        ordering = ["pk"]

    def __str__(self) -> str:
        return " ↔ ".join(self.terms)


class IndexChange(models.Model):
    """The search index's change log: every process applies the changes after the last one it saw.

    ``token`` tells a row apart from another with the same id (a rolled-back transaction reuses ids on
    SQLite): a process whose last row is gone or differs rebuilds its index.
    """

    token = models.UUIDField(default=uuid.uuid4, editable=False)
    entry = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                              help_text="空：同义词等全局变更，需重建索引")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "检索索引变更"

    def __str__(self) -> str:
        return f"#{self.pk} {self.entry_id or 'rebuild'}"
