"""The assessment in the admin: read-only. Figures come from the timeline (refresh), periods are frozen and
vetoes recorded on the assessment page, never edited here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hotline.assessment.models import FrozenPeriod, Revision, Veto


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FrozenPeriod)
class FrozenPeriodAdmin(_ReadOnly):
    list_display = ("period", "profile", "start", "end", "frozen_by", "frozen_at")
    list_filter = ("profile",)


@admin.register(Revision)
class RevisionAdmin(_ReadOnly):
    list_display = ("frozen", "unit", "order", "count", "old", "new", "action", "by", "at")
    list_filter = ("count", "action")
    search_fields = ("order__number", "unit__code", "unit__name")


@admin.register(Veto)
class VetoAdmin(_ReadOnly):
    list_display = ("period", "unit", "rule", "by", "at")
    search_fields = ("unit__code", "unit__name", "reason")
