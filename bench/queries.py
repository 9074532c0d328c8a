"""``python -m bench.queries``: how many statements each call of the lifecycle workload sends.

On a fresh SQLite file (``var/bench/queries.sqlite3``, or ``--postgres-url``: that database is dropped
and recreated) with the benchmark's city, ``--orders`` orders of the workload go through the services,
every call inside ``CaptureQueriesContext``. Prints the statements per call kind (min–max, mean) and,
for the kinds named by ``--show``, each statement's shape (literals as ``?``) with how often it is sent
per call. docs/performance.md keeps the figures; tests/orders/test_transition.py pins the hottest.
"""

from __future__ import annotations

import argparse
import sys

from bench.lifecycle import BASE_DIR, BenchError, Options, environment, recreate, worker
from bench.workload import CALL_TYPES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.queries", description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=20, help="orders measured (default 20)")
    parser.add_argument("--profile", default="ziyang")
    parser.add_argument("--postgres-url", default=None, help="measure on this PostgreSQL database (recreated)")
    parser.add_argument("--show", default="", help="call kinds whose statements to list, e.g. sign,accept")
    args = parser.parse_args(argv)
    options = Options(orders=args.orders, profile=args.profile, db="postgres" if args.postgres_url else "sqlite",
                      sqlite_path=BASE_DIR / "var" / "bench" / "queries.sqlite3")
    if args.postgres_url:
        options.postgres_url = args.postgres_url
    try:
        url, _ = recreate(options.db, options)
        env = environment(url, options)
        setup = worker("setup", {"profile": options.profile, "read_orders": 200, "seed": 1}, env)
        found = worker("queries", {"profile": options.profile, "orders": args.orders, "seed": 7,
                                   "units": setup["units"]}, env)
    except BenchError as exc:
        print(exc, file=sys.stderr)
        return 1
    queries = found["queries"]
    print(f"Statements per call ({options.db}, {args.orders} orders, notifications delivered after commit included)")
    for kind in sorted(queries, key=lambda k: CALL_TYPES.index(k) if k in CALL_TYPES else len(CALL_TYPES)):
        q = queries[kind]
        span = f"{q['min']}" if q["min"] == q["max"] else f"{q['min']}–{q['max']}"
        print(f"  {kind:20} {span:>7}   mean {q['mean']:5.1f}   ({q['calls']} calls)")
    for kind in filter(None, args.show.split(",")):
        print(f"\n{kind}:")
        for sql, per_call in sorted(found["statements"].get(kind, {}).items(), key=lambda item: -item[1]):
            print(f"  {per_call:4.1f}  {sql}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
