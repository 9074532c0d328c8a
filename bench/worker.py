"""The benchmark's phases that run inside Django, on the benchmark's own database.

``python -m bench.worker PHASE --spec JSON --out FILE`` with HOTLINE_DATABASE_URL naming the benchmark
database (``bench.lifecycle`` starts it so; never the developer's var/db.sqlite3):

- ``setup``     migrate, the benchmark city (1 hotline office, 40 handling units in a two-level tree,
                8 categories, users for every role), API tokens for the users the workload acts as, and
                the orders present for the read measurement (``hotline.demo``: templates through the
                services, the rest bulk copies);
- ``inprocess`` the lifecycle workload through the services, one transaction per call, one thread (with
                the process's CPU time: on a shared machine, orders per CPU-second move less than per second);
- ``read``      a unit's open orders, newest first, page of 50 (with the count, as the API's page), as
                that unit's handler, through ``order_list_for_user``;
- ``raw``       the same rows by plain SQL (``bench.raw``).

Each phase writes its figures as JSON to FILE.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

OPEN_STATES = ("dispatched", "signed", "return_requested", "extension_requested", "provisional_close_requested",
               "provisionally_closed", "redo")

#: streets added to the demo city's three per district, so that the tree holds 40 handling units
EXTRA_STREETS = {"01": ["东湖街道", "和平街道"], "02": ["北关街道", "红旗街道"], "03": ["凤凰街道", "青山镇"],
                 "04": ["石桥镇", "龙泉乡"]}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50 / p95 / p99 in milliseconds (nearest rank: the smallest sample with at least p% at or below it)."""
    if not samples:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "n": 0}
    ordered = sorted(samples)

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000

    return {"p50": rank(50), "p95": rank(95), "p99": rank(99), "n": len(ordered)}


def bench_city() -> Any:
    """The demo city grown to 40 handling units: 20 under the government (12 departments, 4 companies,
    4 districts) and 20 streets under the districts."""
    from django.contrib.auth.hashers import make_password

    from hotline.directory.models import Region, Unit, User
    from hotline.directory.seed import DEMO_PASSWORD, seed_city

    city = seed_city()
    hashed = make_password(DEMO_PASSWORD)
    for number, names in EXTRA_STREETS.items():
        district = city.units[f"R{number}"]
        assert district.region is not None
        for index, name in enumerate(names, start=4):
            region, _ = Region.objects.get_or_create(code=f"99{number}{index:02d}", defaults={
                "name": name, "level": Region.Level.STREET, "parent": district.region})
            unit, _ = Unit.objects.get_or_create(code=f"R{number}S{index}", defaults={
                "name": f"{district.region.name}{name}", "kind": Unit.Kind.STREET, "parent": district, "region": region})
            city.units[unit.code] = unit
            for suffix, role in (("handler", User.Role.UNIT_HANDLER), ("leader", User.Role.UNIT_LEADER)):
                user, _ = User.objects.get_or_create(username=f"{unit.code.lower()}-{suffix}", defaults={
                    "role": role, "unit": unit, "display_name": f"{unit.name}{'经办人' if suffix == 'handler' else '负责人'}",
                    "password": hashed})
                city.users[user.username] = user
    return city


def handling_units() -> list[str]:
    """Every unit but the hotline office and the city government at the root of the tree."""
    from hotline.directory.models import Unit

    return list(Unit.objects.exclude(kind=Unit.Kind.HOTLINE_OFFICE).exclude(code="GOV")
                .values_list("code", flat=True).order_by("code"))


def phase_setup(spec: dict[str, Any]) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db.models import Count, Q

    from bench.workload import actors
    from hotline.demo import demo_load
    from hotline.directory.models import Category, Unit, User
    from hotline.directory.tokens import token_create
    from hotline.orders.models import Order

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    city = bench_city()
    units = handling_units()
    tokens = {}
    for name in actors(units):
        _, key = token_create(user=User.objects.get(username=name), name="bench lifecycle")
        tokens[name] = key
    loaded = demo_load(orders=spec["read_orders"], profile=spec["profile"], seed=spec["seed"], city=city)
    open_by_unit = (Unit.objects.filter(code__in=units)
                    .annotate(open=Count("lead_orders", filter=Q(lead_orders__state__in=OPEN_STATES)))
                    .order_by("-open", "code").values_list("code", "open"))
    read_unit, read_open = open_by_unit[0]
    second = Unit.objects.filter(code__in=units, parent__code__in=units).count()
    return {"units": units, "tree": {"top": len(units) - second, "second": second},
            "categories": Category.objects.count(), "tokens": tokens, "read_unit": read_unit,
            "read_unit_open_orders": read_open, "orders_present": Order.objects.count(),
            "demo_copies": loaded.copies, "seconds": time.perf_counter() - started,
            "peak_rss_mb": peak_rss_mb()}


def _users() -> dict[str, Any]:
    from hotline.directory.models import User

    return {u.username: u for u in User.objects.select_related("unit")}


def _service_call() -> Callable[[Any, Any, int | None], int | None]:
    from hotline.orders import services
    from hotline.rules.order import Action

    def call(step: Any, user: Any, order_id: int | None) -> int | None:
        body = step.body
        if step.kind == "accept":
            requester = body["requester"]
            result = services.appeal_intake(user=user, channel=body["channel"], appeal_type=body["appeal_type"],
                                            content=body["content"], requester_name=requester["name"],
                                            requester_phone=requester["phone"], category=body["category"],
                                            address=body["address"])
            return result.orders[0].pk
        services.ACTION_SERVICES[Action(step.kind)](order=order_id, user=user, **body)  # type: ignore[operator]
        return order_id

    return call


def phase_inprocess(spec: dict[str, Any]) -> dict[str, Any]:
    from bench.workload import order_plan
    from hotline.rules import profiles

    profile = profiles.get(spec["profile"])
    users, call = _users(), _service_call()
    units = spec["units"]
    for i in range(spec.get("warmup", 0)):            # not timed: first calls load the profile, calendar, code
        order_id = None
        for step in order_plan(i, units=units, seed=spec["seed"] + 57, profile=profile).calls:
            order_id = call(step, users[step.actor], order_id)
    plans = [order_plan(i, units=units, seed=spec["seed"], profile=profile) for i in range(spec["orders"])]
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    first_errors: list[str] = []
    started, cpu_started = time.perf_counter(), time.process_time()
    for plan in plans:
        order_id = None
        for step in plan.calls:
            t0 = time.perf_counter()
            try:
                order_id = call(step, users[step.actor], order_id)
            except Exception as exc:  # noqa: BLE001 - counted and reported, the run goes on
                errors[step.kind] += 1
                if len(first_errors) < 5:
                    first_errors.append(f"{step.kind}: {exc}")
                break
            latencies[step.kind].append(time.perf_counter() - t0)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    calls = sum(len(v) for v in latencies.values())
    return {"orders": len(plans), "calls": calls, "seconds": seconds, "orders_per_s": len(plans) / seconds,
            "cpu_seconds": cpu_seconds, "orders_per_cpu_s": len(plans) / cpu_seconds if cpu_seconds else 0.0,
            "calls_per_s": calls / seconds, "latency_ms": {k: percentiles(v) for k, v in latencies.items()},
            "errors": dict(errors), "first_errors": first_errors, "peak_rss_mb": peak_rss_mb()}


def phase_read(spec: dict[str, Any]) -> dict[str, Any]:
    from bench.workload import handler
    from hotline.directory.models import User
    from hotline.orders.models import Order
    from hotline.orders.selectors import order_list_for_user

    user = User.objects.select_related("unit").get(username=handler(spec["unit"]))
    state = ",".join(OPEN_STATES)
    samples = []
    count = 0
    for i in range(spec["reads"] + 5):
        t0 = time.perf_counter()
        orders = order_list_for_user(user=user, state=state)
        page = list(orders[:50])
        count = orders.count()
        if i >= 5:                                    # the first five warm the caches
            samples.append(time.perf_counter() - t0)
        assert len(page) == min(50, count)
    return {"read_ms": percentiles(samples), "unit": spec["unit"], "open_orders": count,
            "orders_present": Order.objects.count()}


def phase_raw(spec: dict[str, Any]) -> dict[str, Any]:
    from bench import raw
    from bench.workload import order_plan
    from hotline.rules import profiles

    profile = profiles.get(spec["profile"])
    plans = [order_plan(i, units=spec["units"], seed=spec["seed"], profile=profile) for i in range(spec["orders"])]
    return {"batch": raw.run_batch(plans, profile), "per_call": raw.run_per_call(plans, profile)}


def phase_queries(spec: dict[str, Any]) -> dict[str, Any]:
    """The statements each call kind sends (``bench.queries``): every call of ``orders`` orders captured,
    literals replaced by ``?``; counted per kind, the delivery of notifications after commit included."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.workload import order_plan
    from hotline.rules import profiles

    def shape(sql: str) -> str:
        sql = re.sub(r"'[^']*'", "?", sql)
        sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
        sql = re.sub(r"^SELECT .*? FROM", "SELECT … FROM", sql)
        sql = re.sub(r"(SAVEPOINT|RELEASE SAVEPOINT) \S+", r"\1 …", sql)
        return re.sub(r"\((\?|%s)(, (\?|%s))*\)", "(…)", sql)[:200]

    profile = profiles.get(spec["profile"])
    users, call = _users(), _service_call()
    counts: dict[str, list[int]] = defaultdict(list)
    statements: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for i in range(spec["orders"] + spec.get("warmup", 2)):
        order_id = None
        for step in order_plan(i, units=spec["units"], seed=spec["seed"], profile=profile).calls:
            with CaptureQueriesContext(connection) as captured:
                order_id = call(step, users[step.actor], order_id)
            if i >= spec.get("warmup", 2):
                counts[step.kind].append(len(captured.captured_queries))
                for query in captured.captured_queries:
                    statements[step.kind][shape(query["sql"])] += 1
    return {"queries": {k: {"min": min(v), "max": max(v), "mean": sum(v) / len(v), "calls": len(v)}
                        for k, v in counts.items()},
            "statements": {k: {sql: n / len(counts[k]) for sql, n in v.items()} for k, v in statements.items()}}


PHASES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "setup": phase_setup, "inprocess": phase_inprocess, "read": phase_read, "raw": phase_raw,
    "queries": phase_queries}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    parser.add_argument("phase", choices=sorted(PHASES))
    parser.add_argument("--spec", required=True, help="the phase's parameters as JSON")
    parser.add_argument("--out", required=True, help="where to write the figures (JSON)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
    import django

    django.setup()
    result = PHASES[args.phase](json.loads(args.spec))
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(result, out, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
