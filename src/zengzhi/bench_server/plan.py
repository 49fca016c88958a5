"""The server benchmark's plan and run: each system on each database, throughput then latency phases."""

from __future__ import annotations

import asyncio
import secrets
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from zengzhi.bench_server.loadgen import HttpPool, closed_loop, open_loop
from zengzhi.bench_server.processes import (
    BASELINE_PATH,
    BASELINE_SECRET_ENV,
    BENCH_TENANT,
    Credentials,
    ServerProcess,
    baseline_argv,
    free_port,
    fresh_database,
    prepare_tenant,
    process_cpu_s,
    zengzhi_argv,
)
from zengzhi.bench_server.results import ServerBenchRow, tally_row
from zengzhi.bench_server.webhooks import member_webhook, order_webhook

PG_SERVER_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SYSTEMS = ("zengzhi", "baseline")
DATABASES = ("sqlite", "postgresql")
WARMUP_ORDERS = 500
SETUP_CONCURRENCY = 32
OPEN_LOOP_CONNECTIONS_MAX = 512


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
        report(tally_row(system, database, "throughput", len(requests), tally, seconds, None, plan.concurrency,
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
            report(tally_row(system, database, "latency", int(rate * plan.duration_s), tally, seconds, rate, None,
                        cpu0, cpu1, client1 - client0))
            await lat_pool.close()
    finally:
        await pool.close()


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
