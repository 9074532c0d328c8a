"""Notification backends. A deployment picks them in settings.HOTLINE_NOTIFY_BACKENDS.

- ConsoleBackend: logs the message (the default; development and demos)
- FileBackend: appends one JSON line per message to settings.HOTLINE_NOTIFY_FILE
- WebhookBackend: POSTs the message as JSON to a gateway (an SMS or WeChat adapter the deployment
  runs on its intranet), URL in settings.HOTLINE_NOTIFY_WEBHOOK_URL
"""

from __future__ import annotations

import json
import logging
import urllib.request
from typing import Protocol

from django.conf import settings

from hotline.notify.models import Notification

log = logging.getLogger("hotline.notify")


class Backend(Protocol):
    def send(self, notification: Notification) -> None:
        """Deliver the message or raise an exception saying why not."""


def _as_dict(n: Notification) -> dict[str, object]:
    return {"id": n.pk, "kind": n.kind, "channel": n.channel, "recipient": n.recipient,
            "order_number": n.order_number, "text": n.text, "created_at": n.created_at.isoformat()}


class ConsoleBackend:
    def send(self, notification: Notification) -> None:
        log.info("[%s → %s] %s", notification.channel, notification.recipient, notification.text)


class FileBackend:
    def send(self, notification: Notification) -> None:
        path = settings.HOTLINE_NOTIFY_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(_as_dict(notification), ensure_ascii=False) + "\n")


class WebhookBackend:
    def send(self, notification: Notification) -> None:
        url = getattr(settings, "HOTLINE_NOTIFY_WEBHOOK_URL", "")
        if not url:
            raise RuntimeError("HOTLINE_NOTIFY_WEBHOOK_URL is not set")
        body = json.dumps(_as_dict(notification), ensure_ascii=False).encode()
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the deployment's own gateway
            if response.status >= 300:
                raise RuntimeError(f"gateway answered {response.status}")
