"""Writes of the supervision app: recording an interview (约谈, ziyang §25)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from hotline.directory.models import Unit, User
from hotline.orders import rulebook
from hotline.rules.errors import Forbidden, InvalidInput
from hotline.supervision.models import Interview

#: a clock a few minutes fast on the supervisor's machine is not an interview "in the future"
CLOCK_SKEW = timedelta(minutes=10)


def interview_record(*, user: User, unit: str, trigger: str, reason: str, held_at: datetime, attendees: str,
                     outcome: str = "", at: datetime | None = None) -> Interview:
    """Record an interview held with ``unit`` (its code) for one of the profile's supervision triggers.

    Supervisors only. Raises Forbidden for other roles and InvalidInput, naming the field, for bad input.
    """
    if user.role != User.Role.SUPERVISOR:
        raise Forbidden("只有热线督办人员可以记录约谈", "only supervisors record interviews")
    now = at or timezone.now()
    profile = rulebook.profile()
    found = profile.trigger(trigger.strip())
    if found is None:
        known = "、".join(f"{t.code}（{t.label}）" for t in profile.supervision.triggers)
        raise InvalidInput(f"约谈情形 {trigger!r} 不在本规则的督办情形中（可选：{known}）",
                           f"interview trigger {trigger!r} is not one of this profile's supervision triggers")
    if not reason.strip():
        raise InvalidInput("请写明约谈事由", "reason: give the reason for the interview")
    if not attendees.strip():
        raise InvalidInput("请写明参加人员", "attendees: name who attended")
    if timezone.is_naive(held_at):
        raise InvalidInput("约谈时间须带时区", "held_at: give a time with its time zone")
    if held_at > now + CLOCK_SKEW:
        raise InvalidInput("约谈时间不能晚于当前时间（请在约谈后记录）", "held_at: the interview is in the future")
    with transaction.atomic():
        target = Unit.objects.filter(code=unit.strip(), active=True).first()
        if target is None:
            raise InvalidInput(f"单位代码 {unit!r} 不存在或已撤销", f"unit: code {unit!r} unknown or no longer active")
        return Interview.objects.create(
            unit=target, trigger=found.code, profile=profile.name, rule=found.source, reason=reason.strip(),
            held_at=held_at, attendees=attendees.strip(), outcome=outcome.strip(), recorded_by=user)
