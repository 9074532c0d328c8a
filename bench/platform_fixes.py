"""Work-arounds the benchmark applies to the platform while a known bug is open.

Each fix is probed first and applied only when the bug is there, in the benchmark's own processes
(workers and server), never in the platform's code; the report names every fix that was applied.

- ``transition.lock`` on PostgreSQL: ``select_for_update().select_related("lead_unit", "executing_unit")``
  makes PostgreSQL refuse the query ("FOR UPDATE cannot be applied to the nullable side of an outer
  join"): every order service fails. The fix locks the order row only (``of=("self",)``), which is what
  the lock is for. To be fixed in hotline/orders/services/transition.py.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.utils import NotSupportedError

from hotline.orders.models import Order
from hotline.orders.services import transition
from hotline.rules.errors import NotFound


def _lock(order_id: int) -> Order:
    try:
        return (Order.objects.select_for_update(of=("self",)).select_related("lead_unit", "executing_unit")
                .get(pk=order_id))
    except Order.DoesNotExist:
        raise NotFound(f"工单 {order_id} 不存在", f"order {order_id} does not exist") from None


def _lock_fails() -> bool:
    try:
        with transaction.atomic():
            transition.lock(0)
    except NotFound:
        return False
    except NotSupportedError:
        return True
    return False


def apply() -> list[str]:
    """Apply the fixes this database needs; their descriptions."""
    applied = []
    if connection.vendor == "postgresql" and _lock_fails():
        transition.lock = _lock
        applied.append("hotline.orders.services.transition.lock: select_for_update(of=('self',)) — PostgreSQL "
                       "refuses FOR UPDATE on the nullable side of select_related's outer join")
    return applied
