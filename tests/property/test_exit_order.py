"""Differential test: the machine against a naive O(n) model of pool.md.

``NaivePool`` re-implements the pool rules straight from the text, with
``Fraction`` prices and a scan of every member for each forced exit (lowest
``x = k * spent / cycle_points`` first, ties to the earlier cycle start). On
random small scenarios the machine must produce the same exits, in the same
order, on every event, and the same pool, points and cash to the unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from hypothesis import event as tally
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import fractions
from zengzhi.domain.config import parse_tenant_config
from zengzhi.domain.events import Event, Inject, Join, PayOrder, Redeem, Sell
from zengzhi.domain.ledger import MERCHANT
from zengzhi.domain.machine import apply
from zengzhi.domain.money import POINT_UNITS, Ratio
from zengzhi.domain.split import SplitPart
from zengzhi.domain.state import State

CENTS_PER_YUAN = 100


@dataclass
class NaiveMember:
    points: int = 0
    cash: int = 0
    active: bool = False
    spent: int = 0
    cycle_points: int = 0
    start: int = 0


class NaivePool:
    """pool.md, read literally: cents, 0.0001-point units, exact Fraction prices."""

    def __init__(self, p0_yuan: Fraction, g: Fraction, r: Fraction, redeem_r: Fraction,
                 k: Fraction | None, schedule: list[tuple[Fraction, int]]) -> None:
        self.money = 0
        self.points = 0
        self.last_price = p0_yuan * CENTS_PER_YUAN / POINT_UNITS  # cents per unit
        self.g, self.r, self.redeem_r, self.k, self.schedule = g, r, redeem_r, k, schedule
        self.members: dict[str, NaiveMember] = {}
        self.starts = 0
        self.merchant = 0

    def price(self) -> Fraction:
        return Fraction(self.money, self.points) if self.points else self.last_price

    def grant_ratio(self) -> Fraction:
        g = self.g
        for ratio, pool_min in self.schedule:
            if self.money >= pool_min:
                g = ratio
        return g

    def order(self, member_id: str, amount: int, contribution: int) -> list[str]:
        value = math.floor(self.grant_ratio() * contribution)  # floor_cent
        granted = math.floor(value / self.price())  # floor_pt
        self.money += contribution
        self.points += granted
        m = self.members[member_id]
        m.points += granted
        if not m.active:
            self.starts += 1
            m.active, m.spent, m.cycle_points, m.start = True, 0, 0, self.starts
        m.spent += amount
        m.cycle_points += granted
        return self.forced_exits()

    def _take(self, m: NaiveMember, quantity: int, retention: Fraction) -> int:
        payout = math.floor((1 - retention) * quantity * self.price())
        if quantity == self.points:
            self.last_price = self.price()
        self.money -= payout
        self.points -= quantity
        m.points -= quantity
        return payout

    def sell(self, member_id: str, quantity: int, redeem: bool = False) -> list[str]:
        m = self.members[member_id]
        if redeem:
            self.merchant += self._take(m, quantity, self.redeem_r)
        else:
            m.cash += self._take(m, quantity, self.r)
        if m.points == 0:
            m.active = False  # a voluntary sale of everything closes the cycle
        return self.forced_exits()

    def inject(self, amount: int) -> list[str]:
        self.money += amount
        return self.forced_exits()

    def forced_exits(self) -> list[str]:
        exited: list[str] = []
        if self.k is None:
            return exited
        while True:
            price = self.price()
            exit_prices = [(self.k * m.spent / m.cycle_points, m.start, mid)
                           for mid, m in self.members.items() if m.active and m.cycle_points > 0]
            due = [entry for entry in exit_prices if entry[0] <= price]
            if not due:
                return exited
            _, _, mid = min(due)
            m = self.members[mid]
            assert m.points > 0
            m.cash += self._take(m, m.points, self.r)
            m.active = False
            exited.append(mid)


PRODUCTS = {
    "pack1000": (100_000, {"cost": "300.00", "distribution": "300.00", "platform": "100.00",
                           "pool": "300.00"}),
    "rich": (10_000, {"platform": "1.00", "pool": "99.00"}),
    "lean": (50_000, {"cost": "450.00", "pool": "50.00"}),
    "thirds": (1_000, {"cost": "33.4%", "pool": "66.6%"}),
}
POOL_CENTS = {"pack1000": 30_000, "rich": 9_900, "lean": 5_000, "thirds": 666}


@st.composite
def pool_params(draw: st.DrawFn) -> dict[str, Any]:
    params: dict[str, Any] = {
        "initial_price": draw(st.sampled_from(["1.00", "0.37", "2.50"])),
        "grant_ratio": draw(st.sampled_from(["0.70", "0.10", "0.50"])),
        "sell_retention": draw(st.sampled_from(["0.20", "0", "0.35"])),
        "redeem_retention": draw(st.sampled_from(["0.20", "0.50"])),
        "exit_multiple": draw(st.sampled_from(["3", "2", "1.2", "1", "0"])),
    }
    if draw(st.booleans()):
        params["grant_schedule"] = [{"grant_ratio": "0.10", "pool_money_min": "1500.00"}]
    return params


def naive_from(params: dict[str, Any]) -> NaivePool:
    k = Fraction(params["exit_multiple"])
    schedule = [(Fraction(s["grant_ratio"]), int(Fraction(s["pool_money_min"]) * 100))
                for s in params.get("grant_schedule", [])]
    return NaivePool(Fraction(params["initial_price"]), Fraction(params["grant_ratio"]),
                     Fraction(params["sell_retention"]), Fraction(params["redeem_retention"]),
                     k if k else None, schedule)


OPS = st.one_of(
    st.tuples(st.just("join")),
    st.tuples(st.just("order"), st.integers(0, 9), st.sampled_from(sorted(PRODUCTS))),
    st.tuples(st.just("inline"), st.integers(0, 9), st.integers(1, 200_000), st.integers(0, 100)),
    st.tuples(st.just("sell"), st.integers(0, 9), fractions, st.booleans()),
    st.tuples(st.just("inject"), st.integers(1, 1_500_000)),
    # a subsidy sized to the pool: lifts the price past several exit prices at once
    st.tuples(st.just("boost"), st.sampled_from([Fraction(1, 4), Fraction(1), Fraction(3),
                                                 Fraction(10), Fraction(30)])),
)
#: every founder buys first, so that several cycles compete for the exits
OPENING = st.lists(st.tuples(st.just("order"), st.integers(0, 9),
                             st.sampled_from(sorted(PRODUCTS))), min_size=1, max_size=8)


@given(params=pool_params(), founders=st.integers(1, 6), opening=OPENING,
       ops=st.lists(OPS, min_size=4, max_size=40))
def test_machine_agrees_with_the_naive_model(params: dict[str, Any], founders: int,
                                             opening: list[tuple[Any, ...]],
                                             ops: list[tuple[Any, ...]]) -> None:
    config = {"pool": params,
              "products": {name: {"price": f"{price // 100}.{price % 100:02d}", "split": split}
                           for name, (price, split) in PRODUCTS.items()}}
    state = State(parse_tenant_config(config))
    naive = naive_from(params)
    orders = 0
    opening = [(kind, who + i, product) for i, (kind, who, product) in enumerate(opening)]
    for op in [("join",)] * founders + opening + ops:
        kind = op[0]
        members = sorted(naive.members)
        if kind == "join":
            member_id = f"m{len(members)}"
            assert apply(state, Join(member_id)).accepted
            naive.members[member_id] = NaiveMember()
            continue
        if kind in ("inject", "boost"):
            amount = op[1] if kind == "inject" else max(1, math.floor(naive.money * op[1]))
            outcome, expected = apply(state, Inject(amount)), naive.inject(amount)
        elif kind in ("order", "inline"):
            orders += 1
            member_id = members[op[1] % len(members)]
            event: Event
            if kind == "order":
                event = PayOrder(f"o{orders}", member_id, op[2])
                amount, contribution = PRODUCTS[op[2]][0], POOL_CENTS[op[2]]
            else:
                amount, percent = op[2], op[3]
                split = (SplitPart("cost", percent=Ratio(100 - percent, 100)),
                         SplitPart("pool", percent=Ratio(percent, 100)))
                event = PayOrder(f"o{orders}", member_id, amount_cents=amount, split=split)
                allocation = dict(state_allocation(amount, split))
                contribution = allocation["pool"]
            outcome, expected = apply(state, event), naive.order(member_id, amount, contribution)
        else:
            holders = [m for m in members if naive.members[m].points > 0]
            if not holders:
                continue
            member_id = holders[op[1] % len(holders)]
            quantity = max(1, int(naive.members[member_id].points * op[2]))
            redeem = op[3]
            event = Redeem(member_id, quantity) if redeem else Sell(member_id, quantity)
            outcome, expected = apply(state, event), naive.sell(member_id, quantity, redeem)
        assert outcome.accepted, outcome.rejection
        assert list(outcome.exits) == expected, (op, outcome.exits, expected)
        if expected:
            tally(f"{len(expected) if len(expected) < 3 else '3+'} exits on one {kind}")
        assert (state.pool.money_cents, state.pool.points_units) == (naive.money, naive.points)
        assert state.pool.price().as_fraction() == naive.price()
        for member_id, m in naive.members.items():
            member = state.members[member_id]
            assert state.points_of(member) == m.points
            assert state.ledger.balance(member.cash) == m.cash
            assert member.cycle_active == m.active
            if m.active:
                assert (member.spent_cents, member.cycle_units) == (m.spent, m.cycle_points)
        assert state.ledger.balance(MERCHANT) == naive.merchant


def state_allocation(amount: int, split: tuple[SplitPart, ...]) -> list[tuple[str, int]]:
    """Largest-remainder allocation, re-derived here (ties to the part listed first)."""
    shares = [(p.bucket, Fraction(amount) * p.percent.as_fraction()) for p in split
              if p.percent is not None]
    floors = {b: math.floor(v) for b, v in shares}
    short = amount - sum(floors.values())
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(shares[i][1] % 1), i))
    for i in by_remainder[:short]:
        floors[shares[i][0]] += 1
    return list(floors.items())
