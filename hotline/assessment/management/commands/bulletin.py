"""``hotline bulletin --month 2026-10 [--format xlsx|pdf|both] [--out DIR] [--case NUMBER …]``: the monthly bulletin.

Writes ``bulletin-2026-10.xlsx`` and/or ``bulletin-2026-10.pdf`` into DIR (default: the current
directory) and prints the paths and the time it took. A malformed month exits with status 2.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotline.assessment.bulletin import build_bulletin, render_pdf, write_xlsx
from hotline.assessment.bulletin.build import month_start_day
from hotline.assessment.bulletin.figures import Month
from hotline.rules.errors import RuleError


class Command(BaseCommand):
    help = "生成月度通报（Excel 与/或 PDF） / write the monthly bulletin (Excel and/or PDF)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="统计月份，例如 2026-10 / the month, e.g. 2026-10")
        parser.add_argument("--format", choices=["xlsx", "pdf", "both"], default="both")
        parser.add_argument("--out", default=".", help="输出目录 / output directory")
        parser.add_argument("--case", action="append", default=[], metavar="NUMBER",
                            help="选为典型案例的工单编号（可多次） / an order number to show as a typical case")
        parser.add_argument("--profile", default=None, help="规则（默认本平台的） / profile (default: the deployment's)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = Month.parse(options["month"], month_start_day(options["profile"]))
        except RuleError as exc:
            raise CommandError(f"{exc.message_zh} / {exc.message_en}", returncode=2) from None
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        bulletin = build_bulletin(month, cases=options["case"], profile_name=options["profile"])
        built = time.perf_counter() - started
        written = []
        if options["format"] in {"xlsx", "both"}:
            path = out / f"bulletin-{month}.xlsx"
            path.write_bytes(write_xlsx(bulletin))
            written.append(path)
        if options["format"] in {"pdf", "both"}:
            path = out / f"bulletin-{month}.pdf"
            try:
                path.write_bytes(render_pdf(bulletin))
            except ImproperlyConfigured as exc:
                raise CommandError(str(exc)) from None
            written.append(path)
        total = time.perf_counter() - started
        for path in written:
            self.stdout.write(str(path))
        self.stdout.write(f"{bulletin.title}: {bulletin.total.counts['orders']} 件工单；"
                          f"汇总 {built:.2f} 秒，共 {total:.2f} 秒 / figures {built:.2f} s, total {total:.2f} s")
