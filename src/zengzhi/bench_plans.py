"""``zengzhi bench plans``: settled orders/s with every reward plan enabled.

Two tree shapes, in memory (the domain state machine alone, as ``bench
engine``'s memory mode):

* ``random`` — a random recursive tree: member ``i``'s sponsor is a uniformly
  random earlier member (depth grows like ``ln n``: ~14 on average at 1M);
* ``chain`` — every member sponsors the next: depth ``n``.

Set-up (not timed): the members join, a tenth of them (all with ``mature``) buy a pack, the ranks,
regions and dividend classes the plans need are set. Timed: a seeded stream
of settled orders by uniformly random members (one in 50 buys the 10000 pack,
which carries 分红权), with a ``close_period`` and a ``tick`` every ``period``
orders. Timings use ``time.perf_counter``.
"""

from __future__ import annotations

import gc
import random
import time
import tracemalloc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from zengzhi.domain import events as ev
from zengzhi.domain.config import parse_tenant_config
from zengzhi.domain.machine import apply
from zengzhi.domain.state import State

#: seed 002's 1000 pack (链动 330, 分红 40, 股东 30, 级差 30 …) with room for the
#: other plans: every plan type zengzhi has, each paying from its own bucket
ALL_PLANS_CONFIG: dict[str, Any] = {
    "pool": {"initial_price": "1.00", "grant_ratio": "0.70", "sell_retention": "0.20",
             "exit_multiple": "3"},
    "products": {
        "pack1000": {"price": "1000.00", "split": {
            "linkage": "330.00", "dividend": "40.00", "shareholder": "30.00", "tier": "30.00",
            "pool": "300.00", "distribution": "50.00", "regional": "10.00", "refer": "70.00",
            "cost": "100.00", "platform": "40.00"}},
        # seed 002's big pack: 分红权 1.0 (the 1000 pack gives none), ten times the 1000 pack's split
        "pack10000": {"price": "10000.00", "split": {
            "linkage": "3300.00", "dividend": "400.00", "shareholder": "300.00", "tier": "300.00",
            "pool": "3000.00", "distribution": "500.00", "regional": "100.00", "refer": "700.00",
            "cost": "1000.00", "platform": "400.00"}},
    },
    "plans": [
        {"type": "linkage", "bucket": "linkage", "boss_at": 3, "spillover": True, "rotation_days": 7,
         "packs": {"pack1000": {"direct": "100.00", "see_point": "200.00"},
                   "pack10000": {"direct": "1000.00", "see_point": "2000.00"}}, "peer_rate": "10%"},
        {"type": "referral", "bucket": "distribution", "awards": ["3%", "2%"]},
        {"type": "differential", "bucket": "tier", "base": "amount", "peer_rate": "10%", "ranks": [
            {"name": "v1", "rate": "0.5%", "volume": "10000.00"},
            {"name": "v2", "rate": "1%", "volume": "50000.00", "directs": 3},
            {"name": "v3", "rate": "1.5%", "volume": "100000.00"},
            {"name": "v4", "rate": "1.8%", "volume": "300000.00"},
            {"name": "v5", "rate": "2.1%", "volume": "600000.00"},
            {"name": "v6", "rate": "2.4%", "volume": "1000000.00"},
            {"name": "v7", "rate": "2.7%", "volume": "3000000.00"}]},
        {"type": "regional", "bucket": "regional", "mode": "fixed",
         "rates": {"district": "0.1%", "city": "0.05%", "province": "0.01%"}},
        {"type": "dividend", "name": "team", "bucket": "dividend", "inflow": "40.00", "by": "class",
         "classes": {"董事": "30%", "联创": "30%", "合伙人": "40%"}},
        {"type": "dividend", "name": "shareholder", "bucket": "shareholder", "inflow": "3%", "by": "weight",
         "weights": {"pack10000": "1"}},
        {"type": "refer_three", "bucket": "refer", "rates": ["1%", "2%", "7%"], "products": ["pack1000", "pack10000"]},
        {"type": "quota", "grants": {"pack1000": "3000.00", "pack10000": "30000.00"},
         "applies_to": ["linkage"]},  # seed 002: 链动奖励超过收益额度后烧伤
        {"type": "help_fund", "share": "20%", "applies_to": ["linkage"], "lines_from": "linkage",
         "release": {"min_rank": "agent", "team_orders_more_than": 20}},
    ],
}

def config_without(names: Iterable[str]) -> dict[str, Any]:
    """``ALL_PLANS_CONFIG`` less the named plans (and modifiers left with nothing to act on)."""
    drop = set(names)
    unknown = drop - {p.get("name", p["type"]) for p in ALL_PLANS_CONFIG["plans"]}
    if unknown:
        raise ValueError(f"no plan named {', '.join(sorted(unknown))} in the benchmark config")
    plans = []
    for plan in ALL_PLANS_CONFIG["plans"]:
        if plan.get("name", plan["type"]) in drop or plan.get("lines_from") in drop:
            continue
        plan = dict(plan)
        if "applies_to" in plan:
            plan["applies_to"] = [n for n in plan["applies_to"] if n not in drop]
            if not plan["applies_to"]:
                continue
        plans.append(plan)
    return {**ALL_PLANS_CONFIG, "plans": plans}


REGIONS = ("440106", "440103", "440305", "310104")
#: regional agencies set up before the timed run: (level, region) for members m1, m2 …
AGENCIES = (("district", "440106"), ("district", "440103"), ("city", "440100"), ("city", "440300"),
            ("province", "440000"), ("province", "310000"), ("district", "310104"))
DIVIDEND_CLASSES = ("董事", "联创", "合伙人")


@dataclass(frozen=True, slots=True)
class PlansBenchRow:
    shape: str
    members: int
    depth_max: int
    orders: int
    seconds: float
    setup_seconds: float
    peak_mb: float

    @property
    def orders_per_s(self) -> float:
        return self.orders / self.seconds if self.seconds else 0.0


def sponsors(shape: str, members: int, rng: random.Random) -> Iterator[int | None]:
    for i in range(members):
        if i == 0:
            yield None
        elif shape == "chain":
            yield i - 1
        else:
            yield rng.randrange(i)


def setup_events(shape: str, members: int, rng: random.Random, mature: bool = False) -> Iterable[ev.Event]:
    """Joins, then a pack for every tenth member (every member when ``mature``)."""
    for i, sponsor in enumerate(sponsors(shape, members, rng)):
        yield ev.Join(f"m{i}", None if sponsor is None else f"m{sponsor}", REGIONS[i % len(REGIONS)])
    for i in range(0, members, 1 if mature else 10):
        yield ev.PayOrder(f"s{i}", f"m{i}", "pack1000")
    for i, (level, region) in enumerate(AGENCIES):
        yield ev.SetRank(f"m{(i + 1) % members}", level, "regional", region)
    for i in range(min(members, 30)):
        yield ev.SetRank(f"m{i}", DIVIDEND_CLASSES[i % 3], "team")


#: one order in this many buys the 10000 pack (分红权); the others the 1000 pack
BIG_PACK_EVERY = 50


def order_stream(members: int, orders: int, period: int, rng: random.Random) -> Iterator[ev.Event]:
    for i in range(orders):
        product = "pack10000" if rng.randrange(BIG_PACK_EVERY) == 0 else "pack1000"
        yield ev.PayOrder(f"b{i}", f"m{rng.randrange(members)}", product)
        if period and (i + 1) % period == 0:
            yield ev.ClosePeriod()
            yield ev.Tick()


def depth_max(state: State) -> int:
    depth: dict[str, int] = {}
    for member in state.members.values():  # join order: a sponsor comes first
        depth[member.member_id] = 0 if member.sponsor is None else depth[member.sponsor] + 1
    return max(depth.values(), default=0)


def bench_plans(shape: str, members: int, orders: int, seed: int = 7, period: int = 10_000,
                config: dict[str, Any] | None = None, trace_memory: bool = False,
                mature: bool = False) -> PlansBenchRow:
    rng = random.Random(seed)
    if trace_memory:
        tracemalloc.start()
    started = time.perf_counter()
    state = State(parse_tenant_config(config or ALL_PLANS_CONFIG))
    for event in setup_events(shape, members, rng, mature):
        outcome = apply(state, event)
        assert outcome.rejection is None, (event, outcome.rejection)
    setup_seconds = time.perf_counter() - started
    stream = list(order_stream(members, orders, period, rng))
    gc.collect()
    gc.freeze()  # the set-up state is long-lived: keep the collector off it, as a server does
    started = time.perf_counter()
    for event in stream:
        outcome = apply(state, event)
        assert outcome.rejection is None or isinstance(event, ev.ClosePeriod), outcome.rejection
    seconds = time.perf_counter() - started
    gc.unfreeze()
    peak = 0.0
    if trace_memory:
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    return PlansBenchRow(shape, members, depth_max(state), orders, seconds, setup_seconds, peak)
