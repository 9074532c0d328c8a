"""Writes on units and users."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from hotline.directory.models import Unit, UnitChange, User
from hotline.rules.errors import InvalidInput


def system_user() -> User:
    """The user the tick acts as (role system); created once."""
    user, _ = User.objects.get_or_create(username="system", defaults={"role": User.Role.SYSTEM,
                                                                      "display_name": "系统", "is_active": False})
    return user


def portal_user() -> User:
    """The user appeals from the citizen portal are received as (role operator, cannot log in); created once."""
    user, created = User.objects.get_or_create(
        username="portal", defaults={"role": User.Role.OPERATOR, "display_name": "市民网上诉求", "is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def unit_rename(*, unit: Unit, new_name: str, by: User, note: str = "") -> Unit:
    """Rename a unit, keeping the old name in its history (xixian §17)."""
    if not new_name.strip():
        raise InvalidInput("新名称不能为空", "the new name is empty")
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)
        UnitChange.objects.create(unit=locked, kind=UnitChange.Kind.RENAME, old_name=locked.name, new_name=new_name,
                                  note=note, at=timezone.now(), by=by)
        locked.name = new_name.strip()
        locked.save(update_fields=["name"])
    return locked


def unit_merge(*, unit: Unit, into: Unit, by: User, note: str = "") -> Unit:
    """Merge a unit into another: its duties move, it stays in history, inactive (xixian §17)."""
    if unit.pk == into.pk:
        raise InvalidInput("不能并入自身", "a unit cannot merge into itself")
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)
        into.duties.add(*locked.duties.all())
        UnitChange.objects.create(unit=locked, kind=UnitChange.Kind.MERGE, old_name=locked.name, merged_into=into,
                                  note=note, at=timezone.now(), by=by)
        locked.active, locked.merged_into = False, into
        locked.save(update_fields=["active", "merged_into"])
    return locked
