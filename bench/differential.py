"""Micro benchmark: settled orders/s with the 级差 differential plan alone.

    .venv/bin/python bench/differential.py                      # 1M random tree + 100k chain
    .venv/bin/python bench/differential.py --random 100000 --chain 20000 --orders 20000

Two tree shapes, in memory, through the domain state machine (``apply``):

* ``random`` — a random recursive tree (member i's sponsor is a uniformly
  random earlier member; depth ~ ln n);
* ``chain`` — every member sponsors the next (depth n);
* ``broom`` — a line whose every member first recruits a dud (a leaf), then
  the next member of the line (depth n / 2).

Set-up (not timed): the members join; every tenth buys a 1000 pack (umbrella
volume); one in a hundred is given a random rank by ``set_rank``. Timed: a
seeded stream of 1000-pack orders by uniformly random members. Each shape is
also run with no plan at all (the pool and ledger alone), so the table shows
the plan's own cost per order (plan µs = with − without).
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from collections.abc import Iterator
from typing import Any

from zengzhi.domain import events as ev
from zengzhi.domain.config import parse_tenant_config
from zengzhi.domain.machine import apply
from zengzhi.domain.state import State

RANKS: list[dict[str, Any]] = [
    {"name": "v1", "rate": "0.5%", "volume": "10000.00"},
    {"name": "v2", "rate": "1%", "volume": "50000.00", "directs": 3},
    {"name": "v3", "rate": "1.5%", "volume": "100000.00"},
    {"name": "v4", "rate": "1.8%", "volume": "300000.00"},
    {"name": "v5", "rate": "2.1%", "volume": "1000000.00"},
    {"name": "v6", "rate": "2.4%", "volume": "3000000.00"},
    {"name": "v7", "rate": "2.7%", "volume": "10000000.00", "pack": "pack10000"},
]


def config(with_plan: bool) -> dict[str, Any]:
    split = {"tier": "30.00", "pool": "300.00", "cost": "670.00"}
    plans = [{"type": "differential", "bucket": "tier", "ranks": RANKS, "peer_rate": "10%"}] if with_plan else []
    return {
        "pool": {"initial_price": "1.00", "grant_ratio": "0.70", "sell_retention": "0.20", "exit_multiple": "0"},
        "products": {"pack1000": {"price": "1000.00", "split": split}},
        "plans": plans,
    }


def setup(shape: str, members: int, with_plan: bool, rng: random.Random) -> State:
    state = State(parse_tenant_config(config(with_plan)))
    for i in range(members):
        sponsor = None if i == 0 else (i - 1 if shape == "chain" else rng.randrange(i))
        if shape == "broom" and i:
            sponsor = i - 1 if i % 2 else i - 2  # odd: the dud under the line member before it
        outcome = apply(state, ev.Join(f"m{i}", None if sponsor is None else f"m{sponsor}"))
        assert outcome.rejection is None, outcome.rejection
    for i in range(0, members, 10):
        apply(state, ev.PayOrder(f"s{i}", f"m{i}", "pack1000"))
    if with_plan:
        names = [r["name"] for r in RANKS]
        for i in rng.sample(range(members), members // 100):
            apply(state, ev.SetRank(f"m{i}", rng.choice(names)))  # a lower rank than earned: rejected, fine
    return state


def orders(members: int, count: int, rng: random.Random) -> Iterator[ev.PayOrder]:
    for i in range(count):
        yield ev.PayOrder(f"b{i}", f"m{rng.randrange(members)}", "pack1000")


def run(shape: str, members: int, count: int, with_plan: bool, seed: int) -> tuple[float, float, int]:
    """(setup seconds, timed seconds, plan postings) for one shape."""
    rng = random.Random(seed)
    started = time.perf_counter()
    state = setup(shape, members, with_plan, rng)
    setup_s = time.perf_counter() - started
    stream = list(orders(members, count, random.Random(seed + 1)))
    gc.collect()
    gc.freeze()
    postings = 0
    started = time.perf_counter()
    for event in stream:
        outcome = apply(state, event)
        postings += sum(1 for p in outcome.postings if p.plan)
    seconds = time.perf_counter() - started
    gc.unfreeze()
    return setup_s, seconds, postings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random", type=int, default=1_000_000, help="members of the random tree (0: skip)")
    parser.add_argument("--chain", type=int, default=100_000, help="members of the chain (0: skip)")
    parser.add_argument("--broom", type=int, default=0, help="members of the broom (0: skip)")
    parser.add_argument("--orders", type=int, default=50_000, help="timed orders per shape")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"{'shape':<7} {'members':>9} {'orders':>7} {'setup s':>8} {'orders/s':>9} "
          f"{'no plan/s':>10} {'plan µs':>8} {'payouts/order':>13}")
    for shape, members in (("random", args.random), ("chain", args.chain), ("broom", args.broom)):
        if not members:
            continue
        setup_s, seconds, postings = run(shape, members, args.orders, True, args.seed)
        _, bare, _ = run(shape, members, args.orders, False, args.seed)
        plan_us = (seconds - bare) / args.orders * 1e6
        print(f"{shape:<7} {members:>9} {args.orders:>7} {setup_s:>8.1f} {args.orders / seconds:>9.0f} "
              f"{args.orders / bare:>10.0f} {plan_us:>8.1f} {postings / args.orders:>13.2f}")


if __name__ == "__main__":
    main()
