"""``hotline bench lifecycle``: the order-lifecycle workload of /work/shared/bench/lifecycle.md.

For each database asked for (SQLite, PostgreSQL or both):

1. a dedicated database is recreated by migrating — the SQLite file ``var/bench/lifecycle.sqlite3`` or the
   PostgreSQL database ``hotline_bench`` — never the developer's ``var/db.sqlite3``;
2. ``setup`` (in a subprocess on that database, ``bench.worker``): the city (1 hotline office, 40 handling
   units in a two-level tree, 8 categories, users for every role), API tokens, and 20,000 orders in mixed
   states for the read measurement (``--read-orders``);
3. each of ``--runs`` runs, in this order:
   - read: a unit's open orders, newest first, page of 50, in process (selectors) and over HTTP;
   - in process: N orders through the services, one transaction per call, in a fresh process;
   - over HTTP: a fresh server on 127.0.0.1, ``--clients`` threads with keep-alive connections, N orders;
     the latency of every call, the server's peak RSS;
   - raw: the same rows by plain SQL (``bench.raw``), one transaction per step with executemany, and one
     transaction per call;
4. every figure is the median of the runs; the machine (cores, memory, load) is named.

A few orders (``--warmup``, not counted) go first in each mode, so that the first call's imports and the
profile and calendar caches are not in the figures. The orders a run makes stay in the database: run k
starts with 20,000 + (k-1)·2N orders present.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench import http as bench_http
from bench.workload import CALL_TYPES, handler, order_plan

BASE_DIR = Path(__file__).resolve().parent.parent
SPEC = "/work/shared/bench/lifecycle.md"
DEFAULT_SQLITE = BASE_DIR / "var" / "bench" / "lifecycle.sqlite3"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/hotline_bench"
OPEN_STATES = ("dispatched", "signed", "return_requested", "extension_requested", "provisional_close_requested",
               "provisionally_closed", "redo")
DB_NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


class BenchError(Exception):
    pass


@dataclass
class Options:
    orders: int = 2000
    db: str = "sqlite"
    mode: str = "inprocess"
    clients: int = 8
    runs: int = 3
    read_orders: int = 20000
    reads: int = 200
    warmup: int = 8
    profile: str = "ziyang"
    sqlite_path: Path = DEFAULT_SQLITE
    postgres_url: str = DEFAULT_POSTGRES
    server: str = "auto"
    seed: int = 1
    save_dir: Path = BASE_DIR / "var" / "bench"
    dbs: list[str] = field(default_factory=list)
    modes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.dbs = ["sqlite", "postgres"] if self.db == "both" else [self.db]
        self.modes = ["inprocess", "http"] if self.mode == "both" else [self.mode]


# --- the machine ------------------------------------------------------------------------------------

def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"cores": os.cpu_count(), "python": platform.python_version(),
                            "system": f"{platform.system()} {platform.release()}"}
    try:
        with open("/proc/meminfo") as f:
            total = next(line for line in f if line.startswith("MemTotal:"))
        info["memory_gib"] = round(int(total.split()[1]) / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    if hasattr(os, "getloadavg"):
        info["load_at_start"] = [round(x, 2) for x in os.getloadavg()]
    import sqlite3

    import django
    info["django"] = django.get_version()
    info["sqlite"] = sqlite3.sqlite_version
    return info


# --- databases --------------------------------------------------------------------------------------

def _pg_admin(url: str) -> tuple[str, dict[str, Any]]:
    """The database name of ``url`` and connection arguments for the server's ``postgres`` database."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        raise BenchError(f"--postgres-url {url!r} names no database")
    return name, {"host": parts.hostname or "", "port": parts.port or 5432, "user": parts.username or "",
                  "password": parts.password or "", "dbname": "postgres"}


def recreate(db: str, options: Options) -> tuple[str, dict[str, Any]]:
    """Drop and create the benchmark database; its URL and what it is."""
    if db == "sqlite":
        path = options.sqlite_path.resolve()
        if path == (BASE_DIR / "var" / "db.sqlite3").resolve():
            raise BenchError("the benchmark never runs on the developer's var/db.sqlite3")
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}", {"path": str(path)}
    import psycopg
    from psycopg import sql

    name, admin = _pg_admin(options.postgres_url)
    try:
        with psycopg.connect(**{k: v for k, v in admin.items() if v != ""}, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            version = conn.execute("SHOW server_version").fetchone()
    except psycopg.Error as exc:
        raise BenchError(f"PostgreSQL at {admin['host']}:{admin['port']}: {exc}") from exc
    parts = urlsplit(options.postgres_url)
    url = urlunsplit(("postgres", parts.netloc, f"/{name}", parts.query, ""))
    return url, {"database": name, "server_version": version[0] if version else "?"}


def environment(url: str, options: Options) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env.update({"HOTLINE_DATABASE_URL": url, "HOTLINE_PROFILE": options.profile, "HOTLINE_DEBUG": "0",
                "HOTLINE_SECRET_KEY": "bench-lifecycle-not-a-secret-" + "x" * 40,
                "HOTLINE_ALLOWED_HOSTS": "127.0.0.1,localhost", "DJANGO_SETTINGS_MODULE": "hotline.settings",
                "PYTHONPATH": os.pathsep.join([str(BASE_DIR), *filter(None, [os.environ.get("PYTHONPATH")])])})
    for key in ("HOTLINE_CALENDAR_FILES",):
        if key in os.environ:
            env[key] = os.environ[key]
    return env


def worker(phase: str, spec: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    """Run one phase of ``bench.worker`` in a fresh process on the benchmark database."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = Path(out.name)
    try:
        done = subprocess.run([sys.executable, "-m", "bench.worker", phase, "--spec", json.dumps(spec),
                               "--out", str(path)], cwd=BASE_DIR, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            tail = "\n".join((done.stderr or done.stdout).splitlines()[-25:])
            raise BenchError(f"bench worker {phase} failed (exit {done.returncode}):\n{tail}")
        result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return result
    finally:
        path.unlink(missing_ok=True)


# --- figures ----------------------------------------------------------------------------------------

def percentiles(samples: Sequence[float]) -> dict[str, float]:
    from bench.worker import percentiles as p

    return p(list(samples))


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else 0.0


def _median_latency(runs: Sequence[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    kinds = sorted({k for run in runs for k in run})
    return {k: {p: median([run[k][p] for run in runs if k in run]) for p in ("p50", "p95", "p99")} for k in kinds}


def _median_of(runs: Sequence[dict[str, Any]], keys: Sequence[str]) -> dict[str, float]:
    return {k: median([r[k] for r in runs]) for k in keys}


def summarise(runs: list[dict[str, Any]], options: Options) -> dict[str, Any]:
    """The median of every figure over the runs (with the runs themselves kept for the record)."""
    out: dict[str, Any] = {}
    rates = ("orders_per_s", "calls_per_s", "seconds")
    if "inprocess" in options.modes:
        mine = [r["inprocess"] for r in runs]
        out["inprocess"] = {**_median_of(mine, rates), "orders": options.orders, "calls": mine[0]["calls"],
                            "orders_per_cpu_s": median([r.get("orders_per_cpu_s", 0.0) for r in mine]),
                            "latency_ms": _median_latency([r["latency_ms"] for r in mine]),
                            "peak_rss_mb": median([r["peak_rss_mb"] for r in mine]),
                            "errors": sum(sum(r["errors"].values()) for r in mine)}
    if "http" in options.modes:
        mine = [r["http"] for r in runs]
        out["http"] = {**_median_of(mine, rates), "orders": options.orders, "calls": mine[0]["calls"],
                       "clients": options.clients, "server": mine[0]["server"],
                       "latency_ms": _median_latency([r["latency_ms"] for r in mine]),
                       "server_peak_rss_mb": median([r["server_peak_rss_mb"] for r in mine]),
                       "connections": median([r["connections"] for r in mine]),
                       "errors": sum(sum(r["errors"].values()) for r in mine)}
    out["read"] = {"page_size": 50, "unit": runs[0]["read_inprocess"]["unit"],
                   "open_orders_of_unit": runs[0]["read_inprocess"]["open_orders"],
                   "orders_present": runs[0]["read_inprocess"]["orders_present"],
                   "inprocess_ms": {p: median([r["read_inprocess"]["read_ms"][p] for r in runs]) for p in ("p50", "p95")}}
    if "http" in options.modes:
        out["read"]["http_ms"] = {p: median([r["read_http"][p] for r in runs]) for p in ("p50", "p95")}
    out["raw"] = {way: _median_of([r["raw"][way] for r in runs], rates) for way in ("batch", "per_call")}
    raw = out["raw"]["batch"]["orders_per_s"]
    out["share_of_raw"] = {mode: out[mode]["orders_per_s"] / raw for mode in options.modes if raw}
    out["runs"] = runs
    return out


# --- one database -----------------------------------------------------------------------------------

def bench_database(db: str, options: Options, say: Callable[[str], None],
                   checkpoint: Callable[[dict[str, Any]], None] = lambda partial: None) -> dict[str, Any]:
    from hotline.rules import profiles

    profile = profiles.get(options.profile)
    url, about = recreate(db, options)
    env = environment(url, options)
    say(f"[{DB_NAMES[db]}] setting up: migrate, 40 units, tokens, {options.read_orders:,} orders for the reads …")
    setup = worker("setup", {"profile": options.profile, "read_orders": options.read_orders, "seed": options.seed},
                   env)
    tokens, units = setup.pop("tokens"), setup["units"]
    say(f"[{DB_NAMES[db]}] ready in {setup['seconds']:.0f} s: {len(units)} units ({setup['tree']['top']} + "
        f"{setup['tree']['second']}), {setup['orders_present']:,} orders present")
    runs = []
    for run in range(options.runs):
        seed = options.seed * 100 + run * 2
        result: dict[str, Any] = {}
        result["read_inprocess"] = worker("read", {"unit": setup["read_unit"], "reads": options.reads}, env)
        if "inprocess" in options.modes:
            say(f"[{DB_NAMES[db]}] run {run + 1}/{options.runs}: {options.orders:,} orders in process …")
            result["inprocess"] = worker("inprocess", {"profile": options.profile, "orders": options.orders,
                                                       "seed": seed, "units": units, "warmup": options.warmup}, env)
            _warn_errors(result["inprocess"], "in process", say)
            say(f"    {result['inprocess']['orders_per_s']:.1f} orders/s, {result['inprocess']['calls_per_s']:.0f} calls/s")
        if "http" in options.modes:
            say(f"[{DB_NAMES[db]}] run {run + 1}/{options.runs}: {options.orders:,} orders over HTTP, "
                f"{options.clients} clients …")
            result.update(_http_run(db, run, options, env, tokens, units, setup["read_unit"], seed + 1, profile))
            _warn_errors(result["http"], "over HTTP", say)
            say(f"    {result['http']['orders_per_s']:.1f} orders/s, {result['http']['calls_per_s']:.0f} calls/s, "
                f"server peak {result['http']['server_peak_rss_mb']:.0f} MB")
        result["raw"] = worker("raw", {"profile": options.profile, "orders": options.orders, "seed": seed + 50,
                                       "units": units}, env)
        say(f"    raw: {result['raw']['batch']['orders_per_s']:.0f} orders/s (executemany, one transaction per step), "
            f"{result['raw']['per_call']['orders_per_s']:.0f} orders/s (one transaction per call)")
        runs.append(result)
        checkpoint({"database": about, "setup": setup, "partial": f"{len(runs)} of {options.runs} runs", "runs": runs})
    return {"database": about, "setup": setup, **summarise(runs, options)}


def _warn_errors(result: dict[str, Any], where: str, say: Callable[[str], None]) -> None:
    """Failed calls are counted and shown (an order whose call failed is left there), not fatal."""
    if result["errors"]:
        say(f"    {where}: {sum(result['errors'].values())} calls failed, e.g. " + "; ".join(result["first_errors"]))


def _http_run(db: str, run: int, options: Options, env: dict[str, str], tokens: dict[str, str], units: list[str],
              read_unit: str, seed: int, profile: Any) -> dict[str, Any]:
    log = BASE_DIR / "var" / "bench" / f"server-{db}-{run + 1}.log"
    with bench_http.Server(BASE_DIR, env, log, sys.executable, options.server) as server:
        warm = [order_plan(i, units=units, seed=seed + 57, profile=profile) for i in range(options.warmup)]
        bench_http.run_lifecycle("127.0.0.1", server.port, tokens, warm, min(options.clients, max(1, len(warm))))
        plans = [order_plan(i, units=units, seed=seed, profile=profile) for i in range(options.orders)]
        done = bench_http.run_lifecycle("127.0.0.1", server.port, tokens, plans, options.clients)
        server.sample()
        reads = bench_http.run_reads("127.0.0.1", server.port, tokens[handler(read_unit)], OPEN_STATES, options.reads)
        peak = server.peak_rss_mb()
        kind = server.label
        done["server_log"] = str(log)
    samples = done.pop("samples")
    done.update({"latency_ms": {k: percentiles(v) for k, v in samples.items()}, "server_peak_rss_mb": peak,
                 "server": kind})
    return {"http": done, "read_http": {**percentiles(reads["samples"]), "open_orders": reads["open_orders"]}}


# --- the whole benchmark ----------------------------------------------------------------------------

def run(options: Options, say: Callable[[str], None] = print) -> dict[str, Any]:
    if options.orders < 1 or options.runs < 1 or options.clients < 1:
        raise BenchError("--orders, --runs and --clients must be at least 1")
    started = time.perf_counter()
    report: dict[str, Any] = {
        "workload": "lifecycle", "spec": SPEC, "profile": options.profile, "orders": options.orders,
        "runs": options.runs, "clients": options.clients, "read_orders": options.read_orders, "modes": options.modes,
        "machine": machine(), "figures": "median of the runs", "results": {}}
    keep = options.save_dir / f"lifecycle-{time.strftime('%Y%m%d-%H%M%S')}.json"
    keep.parent.mkdir(parents=True, exist_ok=True)

    def save() -> None:       # after every run: a long benchmark that is stopped keeps what it measured
        keep.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8")

    def checkpoint(db: str) -> Callable[[dict[str, Any]], None]:
        def write(partial: dict[str, Any]) -> None:
            report["results"][db] = partial
            save()
        return write

    for db in options.dbs:
        try:
            report["results"][db] = bench_database(db, options, say, checkpoint(db))
        except BenchError as exc:                       # the other database may still be measured
            say(f"[{DB_NAMES[db]}] failed: {exc}")
            report["results"][db] = {"error": str(exc)}
    report["seconds"] = time.perf_counter() - started
    if hasattr(os, "getloadavg"):          # a shared machine: say how busy it was
        report["machine"]["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
    if all("error" in r for r in report["results"].values()):
        raise BenchError("; ".join(r["error"] for r in report["results"].values()))
    report["saved_to"] = str(keep)
    save()
    return report


# --- the table --------------------------------------------------------------------------------------

def _n(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def table(report: dict[str, Any]) -> str:
    results: dict[str, Any] = {d: r for d, r in report["results"].items() if "error" not in r}
    failed = {d: r["error"] for d, r in report["results"].items() if "error" in r}
    dbs = list(results)
    m = report["machine"]
    lines = [f"Order lifecycle benchmark ({report['spec']}), profile {report['profile']}",
             f"{report['orders']:,} orders per run, median of {report['runs']} run(s); "
             f"{report['read_orders']:,} orders present before the reads",
             f"Machine: {m.get('cores')} cores ({m.get('cpu', '?')}), {m.get('memory_gib', '?')} GiB RAM, "
             f"{m.get('system')}, load average at start {m.get('load_at_start', '?')}, at end "
             f"{m.get('load_at_end', '?')}; Python {m.get('python')}, "
             f"Django {m.get('django')}, SQLite {m.get('sqlite')}"
             + "".join(f", PostgreSQL {r['database'].get('server_version')}" for d, r in results.items()
                       if d == "postgres"), ""]
    width = 22
    head = f"{'':34}" + "".join(f"{DB_NAMES[d]:>{width}}" for d in dbs)
    lines.append(head)

    def row(label: str, get: Callable[[dict[str, Any]], str]) -> None:
        cells = []
        for d in dbs:
            try:
                cells.append(get(results[d]))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("—")
        lines.append(f"{label:34}" + "".join(f"{c:>{width}}" for c in cells))

    if "inprocess" in report["modes"]:
        row("in process   orders/s", lambda r: _n(r["inprocess"]["orders_per_s"]))
        row("             calls/s", lambda r: _n(r["inprocess"]["calls_per_s"], 0))
        row("             orders per CPU-second", lambda r: _n(r["inprocess"]["orders_per_cpu_s"]))
        row("             share of raw limit", lambda r: f"{r['share_of_raw']['inprocess']:.1%}")
    if "http" in report["modes"]:
        row(f"over HTTP    orders/s ({report['clients']} clients)", lambda r: _n(r["http"]["orders_per_s"]))
        row("             calls/s", lambda r: _n(r["http"]["calls_per_s"], 0))
        row("             share of raw limit", lambda r: f"{r['share_of_raw']['http']:.1%}")
        row("             server peak RSS", lambda r: f"{r['http']['server_peak_rss_mb']:.0f} MB ({r['http']['server']})")
    row("raw limit    orders/s", lambda r: _n(r["raw"]["batch"]["orders_per_s"], 0))
    row("  (executemany, 1 txn/step) calls/s", lambda r: _n(r["raw"]["batch"]["calls_per_s"], 0))
    row("raw, 1 txn per call  orders/s", lambda r: _n(r["raw"]["per_call"]["orders_per_s"], 0))
    row("read page of 50  in process p50/p95", lambda r: f"{_n(r['read']['inprocess_ms']['p50'])} / "
        f"{_n(r['read']['inprocess_ms']['p95'])} ms")
    if "http" in report["modes"]:
        row("                 over HTTP  p50/p95", lambda r: f"{_n(r['read']['http_ms']['p50'])} / "
            f"{_n(r['read']['http_ms']['p95'])} ms")
    row("  (unit, its open orders, present)", lambda r: f"{r['read']['unit']}, {r['read']['open_orders_of_unit']}, "
        f"{r['read']['orders_present']:,}")
    row("failed calls (in process / HTTP)", lambda r: f"{r.get('inprocess', {}).get('errors', '—')} / "
        f"{r.get('http', {}).get('errors', '—')}")
    for mode, title in (("http", "Latency per call over HTTP, ms: p50 / p95 / p99"),
                        ("inprocess", "Latency per call in process, ms: p50 / p95 / p99")):
        if mode not in report["modes"]:
            continue
        lines += ["", title, f"{'call':20}" + "".join(f"{DB_NAMES[d]:>{width + 4}}" for d in dbs)]
        kinds = sorted({k for d in dbs for k in results[d][mode]["latency_ms"]},
                       key=lambda k: CALL_TYPES.index(k) if k in CALL_TYPES else len(CALL_TYPES))
        for kind in kinds:
            cells = []
            for d in dbs:
                lat = results[d][mode]["latency_ms"].get(kind)
                cells.append(f"{lat['p50']:.1f} / {lat['p95']:.1f} / {lat['p99']:.1f}" if lat else "—")
            lines.append(f"{kind:20}" + "".join(f"{c:>{width + 4}}" for c in cells))
    for d, error in failed.items():
        lines.append(f"{DB_NAMES[d]}: not measured: {error}")
    lines += ["", f"total time {report['seconds']:.0f} s; every figure and each run: {report.get('saved_to', '--json')}"]
    return "\n".join(lines)
