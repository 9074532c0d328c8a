"""``hotline warnings …``: early warning (预警, ziyang §21, xixian §9(6)) from the command line.

    hotline warnings scan [--now ISO] [--kind volume|burst|repeat|overdue|danger …]
    hotline warnings bench [--seed N] [--seeds K]     precision and recall per kind, in memory
    hotline warnings bench --scale N [--reuse]        the scan's time over N orders (throwaway PostgreSQL)
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hotline.early_warning import bench
from hotline.early_warning.conf import thresholds
from hotline.early_warning.models import Kind
from hotline.early_warning.scan import warnings_scan


def _now(text: str | None) -> datetime:
    if not text:
        return timezone.now()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--now {text!r} 不是 ISO 8601 时间 / is not an ISO 8601 time") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = "预警：扫描、评测 / early warning: scan, bench"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        scan = sub.add_parser("scan", help="运行预警扫描 / run the detectors and raise or update warnings")
        scan.add_argument("--now", help="扫描时点（ISO 8601，默认当前）/ the moment to scan at")
        scan.add_argument("--kind", action="append", choices=Kind.values,
                          help="只扫描这些类型（可重复）/ only these kinds (repeatable)")
        run = sub.add_parser("bench", help="在合成数据上评测查准率和查全率 / precision and recall on synthetic data")
        run.add_argument("--seed", type=int, default=12345)
        run.add_argument("--seeds", type=int, default=1, help="连续几个种子（汇总）/ how many seeds, summed")
        run.add_argument("--scale", type=int, metavar="N",
                         help="在空的 PostgreSQL 库中生成 N 件诉求和工单并计时扫描 / time the scan over N orders "
                              "(a throwaway PostgreSQL database)")
        run.add_argument("--reuse", action="store_true", help="--scale：沿用已生成的数据 / keep the data already there")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "scan":
            now = _now(options["now"])
            result = warnings_scan(now=now, kinds=options["kind"])
            self.stdout.write(f"warnings scan at {timezone.localtime(now).isoformat(timespec='seconds')}")
            for kind in options["kind"] or Kind.values:
                counts = result.counts.get(kind, {})
                shown = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing found"
                self.stdout.write(f"  {Kind(kind).label} {kind}: {shown}")
            return
        if options["scale"]:
            from hotline.early_warning import scale

            try:
                report = scale.run(options["scale"], reuse=options["reuse"], say=self.stdout.write)
            except scale.ScaleError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        t = thresholds()
        totals: list[bench.Score] | None = None
        for seed in range(options["seed"], options["seed"] + options["seeds"]):
            scores = bench.run(seed, t)
            totals = scores if totals is None else [bench.combine(a, b) for a, b in zip(totals, scores, strict=True)]
        assert totals is not None
        self.stdout.write(bench.report(totals, t, seeds=options["seeds"]))
