"""The personal-data access log, read-only for administrators (谁使用、谁负责, ziyang §22)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hotline.requesters.models import PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin[PersonalDataAccess]):
    list_display = ("at", "user", "requester", "order_number", "fields", "purpose", "channel")
    list_filter = ("channel", "purpose")
    search_fields = ("order_number", "user__username")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
