"""``hotline bench_pages``: how fast the workbench pages answer at the demo's size (target: under 200 ms).

    hotline bench_pages                       # demo-sized SQLite file var/bench/pages-<profile>-<orders>.sqlite3
    hotline bench_pages --orders 2000 --runs 30
    hotline bench_pages --database-url postgres://postgres@127.0.0.1:5432/hotline_pages
    hotline bench_pages --here                # the database this process is configured with, as it is

The measuring is done in a child process on the benchmark database (see ``hotline.web.bench``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotline.web import bench


def _default_orders() -> int:
    try:
        from hotline.demo import DEFAULT_ORDERS
    except ImportError:
        return 300
    return int(DEFAULT_ORDERS)


class Command(BaseCommand):
    help = ("页面速度基准：以各角色用户请求主要工作台页面，给出 p50/p95 毫秒数和 SQL 查询数 / page-speed benchmark: "
            "each main page requested as its user (Django test client, in process), p50/p95 ms and SQL queries; "
            "target under 200 ms at the demo's size")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orders", type=int, default=_default_orders(),
                            help="orders in the benchmark database (default: the demo's size, %(default)s)")
        parser.add_argument("--runs", type=int, default=20, help="timed requests per page (default %(default)s)")
        parser.add_argument("--profile", default=None, help="the rulebook (default settings.HOTLINE_PROFILE)")
        parser.add_argument("--database-url", default=None,
                            help="the benchmark database (default sqlite:///var/bench/pages-<profile>-<orders>.sqlite3); "
                                 "filled with the demo when it holds no orders, else reused as it is")
        parser.add_argument("--rebuild", action="store_true", help="start the SQLite benchmark file afresh")
        parser.add_argument("--here", action="store_true",
                            help="measure on the database this process is configured with (HOTLINE_DATABASE_URL), "
                                 "without a child process")
        parser.add_argument("--queries", action="store_true", help="print the SQL statements each page repeats")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["orders"] < 1 or options["runs"] < 1:
            raise CommandError("--orders 和 --runs 须为正数 / --orders and --runs must be positive")
        profile = options["profile"] or settings.HOTLINE_PROFILE
        if options["here"]:
            self._measure(options, profile)
            return
        url = options["database_url"] or self._sqlite_url(profile, options["orders"], options["rebuild"])
        if options["rebuild"] and options["database_url"]:
            raise CommandError("--rebuild 只用于默认的 SQLite 文件 / --rebuild only starts the default SQLite file "
                               "afresh; empty the database of --database-url yourself")
        self.stderr.write(f"benchmark database: {url}")
        self._child(url, profile, options)

    # --- the parent: the benchmark database, then a child process on it -----------------------------------

    def _sqlite_url(self, profile: str, orders: int, rebuild: bool) -> str:
        path = Path(settings.BASE_DIR) / "var" / "bench" / f"pages-{profile}-{orders}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if rebuild:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"

    def _child(self, url: str, profile: str, options: dict[str, Any]) -> None:
        env = {**os.environ, "HOTLINE_DATABASE_URL": url, "HOTLINE_PROFILE": profile, "HOTLINE_DEBUG": "0",
               "HOTLINE_SECRET_KEY": os.environ.get("HOTLINE_SECRET_KEY") or "bench-pages-not-a-secret-" + "x" * 40,
               "HOTLINE_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
               "HOTLINE_NOTIFY_BACKEND": "hotline.notify.backends.ConsoleBackend"}
        argv = [sys.executable, "-m", "hotline.cli.main", "bench_pages", "--here", "--orders", str(options["orders"]),
                "--runs", str(options["runs"]), "--profile", profile]
        argv += ["--queries"] if options["queries"] else []
        argv += ["--json"] if options["json"] else []
        done = subprocess.run(argv, env=env, cwd=settings.BASE_DIR, check=False, stdout=subprocess.PIPE, text=True)
        self.stdout.write(done.stdout, ending="")
        if done.returncode != 0:
            raise CommandError(f"the benchmark process stopped with exit status {done.returncode}")

    # --- the child: measure ---------------------------------------------------------------------------

    def _measure(self, options: dict[str, Any], profile: str) -> None:
        def say(line: str) -> None:
            self.stderr.write(line)

        try:
            data, results = bench.run(orders=options["orders"], runs=options["runs"], profile=profile, say=say)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps({"profile": profile, "database": data, "runs": options["runs"],
                                          "cpus": os.cpu_count(), "load_average": list(os.getloadavg()),
                                          "target_ms": bench.TARGET_MS, "pages": bench.as_json(results)},
                                         ensure_ascii=False, indent=2))
            return
        from django.db import connection

        load = " / ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
        self.stdout.write(f"profile {profile} · {connection.vendor} · {data} · {options['runs']} timed requests "
                          f"per page after {bench.WARMUP} warm-up · Django test client, in process · "
                          f"{os.cpu_count()} CPUs, load average {load}")
        self.stdout.write(bench.table(results, queries=options["queries"]))
        over = [r for r in results if r.over]
        if over:
            self.stdout.write(f"{len(over)} page(s) over {bench.TARGET_MS:.0f} ms at p95: "
                              + ", ".join(r.spec.label.strip() for r in over))
        else:
            self.stdout.write(f"every page under {bench.TARGET_MS:.0f} ms at p95")
