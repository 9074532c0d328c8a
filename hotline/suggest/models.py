"""Stored suggestion models (one active at a time) and what operators picked next to what was suggested."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hotline.orders.models import Order


class Field(models.TextChoices):
    CATEGORY = "category", "诉求分类"
    APPEAL_TYPE = "appeal_type", "诉求类型"
    UNIT = "unit", "承办单位"


class SuggestModel(models.Model):
    """A model trained from the platform's archive; the active one serves the suggestions."""

    version = models.PositiveIntegerField("版本", unique=True)
    created_at = models.DateTimeField("训练时间")
    approach = models.CharField("方法", max_length=40)
    window_start = models.DateTimeField("训练数据起", null=True, blank=True)
    window_end = models.DateTimeField("训练数据止", null=True, blank=True)
    n_train = models.PositiveIntegerField("训练工单数", default=0)
    n_held = models.PositiveIntegerField("留出检验工单数", default=0)
    figures = models.JSONField("评估结果", default=dict, blank=True,
                               help_text="留出的最近 20% 工单上，新模型与原模型各字段的准确率等")
    path = models.CharField("模型文件", max_length=300, help_text="相对于模型目录（var/models/）")
    size_bytes = models.PositiveBigIntegerField("文件大小", default=0)
    active = models.BooleanField("使用中", default=False)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "智能辅助模型"
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="one_active_suggest_model")]

    def __str__(self) -> str:
        return f"v{self.version}{' (active)' if self.active else ''}"


class SuggestionFeedback(models.Model):
    """What was suggested for one field of an order, next to what the operator or dispatcher chose."""

    Field = Field

    order = models.ForeignKey(Order, verbose_name="工单", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="选择人", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    field = models.CharField("字段", max_length=16, choices=Field.choices)
    suggested = models.JSONField("建议（按可信度排序）", default=list, blank=True)
    shown = models.BooleanField("有建议", default=True, help_text="否：可信度不足，未给出建议")
    top_confidence = models.FloatField("首选可信度", null=True, blank=True)
    chosen = models.CharField("实际选择", max_length=32)
    accepted = models.BooleanField("采纳首选", default=False)
    in_top3 = models.BooleanField("在前三项中", default=False)
    model_version = models.CharField("模型版本", max_length=20, blank=True)
    at = models.DateTimeField("时间", db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "建议采纳记录"
        constraints = [models.CheckConstraint(condition=Q(field__in=Field.values), name="suggestion_feedback_field_valid")]
        indexes = [models.Index(fields=["field", "at"], name="suggest_feedback_field_at")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.field}: {self.chosen}"
