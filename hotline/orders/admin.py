"""Orders in the admin are read-only: every change goes through the services and the lifecycle table."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hotline.orders.models import Event, Order, OrderDeadline


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeadlineInline(ReadOnly, admin.TabularInline[OrderDeadline, Order]):
    model = OrderDeadline
    fields = ("kind", "start", "due", "period", "rule", "provisional")


class EventInline(ReadOnly, admin.TabularInline[Event, Order]):
    model = Event
    fields = ("seq", "action", "actor", "actor_role", "at", "from_state", "to_state", "rules")


@admin.register(Order)
class OrderAdmin(ReadOnly, admin.ModelAdmin[Order]):
    list_display = ("number", "profile", "appeal_type", "state", "lead_unit", "received_at", "handle_due")
    list_filter = ("profile", "state", "appeal_type", "urgency")
    search_fields = ("number",)
    inlines = [DeadlineInline, EventInline]
    exclude = ("query_code_hash",)
