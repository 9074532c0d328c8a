"""``hotline bench scale``: the figures of issue 7 at 100,000 to 10,000,000 orders (docs/scale.md).

For each database asked for (SQLite, PostgreSQL or both), on the benchmark's own database — the SQLite
file ``var/bench/scale-<N>.sqlite3`` or the PostgreSQL database ``hotline_scale_<N>``, never the
developer's ``var/db.sqlite3`` — in fresh processes (``python -m bench.scale PHASE``):

1. ``generate``: migrate, the benchmark city (40 handling units, as ``bench lifecycle``), and N orders by
   ``hotline.demo`` (templates through the services, the rest by the bulk path), their ``now`` one day
   before the real one; orders/s. ``--reuse`` keeps a database that already holds N orders.
2. ``measure``, each piece that exists (a missing one is reported "not available yet (…)"):
   - the rollup build: each app's full refresh / rebuild (assessment, analytics);
   - a month's assessment of all units: ``unit_figures`` for the last full month, median of 5;
   - the monthly bulletin for that month: built, then Excel and PDF separately;
   - dashboard queries: the analytics JSON endpoints with a spread of filters, 100 calls, p50 / p95;
   - the tick's upkeep: one more day of orders and events (``hotline.demo.bulk_day``, ≈ N/450 orders)
     and then the tick's rollup steps, timed;
   - the early-warning scan.

A table is printed and every figure saved as JSON under var/bench/ (after each database).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
DB_NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
#: the targets of issue 7 (seconds)
TARGETS = {"assessment": 2.0, "bulletin": 10.0, "dashboard_p95": 0.2, "tick_upkeep": 60.0}


class BenchError(Exception):
    pass


@dataclass
class Options:
    orders: int = 100_000
    db: str = "sqlite"
    reuse: bool = False
    templates: int | None = None
    profile: str = "ziyang"
    seed: int = 7
    calls: int = 100
    whole_tick: bool = True
    sqlite_path: Path | None = None
    postgres_url: str | None = None
    save_dir: Path = BASE_DIR / "var" / "bench"
    dbs: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.dbs = ["sqlite", "postgres"] if self.db == "both" else [self.db]
        if self.sqlite_path is None:
            self.sqlite_path = BASE_DIR / "var" / "bench" / f"scale-{self.orders}.sqlite3"
        if self.postgres_url is None:
            self.postgres_url = f"postgres://postgres@127.0.0.1:5432/hotline_scale_{self.orders}"


# --- the databases (the lifecycle benchmark's helpers) -------------------------------------------------

def _prepare(db: str, options: Options, say: Callable[[str], None]) -> tuple[str, dict[str, Any], bool]:
    """The benchmark database's URL, what it is, and whether it is reused as it stands."""
    from bench import lifecycle

    assert options.sqlite_path is not None and options.postgres_url is not None
    life = lifecycle.Options(sqlite_path=options.sqlite_path, postgres_url=options.postgres_url)
    if options.reuse:
        url, about = _existing(db, options)
        if url:
            env = lifecycle.environment(url, life)
            try:
                found = _phase("count", {}, env)
            except BenchError:
                found = {"orders": 0}
            if found.get("orders", 0) >= options.orders and found.get("now"):
                say(f"[{DB_NAMES[db]}] reusing {about}: {found['orders']:,} orders present")
                return url, {**about, "reused": True, "now": found["now"]}, True
            say(f"[{DB_NAMES[db]}] {about} holds {found.get('orders', 0):,} orders: made again")
    url, about = lifecycle.recreate(db, life)
    return url, about, False


def _existing(db: str, options: Options) -> tuple[str, dict[str, Any]]:
    from urllib.parse import urlsplit

    assert options.sqlite_path is not None and options.postgres_url is not None
    if db == "sqlite":
        path = options.sqlite_path.resolve()
        if path == (BASE_DIR / "var" / "db.sqlite3").resolve():
            raise BenchError("the benchmark never runs on the developer's var/db.sqlite3")
        return (f"sqlite:///{path}" if path.exists() else ""), {"path": str(path)}
    return options.postgres_url, {"database": urlsplit(options.postgres_url).path.lstrip("/")}


def _env(url: str, options: Options) -> dict[str, str]:
    from bench import lifecycle

    env = lifecycle.environment(url, lifecycle.Options(profile=options.profile))
    env["HOTLINE_SECRET_KEY"] = "bench-scale-not-a-secret-" + "x" * 40
    return env


def _phase(phase: str, spec: dict[str, Any], env: dict[str, str], say: Callable[[str], None] | None = None
           ) -> dict[str, Any]:
    """One phase in a fresh process on the benchmark database; its progress lines are passed on."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = Path(out.name)
    try:
        process = subprocess.Popen([sys.executable, "-m", "bench.scale", phase, "--spec", json.dumps(spec),
                                    "--out", str(path)], cwd=BASE_DIR, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        tail: list[str] = []
        assert process.stdout is not None
        for line in process.stdout:
            tail = [*tail[-30:], line.rstrip()]
            if say is not None and line.startswith("  "):
                say(line.rstrip())
        if process.wait() != 0:
            raise BenchError(f"bench scale {phase} failed (exit {process.returncode}):\n" + "\n".join(tail[-25:]))
        result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return result
    finally:
        path.unlink(missing_ok=True)


# --- the whole benchmark ----------------------------------------------------------------------------

def run(options: Options, say: Callable[[str], None] = print) -> dict[str, Any]:
    from bench.lifecycle import machine

    if options.orders < 1:
        raise BenchError("--orders must be at least 1")
    started = time.perf_counter()
    report: dict[str, Any] = {"workload": "scale", "issue": 7, "orders": options.orders, "profile": options.profile,
                              "targets_s": TARGETS, "machine": machine(), "results": {}}
    keep = options.save_dir / f"scale-{options.orders}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    keep.parent.mkdir(parents=True, exist_ok=True)

    def save() -> None:
        keep.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8")

    for db in options.dbs:
        try:
            report["results"][db] = bench_database(db, options, say)
        except BenchError as exc:
            say(f"[{DB_NAMES[db]}] failed: {exc}")
            report["results"][db] = {"error": str(exc)}
        save()
    report["seconds"] = time.perf_counter() - started
    if hasattr(os, "getloadavg"):
        report["machine"]["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
    if all("error" in r for r in report["results"].values()):
        raise BenchError("; ".join(r["error"] for r in report["results"].values()))
    report["saved_to"] = str(keep)
    save()
    return report


def bench_database(db: str, options: Options, say: Callable[[str], None]) -> dict[str, Any]:
    url, about, reused = _prepare(db, options, say)
    env = _env(url, options)
    name = DB_NAMES[db]
    if reused:
        generated: dict[str, Any] = {"reused": True, "now": about["now"]}
    else:
        say(f"[{name}] generating {options.orders:,} orders …")
        generated = _phase("generate", {"orders": options.orders, "templates": options.templates,
                                        "profile": options.profile, "seed": options.seed}, env, say)
        say(f"[{name}] {generated['orders']:,} orders in {generated['seconds']:.0f} s "
            f"({generated['orders_per_s']:,.0f} orders/s; {generated['templates']:,} through the services)")
    say(f"[{name}] measuring …")
    measured = _phase("measure", {"now": generated["now"], "calls": options.calls, "profile": options.profile,
                                  "whole_tick": options.whole_tick}, env, say)
    return {"database": about, "generate": generated, **measured}


# --- the phases (inside Django, on the benchmark database) ---------------------------------------------

def _say(line: str) -> None:
    print(f"  {line}", flush=True)


def phase_count(spec: dict[str, Any]) -> dict[str, Any]:
    from django.db.models import Max

    from hotline.orders.models import Order

    try:
        found = Order.objects.aggregate(n=Max("pk"), last=Max("received_at"))
    except Exception:          # not migrated
        return {"orders": 0}
    orders = Order.objects.count() if found["n"] else 0
    meta = _meta_path()
    now = json.loads(meta.read_text())["now"] if meta.exists() else None
    return {"orders": orders, "now": now}


def _meta_path() -> Path:
    """Beside a SQLite file, or per PostgreSQL database: when the data's day ends (reuse needs it)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        return Path(str(connection.settings_dict["NAME"])).with_suffix(".scale.json")
    return BASE_DIR / "var" / "bench" / f"{connection.settings_dict['NAME']}.scale.json"


def phase_generate(spec: dict[str, Any]) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db.models import F
    from django.utils import timezone

    from bench.worker import bench_city
    from hotline.demo import default_templates, demo_load
    from hotline.orders.models import Event, Order

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    city = bench_city()
    now = timezone.now().replace(microsecond=0) - timedelta(days=1)   # the benchmark's tick adds the next day
    templates = spec["templates"] or default_templates(spec["orders"])
    load_started = time.perf_counter()
    result = demo_load(orders=spec["orders"], templates=templates, profile=spec["profile"], seed=spec["seed"],
                       now=now, city=city, progress=_say)
    seconds = time.perf_counter() - load_started
    # the benchmark's clock ends at ``now`` (a day ago): the template events the services recorded at the
    # real time are recorded when they happened, as the copies' are, or every rollup cursor that keeps
    # "recently recorded" events for the next run would find the whole history recent
    Event.objects.filter(recorded_at__gt=now).update(recorded_at=F("at"))
    _meta_path().write_text(json.dumps({"now": now.isoformat(), "orders": spec["orders"]}))
    made = result.orders - result.copies
    oldest = Order.objects.order_by("received_at").values_list("received_at", flat=True).first()
    return {"now": now.isoformat(), "orders": result.orders, "templates": made, "copies": result.copies,
            "events": Event.objects.count(), "seconds": seconds, "orders_per_s": result.orders / seconds,
            "copy_seconds": result.copy_seconds,
            "copies_per_s": result.copies / result.copy_seconds if result.copy_seconds else None,
            "setup_seconds": load_started - started, "stopped_early": result.stopped_early,
            "oldest": oldest.isoformat() if oldest else None}


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def _missing(why: str) -> dict[str, Any]:
    return {"missing": f"not available yet ({why})"}


def _failed(exc: BaseException) -> dict[str, Any]:
    tail = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return {"failed": tail[:300]}


def _step(name: str, fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run one measurement; a piece that is not there says so, one that breaks says how."""
    _say(f"{name} …")
    try:
        out = fn()
    except ImportError as exc:
        out = _missing(f"{exc.name or exc}")
    except Exception as exc:  # noqa: BLE001 - a broken piece is reported, the others still measured
        out = _failed(exc)
    _say(f"{name}: {_brief(out)}")
    return out


def _brief(out: dict[str, Any]) -> str:
    if "missing" in out or "failed" in out:
        return str(out.get("missing") or out.get("failed"))
    return ", ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in out.items()
                     if not isinstance(v, (dict, list)))


def _last_full_month(now: datetime) -> str:
    from django.utils import timezone

    local = timezone.localtime(now).date().replace(day=1) - timedelta(days=1)
    return f"{local:%Y-%m}"


def phase_measure(spec: dict[str, Any]) -> dict[str, Any]:
    from django.apps import apps
    from django.utils import timezone

    now = datetime.fromisoformat(spec["now"])
    month = _last_full_month(now)
    out: dict[str, Any] = {"month": month, "apps": {a: apps.is_installed(f"hotline.{a}")
                                                     for a in ("assessment", "analytics", "early_warning")}}
    # the builds run at the real time (the data end a day before it): nothing of the history counts as
    # "recorded just now", which a rollup would read again on its next run
    real = timezone.now()
    out["rollup_build"] = {
        "assessment": _step("rollup build: assessment", lambda: _assessment_build(real)),
        "analytics": _step("rollup build: analytics", lambda: _analytics_build(real)),
    }
    out["assessment"] = _step(f"assessment of all units, {month}", lambda: _assessment(month))
    out["bulletin"] = _step(f"bulletin {month}", lambda: _bulletin(month, now))
    out["dashboard"] = _step("dashboard queries", lambda: _dashboard(spec["calls"], now))
    day = max(1, _orders() // 400)        # a day's worth: ~N/400 orders with a step that day
    out["tick"] = _step("one more day, then the tick's rollup steps",
                        lambda: _tick(now + timedelta(days=1), day, spec.get("whole_tick", True)))
    out["early_warning"] = _step("early-warning scan", lambda: _warnings(now + timedelta(days=1)))
    from hotline.orders.models import Event, Order

    out["orders_present"], out["events_present"] = Order.objects.count(), Event.objects.count()
    if "day_orders" in out["tick"]:    # the data now end a day later: a reuse adds the day after
        meta = _meta_path()
        known = json.loads(meta.read_text()) if meta.exists() else {}
        meta.write_text(json.dumps({**known, "now": (now + timedelta(days=1)).isoformat()}))
    return out


def _installed(app: str) -> None:
    from django.apps import apps

    if not apps.is_installed(f"hotline.{app}"):
        raise ImportError(f"hotline.{app} is not in INSTALLED_APPS", name=f"hotline.{app} (not installed)")


def _assessment_build(now: datetime) -> dict[str, Any]:
    _installed("assessment")
    from hotline.assessment.services import assessment_refresh

    seconds, result = _timed(lambda: assessment_refresh(now=now))
    return {"seconds": seconds, "orders": result.orders, "unit_days": result.unit_days}


def _analytics_build(now: datetime) -> dict[str, Any]:
    _installed("analytics")
    from hotline.analytics.rollup import rollup_rebuild

    seconds, result = _timed(lambda: rollup_rebuild(now=now))
    return {"seconds": seconds, "orders": result.orders_read, "cells": result.cells_changed}


def _assessment(month: str) -> dict[str, Any]:
    _installed("assessment")
    from hotline.assessment.selectors import unit_figures

    samples, units = [], 0
    for _ in range(5):
        seconds, figures = _timed(lambda: list(unit_figures(month)))
        samples.append(seconds)
        units = len(figures)
    return {"seconds": statistics.median(samples), "units": units, "samples": samples}


def _bulletin(month: str, now: datetime) -> dict[str, Any]:
    _installed("assessment")
    from hotline.assessment.bulletin.build import build_bulletin

    built_s, bulletin = _timed(lambda: build_bulletin(month, as_of=now))
    out: dict[str, Any] = {"build_seconds": built_s}
    bulletin_modules = ("hotline.assessment.bulletin.render", "hotline.assessment.bulletin.excel",
                        "hotline.assessment.bulletin.xlsx", "hotline.assessment.bulletin.pdf")
    for kind, names in (("excel", ("render_xlsx", "render_excel", "bulletin_xlsx", "to_xlsx")),
                        ("pdf", ("render_pdf", "bulletin_pdf", "to_pdf"))):
        try:
            render = _find(bulletin_modules, names)
            seconds, data = _timed(partial(render, bulletin))
            out[f"{kind}_seconds"] = built_s + seconds
            out[f"{kind}_bytes"] = len(data) if isinstance(data, (bytes, bytearray)) else None
        except ImportError as exc:
            out[kind] = _missing(str(exc.name or exc))
    return out


def _find(modules: tuple[str, ...], names: tuple[str, ...]) -> Callable[..., Any]:
    """The first function called one of ``names`` in one of ``modules`` (the pieces land one by one)."""
    import importlib

    for module in modules:
        try:
            found = importlib.import_module(module)
        except ImportError:
            continue
        for name in names:
            if callable(getattr(found, name, None)):
                fn: Callable[..., Any] = getattr(found, name)
                return fn
    raise ImportError(f"none of {', '.join(names)}", name=f"a bulletin renderer ({'/'.join(names)})")


def dashboard_params(calls: int, today: date, seed: int = 11) -> list[tuple[str, dict[str, str]]]:
    """``calls`` dashboard requests as people make them: a period (last 7, 30, 90 days, the last month, the
    last 365), one grouping, and half of the time one filter (channel, type, category, region or unit)."""
    import random

    from hotline.directory.models import Category, Region, Unit
    from hotline.orders.models import Channel
    from hotline.rules.vocabulary import AppealType

    rng = random.Random(seed)
    values = {"channel": list(Channel.values), "appeal_type": [t.value for t in AppealType],
              "category": list(Category.objects.values_list("code", flat=True)),
              "region": list(Region.objects.exclude(level="city").values_list("code", flat=True)),
              "unit": list(Unit.objects.filter(active=True).exclude(kind__in=["hotline_office", "government"])
                           .values_list("code", flat=True))}
    first = today.replace(day=1)
    last_month = ((first - timedelta(days=1)).replace(day=1), first - timedelta(days=1))
    periods = [(today - timedelta(days=6), today), (today - timedelta(days=29), today),
               (today - timedelta(days=89), today), last_month, (today - timedelta(days=364), today)]
    by = ["day", "month", "channel", "appeal_type", "category", "region", "unit"]
    out = []
    for k in range(calls):
        start, end = periods[k % len(periods)]
        params = {"start": start.isoformat(), "end": end.isoformat()}
        if rng.random() < 0.5:
            name = rng.choice([n for n, v in values.items() if v])
            params[name] = rng.choice(values[name])
        out.append((by[k % len(by)], params))
    return out


class _Api:
    """The analytics JSON endpoints in process: Django's test client, logged in as the analyst (the
    request's whole path through middleware, the router and the JSON, without the network)."""

    BASE = "/api/v1/analytics/"

    def __init__(self) -> None:
        from django.test import Client

        from hotline.directory.models import User

        user = User.objects.filter(role="analyst").order_by("pk").first()
        if user is None:
            raise ImportError("no analyst user", name="an analyst to log in as")
        self.client = Client(HTTP_HOST="127.0.0.1")
        self.client.force_login(user)

    def get(self, path: str, params: dict[str, str]) -> Any:
        response = self.client.get(self.BASE + path, params, secure=True)
        if response.status_code == 404 and path == "volume":
            raise ImportError(path, name=f"the JSON endpoint {self.BASE}{path}")
        if response.status_code != 200:
            raise RuntimeError(f"{self.BASE}{path}?{params}: {response.status_code} {response.content[:300]!r}")
        return response.json()


def _dashboard(calls: int, now: datetime) -> dict[str, Any]:
    """The dashboards' reads with a spread of filters: through the JSON endpoints the charts fetch when they
    are there, else through the selector they call. The first call of each kind is not counted."""
    _installed("analytics")
    from django.utils import timezone

    from hotline.analytics.dashboard import Names, parse_filters, volume

    today = timezone.localtime(now).date()
    requests = dashboard_params(calls, today)
    call: Callable[[int], Any]
    problems: Callable[[int], Any]
    hot: Callable[[int], Any]
    try:
        api = _Api()
        api.get("volume", {"by": requests[0][0], **requests[0][1]})
    except ImportError:
        def call(k: int) -> Any:
            by, params = requests[k]
            return volume(parse_filters(params, today=today), by, names=Names.load())
        through = "hotline.analytics.dashboard.volume (the selector; no JSON endpoint)"
        problems = partial(_common_problems, today=today, requests=requests)
        hot = partial(_hot_issues, today=today)
    else:
        def call(k: int) -> Any:
            by, params = requests[k]
            return api.get("volume", {"by": by, **params})
        through = f"GET {_Api.BASE}volume (in process)"

        def problems(k: int) -> Any:
            return api.get("common-problems", requests[k][1])

        def hot(k: int) -> Any:
            return api.get("hot-issues", {"days": str((7, 3, 30)[k % 3]),
                                          "end": (today + timedelta(days=1)).isoformat()})
    out = _timed_calls(call, calls)
    out["through"] = through
    out["common_problems"] = _timed_calls(problems, max(5, calls // 10))
    out["hot_issues"] = _timed_calls(hot, max(5, calls // 10))
    return out


def _timed_calls(call: Callable[[int], Any], count: int) -> dict[str, Any]:
    """p50 / p95 of ``count`` calls of one dashboard piece, or why it is not there."""
    from bench.worker import percentiles

    samples = []
    try:
        call(0)                   # not counted: the first call's imports and caches (segmenter, vectoriser)
        for k in range(count):
            started = time.perf_counter()
            call(k)
            samples.append(time.perf_counter() - started)
    except ImportError as exc:
        return _missing(str(exc.name or exc))
    except Exception as exc:  # noqa: BLE001 - reported, the rest still measured
        return _failed(exc)
    found = percentiles(samples)
    return {"p50_s": found["p50"] / 1000, "p95_s": found["p95"] / 1000, "calls": count}


def _common_problems(k: int, *, today: date, requests: list[tuple[str, dict[str, str]]]) -> Any:
    from hotline.analytics.dashboard import parse_filters
    from hotline.analytics.governance import common_problems

    return common_problems(parse_filters(requests[k][1], today=today))


def _hot_issues(k: int, *, today: date) -> Any:
    """The hot-issue page: windows of 7, 3 and 30 days ending today."""
    from hotline.analytics.hotspots import hot_issues

    return hot_issues(end=today + timedelta(days=1), days=(7, 3, 30)[k % 3])


def _orders() -> int:
    from hotline.orders.models import Order

    return Order.objects.count()


def _tick(now: datetime, count: int | None, whole: bool = True) -> dict[str, Any]:
    """A day's activity (N/400 orders with their events, all in the day before ``now``), then the tick's
    rollup steps at ``now``."""
    from hotline.demo import bulk_day
    from hotline.orders.models import Event

    events_before = Event.objects.count()
    insert_s, added = _timed(lambda: bulk_day(now=now, count=count))
    _say(f"  one more day: {added:,} orders in {insert_s:.2f} s")
    out: dict[str, Any] = {"day_orders": added, "day_events": Event.objects.count() - events_before,
                           "insert_seconds": insert_s}
    steps: dict[str, Any] = {}
    from django.apps import apps

    if apps.is_installed("hotline.assessment"):
        from hotline.assessment.services import assessment_refresh

        seconds, result = _timed(lambda: assessment_refresh(now=now))
        steps["assessment_refresh"] = {"seconds": seconds, "orders": result.orders}
        _say(f"  assessment_refresh {seconds:.2f} s ({result.orders} orders)")
    if apps.is_installed("hotline.analytics"):
        from hotline.analytics.rollup import rollup_refresh

        seconds, moved = _timed(lambda: rollup_refresh(now=now))
        steps["analytics_refresh"] = {"seconds": seconds, "orders": moved.orders_read}
        _say(f"  rollup_refresh {seconds:.2f} s ({moved.orders_read} orders)")
    if apps.is_installed("hotline.early_warning"):
        try:
            from hotline.early_warning.scan import warnings_tick
        except ImportError:
            pass
        else:
            seconds, _ = _timed(lambda: warnings_tick(now))
            steps["warnings_tick"] = {"seconds": seconds}
            _say(f"  warnings_tick {seconds:.2f} s")
    if not steps:
        return {**out, **_missing("no rollup installed")}
    out["steps"] = steps
    out["seconds"] = sum(s["seconds"] for s in steps.values())
    if not whole:
        return out
    # then the whole tick once (its rollup steps find nothing left): the services' steps on the open orders;
    # without the suggestion models' weekly retrain, which the first tick on a fresh database would run
    # (a training on every archived order, not upkeep of the figures)
    from django.test.utils import override_settings

    from hotline.orders.automation import tick

    with override_settings(HOTLINE_SUGGEST_RETRAIN_DAYS=0):
        seconds, summary = _timed(lambda: tick(now))
    _say(f"  the whole tick after them {seconds:.2f} s (suggestion retrain off)")
    out["whole_tick_after"] = {"seconds": seconds, "summary": summary, "without": "suggest retrain"}
    return out


def _warnings(now: datetime) -> dict[str, Any]:
    _installed("early_warning")
    from django.core.management import call_command, get_commands

    if "warnings" not in get_commands():
        raise ImportError("hotline warnings", name="the `hotline warnings scan` command")
    from io import StringIO

    seconds, _ = _timed(lambda: call_command("warnings", "scan", "--now", now.isoformat(), stdout=StringIO(),
                                             stderr=StringIO()))
    return {"seconds": seconds, "through": "hotline warnings scan (every kind)"}


PHASES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "count": phase_count, "generate": phase_generate, "measure": phase_measure}


# --- the table --------------------------------------------------------------------------------------

def _s(value: Any) -> str:
    return "—" if value is None else f"{value:,.2f} s" if value >= 0.1 else f"{value * 1000:,.0f} ms"


def _cell(piece: dict[str, Any] | None, get: Callable[[dict[str, Any]], str]) -> str:
    if piece is None:
        return "—"
    if "missing" in piece:
        return "not available yet"
    if "failed" in piece:
        return "failed"
    try:
        return get(piece)
    except (KeyError, TypeError):
        return "—"


def verdicts(result: dict[str, Any]) -> dict[str, bool | None]:
    """Which targets of issue 7 hold (None: not measured)."""
    def get(path: list[str]) -> float | None:
        piece: Any = result
        for key in path:
            if not isinstance(piece, dict) or key not in piece:
                return None
            piece = piece[key]
        return float(piece) if isinstance(piece, (int, float)) else None

    bulletin = [v for v in (get(["bulletin", "excel_seconds"]), get(["bulletin", "pdf_seconds"])) if v is not None]
    # every dashboard endpoint counts: the volume charts, the common problems and the hot issues
    dashboards = [v for v in (get(["dashboard", "p95_s"]), get(["dashboard", "common_problems", "p95_s"]),
                              get(["dashboard", "hot_issues", "p95_s"])) if v is not None]
    figures = {"assessment": get(["assessment", "seconds"]),
               "bulletin": max(bulletin) if bulletin else get(["bulletin", "build_seconds"]),
               "dashboard_p95": max(dashboards) if dashboards else None, "tick_upkeep": get(["tick", "seconds"])}
    return {k: (None if v is None else v < TARGETS[k]) for k, v in figures.items()}


def _tick_step(step: str, r: dict[str, Any]) -> str:
    return _s(r["tick"]["steps"][step]["seconds"])


def table(report: dict[str, Any]) -> str:
    results = {d: r for d, r in report["results"].items() if "error" not in r}
    dbs = list(results)
    m = report["machine"]
    lines = [f"Scale benchmark (issue 7), {report['orders']:,} orders, profile {report['profile']}",
             f"Machine: {m.get('cores')} cores ({m.get('cpu', '?')}), {m.get('memory_gib', '?')} GiB RAM, load "
             f"average at start {m.get('load_at_start', '?')}, at end {m.get('load_at_end', '?')}; "
             f"Django {m.get('django')}, SQLite {m.get('sqlite')}", ""]
    width = 26
    lines.append(f"{'':44}" + "".join(f"{DB_NAMES[d]:>{width}}" for d in dbs))

    def row(label: str, get: Callable[[dict[str, Any]], str]) -> None:
        cells = []
        for d in dbs:
            try:
                cells.append(get(results[d]))
            except (KeyError, TypeError, ValueError):
                cells.append("—")
        lines.append(f"{label:44}" + "".join(f"{c:>{width}}" for c in cells))

    row("generate: orders/s (N orders, s)", lambda r: "reused" if r["generate"].get("reused") else
        f"{r['generate']['orders_per_s']:,.0f} ({r['generate']['seconds']:,.0f} s)")
    row("rollup build: assessment", lambda r: _cell(r["rollup_build"]["assessment"], lambda p: _s(p["seconds"])))
    row("rollup build: analytics", lambda r: _cell(r["rollup_build"]["analytics"], lambda p: _s(p["seconds"])))
    row("assessment of all units, a month (< 2 s)",
        lambda r: _cell(r["assessment"], lambda p: f"{_s(p['seconds'])} ({p['units']} units)"))
    row("bulletin: build", lambda r: _cell(r["bulletin"], lambda p: _s(p["build_seconds"])))
    row("bulletin: Excel, built + written (< 10 s)", lambda r: _cell(r["bulletin"], lambda p: _s(p["excel_seconds"])
                                                                    if "excel_seconds" in p else "not available yet"))
    row("bulletin: PDF, built + written (< 10 s)", lambda r: _cell(r["bulletin"], lambda p: _s(p["pdf_seconds"])
                                                                  if "pdf_seconds" in p else "not available yet"))
    row("dashboard queries p50 / p95 (< 200 ms)", lambda r: _cell(
        r["dashboard"], lambda p: f"{p['p50_s'] * 1000:,.0f} / {p['p95_s'] * 1000:,.0f} ms"))
    row("  common problems p50 / p95", lambda r: _cell(
        r["dashboard"].get("common_problems"), lambda p: f"{p['p50_s'] * 1000:,.0f} / {p['p95_s'] * 1000:,.0f} ms"))
    row("  hot issues (3–30 days) p50 / p95", lambda r: _cell(
        r["dashboard"].get("hot_issues"), lambda p: f"{p['p50_s'] * 1000:,.0f} / {p['p95_s'] * 1000:,.0f} ms"))
    row("one more day: orders / events inserted", lambda r: f"{r['tick']['day_orders']:,} / "
        f"{r['tick']['day_events']:,} ({_s(r['tick']['insert_seconds'])})")
    row("tick's rollup steps after it (< 60 s)", lambda r: _cell(r["tick"], lambda p: _s(p["seconds"])))
    for step in ("assessment_refresh", "analytics_refresh", "warnings_tick"):
        row(f"  {step}", partial(_tick_step, step))
    row("the whole tick after them", lambda r: _s(r["tick"]["whole_tick_after"]["seconds"]))
    row("early-warning scan", lambda r: _cell(r["early_warning"], lambda p: _s(p["seconds"])))
    row("orders / events present", lambda r: f"{r['orders_present']:,} / {r['events_present']:,}")
    lines.append("")
    for d in dbs:
        held = verdicts(results[d])
        text = ", ".join(f"{k} {'holds' if v else 'MISSED' if v is False else 'not measured'}" for k, v in held.items())
        lines.append(f"{DB_NAMES[d]} targets: {text}")
    for d, r in report["results"].items():
        if "error" in r:
            lines.append(f"{DB_NAMES[d]}: not measured: {r['error']}")
        else:
            for key in ("rollup_build", "assessment", "bulletin", "dashboard", "tick", "early_warning"):
                for label, piece in (r[key].items() if key == "rollup_build" else [(key, r[key])]):
                    if isinstance(piece, dict) and ("missing" in piece or "failed" in piece):
                        lines.append(f"  {DB_NAMES[d]} {label}: {piece.get('missing') or piece.get('failed')}")
    lines.append(f"\ntotal time {report['seconds']:.0f} s; every figure: {report.get('saved_to', '--json')}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale")
    parser.add_argument("phase", choices=sorted(PHASES))
    parser.add_argument("--spec", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
    import django

    django.setup()
    result = PHASES[args.phase](json.loads(args.spec))
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(result, out, ensure_ascii=False, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["BenchError", "Options", "run", "table", "verdicts"]
