"""``zengzhi bench engine``: events/s and µs per event at growing member counts.

For each member count ``n``: ``n`` members join and each places one order
(setup, not timed: it fills the exit heap with ``n`` live cycles), then a
seeded stream of pool events (orders, sells, subsidies) is timed

* in memory: the domain state machine alone (``domain.machine.apply``);
* durable: the engine with group commit to a SQLite file (or ``--db``).

Timings use ``time.perf_counter`` around the timed loop only.
"""

from __future__ import annotations

import gc
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from zengzhi.domain import events as ev
from zengzhi.domain.config import parse_tenant_config
from zengzhi.domain.machine import apply
from zengzhi.domain.state import State
from zengzhi.engine.engine import Command, Engine
from zengzhi.engine.ports import Clock, EventStore
from zengzhi.workload import DEFAULT_CONFIG, pool_events

DURABLE_BATCH_SIZE = 2_000


@dataclass(frozen=True, slots=True)
class BenchRow:
    mode: str
    members: int
    events: int
    seconds: float
    accepted: int

    @property
    def events_per_s(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0

    @property
    def us_per_event(self) -> float:
        return self.seconds * 1e6 / self.events if self.events else 0.0


def setup_events(members: int) -> Iterable[ev.Event]:
    for i in range(members):
        yield ev.Join(f"m{i}")
    for i in range(members):
        yield ev.PayOrder(f"s{i}", f"m{i}", "pack1000")


def bench_memory(members: int, events: int, seed: int) -> BenchRow:
    state = State(parse_tenant_config(DEFAULT_CONFIG))
    for event in setup_events(members):
        apply(state, event)
    stream = list(pool_events(random.Random(seed), members, events))
    _freeze_long_lived()
    accepted = 0
    started = time.perf_counter()
    for event in stream:
        if apply(state, event).rejection is None:
            accepted += 1
    seconds = time.perf_counter() - started
    gc.unfreeze()
    return BenchRow("memory", members, events, seconds, accepted)


def _freeze_long_lived() -> None:
    """Move the set-up state out of the cyclic GC's generations, as a server does
    after loading a tenant: otherwise full collections rescan millions of
    long-lived objects and the timing measures the collector, not the rules."""
    gc.collect()
    gc.freeze()


def _chunks(commands: list[Command], size: int) -> Iterable[list[Command]]:
    for start in range(0, len(commands), size):
        yield commands[start:start + size]


def bench_durable(members: int, events: int, seed: int, open_store: Callable[[str], EventStore],
                  clock: Clock, db_url: str | None = None) -> BenchRow:
    with tempfile.TemporaryDirectory() as tmp:
        url = db_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        store = open_store(url)
        tenant = f"bench-{members}-{seed}-{time.time_ns()}"
        engine = Engine.create(store, tenant, DEFAULT_CONFIG, clock)
        setup = [Command(f"setup:{i}", e, 0) for i, e in enumerate(setup_events(members))]
        for chunk in _chunks(setup, DURABLE_BATCH_SIZE):
            engine.submit_batch(chunk)
        stream = [Command(f"e:{i}", e, 0)
                  for i, e in enumerate(pool_events(random.Random(seed), members, events))]
        _freeze_long_lived()
        accepted = 0
        started = time.perf_counter()
        for chunk in _chunks(stream, DURABLE_BATCH_SIZE):
            accepted += sum(r.outcome.rejection is None for r in engine.submit_batch(chunk))
        seconds = time.perf_counter() - started
        gc.unfreeze()
        store.close()
    return BenchRow("durable", members, events, seconds, accepted)


def peak_memory_mb(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
