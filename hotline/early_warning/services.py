"""Writes of early warning by people: acknowledge (确认) and close with a note (关闭). Supervisors and
administrators only; each in one transaction, the row locked, an EarlyWarningEvent written (who, when).

The scan's writes (raise, update, reopen) are in ``hotline.early_warning.scan``.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from hotline.directory.models import User
from hotline.early_warning.models import EarlyWarning, EarlyWarningEvent, Status
from hotline.early_warning.scan import _log
from hotline.rules.errors import Conflict, Forbidden, InvalidInput, NotFound

#: who acts on warnings (ziyang §21: the hotline office's supervision)
ACTORS = frozenset({User.Role.SUPERVISOR, User.Role.ADMINISTRATOR})
MAX_NOTE = 2000


def _lock(user: User, warning_id: int) -> EarlyWarning:
    if user.role not in ACTORS:
        raise Forbidden("只有热线督办人员或管理员可以处理预警", "only supervisors and administrators act on warnings")
    warning = EarlyWarning.objects.select_for_update().filter(pk=warning_id).first()
    if warning is None:
        raise NotFound(f"预警 {warning_id} 不存在", f"warning {warning_id} not found")
    return warning


def _note(note: str, *, required: bool) -> str:
    note = note.strip()
    if required and not note:
        raise InvalidInput("关闭预警须写明处理说明", "note: closing a warning needs a note")
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"处理说明不能超过 {MAX_NOTE} 字", f"note: at most {MAX_NOTE} characters")
    return note


def warning_acknowledge(*, user: User, warning_id: int, note: str = "", at: datetime | None = None) -> EarlyWarning:
    """An open warning is seen and being dealt with. Raises Forbidden, NotFound, Conflict (not open)."""
    now = at or timezone.now()
    note = _note(note, required=False)
    with transaction.atomic():
        warning = _lock(user, warning_id)
        if warning.status != Status.OPEN:
            raise Conflict(f"预警当前为“{warning.get_status_display()}”，只能确认待处理的预警",
                           f"the warning is {warning.status}: only an open warning is acknowledged")
        before = warning.status
        warning.status, warning.acknowledged_by, warning.acknowledged_at = Status.ACKNOWLEDGED, user, now
        warning.version += 1
        warning.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "version"])
        _log(warning, EarlyWarningEvent.Action.ACKNOWLEDGED, user, now, before, note)
    return warning


def warning_close(*, user: User, warning_id: int, note: str, at: datetime | None = None) -> EarlyWarning:
    """Close an open or acknowledged warning with a note saying what was done. Raises Forbidden,
    NotFound, InvalidInput (no note), Conflict (already closed)."""
    now = at or timezone.now()
    note = _note(note, required=True)
    with transaction.atomic():
        warning = _lock(user, warning_id)
        if warning.status == Status.CLOSED:
            raise Conflict("预警已关闭", "the warning is already closed")
        before = warning.status
        warning.status, warning.closed_by, warning.closed_at, warning.note = Status.CLOSED, user, now, note
        warning.version += 1
        warning.save(update_fields=["status", "closed_by", "closed_at", "note", "version"])
        _log(warning, EarlyWarningEvent.Action.CLOSED, user, now, before, note)
    return warning
