"""``zengzhi bench server``: signed order webhooks against a real server process.

For each database (a temporary SQLite file, a fresh PostgreSQL database that
is dropped afterwards) and each system:

* ``zengzhi`` — ``python -m zengzhi serve --db URL --port P``, the shipped
  server (one process, one writer thread per tenant, group commit);
* ``baseline`` — ``bench/server_baseline.py``, a deliberately conventional
  FastAPI app that runs one transaction per order (``SELECT ... FOR UPDATE``
  of the pool row on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite);

the same load generator measures

* ``throughput``: ``concurrency`` keep-alive connections, each with one
  request in flight, send ``orders`` signed ``order.paid`` (settle) webhooks
  as fast as the server answers them → webhooks/s;
* ``latency``: an open-loop schedule of ``rate`` webhooks/s for
  ``duration_s``; each request's latency runs from its *scheduled* send time
  to its response, so a stalled server or a stalled client is counted, not
  hidden (no coordinated omission) → p50/p95/p99.

Set-up before each server starts: the tenant, its webhook secret and an API
key are created directly in the store (``AccessStore``); members are then
created through ``member.joined`` webhooks. The load generator is a minimal
asyncio HTTP/1.1 client (raw keep-alive sockets, one pre-built request per
webhook, HMAC-SHA256 signing) so that it costs the shared CPU as little as
possible; it runs in this process, the server in a child process, on the same
machine. Only 200 answers count as done; anything else is an error.

``ServerProcess``, ``prepare_tenant``, ``HttpPool`` and ``order_webhook`` are
also used by the crash test (``tests/e2e/test_crash.py``).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from zengzhi.workload import DEFAULT_CONFIG

PG_SERVER_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BENCH_TENANT = "bench"
PRODUCT = "pack1000"
HOST = "127.0.0.1"
HEALTH_TIMEOUT_S = 60.0
BASELINE_PATH = Path(__file__).resolve().parents[2] / "bench" / "server_baseline.py"
BASELINE_SECRET_ENV = "ZENGZHI_BASELINE_WEBHOOK_SECRET"
SYSTEMS = ("zengzhi", "baseline")
DATABASES = ("sqlite", "postgresql")
WARMUP_ORDERS = 500
SETUP_CONCURRENCY = 32
OPEN_LOOP_CONNECTIONS_MAX = 512
REPLAYED_HEADER = b"\r\nidempotent-replayed: true"

__all__ = ["Credentials", "HttpPool", "ServerBenchRow", "ServerProcess", "member_webhook",
           "order_webhook", "prepare_tenant", "run_server_bench", "signed_webhook"]


# -- results -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServerBenchRow:
    system: str  # "zengzhi" | "baseline"
    database: str  # "sqlite" | "postgresql"
    mode: str  # "throughput" | "latency"
    requests: int  # sent
    ok: int  # answered 200
    seconds: float  # first send to last answer
    target_rate: float | None  # latency mode: the scheduled webhooks/s
    concurrency: int | None  # throughput mode: requests in flight
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    server_cpu_s: float | None  # CPU time the server process used in the phase (Linux)
    client_cpu_s: float  # CPU time this process (the load generator) used in the phase
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def per_s(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def error_count(self) -> int:
        return self.requests - self.ok


def percentile_ms(sorted_s: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of sorted latencies in seconds, in ms."""
    if not sorted_s:
        return float("nan")
    rank = max(0, min(len(sorted_s) - 1, int(q * len(sorted_s) + 0.999999) - 1))
    return sorted_s[rank] * 1e3


# -- signing and requests ----------------------------------------------------------------


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def raw_request(method: str, path: str, port: int, body: bytes = b"",
                headers: Sequence[tuple[str, str]] = ()) -> bytes:
    """One HTTP/1.1 keep-alive request as bytes."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}"]
    lines.extend(f"{name}: {value}" for name, value in headers)
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append("Content-Type: application/json")
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def signed_webhook(port: int, tenant: str, secret: str, payload: dict[str, Any],
                   timestamp: int | None = None) -> bytes:
    body = json.dumps(payload, separators=(",", ":")).encode()
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return raw_request("POST", f"/v1/webhooks/{tenant}", port, body,
                       (("X-Zengzhi-Timestamp", ts), ("X-Zengzhi-Signature", signature(secret, ts, body))))


def order_webhook(port: int, tenant: str, secret: str, delivery: str, order_id: str, member: str,
                  product: str = PRODUCT, settle: bool = True) -> bytes:
    return signed_webhook(port, tenant, secret, {
        "id": delivery, "type": "order.paid",
        "data": {"order_id": order_id, "member": member, "product": product, "settle": settle}})


def member_webhook(port: int, tenant: str, secret: str, delivery: str, member: str) -> bytes:
    return signed_webhook(port, tenant, secret, {"id": delivery, "type": "member.joined",
                                                 "data": {"member": member}})


# -- a minimal keep-alive HTTP/1.1 client ------------------------------------------------


class HttpError(Exception):
    pass


class _Connection:
    __slots__ = ("reader", "writer", "used")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.used = time.monotonic()  # when its last answer came (or when it was opened)

    @classmethod
    async def open(cls, port: int) -> _Connection:
        reader, writer = await asyncio.open_connection(HOST, port)
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cls(reader, writer)

    async def request(self, data: bytes) -> tuple[int, bytes, bytes, bool]:
        """Send one request; returns (status, head, body, keep_alive)."""
        self.writer.write(data)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        keep_alive = True
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                raise HttpError("chunked responses are not supported by the bench client")
            elif name == b"connection" and value.strip().lower() == b"close":
                keep_alive = False
        body = await self.reader.readexactly(length) if length else b""
        self.used = time.monotonic()
        return status, head, body, keep_alive

    def close(self) -> None:
        self.writer.close()


class HttpPool:
    """Up to ``size`` keep-alive connections to one server; ``send`` waits for a free one.

    A connection idle for ``IDLE_MAX_S`` is not reused (uvicorn closes idle
    keep-alive connections after 5 s); should a reused connection still turn
    out closed before any answer, the request is sent once more on a new one
    (the server never saw it; webhooks are idempotent by delivery id anyway).
    """

    IDLE_MAX_S = 3.0

    def __init__(self, port: int, size: int) -> None:
        self.port = port
        self.size = size
        self._idle: list[_Connection] = []
        self._open = 0
        self._free = asyncio.Condition()

    async def _acquire(self) -> _Connection | None:
        """An idle connection, or None: the caller may open a new one (counted already)."""
        async with self._free:
            while True:
                while self._idle:
                    conn = self._idle.pop()
                    if time.monotonic() - conn.used < self.IDLE_MAX_S:
                        return conn
                    conn.close()
                    self._open -= 1
                if self._open < self.size:
                    self._open += 1
                    return None
                await self._free.wait()

    async def _release(self, conn: _Connection | None) -> None:
        async with self._free:
            if conn is None:
                self._open -= 1
            else:
                self._idle.append(conn)
            self._free.notify()

    async def send(self, data: bytes) -> tuple[int, bytes, bytes]:
        """Send one raw request; returns (status, head, body).

        Connection failures raise ``OSError`` or ``HttpError``.
        """
        conn = await self._acquire()
        reused = conn is not None
        try:
            if conn is None:
                conn = await _Connection.open(self.port)
            try:
                status, head, body, keep_alive = await conn.request(data)
            except (asyncio.IncompleteReadError, ConnectionResetError, BrokenPipeError) as exc:
                if not reused or (isinstance(exc, asyncio.IncompleteReadError) and exc.partial):
                    raise
                conn.close()  # closed by the server while idle: the request never arrived
                conn = await _Connection.open(self.port)
                status, head, body, keep_alive = await conn.request(data)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, HttpError, ValueError) as exc:
            if conn is not None:
                conn.close()
            await self._release(None)
            if isinstance(exc, OSError | HttpError):
                raise
            raise HttpError(f"bad or cut response: {exc!r}") from exc
        if not keep_alive:
            conn.close()
            await self._release(None)
        else:
            await self._release(conn)
        return status, head, body

    async def warm(self, count: int) -> None:
        """Open ``count`` connections ahead of a timed phase."""
        opened = []
        for _ in range(min(count, self.size)):
            conn = await self._acquire()
            opened.append(conn if conn is not None else await _Connection.open(self.port))
        for conn in opened:
            await self._release(conn)

    async def close(self) -> None:
        async with self._free:
            for conn in self._idle:
                conn.close()
            self._open -= len(self._idle)
            self._idle.clear()


@dataclass(slots=True)
class Tally:
    latencies: list[float] = field(default_factory=list)
    ok: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    bodies: dict[int, bytes] = field(default_factory=dict)  # request index -> 200 body (kept if asked)
    replayed: set[int] = field(default_factory=set)  # request indexes answered ``Idempotent-Replayed: true``

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


async def _one(pool: HttpPool, index: int, data: bytes, began: float, tally: Tally,
               keep_bodies: bool) -> bytes | None:
    """Send one request; returns the body of a 200 answer, else None."""
    try:
        status, head, body = await pool.send(data)
    except (OSError, HttpError) as exc:
        tally.error(type(exc).__name__)
        return None
    finally:
        tally.latencies.append(time.perf_counter() - began)
    if status != 200:
        tally.error(f"HTTP {status}: {body[:200].decode(errors='replace')}")
        return None
    tally.ok += 1
    if keep_bodies:
        tally.bodies[index] = body
        if REPLAYED_HEADER in head.lower():
            tally.replayed.add(index)
    return body


async def closed_loop(pool: HttpPool, requests: Sequence[bytes], concurrency: int,
                      keep_bodies: bool = False,
                      on_ok: Callable[[int, bytes], bool] | None = None) -> tuple[Tally, float]:
    """``concurrency`` workers send ``requests`` back to back; returns the tally and the seconds.

    ``on_ok(index, body)`` after each 200; returning True stops the workers
    from taking more requests (the crash test kills the server there).
    """
    tally = Tally()
    position = 0
    stop = False

    async def worker() -> None:
        nonlocal position, stop
        while not stop and position < len(requests):
            index = position
            position += 1
            body = await _one(pool, index, requests[index], time.perf_counter(), tally, keep_bodies)
            if on_ok is not None and body is not None and on_ok(index, body):
                stop = True

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return tally, time.perf_counter() - began


async def open_loop(pool: HttpPool, make: Callable[[int], bytes], rate: float,
                    duration_s: float) -> tuple[Tally, float, int]:
    """Send ``make(i)`` at ``start + i / rate``; latency from that scheduled time.

    Returns the tally, the seconds from the first scheduled send to the last
    answer, and how many requests went out more than 1 ms behind schedule.
    """
    tally = Tally()
    count = int(rate * duration_s)
    tasks: list[asyncio.Task[bytes | None]] = []
    late = 0
    start = time.perf_counter() + 0.01
    for i in range(count):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -1e-3:
            late += 1
        tasks.append(asyncio.create_task(_one(pool, i, make(i), due, tally, False)))
    await asyncio.gather(*tasks)
    return tally, time.perf_counter() - start, late


# -- server processes ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def zengzhi_argv(db_url: str, port: int) -> list[str]:
    return [sys.executable, "-m", "zengzhi", "serve", "--db", db_url, "--host", HOST, "--port", str(port)]


def baseline_argv(db_url: str, port: int) -> list[str]:
    return [sys.executable, str(BASELINE_PATH), "--db", db_url, "--host", HOST, "--port", str(port)]


def process_cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of a process (Linux ``/proc``), None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


class ServerProcess:
    """A server child process; its output goes to ``log_path``."""

    def __init__(self, argv: list[str], port: int, log_path: Path,
                 env: dict[str, str] | None = None) -> None:
        self.argv = argv
        self.port = port
        self.log_path = log_path
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, timeout_s: float = HEALTH_TIMEOUT_S) -> float:
        """Start and wait until ``GET /healthz`` answers 200; returns the seconds that took."""
        began = time.perf_counter()
        self._log = self.log_path.open("ab")
        self.proc = subprocess.Popen(self.argv, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=self.env)
        deadline = began + timeout_s
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log_tail()}")
            if self.healthy():
                return time.perf_counter() - began
            time.sleep(0.02)
        self.stop()
        raise TimeoutError(f"server not healthy after {timeout_s} s:\n{self.log_tail()}")

    def healthy(self) -> bool:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=1.0)
        try:
            conn.request("GET", "/healthz")
            return conn.getresponse().status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def kill(self) -> None:
        """``kill -9``: no shutdown, no flush."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self._close_log()

    def stop(self, timeout_s: float = 15.0) -> None:
        """SIGTERM (a graceful uvicorn shutdown), SIGKILL if it does not end in time."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


# -- set-up ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Credentials:
    tenant: str
    secret: str  # webhook secret
    api_key: str


def prepare_tenant(db_url: str, tenant: str = BENCH_TENANT,
                   config: dict[str, Any] | None = None) -> Credentials:
    """Create ``tenant``, a webhook secret and an API key directly in the store at ``db_url``."""
    from zengzhi.adapters.sql.access import AccessStore
    from zengzhi.adapters.sql.store import SqlEventStore
    from zengzhi.bootstrap import open_store

    store = open_store(db_url)
    try:
        assert isinstance(store, SqlEventStore)
        store.create_tenant(tenant, config or DEFAULT_CONFIG)
        access = AccessStore(store.engine)
        _, secret = access.add_webhook_secret(tenant)
        api_key = access.create_api_key(tenant)
    finally:
        store.close()
    return Credentials(tenant, secret, api_key)


@contextmanager
def fresh_database(kind: str, tmp: Path, pg_url: str) -> Iterator[str]:
    """A URL of an empty database: a SQLite file in ``tmp``, or a new PostgreSQL database.

    The PostgreSQL database ``zengzhi_bench_<hex>`` is created through
    ``pg_url`` (the server's maintenance database) and dropped ``WITH (FORCE)``
    afterwards, whatever happens.
    """
    if kind == "sqlite":
        yield f"sqlite:///{tmp / f'bench-{secrets.token_hex(4)}.db'}"
        return
    if kind != "postgresql":
        raise ValueError(f"unknown database kind {kind!r} (sqlite or postgresql)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    server = make_url(pg_url)
    name = f"zengzhi_bench_{secrets.token_hex(6)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


# -- one system on one database ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BenchPlan:
    orders: int = 20_000
    concurrency: int = 64
    rates: tuple[float, ...] = (1_000.0,)
    duration_s: float = 10.0
    members: int = 1_000


def _start_system(system: str, db_url: str, tmp: Path) -> tuple[ServerProcess, Credentials]:
    port = free_port()
    log = tmp / f"{system}-{port}.log"
    if system == "zengzhi":
        creds = prepare_tenant(db_url)
        server = ServerProcess(zengzhi_argv(db_url, port), port, log)
    elif system == "baseline":
        if not BASELINE_PATH.exists():
            raise FileNotFoundError(f"{BASELINE_PATH} (the baseline runs from a source checkout)")
        creds = Credentials(BENCH_TENANT, secrets.token_urlsafe(32), "")
        server = ServerProcess(baseline_argv(db_url, port), port, log, {BASELINE_SECRET_ENV: creds.secret})
    else:
        raise ValueError(f"unknown system {system!r}")
    server.start()
    return server, creds


async def _bench_one(system: str, database: str, server: ServerProcess, creds: Credentials,
                     plan: BenchPlan, report: Callable[[ServerBenchRow], None]) -> None:
    port, tenant, secret = server.port, creds.tenant, creds.secret
    run_id = secrets.token_hex(3)
    members = [f"m{i}" for i in range(plan.members)]
    pool = HttpPool(port, max(plan.concurrency, SETUP_CONCURRENCY))
    try:
        joins = [member_webhook(port, tenant, secret, f"join-{m}", m) for m in members]
        tally, _ = await closed_loop(pool, joins, SETUP_CONCURRENCY)
        if tally.ok != len(joins):
            raise RuntimeError(f"{system}: member set-up failed: {tally.errors}\n{server.log_tail()}")

        def order(prefix: str, i: int) -> bytes:
            return order_webhook(port, tenant, secret, f"{prefix}-{run_id}-{i}", f"{prefix}-{run_id}-{i}",
                                 members[i % len(members)])

        warm = [order("warm", i) for i in range(WARMUP_ORDERS)]
        await closed_loop(pool, warm, plan.concurrency)

        requests = [order("tp", i) for i in range(plan.orders)]  # built (and signed) before timing
        cpu0, client0 = process_cpu_s(server.pid), time.process_time()
        tally, seconds = await closed_loop(pool, requests, plan.concurrency)
        cpu1, client1 = process_cpu_s(server.pid), time.process_time()
        report(_row(system, database, "throughput", len(requests), tally, seconds, None, plan.concurrency,
                    cpu0, cpu1, client1 - client0))
        await pool.close()

        for rate in plan.rates:
            lat_pool = HttpPool(port, OPEN_LOOP_CONNECTIONS_MAX)
            await lat_pool.warm(min(64, OPEN_LOOP_CONNECTIONS_MAX))
            prefix = f"lat{int(rate)}"
            await asyncio.sleep(0.5)
            cpu0, client0 = process_cpu_s(server.pid), time.process_time()
            tally, seconds, _late = await open_loop(lat_pool, lambda i, p=prefix: order(p, i),  # type: ignore[misc]
                                                    rate, plan.duration_s)
            cpu1, client1 = process_cpu_s(server.pid), time.process_time()
            report(_row(system, database, "latency", int(rate * plan.duration_s), tally, seconds, rate, None,
                        cpu0, cpu1, client1 - client0))
            await lat_pool.close()
    finally:
        await pool.close()


def _row(system: str, database: str, mode: str, requests: int, tally: Tally, seconds: float,
         rate: float | None, concurrency: int | None, cpu0: float | None, cpu1: float | None,
         client_cpu_s: float) -> ServerBenchRow:
    lat = sorted(tally.latencies)
    return ServerBenchRow(
        system, database, mode, requests, tally.ok, seconds, rate, concurrency,
        percentile_ms(lat, 0.50), percentile_ms(lat, 0.95), percentile_ms(lat, 0.99),
        lat[-1] * 1e3 if lat else float("nan"),
        None if cpu0 is None or cpu1 is None else cpu1 - cpu0, client_cpu_s, dict(tally.errors))


def run_server_bench(databases: Sequence[str] = DATABASES, *, pg_url: str = PG_SERVER_DEFAULT,
                     systems: Sequence[str] = SYSTEMS, orders: int = 20_000, concurrency: int = 64,
                     rates: Sequence[float] = (1_000.0,), duration_s: float = 10.0, members: int = 1_000,
                     on_row: Callable[[ServerBenchRow], None] | None = None) -> list[ServerBenchRow]:
    """Measure each system on each database; returns the rows (``on_row`` sees each as it comes).

    Args:
        databases: ``"sqlite"`` (a temporary file) and/or ``"postgresql"`` (a
            fresh database on the server of ``pg_url``, dropped afterwards).
        pg_url: a SQLAlchemy URL of the PostgreSQL server's maintenance database.
        systems: ``"zengzhi"`` and/or ``"baseline"``.
        orders: webhooks of the throughput phase.
        concurrency: requests in flight in the throughput phase.
        rates: webhooks/s of each open-loop latency phase.
        duration_s: length of each latency phase.
        members: members created (through webhooks) before the orders.
    """
    plan = BenchPlan(orders, concurrency, tuple(rates), duration_s, members)
    rows: list[ServerBenchRow] = []

    def report(row: ServerBenchRow) -> None:
        rows.append(row)
        if on_row is not None:
            on_row(row)

    with tempfile.TemporaryDirectory(prefix="zengzhi-bench-server-") as tmp_name:
        tmp = Path(tmp_name)
        for database in databases:
            for system in systems:
                with fresh_database(database, tmp, pg_url) as db_url:
                    server, creds = _start_system(system, db_url, tmp)
                    try:
                        asyncio.run(_bench_one(system, database, server, creds, plan, report))
                    finally:
                        server.stop()
    return rows


def format_rows(rows: Sequence[ServerBenchRow]) -> str:
    """A plain-text table of the rows (Markdown)."""
    out = ["| system | database | mode | sent | ok | webhooks/s | p50 ms | p95 ms | p99 ms | max ms "
           "| server CPU ms/req | client CPU ms/req |",
           "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if r.mode == "throughput":
            mode = f"throughput ({r.concurrency} in flight)"
        else:
            mode = f"latency @ {r.target_rate or 0:,.0f}/s"
        server_cpu = "" if r.server_cpu_s is None or not r.ok else f"{r.server_cpu_s * 1e3 / r.ok:.2f}"
        client_cpu = f"{r.client_cpu_s * 1e3 / r.requests:.2f}" if r.requests else ""
        out.append(f"| {r.system} | {r.database} | {mode} | {r.requests:,} | {r.ok:,} | {r.per_s:,.0f} "
                   f"| {r.p50_ms:.1f} | {r.p95_ms:.1f} | {r.p99_ms:.1f} | {r.max_ms:.1f} | {server_cpu} "
                   f"| {client_cpu} |")
        for what, n in r.errors.items():
            out.append(f"|  | error | {n} × {what[:120]} |")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m zengzhi.bench_server [--databases sqlite,postgresql] [--systems ...] ...``"""
    import argparse

    from zengzhi.bootstrap import tune_gc

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--databases", default=",".join(DATABASES))
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--pg-url", default=PG_SERVER_DEFAULT)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rates", default="1000")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--members", type=int, default=1_000)
    args = parser.parse_args(argv)
    tune_gc()

    def show(row: ServerBenchRow) -> None:
        sys.stdout.write(format_rows([row]).split("\n", 2)[2] + "\n")
        sys.stdout.flush()

    rows = run_server_bench(
        [d for d in args.databases.split(",") if d], pg_url=args.pg_url,
        systems=[s for s in args.systems.split(",") if s], orders=args.orders, concurrency=args.concurrency,
        rates=[float(r) for r in args.rates.split(",") if r], duration_s=args.duration, members=args.members,
        on_row=show)
    sys.stdout.write("\n" + format_rows(rows) + "\n")


if __name__ == "__main__":
    main()
