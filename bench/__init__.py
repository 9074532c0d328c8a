"""Benchmarks of the platform, run through ``hotline bench …``.

- ``bench.lifecycle``: the order-lifecycle workload of /work/shared/bench/lifecycle.md
  (``hotline bench lifecycle --orders 2000 --db both --mode both``);
- ``bench.workload``: the calls of one order (the same plan drives the services and the HTTP client);
- ``bench.worker``: the phases that run inside Django on the benchmark's own database;
- ``bench.http``: the server on 127.0.0.1 and the keep-alive clients;
- ``bench.raw``: the same rows written by plain SQL, the database's raw limit.
"""
