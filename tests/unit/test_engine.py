"""engine.py on the in-memory store: idempotency keys, batches, rebuild from the log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from tests.strategies import seed_config, snapshot
from zengzhi.domain.config import ConfigError
from zengzhi.domain.events import Inject, Join, PayOrder, Sell, Withdraw
from zengzhi.domain.results import ResultCode
from zengzhi.engine.engine import Command, Engine
from zengzhi.engine.memory import FixedClock, InMemoryStore
from zengzhi.engine.ports import EventRecord
from zengzhi.engine.queries import state_view
from zengzhi.errors import IdempotencyConflict, NotFound

TENANT = "t1"


def new_engine(config: dict[str, Any] | None = None, now_ms: int = 0
               ) -> tuple[Engine, InMemoryStore, FixedClock]:
    store, clock = InMemoryStore(), FixedClock(now_ms)
    engine = Engine.create(store, TENANT, seed_config() if config is None else config, clock)
    return engine, store, clock


def log_length(store: InMemoryStore) -> int:
    return len(list(store.load(TENANT)))


def busy_engine() -> tuple[Engine, InMemoryStore, FixedClock]:
    """Joins, orders, a rejection, a forced exit, a sale and a withdrawal."""
    engine, store, clock = new_engine()
    engine.submit("j-a", Join("A"))
    engine.submit("j-b", Join("B", sponsor="A"))
    engine.submit("o-a", PayOrder("o1", "A", "pack1000"))
    engine.submit("o-b", PayOrder("o2", "B", "pack1000", settle=False))
    engine.submit("bad", Sell("B", 1))  # rejected: B holds no points yet; still logged
    engine.submit("x", Inject(500_000))  # A exits
    engine.submit("w", Withdraw("w1", "A", 100_000))
    return engine, store, clock


def test_receipts_count_sequence_numbers() -> None:
    engine, store, _ = new_engine()
    first = engine.submit("k1", Join("A"))
    second = engine.submit("k2", PayOrder("o1", "A", "pack1000"))
    assert (first.seq, second.seq) == (1, 2)
    assert not first.replayed and not second.replayed
    assert second.outcome.accepted and len(second.outcome.postings) == 5
    assert log_length(store) == 2


def test_same_key_same_content_answers_the_first_receipt() -> None:
    engine, store, _ = new_engine()
    engine.submit("j", Join("A"))
    engine.submit("o", PayOrder("o1", "A", "pack1000"))
    first = engine.submit("x", Inject(270_000))
    assert first.outcome.exits == ("A",)
    before = snapshot(engine.state)
    again = engine.submit("x", Inject(270_000))
    assert again.replayed
    assert (again.seq, again.key) == (first.seq, "x")
    assert again.outcome == first.outcome
    assert snapshot(engine.state) == before
    assert (engine.seq, log_length(store)) == (3, 3)


def test_a_replayed_rejection_is_the_first_rejection() -> None:
    engine, _, _ = new_engine()
    first = engine.submit("s", Sell("nobody", 1))
    assert first.outcome.rejection is not None
    assert first.outcome.rejection.code is ResultCode.UNKNOWN_MEMBER
    again = engine.submit("s", Sell("nobody", 1))
    assert again.replayed and again.outcome == first.outcome and again.seq == first.seq


def test_a_replayed_duplicate_order_is_still_a_duplicate() -> None:
    engine, _, _ = new_engine()
    engine.submit("j", Join("A"))
    engine.submit("o", PayOrder("o1", "A", "pack1000"))
    first = engine.submit("o-retry", PayOrder("o1", "A", "pack1000"))  # new key, same order
    assert first.outcome.duplicate
    assert engine.submit("o-retry", PayOrder("o1", "A", "pack1000")).outcome == first.outcome


def test_same_key_other_content_raises_and_changes_nothing() -> None:
    engine, store, _ = new_engine()
    engine.submit("k", Join("A"))
    before = snapshot(engine.state)
    with pytest.raises(IdempotencyConflict) as info:
        engine.submit("k", Join("B"))
    assert (info.value.key, info.value.seq) == ("k", 1)
    assert snapshot(engine.state) == before
    assert (engine.seq, log_length(store)) == (1, 1)
    assert "B" not in engine.state.members


def test_batch_conflict_is_a_receipt_and_the_others_go_on() -> None:
    engine, store, _ = new_engine()
    engine.submit("k", Join("A"))
    receipts = engine.submit_batch([
        Command("k", Join("Z")),  # reused key, other content
        Command("k2", Join("B")),
        Command("k", Join("A")),  # reused key, same content: replayed
        Command("k2", Join("B")),  # replayed from the batch not yet committed
        Command("k3", PayOrder("o1", "B", "pack1000")),
    ])
    assert [r.conflict for r in receipts] == [True, False, False, False, False]
    assert receipts[0].seq == 1
    rejection = receipts[0].outcome.rejection
    assert rejection is not None and (rejection.code, rejection.field) == (
        ResultCode.KEY_CONFLICT, "key")
    assert [r.replayed for r in receipts] == [False, False, True, True, False]
    assert [r.seq for r in receipts] == [1, 2, 1, 2, 3]
    assert sorted(engine.state.members) == ["A", "B"]
    assert log_length(store) == 3


def test_rebuild_equals_the_live_state() -> None:
    engine, store, clock = busy_engine()
    reopened = Engine.open(store, TENANT, clock)
    assert reopened.seq == engine.seq == 7
    assert snapshot(reopened.state) == snapshot(engine.state)
    assert state_view(reopened.state) == state_view(engine.state)
    # the store's own balances (summed from its postings) agree with the ledger
    live = {k: v for k, v in engine.state.ledger.balances.items() if v}
    assert {k: v for k, v in store.balances(TENANT).items() if v} == live
    # the reopened engine knows the keys: a retry is replayed, other content conflicts
    receipt = reopened.submit("x", Inject(500_000))
    assert receipt.replayed and receipt.seq == 6 and receipt.outcome.exits == ("A",)
    with pytest.raises(IdempotencyConflict):
        reopened.submit("x", Inject(1))
    # and it goes on where the live engine stopped
    assert reopened.submit("next", Join("C")).seq == 8


def test_rebuild_uses_the_logged_time_not_the_clock() -> None:
    config = seed_config(grant_schedule=[{"grant_ratio": "0.10", "from_ms": 1_000}])
    engine, store, clock = new_engine(config, now_ms=1_000)
    engine.submit("j", Join("A"))
    engine.submit("o1", PayOrder("o1", "A", "pack1000"))  # at the clock: 10%
    engine.submit("o2", PayOrder("o2", "A", "pack1000"), at_ms=0)  # explicit time: 70%
    assert [r.at_ms for r in store.load(TENANT)] == [1_000, 1_000, 0]
    assert engine.state.orders["o1"].granted_units == 300_000
    clock.value_ms = 0
    reopened = Engine.open(store, TENANT, clock)
    assert snapshot(reopened.state) == snapshot(engine.state)


def test_open_unknown_tenant() -> None:
    with pytest.raises(NotFound):
        Engine.open(InMemoryStore(), "nobody", FixedClock())


def test_create_refuses_an_invalid_config() -> None:
    with pytest.raises(ConfigError) as info:
        Engine.create(InMemoryStore(), TENANT, seed_config(grant_ratio="2"), FixedClock())
    assert info.value.field == "pool.grant_ratio"


class FailingStore(InMemoryStore):
    """Refuses the next append, as a database would on a failed commit."""

    fail = False

    def append(self, tenant: str, records: Sequence[EventRecord]) -> None:
        if self.fail:
            raise OSError("disk full")
        super().append(tenant, records)


def test_a_failed_commit_undoes_the_whole_batch() -> None:
    store, clock = FailingStore(), FixedClock()
    engine = Engine.create(store, TENANT, seed_config(), clock)
    engine.submit("j", Join("A"))
    engine.submit("o", PayOrder("o1", "A", "pack1000"))
    before = snapshot(engine.state)
    store.fail = True
    with pytest.raises(OSError, match="disk full"):
        engine.submit_batch([Command("o2", PayOrder("o2", "A", "pack1000")),
                             Command("x", Inject(1_000_000))])
    assert snapshot(engine.state) == before
    assert engine.seq == 2
    store.fail = False
    # the keys of the failed batch were forgotten: the retry is applied, not replayed
    receipt = engine.submit("o2", PayOrder("o2", "A", "pack1000"))
    assert (receipt.seq, receipt.replayed) == (3, False)
