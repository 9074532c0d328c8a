"""Who reads the analytics: the hotline's analysts, its supervisors and administrators.

The dashboards count every order of the city by unit, region and category; unit staff see only their own
orders (orders.selectors) and their figures through the assessment pages, operators and dispatchers work
the queues. Neither sees the city-wide dashboards (docs/analytics.md, "Who sees what").
"""

from __future__ import annotations

from hotline.directory.models import User
from hotline.rules.errors import Forbidden

ANALYTICS_ROLES = frozenset({User.Role.ANALYST, User.Role.SUPERVISOR, User.Role.ADMINISTRATOR})


def may_read(user: User) -> bool:
    return user.role in ANALYTICS_ROLES


def analytics_check(user: User) -> None:
    if not may_read(user):
        raise Forbidden("统计分析仅供分析员、热线督办和管理员查看", "analytics are for analysts, supervisors and administrators")
