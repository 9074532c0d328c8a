"""``hotline export --since CURSOR [--out FILE] [--limit N]``: orders and events for the provincial platform.

Writes JSON lines (docs/analytics.md, "Export") to FILE (or standard output) and prints the next cursor:
on standard output with ``--out``, else on standard error (standard output holds the lines).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotline.analytics.export import export_since


class Command(BaseCommand):
    help = "向省级平台推送：某游标之后的工单与流转记录（JSON Lines）/ orders and events since a cursor"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", required=True, help="上次输出的游标（首次为 0）/ the cursor (0: from the start)")
        parser.add_argument("--out", help="输出文件（默认标准输出）/ output file (default: standard output)")
        parser.add_argument("--limit", type=int, help="最多导出的流转记录数 / at most this many events")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            since = int(options["since"])
            if since < 0:
                raise ValueError
        except ValueError:
            raise CommandError(f"--since {options['since']!r} 不是有效游标（非负整数）/ not a cursor") from None
        out = options.get("out")
        lines, result = export_since(since=since, limit=options.get("limit"), target=out or "stdout")
        if out:
            with Path(out).open("w", encoding="utf-8") as handle:
                for line in lines:
                    handle.write(line + "\n")
            self.stdout.write(str(result.next_cursor))
        else:
            for line in lines:
                self.stdout.write(line)
            sys.stderr.write(f"{result.next_cursor}\n")
        sys.stderr.write(f"exported {result.orders} order line(s), {result.events} event(s); next cursor "
                         f"{result.next_cursor}\n")
