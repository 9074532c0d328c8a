"""Admin for reference data: regions, units and their duties, categories, users. Administrators only."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from hotline.directory.models import ApiToken, Category, Region, Unit, UnitChange, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ("code", "name", "parent", "open311_code", "active")
    list_filter = ("active",)
    search_fields = ("code", "name", "keywords")


class UnitChangeInline(admin.TabularInline[UnitChange, Unit]):
    model = UnitChange
    fk_name = "unit"
    extra = 0
    readonly_fields = ("kind", "old_name", "new_name", "merged_into", "note", "at", "by")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Unit | None = None) -> bool:
        return False  # renames and merges go through directory.services (history kept, xixian §17)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ("code", "name", "kind", "parent", "region", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")
    filter_horizontal = ("duties",)
    inlines = [UnitChangeInline]
    readonly_fields = ("merged_into",)


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ("username", "display_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name")
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("热线", {"fields": ("display_name", "role", "unit")}))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked")
    readonly_fields = ("key_hash", "prefix", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are made with `hotline token create`, which shows the key once
