"""The region map in the admin: an administrator uploads a GeoJSON file; it is checked by
``services.region_map_load`` (a bad file is refused with every problem in Chinese) and becomes the map the
dashboards draw. Topics are adopted on the governance page; here they are read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from hotline.analytics import services
from hotline.analytics.geojson import MapInvalid
from hotline.analytics.models import ExportRun, RegionMap, Topic
from hotline.directory.models import User


class RegionMapForm(forms.ModelForm):  # type: ignore[type-arg]
    file = forms.FileField(label="GeoJSON 文件", help_text="FeatureCollection；每个要素在 properties 中写区划代码（与“行政区域”的区划代码一致）")

    class Meta:
        model = RegionMap
        fields = ("name", "code_property")

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        upload = data.get("file")
        if upload is None:
            return data
        user = getattr(self, "request_user", None)
        try:
            self.loaded = services.region_map_load(user=user if isinstance(user, User) else None, raw=upload.read(),
                                                   name=data.get("name") or "", code_property=data.get("code_property") or "code")
        except MapInvalid as exc:
            raise forms.ValidationError([forms.ValidationError(p) for p in exc.problems]) from None
        except services.RuleError as exc:
            raise forms.ValidationError(exc.message_zh) from None
        return data


@admin.register(RegionMap)
class RegionMapAdmin(admin.ModelAdmin[RegionMap]):
    form = RegionMapForm
    list_display = ("name", "active", "code_property", "region_count", "uploaded_by", "uploaded_at")

    @admin.display(description="区域数")
    def region_count(self, obj: RegionMap) -> int:
        return len(obj.codes)

    def has_change_permission(self, request: HttpRequest, obj: RegionMap | None = None) -> bool:
        return obj is None   # a map is replaced by uploading a new one, never edited

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)

        class WithUser(form):  # type: ignore[misc, valid-type]
            request_user = request.user
        return WithUser

    def save_model(self, request: HttpRequest, obj: RegionMap, form: Any, change: bool) -> None:
        obj.pk = form.loaded.pk   # stored (and checked) by the service in clean()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        return None


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Topic)
class TopicAdmin(ReadOnly):
    list_display = ("month", "title", "category", "region", "adopted_by", "adopted_at")


@admin.register(ExportRun)
class ExportRunAdmin(ReadOnly):
    list_display = ("at", "since", "until", "orders", "events", "target")
