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

Modules: ``webhooks`` (signed requests), ``loadgen`` (the HTTP client and its
closed- and open-loop schedules), ``processes`` (server processes, databases,
tenants), ``results`` (rows and the table), ``plan`` (the run), ``cli``
(``python -m zengzhi.bench_server``). This package re-exports their public names.
"""

from __future__ import annotations

from zengzhi.bench_server.cli import main
from zengzhi.bench_server.loadgen import HttpError, HttpPool, Tally, closed_loop, open_loop
from zengzhi.bench_server.plan import DATABASES, PG_SERVER_DEFAULT, SYSTEMS, BenchPlan, run_server_bench
from zengzhi.bench_server.processes import (
    Credentials,
    ServerProcess,
    free_port,
    fresh_database,
    prepare_tenant,
    zengzhi_argv,
)
from zengzhi.bench_server.results import ServerBenchRow, format_rows, percentile_ms
from zengzhi.bench_server.webhooks import member_webhook, order_webhook, signed_webhook

__all__ = ["DATABASES", "PG_SERVER_DEFAULT", "SYSTEMS", "BenchPlan", "Credentials", "HttpError", "HttpPool",
           "ServerBenchRow", "ServerProcess", "Tally", "closed_loop", "format_rows", "free_port",
           "fresh_database", "main", "member_webhook", "open_loop", "order_webhook", "percentile_ms",
           "prepare_tenant", "run_server_bench", "signed_webhook", "zengzhi_argv"]
