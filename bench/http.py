"""The HTTP side of the benchmark: a real server on 127.0.0.1 and keep-alive clients in threads.

The server is ``gunicorn`` when it is installed (one worker per core, four threads each), otherwise
Django's ``runserver --noreload`` (one process, a thread per connection): both on a free port, on the
benchmark database, with debug off. Its peak memory is the sum of the peak RSS (``VmHWM`` in
``/proc/<pid>/status``) of its processes.

Clients use ``http.client`` with one keep-alive connection each and an API token per user
(``Authorization: Bearer``), against the contract of ``/api/v1/``: ``POST /appeals`` → 201
``{orders: [{id, …}]}``; ``POST /orders/{id}/<action>`` → 200; ``GET /orders?state=…&page_size=50``.
"""

from __future__ import annotations

import http.client
import importlib.util
import json
import os
import socket
import subprocess
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.workload import OrderPlan

API = "/api/v1"
_RETRYABLE = (http.client.RemoteDisconnected, http.client.CannotSendRequest, http.client.BadStatusLine,
              ConnectionResetError, BrokenPipeError)


class HttpError(Exception):
    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"HTTP {status}: {json.dumps(body, ensure_ascii=False)[:300]}")
        self.status, self.body = status, body


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    """One keep-alive connection; reconnects (and says so) when the server closed it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.conn: http.client.HTTPConnection | None = None
        self.connects = 0

    def request(self, method: str, path: str, token: str, body: Any = None) -> tuple[int, Any]:
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=300)
                self.connects += 1
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
            except _RETRYABLE:
                self.close()
                if attempt:
                    raise
                continue
            if response.will_close:
                self.close()
            try:
                return response.status, json.loads(payload) if payload else None
            except ValueError:
                return response.status, payload[:300].decode(errors="replace")
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None


def do_call(client: Client, tokens: dict[str, str], kind: str, actor: str, body: dict[str, Any],
            order_id: int | None) -> int | None:
    """One call of the workload over HTTP; returns the order's id; raises HttpError on an unexpected status."""
    if kind == "accept":
        status, answer = client.request("POST", f"{API}/appeals", tokens[actor], body)
        if status != 201:
            raise HttpError(status, answer)
        return int(answer["orders"][0]["id"])
    status, answer = client.request("POST", f"{API}/orders/{order_id}/{kind.replace('_', '-')}", tokens[actor], body)
    if status != 200:
        raise HttpError(status, answer)
    return order_id


def run_lifecycle(host: str, port: int, tokens: dict[str, str], plans: Sequence[OrderPlan],
                  clients: int) -> dict[str, Any]:
    """The plans over ``clients`` threads, each order's calls in sequence on one keep-alive connection."""
    lock = threading.Lock()
    queue = list(reversed(plans))
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    first_errors: list[str] = []
    connects = [0]
    start = threading.Barrier(clients + 1)

    def work() -> None:
        client = Client(host, port)
        mine: dict[str, list[float]] = defaultdict(list)
        start.wait()
        while True:
            with lock:
                if not queue:
                    break
                plan = queue.pop()
            order_id: int | None = None
            for call in plan.calls:
                t0 = time.perf_counter()
                try:
                    order_id = do_call(client, tokens, call.kind, call.actor, call.body, order_id)
                except (HttpError, OSError, http.client.HTTPException) as exc:
                    with lock:
                        errors[call.kind] += 1
                        if len(first_errors) < 5:
                            first_errors.append(f"{call.kind}: {exc}")
                    break
                mine[call.kind].append(time.perf_counter() - t0)
        client.close()
        with lock:
            for kind, values in mine.items():
                latencies[kind].extend(values)
            connects[0] += client.connects

    threads = [threading.Thread(target=work, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    calls = sum(len(v) for v in latencies.values())
    return {"orders": len(plans), "calls": calls, "seconds": seconds, "orders_per_s": len(plans) / seconds,
            "calls_per_s": calls / seconds, "samples": dict(latencies), "errors": dict(errors),
            "first_errors": first_errors, "connections": connects[0], "clients": clients}


def run_reads(host: str, port: int, token: str, states: Sequence[str], reads: int) -> dict[str, Any]:
    """A unit's open orders, newest first, page of 50, ``reads`` times in a row (after 5 unmeasured)."""
    client = Client(host, port)
    path = f"{API}/orders?state={','.join(states)}&page_size=50"
    samples, count = [], 0
    for i in range(reads + 5):
        t0 = time.perf_counter()
        status, answer = client.request("GET", path, token)
        if status != 200:
            raise HttpError(status, answer)
        if i >= 5:
            samples.append(time.perf_counter() - t0)
        count = int(answer.get("count", len(answer.get("items", [])))) if isinstance(answer, dict) else 0
    client.close()
    return {"samples": samples, "open_orders": count}


# --- the server -------------------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found.extend(int(c) for c in f.read().split())
    except OSError:
        return []
    return found


def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def gunicorn_size() -> tuple[int, int]:
    """gunicorn's worker processes and threads per worker: one worker per core, four threads each, unless
    HOTLINE_BENCH_WORKERS / HOTLINE_BENCH_THREADS say otherwise."""
    return (int(os.environ.get("HOTLINE_BENCH_WORKERS") or os.cpu_count() or 2),
            int(os.environ.get("HOTLINE_BENCH_THREADS") or 4))


class Server:
    """A server process on 127.0.0.1 serving the platform from the benchmark database."""

    def __init__(self, base_dir: Path, env: dict[str, str], log: Path, python: str, kind: str = "auto") -> None:
        self.base_dir, self.env, self.log_path, self.python = base_dir, env, log, python
        if kind == "auto":
            kind = "gunicorn" if importlib.util.find_spec("gunicorn") else "runserver"
        self.kind = kind
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.peaks: dict[int, int] = {}

    def command(self) -> list[str]:
        if self.kind == "gunicorn":
            workers, threads = gunicorn_size()
            return [self.python, "-m", "gunicorn", "hotline.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                    "--workers", str(workers), "--threads", str(threads), "--keep-alive", "30"]
        return [self.python, str(self.base_dir / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{self.port}"]

    def __enter__(self) -> Server:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(self.command(), cwd=self.base_dir, env=self.env, stdout=self._log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped at start (exit {self.process.returncode}); "
                                   f"see {self.log_path}:\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return self
                conn.close()
            except OSError:
                pass
            time.sleep(0.3)
        self.__exit__(None, None, None)
        raise RuntimeError(f"the server did not answer /healthz within 90 s; see {self.log_path}")

    @property
    def label(self) -> str:
        """What the report names the server: ``gunicorn 2×4`` (workers × threads) or ``runserver``."""
        return f"gunicorn {'×'.join(map(str, gunicorn_size()))}" if self.kind == "gunicorn" else self.kind

    def pids(self) -> list[int]:
        if self.process is None:
            return []
        todo, seen = [self.process.pid], []
        while todo:
            pid = todo.pop()
            seen.append(pid)
            todo.extend(_children(pid))
        return seen

    def sample(self) -> None:
        """Remember each process's peak RSS (read while they live: they are gone after stop)."""
        for pid in self.pids():
            self.peaks[pid] = max(self.peaks.get(pid, 0), _status_kb(pid, "VmHWM"))

    def peak_rss_mb(self) -> float:
        self.sample()
        return sum(self.peaks.values()) / 1024

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.sample()
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)
        self._log.close()
