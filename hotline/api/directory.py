"""Reference data and who you are: units, categories, the deployment's rulebook (profile), ``me``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Router

from hotline.api import schemas as s
from hotline.api.auth import channel_of, user_of
from hotline.api.errors import errors
from hotline.directory.models import Category, Unit, UnitKind, User
from hotline.orders import rulebook

router = Router(tags=["directory"])


@router.get("/units", response={200: list[s.UnitOut], **errors(401, 403)}, operation_id="unit_list",
            summary="承办单位 / the units, with their duties (category codes)")
def unit_list(request: HttpRequest, active: bool | None = None) -> list[dict[str, Any]]:
    units = Unit.objects.select_related("parent", "region", "merged_into").prefetch_related(
        Prefetch("duties", queryset=Category.objects.only("code").order_by("code"))).order_by("code")
    if active is not None:
        units = units.filter(active=active)
    return [{"code": u.code, "name": u.name, "kind": u.kind, "kind_zh": UnitKind(u.kind).label,
             "parent": u.parent.code if u.parent else None, "region": u.region.code if u.region else None,
             "phone": u.phone, "active": u.active, "merged_into": u.merged_into.code if u.merged_into else None,
             "duties": [c.code for c in u.duties.all()]} for u in units]


@router.get("/categories", response={200: list[s.CategoryOut], **errors(401, 403)}, operation_id="category_list",
            summary="诉求分类 / the categories of appeals")
def category_list(request: HttpRequest, active: bool | None = None) -> list[dict[str, Any]]:
    categories = Category.objects.select_related("parent").order_by("code")
    if active is not None:
        categories = categories.filter(active=active)
    return [{"code": c.code, "name": c.name, "parent": c.parent.code if c.parent else None,
             "open311_code": c.open311_code, "description": c.description, "active": c.active} for c in categories]


@router.get("/profile", response={200: s.ProfileOut, **errors(401, 403)}, operation_id="profile_get",
            summary="本地规则 / the deployment's rulebook: every rule with its article")
def profile_get(request: HttpRequest) -> dict[str, Any]:
    profile = rulebook.profile()
    meta = profile.profile
    return {"name": meta.name, "title": meta.title, "city_zh": meta.city_zh, "document": meta.document,
            "rules": profile.model_dump(mode="json", by_alias=True)}


@router.get("/me", response={200: s.MeOut, **errors(401, 403)}, operation_id="me",
            summary="当前用户 / who you are: role, unit")
def me(request: HttpRequest) -> dict[str, Any]:
    user = user_of(request)
    return {"id": user.pk, "username": user.username, "display_name": user.display_name or user.username,
            "role": user.role, "role_zh": User.Role(user.role).label,
            "unit": {"code": user.unit.code, "name": user.unit.name} if user.unit else None,
            "is_hotline_staff": user.is_hotline_staff, "is_unit_staff": user.is_unit_staff,
            "profile": settings.HOTLINE_PROFILE, "auth": channel_of(request)}
