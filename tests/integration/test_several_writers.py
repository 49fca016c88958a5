"""Several server processes on one tenant: each with its own engine and writer
on the same database (simulated here by two stores and two writers in threads).
The per-tenant writer lock (a PostgreSQL advisory lock) plus catch-up before
each batch give one serialized log; every command has exactly one effect."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from zengzhi.adapters.sql.store import SqlEventStore
from zengzhi.domain import events as ev
from zengzhi.engine.engine import Command, Engine
from zengzhi.engine.memory import FixedClock
from zengzhi.engine.queries import state_view
from zengzhi.engine.writer import TenantWriter

TENANT = "shared"
MEMBERS = 20
ORDERS_PER_WRITER = 150


def test_two_writers_one_log(db_url: str, config_data: dict[str, Any],
                             open_sql_store: Callable[..., SqlEventStore]) -> None:
    first_store, second_store = open_sql_store(db_url), open_sql_store(db_url)
    clock = FixedClock(1_700_000_000_000)
    Engine.create(first_store, TENANT, config_data, clock)
    writers = [TenantWriter(Engine.open(store, TENANT, clock), batch_size_max=16)
               for store in (first_store, second_store)]
    try:
        writers[0].submit(Command("joins", ev.Join("m0")))
        for i in range(1, MEMBERS):
            writers[i % 2].submit(Command(f"join-{i}", ev.Join(f"m{i}")))

        def load(w: int) -> None:
            futures = []
            for i in range(ORDERS_PER_WRITER):
                # both writers also send the same deliveries: each must apply once
                key = f"order-{i}" if i % 3 == 0 else f"order-{w}-{i}"
                event = ev.PayOrder(key, f"m{i % MEMBERS}", "pack1000")
                futures.append(writers[w].submit_future(Command(key, event)))
            for future in futures:
                assert future.result(timeout=60).outcome.rejection is None

        threads = [threading.Thread(target=load, args=(w,)) for w in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for writer in writers:
            with writer.lock:
                writer.engine.catch_up()
        views = [state_view(w.engine.state) for w in writers]
    finally:
        for writer in writers:
            writer.close()
    reopened = Engine.open(open_sql_store(db_url), TENANT, clock)
    assert views[0] == views[1] == state_view(reopened.state)
    shared = ORDERS_PER_WRITER // 3
    expected_orders = 2 * ORDERS_PER_WRITER - shared
    assert len(reopened.state.orders) == expected_orders
    assert reopened.seq == MEMBERS + expected_orders
    assert reopened.state.ledger.totals_by_asset() == {"CNY": 0, "PTS": 0}
