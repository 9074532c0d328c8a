"""Reads of early warning, through one gate: who may see which warnings.

- supervisors, administrators and analysts see every warning (analysts read, never act);
- unit staff see only the overdue warnings about their own unit: never a burst, a repeat or a danger
  word, which are about who appealed and what they said;
- other roles see none.

No warning carries personal data: a repeat names the requester by id only; its appeals are reached
through the order pages, which apply the orders' own permission gate and masking.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from hotline.directory.models import User
from hotline.early_warning.models import EarlyWarning, EarlyWarningEvent, Kind, Status
from hotline.rules.errors import Forbidden, InvalidInput, NotFound

READERS = frozenset({User.Role.SUPERVISOR, User.Role.ADMINISTRATOR, User.Role.ANALYST})
UNIT_ROLES = frozenset({User.Role.UNIT_HANDLER, User.Role.UNIT_LEADER})


def may_read(user: User) -> bool:
    return user.role in READERS or (user.role in UNIT_ROLES and user.unit_id is not None)


def warning_visible(user: User) -> QuerySet[EarlyWarning]:
    """Every warning ``user`` may see (raises Forbidden for roles that see none)."""
    if user.role in READERS:
        return EarlyWarning.objects.all()
    if user.role in UNIT_ROLES and user.unit_id is not None:
        return EarlyWarning.objects.filter(kind=Kind.OVERDUE, unit_id=user.unit_id)
    raise Forbidden("您的角色不能查看预警", "your role does not see warnings")


def warning_list(*, user: User, status: str = "", kind: str = "", limit: int = 200) -> list[EarlyWarning]:
    """Newest first; ``status`` "active" means open or acknowledged."""
    rows = warning_visible(user)
    if status == "active":
        rows = rows.filter(status__in=[Status.OPEN, Status.ACKNOWLEDGED])
    elif status:
        if status not in Status.values:
            raise InvalidInput(f"未知的预警状态 {status!r}", f"status: unknown warning status {status!r}")
        rows = rows.filter(status=status)
    if kind:
        if kind not in Kind.values:
            raise InvalidInput(f"未知的预警类型 {kind!r}", f"kind: unknown warning kind {kind!r}")
        rows = rows.filter(kind=kind)
    return list(rows.select_related("category", "region", "unit").order_by("-last_detected_at", "-pk")[:limit])


def warning_counts(*, user: User) -> dict[str, int]:
    """Active warnings per kind (for the page's header)."""
    rows = warning_visible(user).filter(Q(status=Status.OPEN) | Q(status=Status.ACKNOWLEDGED))
    return dict(rows.values_list("kind").annotate(n=Count("pk")).order_by())


def warning_get(*, user: User, warning_id: int) -> EarlyWarning:
    found = warning_visible(user).select_related("category", "region", "unit", "acknowledged_by", "closed_by"
                                                ).filter(pk=warning_id).first()
    if found is None:
        raise NotFound(f"预警 {warning_id} 不存在", f"warning {warning_id} not found")
    return found


def warning_history(warning: EarlyWarning) -> list[EarlyWarningEvent]:
    return list(warning.events.select_related("actor").order_by("at", "pk"))
