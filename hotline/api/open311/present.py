"""Our categories and orders as Open311 records.

A service request never carries requester data: no name, phone, e-mail or account; its description is
the appeal's content with phone numbers, ID numbers, e-mail addresses and the requester's name masked,
and a confidential appeal (保密, 不公开) publishes no description, address or coordinates at all.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from hotline.directory.models import Category
from hotline.orders.models import Order
from hotline.orders.services.citizen import mask_personal_data, reply_result, requester_names
from hotline.rules.order import State
from hotline.rules.vocabulary import AppealType


def w3c(value: datetime | None) -> str | None:
    """ISO 8601 with the offset, as the spec asks: ``2026-03-02T10:00:00+08:00``."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value is not None else None


def service_record(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.open311_code,
        "service_name": category.name,
        "description": category.description,
        "metadata": False,
        "type": "realtime",
        "keywords": ",".join(category.keywords.split()),
        "group": category.parent.name if category.parent else "",
    }


def status_of(order: Order) -> str:
    """open, or closed for our closed and archived states (declined, answered, evaluated, terminated…)."""
    return "open" if State(order.state).is_open else "closed"


def status_notes(order: Order) -> str:
    """The state in Chinese and, while the unit's reply stands, its result; never personal data."""
    notes = State(order.state).zh
    result = reply_result(order)
    return f"{notes}。办理结果：{result}" if result else notes


def _coordinate(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def request_record(order: Order) -> dict[str, Any]:
    """One service request; ``order`` comes with appeal, requester, category and lead unit selected."""
    appeal = order.appeal
    public = not appeal.confidential
    category = order.category
    content = order.matter or appeal.content
    return {
        "service_request_id": order.number,
        "status": status_of(order),
        "status_notes": status_notes(order),
        "service_name": category.name if category else "",
        "service_code": category.open311_code if category else "",
        "description": mask_personal_data(content, requester_names(order)) if public else "",
        "agency_responsible": order.lead_unit.name if order.lead_unit else "",
        "service_notice": f"诉求类型：{AppealType(order.appeal_type).zh}",
        "requested_datetime": w3c(order.received_at),
        "updated_datetime": w3c(order.updated_at),
        "expected_datetime": w3c(order.handle_due),
        "address": mask_personal_data(appeal.address, requester_names(order)) if public else "",
        "lat": _coordinate(appeal.latitude) if public else None,
        "long": _coordinate(appeal.longitude) if public else None,
    }
