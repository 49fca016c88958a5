"""Durable throughput: settled orders/s through ``Engine.submit_batch`` into SQLite.

    .venv/bin/python bench/sqlite_store.py [--orders 200000] [--batch 1000] [--members 10000]
    .venv/bin/python bench/sqlite_store.py --url postgresql+psycopg://postgres@127.0.0.1/empty_db

Prints orders/s for the in-memory store (the engine and domain alone) and for
``SqlEventStore`` on a temporary SQLite file (WAL, synchronous=NORMAL), plus
the time to rebuild the engine from that file (``Engine.open``).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from zengzhi.adapters.sql.store import SqlEventStore
from zengzhi.bootstrap import tune_gc
from zengzhi.domain import events as ev
from zengzhi.engine.engine import Command, Engine
from zengzhi.engine.memory import FixedClock, InMemoryStore
from zengzhi.engine.ports import EventStore

CONFIG: dict[str, Any] = {
    "pool": {"initial_price": "1.00", "grant_ratio": "0.70", "sell_retention": "0.20",
             "exit_multiple": "3"},
    "products": {"pack1000": {"price": "1000.00", "split": {
        "cost": "300.00", "distribution": "300.00", "platform": "100.00", "pool": "300.00"}}},
}


def run(store: EventStore, orders: int, batch: int, members: int) -> tuple[float, float]:
    """Returns (orders/s, postings per order)."""
    engine = Engine.create(store, "bench", CONFIG, FixedClock(1_700_000_000_000))
    for start in range(0, members, batch):
        engine.submit_batch([Command(f"j{i}", ev.Join(f"m{i}"))
                             for i in range(start, min(start + batch, members))])
    postings = 0
    began = time.perf_counter()
    for start in range(0, orders, batch):
        commands = [Command(f"o{i}", ev.PayOrder(f"o{i}", f"m{i % members}", product="pack1000"))
                    for i in range(start, min(start + batch, orders))]
        receipts = engine.submit_batch(commands)
        postings += sum(len(r.outcome.postings) for r in receipts)
    elapsed = time.perf_counter() - began
    return orders / elapsed, postings / orders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--url", help="measure this (empty) database instead, e.g. PostgreSQL")
    args = parser.parse_args()
    tune_gc()  # as the zengzhi CLI and server do

    rate, per = run(InMemoryStore(), args.orders, args.batch, args.members)
    print(f"in-memory store: {rate:9,.0f} orders/s ({per:.1f} postings/order)")
    if args.url:
        store = SqlEventStore(args.url)
        try:
            rate, per = run(store, args.orders, args.batch, args.members)
        finally:
            store.close()
        print(f"{store.dialect} store: {rate:9,.0f} orders/s (batch {args.batch})")
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        store = SqlEventStore(url)
        try:
            rate, per = run(store, args.orders, args.batch, args.members)
        finally:
            store.close()
        print(f"SQLite store:    {rate:9,.0f} orders/s ({per:.1f} postings/order, "
              f"batch {args.batch}, {(Path(tmp) / 'bench.db').stat().st_size / 1e6:.0f} MB)")
        store = SqlEventStore(url)
        try:
            began = time.perf_counter()
            engine = Engine.open(store, "bench", FixedClock(0))
            elapsed = time.perf_counter() - began
            print(f"Engine.open:     {engine.seq / elapsed:9,.0f} events/s replayed "
                  f"({engine.seq:,} events in {elapsed:.1f} s)")
        finally:
            store.close()


if __name__ == "__main__":
    main()
