"""The admin site: administrators only, with a read-only page of the policy profiles."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path

from hotline.rules import profiles


class HotlineAdminSite(admin.AdminSite):
    site_header = "12345 热线平台管理"
    site_title = "12345 热线平台管理"
    index_title = "基础数据"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and getattr(user, "role", "") == "administrator")

    def get_urls(self) -> list[URLResolver | URLPattern]:
        return [path("profiles/", self.admin_view(self.profiles_view), name="profiles"),
                path("profiles/<str:name>/", self.admin_view(self.profiles_view), name="profile"), *super().get_urls()]

    def profiles_view(self, request: HttpRequest, name: str | None = None) -> HttpResponse:
        from django.conf import settings

        sources = profiles.available()
        current = name or settings.HOTLINE_PROFILE
        profile = profiles.get(current) if current in {s.name for s in sources} else None
        rules = [(key, rule.model_dump(mode="json", exclude={"cite", "default"}, by_alias=True), rule.source)
                 for key, rule in profile.rules()] if profile else []
        return render(request, "admin/hotline_profiles.html", {
            **self.each_context(request), "title": "规则配置", "sources": sources, "profile": profile,
            "rules": rules, "deployment": settings.HOTLINE_PROFILE})


class HotlineAdminConfig(AdminConfig):
    default_site = "hotline.admin_site.HotlineAdminSite"
