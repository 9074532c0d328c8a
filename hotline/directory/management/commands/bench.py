"""``hotline bench lifecycle``: the order-lifecycle benchmark (/work/shared/bench/lifecycle.md);
``hotline bench scale``: issue 7's figures at 100,000 to 10,000,000 orders (docs/scale.md).

The code lives in the repository's ``bench/`` package (``bench.lifecycle``); this command parses the
options, runs it and prints the table (or ``--json``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def _bench_on_path() -> None:
    """``bench/`` sits beside ``hotline/`` at the top of the repository, outside the installed package."""
    root = str(Path(settings.BASE_DIR))
    if root not in sys.path:
        sys.path.insert(0, root)


class Command(BaseCommand):
    help = ("性能基准：工单全流程 / benchmark: the order lifecycle (accept, dispatch, sign, reply, evaluate, archive, "
            "with returns, extensions and redos) in process and over HTTP, on SQLite and PostgreSQL, against the "
            "database's raw write limit")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("workload", choices=["lifecycle", "scale"],
                            help="the workload: lifecycle, or scale (issue 7's figures at N orders, docs/scale.md)")
        parser.add_argument("--orders", type=int, default=None,
                            help="orders per run (default 2000); scale: orders present (default 100000)")
        parser.add_argument("--db", "--database", dest="db", choices=["sqlite", "postgres", "both"], default="sqlite")
        parser.add_argument("--reuse", action="store_true",
                            help="scale: keep a benchmark database that already holds the orders")
        parser.add_argument("--templates", type=int, default=None,
                            help="scale: orders made through the services, the rest bulk copies (default ≤ 2000)")
        parser.add_argument("--calls", type=int, default=100, help="scale: dashboard calls measured (default 100)")
        parser.add_argument("--no-whole-tick", action="store_true",
                            help="scale: time only the tick's rollup steps, not the whole tick after them")
        parser.add_argument("--mode", choices=["inprocess", "http", "both"], default="inprocess")
        parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients (default 8)")
        parser.add_argument("--runs", type=int, default=3, help="runs; every figure is their median (default 3)")
        parser.add_argument("--read-orders", type=int, default=20000,
                            help="orders present before the read measurement (default 20000)")
        parser.add_argument("--reads", type=int, default=200, help="reads measured per run and mode (default 200)")
        parser.add_argument("--warmup", type=int, default=8, help="orders run first and not counted (default 8)")
        parser.add_argument("--profile", default=None, help="the rulebook (default settings.HOTLINE_PROFILE)")
        parser.add_argument("--sqlite-path", default=None, help="the benchmark's SQLite file (default var/bench/lifecycle.sqlite3)")
        parser.add_argument("--postgres-url", default=None,
                            help="the benchmark's PostgreSQL database, dropped and recreated "
                                 "(default postgres://postgres@127.0.0.1:5432/hotline_bench)")
        parser.add_argument("--server", choices=["auto", "runserver", "gunicorn"], default="auto",
                            help="the HTTP server (auto: gunicorn when installed, else runserver --noreload)")
        parser.add_argument("--save-dir", default=None, help="where the JSON report is kept (default var/bench)")
        parser.add_argument("--json", action="store_true", help="print every figure as JSON (for machines)")

    def handle(self, *args: Any, **options: Any) -> None:
        _bench_on_path()
        if options["workload"] == "scale":
            self._scale(options)
            return
        from bench.lifecycle import DEFAULT_POSTGRES, DEFAULT_SQLITE, BenchError, Options, run, table

        opts = Options(orders=options["orders"] or 2000, db=options["db"], mode=options["mode"], clients=options["clients"],
                       runs=options["runs"], read_orders=options["read_orders"], reads=options["reads"],
                       warmup=options["warmup"], profile=options["profile"] or settings.HOTLINE_PROFILE,
                       sqlite_path=Path(options["sqlite_path"]) if options["sqlite_path"] else DEFAULT_SQLITE,
                       postgres_url=options["postgres_url"] or DEFAULT_POSTGRES, server=options["server"])
        if options["save_dir"]:
            opts.save_dir = Path(options["save_dir"])
        try:   # progress on stderr, the figures on stdout
            report = run(opts, say=lambda line: self.stderr.write(line))
        except BenchError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        else:
            self.stdout.write(table(report))

    def _scale(self, options: dict[str, Any]) -> None:
        from bench.scale import BenchError, Options, run, table

        opts = Options(orders=options["orders"] or 100_000, db=options["db"], reuse=options["reuse"],
                       templates=options["templates"], calls=options["calls"],
                       whole_tick=not options["no_whole_tick"],
                       profile=options["profile"] or settings.HOTLINE_PROFILE,
                       sqlite_path=Path(options["sqlite_path"]) if options["sqlite_path"] else None,
                       postgres_url=options["postgres_url"])
        if options["save_dir"]:
            opts.save_dir = Path(options["save_dir"])
        try:
            report = run(opts, say=lambda line: self.stderr.write(line))
        except BenchError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        else:
            self.stdout.write(table(report))
