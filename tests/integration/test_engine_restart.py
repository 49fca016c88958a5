"""The engine on the SQL store survives a restart, keeps idempotency, and commits whole batches.

Each test runs on SQLite and on a fresh PostgreSQL database (``db_url``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from tests.integration.store_workload import mixed_commands
from zengzhi.adapters.sql.store import SqlEventStore
from zengzhi.domain import events as ev
from zengzhi.engine.engine import Command, Engine
from zengzhi.engine.memory import FixedClock, InMemoryStore
from zengzhi.engine.ports import EventRecord
from zengzhi.engine.queries import state_view
from zengzhi.errors import IdempotencyConflict, StoreError

OpenStore = Callable[..., SqlEventStore]
TENANT = "acme"


def _nonzero(balances: dict[str, int]) -> dict[str, int]:
    return {account: amount for account, amount in balances.items() if amount != 0}


def _live_engine(store: SqlEventStore, config: dict[str, Any], tenant: str = TENANT,
                 commands: Sequence[Command] | None = None) -> Engine:
    engine = Engine.create(store, tenant, config, FixedClock(1_000))
    commands = mixed_commands() if commands is None else commands
    engine.submit_batch(commands[:5])  # several batches, then one by one
    engine.submit_batch(commands[5:12])
    for command in commands[12:]:
        engine.submit_batch([command])
    return engine


def test_restart_rebuilds_the_same_state(db_url: str, config_data: dict[str, Any],
                                         open_sql_store: OpenStore) -> None:
    store = open_sql_store(db_url)
    live = _live_engine(store, config_data)
    assert live.seq == len(mixed_commands())
    store.close()

    again = open_sql_store(db_url)
    reopened = Engine.open(again, TENANT, FixedClock(0))

    assert reopened.seq == live.seq
    assert state_view(reopened.state) == state_view(live.state)
    assert reopened.state.ledger.balances == live.state.ledger.balances
    assert _nonzero(again.balances(TENANT)) == _nonzero(live.state.ledger.balances)


def test_log_equals_the_in_memory_stores(db_url: str, config_data: dict[str, Any],
                                         open_sql_store: OpenStore) -> None:
    store = open_sql_store(db_url)
    _live_engine(store, config_data)
    memory = InMemoryStore()
    _live_engine(memory, config_data)  # type: ignore[arg-type]

    assert list(store.load(TENANT)) == list(memory.load(TENANT))
    assert list(store.load(TENANT, after_seq=7)) == list(memory.load(TENANT, after_seq=7))
    assert store.record(TENANT, 4) == memory.record(TENANT, 4)
    assert store.record(TENANT, 0) is None
    assert store.record(TENANT, 10_000) is None
    assert store.balances(TENANT) == memory.balances(TENANT)
    assert store.tenant_config(TENANT) == memory.tenant_config(TENANT) == config_data
    assert store.tenant_config("nobody") is None
    assert list(store.load("nobody")) == []
    assert store.balances("nobody") == {}


def test_load_streams_in_chunks(db_url: str, config_data: dict[str, Any],
                                open_sql_store: OpenStore) -> None:
    store = open_sql_store(db_url)
    _live_engine(store, config_data)
    whole = list(store.load(TENANT))
    chunked = open_sql_store(db_url, load_chunk_events=3)
    assert list(chunked.load(TENANT)) == whole
    assert list(chunked.load(TENANT, after_seq=4)) == whole[4:]
    stream = chunked.load(TENANT)
    assert next(stream).seq == 1  # lazy: a consumer may stop early
    stream.close()
    assert [r.seq for r in whole] == list(range(1, len(whole) + 1))


def test_idempotency_survives_a_restart(db_url: str, config_data: dict[str, Any],
                                        open_sql_store: OpenStore) -> None:
    store = open_sql_store(db_url)
    live = _live_engine(store, config_data)
    order = next(c for c in mixed_commands() if c.key == "order-1")
    rejected = next(c for c in mixed_commands() if c.key == "sell-too-much")
    first = store.record(TENANT, 4)
    assert first is not None and first.key == "order-1" and first.postings
    store.close()

    reopened = Engine.open(open_sql_store(db_url), TENANT, FixedClock(0))
    receipt = reopened.submit(order.key, order.event, order.at_ms)
    assert receipt.replayed
    assert receipt.seq == 4
    assert receipt.outcome.postings == first.postings
    assert reopened.submit(rejected.key, rejected.event).outcome.rejection is not None
    with pytest.raises(IdempotencyConflict):
        reopened.submit(order.key, ev.PayOrder("o1", "bob", product="pack1000"))
    assert reopened.seq == live.seq  # nothing new was logged
    assert state_view(reopened.state) == state_view(live.state)


class FailingStore:
    """A SQL store whose ``append`` fails after writing, when armed."""

    def __init__(self, inner: SqlEventStore) -> None:
        self.inner = inner
        self.armed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def append(self, tenant: str, records: Sequence[EventRecord]) -> None:
        if self.armed:
            raise StoreError("disk full (simulated)")
        self.inner.append(tenant, records)


def test_a_failed_append_changes_nothing(db_url: str, config_data: dict[str, Any],
                                         open_sql_store: OpenStore) -> None:
    store = FailingStore(open_sql_store(db_url))
    engine = _live_engine(store, config_data)  # type: ignore[arg-type]
    before_view = state_view(engine.state)
    before_log = list(store.inner.load(TENANT))

    store.armed = True
    with pytest.raises(StoreError, match="simulated"):
        engine.submit_batch([Command("late-1", ev.PayOrder("o9", "bob", product="pack1000")),
                             Command("late-2", ev.Join("dave"))])
    assert engine.seq == len(before_log)
    assert state_view(engine.state) == before_view
    assert list(store.inner.load(TENANT)) == before_log

    store.armed = False  # the same commands go through afterwards, at the same seq
    receipts = engine.submit_batch([Command("late-1", ev.PayOrder("o9", "bob",
                                                                  product="pack1000"))])
    assert receipts[0].seq == len(before_log) + 1 and not receipts[0].replayed
    reopened = Engine.open(open_sql_store(db_url), TENANT, FixedClock(0))
    assert state_view(reopened.state) == state_view(engine.state)


def test_a_stale_writer_is_refused_and_resets_from_the_log(
        db_url: str, config_data: dict[str, Any], open_sql_store: OpenStore) -> None:
    store = open_sql_store(db_url)
    first = _live_engine(store, config_data)
    second = Engine.open(open_sql_store(db_url), TENANT, FixedClock(0))
    second.submit("from-second", ev.PayOrder("o7", "carol", product="pack1000"))

    with pytest.raises(StoreError):
        first.submit_batch([Command("from-first", ev.Join("erin")),
                            Command("from-first-2", ev.PayOrder("o8", "erin",
                                                                product="pack1000"))])
    # the first engine rebuilt itself from the log, which has the second's event
    assert first.seq == second.seq
    assert state_view(first.state) == state_view(second.state)
    assert [r.key for r in store.load(TENANT, after_seq=first.seq - 1)] == ["from-second"]


def _record(seq: int, key: str, event: ev.Event) -> EventRecord:
    from zengzhi.engine import codec

    payload = codec.to_dict(event)
    return EventRecord(seq, key, payload, codec.fingerprint(payload), 0, "", ())


def test_the_database_enforces_unique_keys_and_whole_batches(
        db_url: str, config_data: dict[str, Any], open_sql_store: OpenStore) -> None:
    store = open_sql_store(db_url)
    engine = _live_engine(store, config_data)
    before = list(store.load(TENANT))
    n = engine.seq
    batch = [_record(n + 1, "fresh-1", ev.Join("x1")), _record(n + 2, "fresh-2", ev.Join("x2")),
             _record(n + 3, "join-alice", ev.Join("x3"))]  # a key of event #1

    with pytest.raises(StoreError, match="append failed"):
        store.append(TENANT, batch)
    assert list(store.load(TENANT)) == before  # nothing of the batch is kept

    # a failure in a later statement of the batch (many rows, a duplicate key last)
    many = [_record(n + i, f"bulk-{i}", ev.Join(f"bulk{i}")) for i in range(1, 400)]
    many.append(_record(n + 400, "join-bob", ev.Join("x8")))
    with pytest.raises(StoreError, match="append failed"):
        store.append(TENANT, many)
    assert list(store.load(TENANT)) == before

    with pytest.raises(StoreError, match="next event"):
        store.append(TENANT, [_record(n + 2, "gap", ev.Join("x4"))])
    with pytest.raises(StoreError, match="not dense"):
        store.append(TENANT, [_record(n + 1, "a", ev.Join("x5")),
                              _record(n + 3, "b", ev.Join("x6"))])
    with pytest.raises(StoreError):
        store.append("no-such-tenant", [_record(1, "a", ev.Join("x7"))])
    store.append(TENANT, [])
    assert list(store.load(TENANT)) == before
    assert list(store.load("no-such-tenant")) == []


def test_tenants_are_isolated(db_url: str, config_data: dict[str, Any],
                              open_sql_store: OpenStore) -> None:
    store = open_sql_store(db_url)
    other_config = {**config_data, "pool": {**config_data["pool"], "grant_ratio": "0.50"}}
    one = _live_engine(store, config_data, "one")
    two = _live_engine(store, other_config, "two", mixed_commands()[:9])  # same keys, fewer

    assert (one.seq, two.seq) == (len(mixed_commands()), 9)
    assert store.tenant_config("two") == other_config
    assert state_view(one.state) != state_view(two.state)
    for live in (one, two):
        assert _nonzero(store.balances(live.tenant)) == _nonzero(live.state.ledger.balances)
    store.close()

    again = open_sql_store(db_url)
    for live in (one, two):
        reopened = Engine.open(again, live.tenant, FixedClock(0))
        assert reopened.seq == live.seq
        assert state_view(reopened.state) == state_view(live.state)
        assert [r.seq for r in again.load(live.tenant)] == list(range(1, live.seq + 1))


def test_create_tenant_again(db_url: str, config_data: dict[str, Any],
                             open_sql_store: OpenStore) -> None:
    store = open_sql_store(db_url)
    store.create_tenant(TENANT, config_data)
    store.create_tenant(TENANT, config_data)  # the same config: nothing to do
    with pytest.raises(StoreError, match="another config"):
        store.create_tenant(TENANT, {**config_data, "pool": {}})
    assert store.tenant_config(TENANT) == config_data
