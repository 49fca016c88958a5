"""Differential test: the exact simulator equals the domain on random event streams.

Every stream goes through ``zengzhi.domain.machine.apply`` (the reference) and
through ``zengzhi.sim`` (the array kernels); the replay-shaped views must be
equal as dicts — pool money, points and price, every member's points, cash,
pending, exits and cycle spend, every account — and the same events rejected.
Streams mix joins, product and inline orders, pending orders settled or
refunded, sells of part or all of the points (复投 after), sells of more than
held, redemptions, subsidies, withdrawals (提现: requested above or within
cash, approved, done, failed, ids reused), duplicates and unknown members, over random
pool configs (exit multiples incl. fractional and none, retention, initial
price, grant schedules by pool size and time).
"""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from zengzhi.domain import events as ev
from zengzhi.domain.config import parse_split, parse_tenant_config
from zengzhi.domain.machine import apply
from zengzhi.domain.state import State
from zengzhi.engine.queries import state_view
from zengzhi.sim.behaviour import simulate_exact
from zengzhi.sim.params import Behaviour
from zengzhi.sim.stream import run_stream
from zengzhi.sim.view import rejected_list, stream_view

MULTIPLES = ["3", "2", "6/5", "1", "0", "5/2"]


def random_config(rng: random.Random) -> dict[str, Any]:
    pool: dict[str, Any] = {
        "initial_price": rng.choice(["1.00", "0.01", "3.37", "1/3"]),
        "grant_ratio": rng.choice(["0.70", "0.5", "1/3", "0.99"]),
        "sell_retention": rng.choice(["0.20", "0", "1/7", "0.5"]),
        "exit_multiple": rng.choice(MULTIPLES),
    }
    if rng.random() < 0.3:
        pool["redeem_retention"] = "0.10"
    if rng.random() < 0.3:
        pool["grant_schedule"] = [{"grant_ratio": "0.10", "pool_money_min": str(rng.randrange(1000, 20000))},
                                  {"grant_ratio": "0.30", "from_ms": rng.randrange(0, 50)}]
    return {
        "pool": pool,
        "products": {
            "pack1000": {"price": "1000.00",
                         "split": {"cost": "300.00", "distribution": "300.00", "platform": "100.00",
                                   "pool": "300.00"}},
            "pack399": {"price": "399.00", "split": {"cost": "40%", "platform": "29%", "pool": "31%"}},
            "nopool": {"price": "10.00", "split": {"cost": "10.00"}},
        },
    }


def _withdrawal(rng: random.Random, state: State, n: int, who: str, ids: list[str]) -> ev.Event:
    """提现 requests near the member's cash (some above it, some reused ids), and their outcomes."""
    if ids and rng.random() < 0.5:
        wid = rng.choice(ids) if rng.random() < 0.95 else "w-none"
        pick = rng.random()
        return (ev.WithdrawApprove(wid) if pick < 0.3 else ev.WithdrawDone(wid) if pick < 0.7
                else ev.WithdrawFail(wid))
    cash = state.ledger.balances.get(state.members[who].cash, 0) if who in state.members else 100
    wid = rng.choice(ids) if ids and rng.random() < 0.1 else f"w{n}"
    ids.append(wid)
    amount = cash if rng.random() < 0.3 else rng.randrange(-1, cash + 3)
    return ev.Withdraw(wid, who, amount)


def _event(rng: random.Random, state: State, n: int, orders: list[str], ids: list[str]) -> ev.Event:
    members = list(state.members)
    roll = rng.random()
    if not members or roll < 0.15:
        sponsor = rng.choice(members) if members and rng.random() < 0.5 else None
        return ev.Join(f"m{len(members) + (rng.random() < 0.05)}", sponsor)
    who = rng.choice(members) if rng.random() < 0.97 else "ghost"
    if roll < 0.5:
        if orders and rng.random() < 0.05:
            return ev.PayOrder(rng.choice(orders), who, "pack1000")  # duplicate or conflict
        orders.append(f"o{n}")
        settle = rng.random() < 0.9
        if rng.random() < 0.2:
            amount = rng.randrange(1, 300_000)
            return ev.PayOrder(f"o{n}", who, None, amount, parse_split({"cost": "45%", "pool": "55%"}, "s"), settle)
        return ev.PayOrder(f"o{n}", who, rng.choice(["pack1000", "pack1000", "pack399", "nopool"]), settle=settle)
    if roll < 0.58 and orders:
        oid = rng.choice(orders)
        return ev.SettleOrder(oid) if rng.random() < 0.6 else ev.RefundOrder(oid)
    if roll < 0.66:
        return _withdrawal(rng, state, n, who, ids)
    if roll < 0.9:
        held = state.points_of(state.members[who]) if who in state.members else 10_000
        pick = rng.random()
        units = held if pick < 0.4 else (held + 1 if pick < 0.5 else rng.randrange(0, held + 2))
        return ev.Redeem(who, units) if rng.random() < 0.1 else ev.Sell(who, units)
    return ev.Inject(rng.randrange(-1, 50_000))


def random_stream(seed: int, length: int) -> tuple[dict[str, Any], list[tuple[ev.Event, int]], State]:
    """A config, a stream (chosen with the domain state in view) and the domain's final state."""
    rng = random.Random(seed)
    config = random_config(rng)
    state = State(parse_tenant_config(config))
    stream: list[tuple[ev.Event, int]] = []
    orders: list[str] = []
    ids: list[str] = []
    for n in range(length):
        event = _event(rng, state, n, orders, ids)
        at_ms = n
        apply(state, event, at_ms)
        stream.append((event, at_ms))
    return config, stream, state


def domain_rejections(config: dict[str, Any], stream: list[tuple[ev.Event, int]]) -> list[int]:
    state = State(parse_tenant_config(config))
    return [i for i, (event, at_ms) in enumerate(stream) if not apply(state, event, at_ms).accepted]


def assert_same(seed: int, length: int) -> None:
    config, stream, state = random_stream(seed, length)
    result = run_stream(parse_tenant_config(config), stream)
    assert result.sc[6] == 0
    assert stream_view(result) == state_view(state)
    assert [r["index"] for r in rejected_list(result)] == domain_rejections(config, stream)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32), st.integers(1, 120))
def test_simulator_equals_domain_on_random_streams(seed: int, length: int) -> None:
    assert_same(seed, length)


def test_a_long_stream_with_many_exits() -> None:
    assert_same(7, 3000)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32))
def test_behaviour_runs_replay_to_the_same_state(seed: int) -> None:
    """A behaviour run records its events; the domain replays them to the same state."""
    rng = random.Random(seed)
    config = random_config(rng)
    spec = Behaviour(orders=rng.randrange(1, 300), seed=seed, rate=rng.choice([1.0, 5.0, 20.0]),
                     repurchase=rng.choice([0.0, 0.05, 0.3]), reinvest=rng.choice([0.0, 0.5, 1.0]),
                     hold=1.0, breakeven=rng.random(), multiple=rng.random(), panic=rng.random(),
                     sell_multiple=rng.choice(["1.5", "2", "4"]), panic_below=0.9, growth="logistic",
                     growth_rate=0.3, capacity=rng.randrange(5, 200))
    run = simulate_exact(parse_tenant_config(config), spec, record=True)
    state = State(parse_tenant_config(config))
    for event, at_ms in run.events():
        assert apply(state, event, at_ms).accepted, event
    assert run.view() == state_view(state)
