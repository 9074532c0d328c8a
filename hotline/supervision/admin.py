"""Interviews in the admin: read-only (they are recorded on the supervision board, never edited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hotline.supervision.models import Interview


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin[Interview]):
    list_display = ("held_at", "unit", "trigger", "rule", "recorded_by")
    list_filter = ("trigger",)
    search_fields = ("unit__name", "unit__code", "reason", "outcome")
    date_hierarchy = "held_at"

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
