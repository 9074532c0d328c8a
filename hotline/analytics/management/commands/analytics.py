"""``hotline analytics …``: the analytics rollup, the region map, hot issues and the dashboards' benchmark.

    hotline analytics refresh [--rebuild [--start DATE] [--end DATE]]   bring the rollup up to date / recount
    hotline analytics load-map FILE [--name NAME] [--code-property code] | --demo
    hotline analytics hot [--end DATE] [--days 7]                       the hot issues, ranked
    hotline analytics bench [--rounds 50]                               dashboard queries, p50 / p95 / max
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from hotline.analytics import dashboard, hotspots, services
from hotline.analytics.models import DailyVolume
from hotline.analytics.rollup import rollup_rebuild, rollup_refresh
from hotline.rules.errors import RuleError


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} 不是日期（例如 2026-03-01） / not a date") from None


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-int(share * 100) * len(ordered) // 100) - 1)]


class Command(BaseCommand):
    help = "统计分析：汇总刷新与重建、区域地图、热点、看板测速 / analytics"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        refresh = sub.add_parser("refresh", help="增量刷新每日汇总（--rebuild 全部重算）/ refresh the rollup")
        refresh.add_argument("--rebuild", action="store_true", help="从工单重新统计 / recount from the orders")
        refresh.add_argument("--start", help="重建的起始日 / first day to rebuild")
        refresh.add_argument("--end", help="重建的截止日（含）/ last day to rebuild")
        load = sub.add_parser("load-map", help="载入区域地图 GeoJSON / load the region map")
        load.add_argument("file", nargs="?")
        load.add_argument("--demo", action="store_true", help="示例市的虚构地图 / the demo city's made-up map")
        load.add_argument("--name", default="区域地图")
        load.add_argument("--code-property", default="code")
        hot = sub.add_parser("hot", help="热点诉求 / hot issues")
        hot.add_argument("--end", help="统计截止日（含，默认今天）/ last day (default today)")
        hot.add_argument("--days", type=int, default=7)
        bench = sub.add_parser("bench", help="看板查询耗时 / time the dashboard queries")
        bench.add_argument("--rounds", type=int, default=30)
        bench.add_argument("--days", type=int, default=30, help="每次查询的区间天数 / days per query")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except RuleError as exc:
            raise CommandError(exc.message_zh) from None

    def _refresh(self, options: dict[str, Any]) -> None:
        started = time.perf_counter()
        if options["rebuild"]:
            result = rollup_rebuild(start=_day(options["start"]), end=_day(options["end"]))
        else:
            result = rollup_refresh()
        self.stdout.write(f"orders read {result.orders_read}, moved {result.orders_moved}, cells changed "
                          f"{result.cells_changed}, cursor order {result.last_order_id} event {result.last_event_id}; "
                          f"{time.perf_counter() - started:.2f} s")

    def _load_map(self, options: dict[str, Any]) -> None:
        if options["demo"]:
            found = services.region_map_load_demo()
        elif options["file"]:
            found = services.region_map_load(user=None, raw=Path(options["file"]).read_bytes(), name=options["name"],
                                             code_property=options["code_property"])
        else:
            raise CommandError("请给出 GeoJSON 文件或 --demo / give a file or --demo")
        self.stdout.write(f"区域地图“{found.name}”：{len(found.codes)} 个区域 {' '.join(found.codes)}")

    def _hot(self, options: dict[str, Any]) -> None:
        last = _day(options["end"]) or timezone.localdate()
        started = time.perf_counter()
        issues = hotspots.hot_issues(end=last + timedelta(days=1), days=options["days"])
        took = time.perf_counter() - started
        for rank, h in enumerate(issues, start=1):
            self.stdout.write(f"{rank:>3}. heat {h.heat:>7.2f}  {h.orders:>4} 件 (上期 {h.previous})  "
                              f"{h.requesters} 人  {h.category[1]} · {h.region[1]}  {h.label}")
        self.stdout.write(f"{len(issues)} hot issue(s) in {took:.2f} s")

    def _bench(self, options: dict[str, Any]) -> None:
        """Each round: the six charts of one dashboard for a random period and filter, timed one by one."""
        import random

        rng = random.Random(7)
        cells = DailyVolume.objects.count()
        last = DailyVolume.objects.order_by("-day").values_list("day", flat=True).first() or timezone.localdate()
        first = DailyVolume.objects.order_by("day").values_list("day", flat=True).first() or last
        names = dashboard.Names.load()
        categories = [c for c, _ in names.categories.values()]
        regions = [c for c, _, _ in names.regions.values()]
        timings: list[float] = []
        span = max(0, (last - first).days - options["days"])
        for _ in range(options["rounds"]):
            end = last - timedelta(days=rng.randint(0, span))
            params = {"start": (end - timedelta(days=options["days"] - 1)).isoformat(), "end": end.isoformat()}
            pick = rng.random()
            if pick < 0.3 and categories:
                params["category"] = rng.choice(categories)
            elif pick < 0.6 and regions:
                params["region"] = rng.choice(regions)
            filters = dashboard.parse_filters(params, today=last)
            for by in ("day", "channel", "appeal_type", "category", "region", "unit"):
                started = time.perf_counter()
                dashboard.volume(filters, by)
                timings.append((time.perf_counter() - started) * 1000)
        self.stdout.write(f"database {connection.vendor}; rollup cells {cells}; {len(timings)} queries over "
                          f"{options['days']} days each: p50 {_percentile(timings, .5):.1f} ms, p95 "
                          f"{_percentile(timings, .95):.1f} ms, max {max(timings):.1f} ms")
