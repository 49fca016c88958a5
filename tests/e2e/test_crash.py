"""Crash test: ``kill -9`` the server under load; no acknowledged order is lost or doubled.

A real ``zengzhi serve`` process on a SQLite file gets signed ``order.paid``
webhooks (unique delivery ids) with bounded concurrency. After about half of
them are acknowledged (HTTP 200), the server is killed with SIGKILL, in the
middle of the stream. It is restarted on the same file; then

* it answers ``/healthz`` and rebuilds the tenant within the time limit;
* every acknowledged order is in the event log exactly once (no order twice);
* re-sending the acknowledged deliveries answers from the log (replayed, the
  same sequence number) and appends nothing;
* sending the rest (the ones cut off or never sent) applies each once;
* the ledger balances: every asset's postings sum to zero, and the pool's
  points (rebuilt from the log, and as ``GET /v1/pool`` shows them) equal
  the members' points.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from zengzhi.adapters.sql.store import SqlEventStore
from zengzhi.bench_server import (
    Credentials,
    HttpPool,
    ServerProcess,
    Tally,
    closed_loop,
    free_port,
    member_webhook,
    order_webhook,
    prepare_tenant,
    zengzhi_argv,
)
from zengzhi.bootstrap import SystemClock, open_store
from zengzhi.domain.ledger import asset_of
from zengzhi.engine.engine import Engine

pytestmark = pytest.mark.slow

ORDERS = 10_000
KILL_AFTER_ACKS = 5_000
MEMBERS = 200
CONCURRENCY = 32
RESTART_LIMIT_S = 10.0


def _order(port: int, creds: Credentials, i: int) -> bytes:
    return order_webhook(port, creds.tenant, creds.secret, f"delivery-{i}", f"order-{i}", f"m{i % MEMBERS}")


def _join_members(port: int, creds: Credentials) -> None:
    async def run() -> None:
        pool = HttpPool(port, CONCURRENCY)
        joins = [member_webhook(port, creds.tenant, creds.secret, f"join-{i}", f"m{i}") for i in range(MEMBERS)]
        tally, _ = await closed_loop(pool, joins, CONCURRENCY)
        await pool.close()
        assert tally.ok == MEMBERS, tally.errors

    asyncio.run(run())


def _send_until_killed(server: ServerProcess, creds: Credentials) -> dict[int, dict[str, Any]]:
    """Send the orders; SIGKILL the server at the ``KILL_AFTER_ACKS``-th 200. Returns the acks."""
    acked: dict[int, dict[str, Any]] = {}

    def on_ok(index: int, body: bytes) -> bool:
        acked[index] = json.loads(body)
        if len(acked) == KILL_AFTER_ACKS:
            server.kill()  # in the middle of the stream: requests are in flight now
            return True
        return False

    async def run() -> None:
        pool = HttpPool(server.port, CONCURRENCY)
        requests = [_order(server.port, creds, i) for i in range(ORDERS)]
        await closed_loop(pool, requests, CONCURRENCY, on_ok=on_ok)
        await pool.close()

    asyncio.run(run())
    return acked


def _send(port: int, creds: Credentials, indexes: list[int]) -> tuple[dict[int, dict[str, Any]], set[int]]:
    """Send orders ``indexes`` again; every one must be answered 200.

    Returns the answers and which of them were replayed (``Idempotent-Replayed: true``).
    """
    async def run() -> Tally:
        pool = HttpPool(port, CONCURRENCY)
        tally, _ = await closed_loop(pool, [_order(port, creds, i) for i in indexes], CONCURRENCY,
                                     keep_bodies=True)
        await pool.close()
        assert tally.ok == len(indexes), tally.errors
        return tally

    tally = asyncio.run(run())
    answers = {indexes[position]: json.loads(body) for position, body in tally.bodies.items()}
    return answers, {indexes[position] for position in tally.replayed}


def _orders_in_log(store: SqlEventStore, tenant: str) -> tuple[Counter[str], int]:
    """How many times each order id was logged as paid, and the log's length."""
    counts: Counter[str] = Counter()
    length = 0
    for record in store.load(tenant):
        length = record.seq
        if record.payload["type"] == "order":
            counts[record.payload["order_id"]] += 1
    return counts, length


def _pool_points_units(port: int, creds: Credentials) -> int:
    """``GET /v1/pool``'s points (a decimal string with 4 places) in 0.0001 units."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/v1/pool", headers={"Authorization": f"Bearer {creds.api_key}"})
        response = conn.getresponse()
        body = json.loads(response.read())
    finally:
        conn.close()
    assert response.status == 200, body
    units = Decimal(body["points"]) * 10_000
    assert units == units.to_integral_value(), body
    return int(units)


def _check_ledger(store: SqlEventStore, tenant: str, served_pool_points: int) -> None:
    balances = store.balances(tenant)
    totals: Counter[str] = Counter()
    for account, amount in balances.items():
        totals[asset_of(account)] += amount
    assert set(totals.values()) <= {0}, totals
    member_points = sum(amount for account, amount in balances.items()
                        if account.startswith("member:") and asset_of(account) == "PTS")
    engine = Engine.open(store, tenant, SystemClock())  # rebuilt from the log: re-checks every outcome
    assert engine.state.pool.points_units == member_points == served_pool_points > 0


def test_kill_9_under_load_loses_and_doubles_no_acknowledged_order(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    creds = prepare_tenant(url)
    port = free_port()
    first = ServerProcess(zengzhi_argv(url, port), port, tmp_path / "first.log")
    second: ServerProcess | None = None
    store = open_store(url)
    assert isinstance(store, SqlEventStore)
    try:
        first.start()
        _join_members(first.port, creds)
        acked = _send_until_killed(first, creds)
        assert KILL_AFTER_ACKS <= len(acked) < ORDERS  # answers already on the way still arrive
        assert first.proc is not None and first.proc.returncode == -9

        port = free_port()
        second = ServerProcess(zengzhi_argv(url, port), port, tmp_path / "second.log")
        healthy_s = second.start()
        began = time.perf_counter()
        first_answer, _ = _send(port, creds, [min(acked)])  # the tenant is rebuilt from its log on first use
        ready_s = healthy_s + time.perf_counter() - began
        assert ready_s < RESTART_LIMIT_S, (healthy_s, ready_s, second.log_tail())
        assert first_answer[min(acked)]["seq"] == acked[min(acked)]["seq"]

        counts, length = _orders_in_log(store, creds.tenant)
        assert all(counts[f"order-{i}"] == 1 for i in acked), "an acknowledged order is missing"
        assert max(counts.values()) == 1, "an order was logged twice"
        assert all(ack["accepted"] for ack in acked.values())

        # the acknowledged deliveries again: answered from the log, nothing appended
        again, replayed = _send(port, creds, sorted(acked))
        assert replayed == set(acked)
        for i, answer in again.items():
            assert answer == acked[i], (i, answer, acked[i])
        assert _orders_in_log(store, creds.tenant) == (counts, length)

        # the sender retries the rest (cut off by the kill or never sent): each applies once
        rest = [i for i in range(ORDERS) if i not in acked]
        answers, replayed = _send(port, creds, rest)
        assert all(answer["accepted"] for answer in answers.values())
        counts, _ = _orders_in_log(store, creds.tenant)
        assert len(counts) == ORDERS and set(counts.values()) == {1}
        _check_ledger(store, creds.tenant, _pool_points_units(port, creds))
    finally:
        first.kill()
        if second is not None:
            second.kill()
        store.close()
