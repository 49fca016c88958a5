"""The exact stream kernel on the seed examples of pool.md, at 128-bit sizes, and its refusals."""

from __future__ import annotations

import random
from typing import Any

import pytest

from zengzhi.domain import events as ev
from zengzhi.domain.config import parse_split, parse_tenant_config
from zengzhi.domain.machine import apply
from zengzhi.domain.state import State
from zengzhi.engine.queries import state_view
from zengzhi.sim.run import SimulationError, run_events
from zengzhi.sim.stream import Unsupported, run_stream
from zengzhi.sim.view import stream_view

SEED = {"pool": {"initial_price": "1.00", "grant_ratio": "0.70", "sell_retention": "0.20", "exit_multiple": "3"},
        "products": {"pack1000": {"price": "1000.00", "split": {"cost": "300.00", "distribution": "300.00",
                                                                 "platform": "100.00", "pool": "300.00"}},
                     "local": {"price": "1000.00", "split": {"merchant_net": "800.00", "platform": "20.00",
                                                             "distribution": "20.00", "pool": "160.00"}}}}


def joins_and_orders(product: str, n: int = 3) -> list[tuple[ev.Event, int]]:
    names = "ABC"[:n]
    stream: list[tuple[ev.Event, int]] = [(ev.Join(m), 0) for m in names]
    stream += [(ev.PayOrder(f"o{i}", m, product), 0) for i, m in enumerate(names)]
    return stream


def test_seed_grants_and_prices() -> None:
    view = stream_view(run_stream(parse_tenant_config(SEED), joins_and_orders("pack1000")))
    assert view["pool"] == {"money": "900.00", "points": "481.9500", "price": "1.8674"}
    assert [view["members"][m]["points"] for m in "ABC"] == ["210.0000", "147.0000", "124.9500"]


def test_local_life_grant_is_not_rounded_through_the_price() -> None:
    view = stream_view(run_stream(parse_tenant_config(SEED), joins_and_orders("local")))
    assert view["members"]["C"]["points"] == "66.6400"  # 66.6399 if the price were rounded first


def test_a_subsidy_to_exactly_the_exit_price_exits() -> None:
    # P/N = 3000/210 exactly: k*spent*N == P*cycle_points, due (a float compare can miss it)
    stream = joins_and_orders("pack1000", 1) + [(ev.Inject(300_000 - 30_000), 0)]
    view = stream_view(run_stream(parse_tenant_config(SEED), stream))
    assert view["exits"] == 1 and view["members"]["A"]["exits"] == 1
    assert view["members"]["A"]["cash"] == "2400.00"  # 80% of 210 points at 14.2857...


def huge_stream(seed: int) -> list[tuple[ev.Event, int]]:
    """Orders of 10^9..10^11 yuan: P*N and k*spent*N are far beyond 2**63, results are not."""
    rng = random.Random(seed)
    split = parse_split({"cost": "70%", "pool": "30%"}, "split")
    stream: list[tuple[ev.Event, int]] = [(ev.Join(f"m{i}"), 0) for i in range(6)]
    for n in range(60):
        who = f"m{rng.randrange(6)}"
        if rng.random() < 0.7:
            stream.append((ev.PayOrder(f"o{n}", who, None, rng.randrange(10**11, 10**13), split), n))
        elif rng.random() < 0.5:
            stream.append((ev.Sell(who, rng.randrange(1, 10**14)), n))
        else:
            stream.append((ev.Inject(rng.randrange(10**10, 10**12)), n))
    return stream


@pytest.mark.parametrize("seed", range(8))
def test_128_bit_products_match_the_domain(seed: int) -> None:
    config: dict[str, Any] = {"pool": {"exit_multiple": "6/5", "sell_retention": "1/7", "grant_ratio": "0.9"}}
    stream = huge_stream(seed)
    state = State(parse_tenant_config(config))
    for event, at_ms in stream:
        apply(state, event, at_ms)
    assert state.pool.money_cents * state.pool.points_units > 1 << 63 or state.pool.points_units == 0
    result = run_stream(parse_tenant_config(config), stream)
    assert stream_view(result) == state_view(state)


def test_overflow_is_refused_not_wrapped() -> None:
    config = parse_tenant_config({"pool": {"initial_price": "0.0001"}})
    split = parse_split({"pool": "100%"}, "split")
    stream: list[tuple[ev.Event, int]] = [(ev.Join("A"), 0)]
    stream += [(ev.PayOrder(f"o{i}", "A", None, 10**15, split), 0) for i in range(3)]
    with pytest.raises(SimulationError, match="outgrew"):
        run_events(config, stream)


def test_plans_and_plan_events_are_not_simulated() -> None:
    with_plan = parse_tenant_config({**SEED, "plans": [{"type": "referral", "name": "r", "bucket": "distribution",
                                                        "awards": ["1%"]}]})
    with pytest.raises(Unsupported, match="reward plans"):
        run_stream(with_plan, [])
    with pytest.raises(Unsupported, match="Tick"):
        run_stream(parse_tenant_config(SEED), [(ev.Join("A"), 0), (ev.Tick(), 0)])


def test_refund_before_settlement_leaves_the_pool_alone() -> None:
    stream = joins_and_orders("pack1000", 1) + [(ev.PayOrder("late", "A", "pack1000", settle=False), 0),
                                                (ev.RefundOrder("late"), 0)]
    view = stream_view(run_stream(parse_tenant_config(SEED), stream))
    assert view["pool"]["money"] == "300.00" and view["members"]["A"]["pending"] == "0.00"
    assert view["members"]["A"]["spent"] == "1000.00"


def test_heap_compaction_keeps_the_order() -> None:
    """Few members, many orders: the kernel's heap (room for 2*3 + 1024 entries) fills with stale
    entries and is compacted, more than once, without changing who exits when."""
    rng = random.Random(3)
    stream: list[tuple[ev.Event, int]] = [(ev.Join(m), 0) for m in "ABC"]
    for n in range(3_000):
        who = rng.choice("ABC")
        roll = rng.random()
        stream.append((ev.PayOrder(f"o{n}", who, "pack1000"), n) if roll < 0.85
                      else (ev.Inject(rng.randrange(1, 300_000)), n) if roll < 0.95
                      else (ev.Sell(who, rng.randrange(1, 2_000_000)), n))
    state = State(parse_tenant_config(SEED))
    for event, at_ms in stream:
        apply(state, event, at_ms)
    view = stream_view(run_stream(parse_tenant_config(SEED), stream))
    assert view == state_view(state) and view["exits"] > 0
