"""Warnings in the admin: read-only. They are raised by the scan and acknowledged or closed on the
warnings page or over the API (services that log who and when), never edited here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hotline.early_warning.models import EarlyWarning, EarlyWarningEvent


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(_ReadOnly, admin.TabularInline[EarlyWarningEvent, EarlyWarning]):
    model = EarlyWarningEvent
    fields = ("at", "action", "actor", "actor_role", "from_status", "to_status", "note")
    readonly_fields = fields
    extra = 0


@admin.register(EarlyWarning)
class EarlyWarningAdmin(_ReadOnly, admin.ModelAdmin[EarlyWarning]):
    list_display = ("pk", "kind", "severity", "status", "title", "count", "last_detected_at")
    list_filter = ("kind", "status", "severity")
    search_fields = ("title", "key")
    date_hierarchy = "last_detected_at"
    exclude = ("appeals",)
    inlines = (EventInline,)
