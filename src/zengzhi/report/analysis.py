"""The report's sections, computed from a replayed run (``collect.Collected``).

Money stays exact (integer cents) up to the end; only shares, multiples and
the Gini coefficient are floats, and only for display.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass

from zengzhi.domain import events as ev
from zengzhi.domain.ledger import POOL
from zengzhi.domain.machine import apply
from zengzhi.domain.money import Ratio
from zengzhi.domain.state import State
from zengzhi.report.collect import Collected, MemberStats, Point


def value_cents(units: int, state: State) -> int:
    """Paper value (账面价值) of ``units`` points at the current price, floored to the cent."""
    pool = state.pool
    if pool.points_units > 0:
        return units * pool.money_cents // pool.points_units
    price = pool.last_price
    return units * price.num // price.den


def buyers(run: Collected) -> list[MemberStats]:
    """Members with at least one settled order, in the order of their first order (入场顺序)."""
    return sorted((m for m in run.members.values() if m.orders), key=lambda m: m.first_order)


def final_values(run: Collected) -> dict[str, int]:
    state = run.state
    return {m.member_id: value_cents(state.points_of(state.members[m.member_id]), state) for m in buyers(run)}


@dataclass(frozen=True, slots=True)
class Cohort:
    index: int
    first_order_from: int
    first_order_to: int
    members: int
    spend_cents: int
    cash_cents: int
    value_cents: int
    later_cents: int
    breakeven: int  # members with cash + value >= spend (回本)
    exited: int  # members forced out at least once (出局)
    median_first_order: int
    median_amount_cents: int
    median_units: int

    @property
    def breakeven_share(self) -> float:
        return self.breakeven / self.members

    @property
    def exit_share(self) -> float:
        return self.exited / self.members


def split_even(items: list[MemberStats], parts: int) -> list[list[MemberStats]]:
    """``parts`` consecutive groups as equal as possible (the first ones one larger); no empty group."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        stop = start + size + (1 if i < extra else 0)
        out.append(items[start:stop])
        start = stop
    return [group for group in out if group]


def cohorts(run: Collected, parts: int = 10) -> list[Cohort]:
    values = final_values(run)
    return [_cohort(i, group, values) for i, group in enumerate(split_even(buyers(run), parts))]


def _cohort(index: int, group: list[MemberStats], values: dict[str, int]) -> Cohort:
    median = group[(len(group) - 1) // 2]
    return Cohort(
        index=index + 1, first_order_from=group[0].first_order, first_order_to=group[-1].first_order,
        members=len(group), spend_cents=sum(m.spend_cents for m in group),
        cash_cents=sum(m.cash_cents for m in group), value_cents=sum(values[m.member_id] for m in group),
        later_cents=sum(m.later_cents for m in group),
        breakeven=sum(1 for m in group if m.cash_cents + values[m.member_id] >= m.spend_cents),
        exited=sum(1 for m in group if m.exits), median_first_order=median.first_order,
        median_amount_cents=median.first_amount_cents, median_units=median.first_units)


# --- growth multiple (pool.md, "Monotone price") ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Growth:
    """The closed form: a member who joined at order n_j breaks even near n_j·(1/(g·s))^(1/(1−g)) orders."""

    g: Ratio
    s: Ratio
    k: Ratio | None

    def multiple(self, times: Ratio) -> float:
        g = self.g.num / self.g.den
        gs = g * self.s.num / self.s.den
        if gs <= 0 or g >= 1:
            return math.inf
        return float((times.num / times.den / gs) ** (1 / (1 - g)))

    @property
    def breakeven_multiple(self) -> float:
        return self.multiple(Ratio(1, 1))

    @property
    def exit_multiple(self) -> float | None:
        return None if self.k is None else self.multiple(self.k)


def growth_model(run: Collected) -> Growth:
    """g from the config (the first step of a 控盘 schedule is not modelled), s measured on the run."""
    pool = run.state.config.pool
    s = Ratio(run.pool_in_cents, run.spend_cents) if run.spend_cents else Ratio(0, 1)
    return Growth(pool.grant_ratio, s, pool.exit_multiple)


def orders_reaching(series: list[Point], amount_cents: int, units: int, times: Ratio) -> int | None:
    """Orders settled when the price first reached ``times × amount / units`` (None: not reached).

    The price never falls, so the points where it is reached form a suffix of the series; compared
    exactly without division: ``P·units·den >= times·amount·N·…``.
    """
    if units <= 0:
        return None

    def reached(point: Point) -> bool:
        if point.points_units == 0:
            return False
        return point.money_cents * units * times.den >= times.num * amount_cents * point.points_units

    i = bisect_left(series, True, key=reached)
    return series[i].orders if i < len(series) else None


@dataclass(frozen=True, slots=True)
class GrowthRow:
    cohort: int
    n_j: int
    predicted_breakeven: float
    observed_breakeven: int | None
    predicted_exit: float | None
    observed_exit: int | None


def growth_rows(run: Collected, groups: list[Cohort], model: Growth) -> list[GrowthRow]:
    rows = []
    for c in groups:
        exit_at = None
        if model.k is not None:
            exit_at = orders_reaching(run.series, c.median_amount_cents, c.median_units, model.k)
        predicted_exit = None if model.exit_multiple is None else c.median_first_order * model.exit_multiple
        rows.append(GrowthRow(
            c.index, c.median_first_order, c.median_first_order * model.breakeven_multiple,
            orders_reaching(run.series, c.median_amount_cents, c.median_units, Ratio(1, 1)),
            predicted_exit, exit_at))
    return rows


# --- later money (后来者的钱) and Gini -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Money:
    spend_cents: int
    cash_cents: int
    later_cents: int
    value_cents: int
    subsidy_cents: int

    @property
    def later_share(self) -> float:
        return self.later_cents / self.cash_cents if self.cash_cents else 0.0


def money(run: Collected) -> Money:
    people = buyers(run)
    return Money(sum(m.spend_cents for m in people), sum(m.cash_cents for m in people),
                 sum(m.later_cents for m in people), sum(final_values(run).values()), run.subsidy_cents)


def net_gains(run: Collected) -> list[int]:
    """Net gain (净收益) per buyer: pool cash + paper value at the final price − spend, in cents."""
    values = final_values(run)
    return [m.cash_cents + values[m.member_id] - m.spend_cents for m in buyers(run)]


def gini(values: list[int]) -> float:
    """Gini of values that may be negative (Raffinetti–Siletti–Vernizzi 2015 normalisation, in [0, 1]).

    ``Σ_i Σ_j |x_i − x_j| / (2 n Σ_i |x_i|)``: the usual Gini for non-negative values; with losses in
    the data the denominator uses the absolute total so the result stays in [0, 1].
    """
    xs = sorted(values)
    n = len(xs)
    total_abs = sum(abs(x) for x in xs)
    if n < 2 or total_abs == 0:
        return 0.0
    pairs = sum(x * (2 * i - n + 1) for i, x in enumerate(xs))  # Σ_{i<j} (x_j − x_i), exact
    return 2 * pairs / (2 * n * total_abs)


@dataclass(frozen=True, slots=True)
class Concentration:
    gini: float
    members: int
    winners: int  # net gain > 0
    gains_cents: int  # sum of positive net gains
    losses_cents: int  # sum of negative net gains (≤ 0)
    top_decile_share: float  # share of all positive gains held by the top 10 % of members


def concentration(run: Collected) -> Concentration:
    gains = sorted(net_gains(run), reverse=True)
    positive = sum(g for g in gains if g > 0)
    top = gains[: max(1, len(gains) // 10)] if gains else []
    top_positive = sum(g for g in top if g > 0)
    return Concentration(gini(gains), len(gains), sum(1 for g in gains if g > 0), positive,
                         sum(g for g in gains if g < 0), top_positive / positive if positive else 0.0)


# --- stop-growth stress test (停止增长压力测试) ---------------------------------------------

EVERYONE = Ratio(1, 1)


@dataclass(frozen=True, slots=True)
class Stress:
    """Everyone holding points (or a ``panic`` share of them, in join order) sells all, nobody joins."""

    holders: int
    sellers: int
    spend_cents: int  # what the sellers spent over the whole run
    paper_cents: int  # the sellers' points at the final price before the rush
    paid_cents: int  # what the sellers got: their sales and the forced exits (出局) others' sales set off
    pool_before_cents: int
    pool_after_cents: int
    first_decile_share: float  # paid / paper for the first 10 % of sellers
    last_decile_share: float  # paid / paper for the last 10 % of sellers
    curve: list[tuple[int, int]]  # cumulative (paper, paid) after each seller

    @property
    def paid_share(self) -> float:
        return self.paid_cents / self.paper_cents if self.paper_cents else 0.0

    @property
    def paid_of_spend(self) -> float:
        return self.paid_cents / self.spend_cents if self.spend_cents else 0.0


def stress_test(state: State, spends: dict[str, int], panic: Ratio = EVERYONE) -> Stress:
    """Run the rush exactly on ``state`` (changed in place: call it last); ``spends``: member → spend."""
    holders = [m for m in sorted(state.members.values(), key=lambda m: m.join_seq) if state.points_of(m) > 0]
    sellers = holders[: len(holders) * panic.num // panic.den]
    paper = [value_cents(state.points_of(m), state) for m in sellers]
    spend = sum(spends.get(m.member_id, 0) for m in sellers)
    pool_before = state.pool.money_cents
    got: dict[str, int] = {}
    for m in sellers:
        held = state.points_of(m)
        if held == 0:  # already forced out (出局) by an earlier seller's sale
            continue
        outcome = apply(state, ev.Sell(m.member_id, held), 0)
        assert outcome.accepted, outcome.rejection
        for p in outcome.postings:
            if p.from_account == POOL and p.to_account.endswith(":cash"):
                owner = p.to_account[len("member:"):-len(":cash")]
                got[owner] = got.get(owner, 0) + p.amount
    paid = [got.get(m.member_id, 0) for m in sellers]
    return Stress(len(holders), len(sellers), spend, sum(paper), sum(paid), pool_before,
                  state.pool.money_cents, _decile_share(paper, paid, first=True),
                  _decile_share(paper, paid, first=False), _cumulative(paper, paid))


def _decile_share(paper: list[int], paid: list[int], *, first: bool) -> float:
    n = max(1, len(paper) // 10)
    part = slice(0, n) if first else slice(len(paper) - n, len(paper))
    worth = sum(paper[part])
    return sum(paid[part]) / worth if worth else 0.0


def _cumulative(paper: list[int], paid: list[int]) -> list[tuple[int, int]]:
    out, a, b = [(0, 0)], 0, 0
    for x, y in zip(paper, paid, strict=True):
        a += x
        b += y
        out.append((a, b))
    return out
