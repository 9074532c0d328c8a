"""The knowledge base in the admin: entries, versions, timeline and flags read-only (they change only through
the workflow's services); synonyms editable, saved through ``kb_synonym_save`` so the search follows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from hotline.directory.models import User
from hotline.kb import services
from hotline.kb.models import Entry, EntryEvent, EntryFlag, EntryVersion, Synonym


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Entry)
class EntryAdmin(ReadOnly):
    list_display = ("code", "kind", "unit", "status", "pending_step", "published_at", "review_due_at")
    list_filter = ("kind", "status", "unit")
    search_fields = ("code", "latest__question")


@admin.register(EntryVersion)
class EntryVersionAdmin(ReadOnly):
    list_display = ("entry", "number", "question", "created_by", "created_at")
    search_fields = ("entry__code", "question")


@admin.register(EntryEvent)
class EntryEventAdmin(ReadOnly):
    list_display = ("entry", "version", "action", "actor", "at", "from_status", "to_status")
    list_filter = ("action",)


@admin.register(EntryFlag)
class EntryFlagAdmin(ReadOnly):
    list_display = ("entry", "status", "raised_by", "raised_at", "resolution", "resolved_at")
    list_filter = ("status", "resolution")


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin[Synonym]):
    list_display = ("__str__", "active", "updated_at", "updated_by")
    fields = ("terms", "note", "active")

    def save_model(self, request: HttpRequest, obj: Synonym, form: ModelForm[Synonym], change: bool) -> None:
        assert isinstance(request.user, User)
        saved = services.kb_synonym_save(user=request.user, terms=list(obj.terms or []), note=obj.note,
                                         active=obj.active, synonym=obj.pk if change else None)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Synonym) -> None:
        assert isinstance(request.user, User)
        services.kb_synonym_delete(user=request.user, synonym=obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Synonym]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
