"""Every plan through the durable engine: a restart rebuilds the same state, postings and memos.

Runs on SQLite and on a fresh PostgreSQL database (``db_url``). The config is
the benchmark's (every plan type at once); the events come from its set-up and
order stream, plus plan events (set_rank, close_period, tick).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from zengzhi.adapters.sql.store import SqlEventStore
from zengzhi.bench_plans import ALL_PLANS_CONFIG, order_stream, setup_events
from zengzhi.engine.engine import Command, Engine
from zengzhi.engine.memory import FixedClock
from zengzhi.engine.queries import state_view

OpenStore = Callable[..., SqlEventStore]
TENANT = "plans"


def _commands() -> list[Command]:
    rng = random.Random(11)
    events = [*setup_events("random", 120, rng), *order_stream(120, 400, 150, rng)]
    return [Command(f"k{i}", event, i * 3_600_000) for i, event in enumerate(events)]  # an hour apart: ticks rotate


def test_every_plan_survives_a_restart(db_url: str, open_sql_store: OpenStore) -> None:
    store = open_sql_store(db_url)
    live = Engine.create(store, TENANT, ALL_PLANS_CONFIG, FixedClock(0))
    commands = _commands()
    receipts = [r for start in range(0, len(commands), 64)
                for r in live.submit_batch(commands[start:start + 64])]
    assert all(r.outcome.rejection is None for r in receipts), [r.outcome.rejection for r in receipts
                                                                 if r.outcome.rejection][:3]
    paid = {p.plan for r in receipts for p in r.outcome.postings if p.plan}
    assert {"linkage", "referral", "differential", "regional", "team", "shareholder"} <= paid
    store.close()

    again = open_sql_store(db_url)
    reopened = Engine.open(again, TENANT, FixedClock(0))  # re-checks every logged outcome
    assert state_view(reopened.state) == state_view(live.state)
    some = next(r for r in receipts if any(p.plan == "differential" for p in r.outcome.postings))
    order_id = some.outcome.postings[0].order_id
    stored = again.order_postings(TENANT, order_id)
    assert stored == [p for p in some.outcome.postings if p.order_id == order_id]
    assert any(p.memo for p in stored)
    again.close()
