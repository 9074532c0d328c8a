"""Requesters (诉求人), their contact data, warnings and suspensions, and the personal-data access log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Requester(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "个人"
        ORGANISATION = "organisation", "法人或其他组织"

    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField("姓名/名称", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=32, blank=True, db_index=True)
    id_number = models.CharField("证件号码", max_length=32, blank=True)
    created_at = models.DateTimeField("首次来电", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "诉求人"
        constraints = [models.CheckConstraint(condition=Q(kind__in=["person", "organisation"]), name="requester_kind_valid")]

    def __str__(self) -> str:
        return f"诉求人 #{self.pk}"


class Conduct(models.Model):
    """A warning or a suspension for abusive use (tianjin §32, ankang §40, ziyang §29)."""

    class Kind(models.TextChoices):
        WARNING = "warning", "提醒警告"
        SUSPENSION = "suspension", "暂停受理"

    requester = models.ForeignKey(Requester, on_delete=models.PROTECT, related_name="conduct")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    reason = models.TextField("事由")
    rule = models.CharField("依据", max_length=100)
    starts_at = models.DateTimeField("开始")
    ends_at = models.DateTimeField("结束", null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "不当使用记录"
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["warning", "suspension"]), name="conduct_kind_valid"),
            models.CheckConstraint(condition=Q(kind="warning") | Q(ends_at__isnull=False), name="suspension_has_an_end"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.requester_id}"


class PersonalDataAccess(models.Model):
    """Who read whose personal data, when and why (谁使用、谁负责, ziyang §22). Rows are never changed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    requester = models.ForeignKey(Requester, on_delete=models.PROTECT, related_name="accesses")
    order_number = models.CharField(max_length=32, blank=True)
    fields = models.CharField("读取字段", max_length=200)
    purpose = models.CharField("用途", max_length=100)
    channel = models.CharField("途径", max_length=16, default="web")  # web, api, export
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "个人信息访问记录"
        ordering = ["-at"]
        indexes = [models.Index(fields=["requester", "-at"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.requester_id} {self.fields}"
