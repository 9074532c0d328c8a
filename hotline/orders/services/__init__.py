"""Writes on appeals and orders: one service per lifecycle action, each one transaction.

Every service has the same shape: lock the order row, ask the lifecycle table (hotline.rules), write
the new state and deadlines with ``update_fields``, append the event, and schedule notifications
with ``transaction.on_commit``.
"""

from hotline.orders.services.actions import *  # noqa: F403
from hotline.orders.services.actions import __all__ as _actions
from hotline.orders.services.intake import IntakeResult, appeal_intake, requester_conduct_record
from hotline.orders.services.transition import order_act

__all__ = [*_actions, "IntakeResult", "appeal_intake", "order_act", "requester_conduct_record"]
