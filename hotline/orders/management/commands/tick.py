"""``hotline tick [--now ISO8601]``: carry out every automatic step that has fallen due, once.

Run it from cron (every minute or few) or let ``hotline worker`` run it in a loop.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hotline.orders import automation


def parse_now(text: str | None) -> datetime:
    """``--now``: an ISO 8601 time; without a zone it is the deployment's local time."""
    if not text:
        return timezone.now()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--now {text!r} 不是 ISO 8601 时间（例如 2026-03-05T10:00+08:00） / "
                           f"--now {text!r} is not an ISO 8601 time (e.g. 2026-03-05T10:00+08:00)") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = ("到期自动处理：超期标记、到期催办、逾期未评价、进展报送提醒、自动督办、自动归档 / "
            "carry out every automatic step due now, once (overdue marks, reminders, silence, progress "
            "reports, supervision, archive)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="act as if it were this time (ISO 8601, e.g. 2026-03-05T10:00+08:00)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_now(options.get("now"))
        summary = automation.tick(now=now)
        self.stdout.write(automation.format_summary(summary, now))
