"""The notification outbox: every message the platform sends, and whether it went out."""

from __future__ import annotations

from django.db import models


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    kind = models.CharField("类型", max_length=40)          # order_created, new_order, reminder, callback_survey…
    channel = models.CharField("渠道", max_length=16)       # sms, wechat, unit_inbox, console
    recipient = models.CharField("接收方", max_length=100)  # phone number, unit code, user name
    order_number = models.CharField(max_length=32, blank=True, db_index=True)
    text = models.TextField("内容")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    backend = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    dedupe_key = models.CharField(max_length=150, null=True, blank=True, unique=True)  # noqa: DJ001 - unique when given
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"
