"""Scheduling notifications: a row in the outbox now, delivery after the transaction commits."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from hotline.notify.models import Notification
from hotline.rules import order as rules_order
from hotline.rules.order import Action


def _backend(channel: str) -> object:
    backends = settings.HOTLINE_NOTIFY_BACKENDS
    return import_string(backends.get(channel) or backends["*"])()


def deliver(notification_id: int) -> None:
    """Send one pending notification; its status says what happened."""
    notification = Notification.objects.filter(pk=notification_id, status=Notification.Status.PENDING).first()
    if notification is None:
        return
    backend = _backend(notification.channel)
    try:
        backend.send(notification)  # type: ignore[attr-defined]
    except Exception as exc:  # a gateway failing must not fail the order's transaction (already committed)
        notification.status, notification.error = Notification.Status.FAILED, str(exc)[:1000]
    else:
        notification.status, notification.sent_at = Notification.Status.SENT, timezone.now()
    notification.backend = type(backend).__name__
    notification.save(update_fields=["status", "error", "sent_at", "backend"])


def schedule(*, kind: str, channel: str, recipient: str, text: str, order_number: str = "",
             dedupe_key: str | None = None) -> Notification | None:
    """Queue a message; sent when the surrounding transaction commits. ``dedupe_key`` makes it once-only."""
    if not recipient:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(kind=kind, channel=channel, recipient=recipient, text=text,
                                                       order_number=order_number, dedupe_key=dedupe_key)
    except IntegrityError:
        return None  # already scheduled once
    transaction.on_commit(partial(deliver, notification.pk))
    return notification


def order_created(order: object, phone: str, code: str) -> None:
    number = getattr(order, "number", "")
    schedule(kind="order_created", channel="sms", recipient=phone, order_number=number,
             text=f"【12345】您的诉求已受理，工单号 {number}，查询码 {code}。可凭工单号和查询码查询办理进度。")


def for_event(order: object, event: rules_order.Event) -> None:
    """The messages an accepted action sends: new orders to units, surveys to requesters…"""
    number = getattr(order, "number", "")
    unit = getattr(getattr(order, "lead_unit", None), "code", "")
    appeal = getattr(order, "appeal", None)
    requester = getattr(appeal, "requester", None)
    phone = getattr(requester, "phone", "")
    match event.action:
        case Action.DISPATCH | Action.DESIGNATE_UNIT:
            schedule(kind="new_order", channel="unit_inbox", recipient=unit, order_number=number,
                     text=f"新工单 {number}，请及时签收办理。")
        case Action.REMIND:
            schedule(kind="reminder", channel="unit_inbox", recipient=unit, order_number=number,
                     text=f"催办：工单 {number} 即将或已经到期，请抓紧办理。{event.payload.get('note', '')}".strip())
        case Action.SUPERVISE:
            schedule(kind="supervision", channel="unit_inbox", recipient=unit, order_number=number,
                     text=f"督办通知：工单 {number}（{event.payload.get('label', '')}）。")
        case Action.REPLY:
            schedule(kind="callback_survey", channel="sms", recipient=phone, order_number=number,
                     dedupe_key=f"survey:{number}:{event.at.isoformat()}",
                     text=f"【12345】您的工单 {number} 已办结答复，请回复 1 满意、2 基本满意、3 不满意。")
        case Action.REDO:
            schedule(kind="redo", channel="unit_inbox", recipient=unit, order_number=number,
                     text=f"工单 {number} 经回访不满意，发回重办。")
        case _:
            pass
