"""``hotline worker [--interval SECONDS] [--once]``: the tick in a loop, for deployments without cron.

Stops cleanly on SIGTERM or SIGINT: the tick under way finishes its current order's transaction and
the loop ends before the next one. Several workers may run at once (PostgreSQL): each order is
locked with SKIP LOCKED, so they share the work.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone

from hotline.orders import automation

log = logging.getLogger("hotline.automation")


class Command(BaseCommand):
    help = "循环执行到期自动处理（无 cron 时使用） / run the tick in a loop (for deployments without cron)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=60.0,
                            help="seconds to sleep between ticks (default 60)")
        parser.add_argument("--once", action="store_true", help="run one tick and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        interval: float = options["interval"]
        if interval <= 0:
            raise CommandError(f"--interval 须大于 0（收到 {interval}） / --interval must be above 0 (got {interval})")
        stop: list[int] = []  # the signal received; a plain list: a handler must not take locks

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.append(signum)

        previous: dict[int, Any] = {}
        if threading.current_thread() is threading.main_thread():  # signals can only be caught there
            for sig in (signal.SIGTERM, signal.SIGINT):
                previous[sig] = signal.signal(sig, request_stop)
        try:
            while not stop:
                _fresh_connection()
                now = timezone.now()
                try:
                    summary = automation.tick(now=now)
                except Exception:  # the database away for a moment must not end the worker
                    log.exception("worker: the tick failed; trying again in %s s", interval)
                else:
                    self.stdout.write(automation.format_summary(summary, now))
                if options["once"]:
                    break
                _sleep(interval, stop)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            _fresh_connection()
        if stop:
            log.info("worker: signal %s received, stopped", stop[0])
        self.stdout.write("worker stopped")


def _sleep(seconds: float, stop: list[int]) -> None:
    """Sleep, waking at least every half second to see whether a stop was asked for."""
    deadline = time.monotonic() + seconds
    while not stop and (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, 0.5))


def _fresh_connection() -> None:
    """Drop a broken or too old database connection between ticks (never inside a transaction)."""
    if not connection.in_atomic_block:
        close_old_connections()
