"""Early warnings (预警, ziyang §21, xixian §9(6)) and their log.

One row per anomaly: the scan finds it again and again and updates the same row (``kind`` + ``key``;
bursts and repeats are also matched by the appeals they share). A supervisor acknowledges it and
closes it with a note; every change, the scan's included, is an EarlyWarningEvent (who, when, what).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hotline.directory.models import Category, Region, Unit
from hotline.orders.models import Appeal
from hotline.requesters.models import Requester


class Kind(models.TextChoices):
    VOLUME = "volume", "来件量异常"
    BURST = "burst", "集中来件"
    REPEAT = "repeat", "重复诉求"
    OVERDUE = "overdue", "超期激增"
    DANGER = "danger", "危险信号"


class Status(models.TextChoices):
    OPEN = "open", "待处理"
    ACKNOWLEDGED = "acknowledged", "已确认"
    CLOSED = "closed", "已关闭"


class Severity(models.TextChoices):
    HIGH = "high", "高"
    MEDIUM = "medium", "中"


class EarlyWarning(models.Model):
    Kind = Kind
    Status = Status
    Severity = Severity

    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    key = models.CharField("识别键", max_length=200, help_text="同一异常的键：再次扫描时更新同一条预警")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN)
    severity = models.CharField("等级", max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    title = models.CharField("摘要", max_length=300)
    rule = models.CharField("依据", max_length=100, default="ziyang §21; xixian §9(6)")
    category = models.ForeignKey(Category, verbose_name="诉求分类", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    region = models.ForeignKey(Region, verbose_name="区域", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    unit = models.ForeignKey(Unit, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    requester = models.ForeignKey(Requester, verbose_name="诉求人", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    appeals = models.ManyToManyField(Appeal, verbose_name="相关诉求", blank=True, related_name="+")
    evidence = models.JSONField("依据数据", default=dict)
    count = models.PositiveIntegerField("涉及诉求数", default=0)
    score = models.FloatField("强度", default=0.0, help_text="稳健 z 值，或涉及的诉求数")
    first_detected_at = models.DateTimeField("首次发现")
    last_detected_at = models.DateTimeField("最近发现")
    detections = models.PositiveIntegerField("发现次数", default=1)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField("确认时间", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="关闭人", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    note = models.TextField("处理说明", blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "预警"
        ordering = ["-last_detected_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="warning_kind_key_unique"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="warning_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="warning_status_valid"),
            models.CheckConstraint(condition=Q(severity__in=Severity.values), name="warning_severity_valid"),
            models.CheckConstraint(condition=~Q(status="closed") | (Q(closed_at__isnull=False) & ~Q(note="")),
                                   name="warning_closed_with_a_note"),
        ]
        indexes = [
            models.Index(fields=["status", "-last_detected_at"], name="warning_status_recent"),
            models.Index(fields=["kind", "status"], name="warning_kind_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title}"


class EarlyWarningEvent(models.Model):
    """One change of a warning: raised, found again (updated), reopened by the scan, acknowledged, closed."""

    class Action(models.TextChoices):
        RAISED = "raised", "发出预警"
        UPDATED = "updated", "再次发现"
        REOPENED = "reopened", "重新打开"
        ACKNOWLEDGED = "acknowledged", "确认"
        CLOSED = "closed", "关闭"

    warning = models.ForeignKey(EarlyWarning, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_role = models.CharField(max_length=20)
    at = models.DateTimeField()
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    note = models.TextField(blank=True)
    payload = models.JSONField(default=dict)

    class Meta:
        verbose_name = verbose_name_plural = "预警处理记录"
        ordering = ["at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(action__in=["raised", "updated", "reopened", "acknowledged",
                                                                       "closed"]), name="warning_event_action_valid")]
        indexes = [models.Index(fields=["warning", "at"], name="warning_event_at")]

    def __str__(self) -> str:
        return f"{self.warning_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class ScanMark(models.Model):
    """When each scan step last ran (the tick runs the heavy ones at most every few minutes)."""

    name = models.CharField(max_length=32, primary_key=True)
    last_at = models.DateTimeField(null=True, blank=True)
    cursor = models.PositiveBigIntegerField(default=0, help_text="danger words: the last appeal id read")

    class Meta:
        verbose_name = verbose_name_plural = "预警扫描记录"

    def __str__(self) -> str:
        return self.name
