"""Page speed of the workbenches: each main page requested as its user, p50/p95 in ms and SQL queries.

A benchmark, not a test (issue 4: "pages answer in under 200 ms at the demo's size"). ``hotline bench_pages``
runs it; the steps:

1. The database: by default a SQLite file of its own, ``var/bench/pages-<profile>-<orders>.sqlite3`` (never
   the developer's ``var/db.sqlite3``), or ``--database-url`` (SQLite or PostgreSQL). The command re-runs
   itself in a child process with ``HOTLINE_DATABASE_URL`` pointing there and ``HOTLINE_DEBUG=0`` (templates
   and queries as in production, no debug bookkeeping).
2. An empty database is migrated and filled with ``hotline demo --orders N`` (the demo city and N orders in
   every state, made through the services). A database that holds orders already is reused as it is
   (``--rebuild`` starts the SQLite file afresh). Without the ``demo`` command, :func:`seed_orders` makes a
   simpler set through the services.
3. Each page is requested in process with Django's test client (``Client.get`` after ``force_login``):
   the full middleware stack, view, selectors and template rendering, without the network, the HTTP
   parsing of a real server or static files. Two warm-up requests, then ``runs`` timed ones; the SQL
   queries of one request are counted with ``CaptureQueriesContext``; ``--queries`` prints the statements a
   page repeats (an N+1 shows as one statement run once per row).
"""

from __future__ import annotations

import re
import statistics
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

TARGET_MS = 200.0
WARMUP = 2


@dataclass(frozen=True)
class PageSpec:
    label: str          # what a person calls it
    user: str | None    # the username it is requested as (None: anonymous)
    path: str
    htmx: bool = False  # a fragment fetched by htmx (sent with HX-Request)


@dataclass
class PageResult:
    spec: PageSpec
    status: int
    samples_ms: list[float]
    cpu_ms: list[float]        # CPU time of this process per request: less moved by other loads than wall time
    queries: int
    size: int
    repeated: list[tuple[int, str]] = field(default_factory=list)   # (times, statement shape), most first

    @property
    def p50(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        return percentile(self.samples_ms, 95)

    @property
    def worst(self) -> float:
        return max(self.samples_ms)

    @property
    def best(self) -> float:
        return min(self.samples_ms)

    @property
    def cpu_p50(self) -> float:
        return statistics.median(self.cpu_ms)

    @property
    def over(self) -> bool:
        return self.p95 > TARGET_MS


def percentile(samples: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 20 samples is the 19th smallest)."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * pct // 100))   # ceil
    return ordered[int(rank) - 1]


# --- the database -----------------------------------------------------------------------------------------

def ensure_data(orders: int, profile: str, say: Callable[[str], None]) -> str:
    """Migrate; fill an empty database with the demo (or :func:`seed_orders`). What was done, for the report."""
    from django.core.management import call_command, get_commands

    from hotline.orders.models import Order

    call_command("migrate", verbosity=0, interactive=False)
    present = Order.objects.count()
    if present:
        return f"reused: {present} orders already there"
    started = time.perf_counter()
    if "demo" in get_commands():
        say(f"building the demo database: hotline demo --orders {orders} --profile {profile} …")
        call_command("demo", orders=orders, profile=profile, stdout=_Quiet(), stderr=_Quiet())
        how = "hotline demo"
    else:
        say(f"no `hotline demo` command: seeding {orders} orders through the services …")
        seed_orders(orders)
        how = "seed_orders (services)"
    return f"built with {how} in {time.perf_counter() - started:.0f} s: {Order.objects.count()} orders"


class _Quiet:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def seed_orders(count: int) -> None:
    """A plain stand-in for the demo: the demo city, and ``count`` orders at every step up to the callback."""
    from hotline.directory.seed import CATEGORIES, seed_city
    from hotline.orders import services

    city = seed_city()
    now = timezone.now()
    operator, dispatcher = city.users["operator"], city.users["dispatcher"]
    for index in range(count):
        code, name, _, words, unit = CATEGORIES[index % len(CATEGORIES)]
        at = now - timedelta(hours=3 * (count - index))
        order = services.appeal_intake(
            user=operator, channel="phone", appeal_type="complaint", category=code, at=at,
            content=f"{name}：{words.split()[index % len(words.split())]}问题，请尽快处理（{index}）",
            requester_phone=f"1380000{index % 10000:04d}", requester_name="市民").orders[0]
        step = index % 5
        if step == 0:
            continue
        services.order_dispatch(order=order.pk, user=dispatcher, unit=unit, at=at + timedelta(minutes=30))
        if step == 1:
            continue
        handler = city.staff(unit)
        services.order_sign(order=order.pk, user=handler, at=at + timedelta(hours=1))
        if step >= 3:
            services.order_reply(order=order.pk, user=handler, at=at + timedelta(hours=2),
                                 reply={"time": "当日", "process": "已核查", "result": "已处理", "contact": "已告知"})
        if step == 4:
            services.order_evaluate(order=order.pk, user=operator, evaluation="satisfied", contacted=True,
                                    resolved=True, at=at + timedelta(hours=3))


# --- the pages --------------------------------------------------------------------------------------------

def pages() -> list[PageSpec]:
    """The main pages, each as the user who works in it, on the busiest unit and a well-filled order."""
    from hotline.orders.models import Event, Order

    busiest = (Order.objects.exclude(lead_unit=None).values("lead_unit__code").annotate(n=Count("id"))
               .order_by("-n").first())
    unit_user = f"{busiest['lead_unit__code'].lower()}-handler" if busiest else "d01-handler"
    rich = (Event.objects.values("order_id").annotate(n=Count("id")).order_by("-n", "order_id").first())
    order_id = rich["order_id"] if rich else Order.objects.order_by("pk").values_list("pk", flat=True).first()
    own = (Order.objects.filter(lead_unit__code=busiest["lead_unit__code"]).annotate(n=Count("events"))
           .order_by("-n", "pk").values_list("pk", flat=True).first()) if busiest else order_id
    phone = (Order.objects.exclude(appeal__requester=None).values_list("appeal__requester__phone", flat=True)
             .first()) or "13800000000"
    specs = [
        PageSpec("坐席受理 intake", "operator", "/intake/"),
        PageSpec("  来电历史 lookup (htmx)", "operator", f"/intake/lookup/?requester_phone={phone}", htmx=True),
        PageSpec("  疑似重复 repeats (htmx)", "operator",
                 "/intake/repeats/?content=小区门口路灯坏了一个月无人修&address=幸福路", htmx=True),
        PageSpec("派单 dispatch queue", "dispatcher", "/dispatch/"),
        PageSpec("审核 review queues", "dispatcher", "/dispatch/reviews/"),
        PageSpec("承办工单 unit inbox", unit_user, "/unit/"),
        PageSpec("  inbox: overdue tab", unit_user, "/unit/?tab=overdue"),
        PageSpec("工单 order page (unit)", unit_user, f"/orders/{own}/"),
        PageSpec("工单 order page (supervisor)", "supervisor", f"/orders/{order_id}/"),
        PageSpec("工单查询 order search", "dispatcher", "/orders/"),
        PageSpec("  search: text", "dispatcher", "/orders/?q=小区"),
        PageSpec("督办 supervision board", "supervisor", "/supervision/"),
        PageSpec("回访 callback queue", "operator", "/callbacks/"),
        PageSpec("  callbacks + screening", "supervisor", "/callbacks/"),
        PageSpec("市民 portal home", None, "/portal/"),
        PageSpec("  portal: submit form", None, "/portal/submit/"),
        PageSpec("  portal: track form", None, "/portal/track/"),
        PageSpec("登录 login", None, "/login/"),
    ]
    return specs


_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")
_IN_LIST = re.compile(r"IN \((?:\s*(?:%s|\?|\d+|'[^']*')\s*,?)+\)")


def shape(sql: str) -> str:
    """A statement with its literals replaced, so that one statement per row counts as one shape."""
    return _IN_LIST.sub("IN (…)", _LITERALS.sub("?", sql))[:300]


def measure(spec: PageSpec, runs: int, users: dict[str, Any]) -> PageResult:
    client = Client()
    if spec.user is not None:
        client.force_login(users[spec.user])
    headers = {"HX-Request": "true"} if spec.htmx else {}
    for _ in range(WARMUP):
        client.get(spec.path, headers=headers)
    samples: list[float] = []
    cpu: list[float] = []
    status = size = 0
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(spec.path, headers=headers)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        status, size = response.status_code, len(response.content)
    with CaptureQueriesContext(connection) as captured:
        client.get(spec.path, headers=headers)
    shapes = Counter(shape(q["sql"]) for q in captured.captured_queries)
    repeated = [(n, s) for s, n in shapes.most_common() if n > 1]
    return PageResult(spec, status, samples, cpu, len(captured.captured_queries), size, repeated)


def run(*, orders: int, runs: int, profile: str, say: Callable[[str], None] = print) -> tuple[str, list[PageResult]]:
    from hotline.directory.models import User

    data = ensure_data(orders, profile, say)
    specs = pages()
    wanted = {s.user for s in specs if s.user}
    users = {u.username: u for u in User.objects.filter(username__in=wanted)}
    missing = wanted - users.keys()
    if missing:
        raise LookupError(f"the benchmark's users are missing from the database: {', '.join(sorted(missing))}")
    return data, [measure(spec, runs, users) for spec in specs]


def _pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


def table(results: Sequence[PageResult], *, queries: bool = False) -> str:
    lines = [f"{_pad('page', 34)} {'user':14} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'min ms':>7} {'max ms':>8} "
             f"{'CPU p50':>8} {'SQL':>5} {'KB':>6}"]
    for r in results:
        flag = "  ← over 200 ms" if r.over else ""
        lines.append(f"{_pad(r.spec.label, 34)} {r.spec.user or '(public)':14} {r.status:>6} {r.p50:8.1f} {r.p95:8.1f} "
                     f"{r.best:7.1f} {r.worst:8.1f} {r.cpu_p50:8.1f} {r.queries:5d} {r.size / 1024:6.1f}{flag}")
        if queries:
            for n, statement in r.repeated[:5]:
                lines.append(f"      ×{n:<4} {statement}")
    return "\n".join(lines)


def as_json(results: Sequence[PageResult]) -> list[dict[str, Any]]:
    return [{"page": r.spec.label.strip(), "user": r.spec.user, "path": r.spec.path, "status": r.status,
             "p50_ms": round(r.p50, 2), "p95_ms": round(r.p95, 2), "min_ms": round(r.best, 2),
             "max_ms": round(r.worst, 2), "cpu_p50_ms": round(r.cpu_p50, 2),
             "queries": r.queries, "bytes": r.size, "over_target": r.over,
             "repeated_queries": [{"times": n, "sql": s} for n, s in r.repeated]} for r in results]
