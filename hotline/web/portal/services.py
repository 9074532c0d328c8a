"""The portal's one write of its own: the user the citizen portal registers appeals as."""

from __future__ import annotations

from hotline.directory.models import User

PORTAL_USERNAME = "portal"


def portal_user() -> User:
    """The user appeals from the citizen portal are received as (role operator, cannot log in); created once."""
    user, created = User.objects.get_or_create(
        username=PORTAL_USERNAME,
        defaults={"role": User.Role.OPERATOR, "display_name": "市民网上诉求", "is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
