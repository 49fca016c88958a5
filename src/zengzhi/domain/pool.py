"""The appreciation pool (盈利池): money ``P``, circulating points ``N``, price.

The price is derived, ``P / N`` cents per 0.0001 point unit, held as an exact
``Ratio``; when no points circulate it is the last price at which points
existed (or the initial price). All rounding is down, toward the pool.

Invariant (with the rules that call it): the price never falls.
"""

from __future__ import annotations

from collections.abc import Iterable

from zengzhi.domain.ledger import EXTERNAL_POINTS, POOL, PTS, Posting
from zengzhi.domain.money import Ratio


class Pool:
    """Mutable pool aggregate; only the rule modules change it."""

    __slots__ = ("money_cents", "points_units", "last_price")

    def __init__(self, initial_price: Ratio) -> None:
        self.money_cents = 0
        self.points_units = 0
        self.last_price = initial_price

    def price(self) -> Ratio:
        if self.points_units > 0:
            return Ratio(self.money_cents, self.points_units)
        return self.last_price

    def grant_units(self, value_cents: int) -> int:
        """``floor_pt(value / price)`` at the current price."""
        if self.points_units > 0:
            assert self.money_cents > 0, "points circulate, so the pool holds money"
            return value_cents * self.points_units // self.money_cents
        last = self.last_price
        return value_cents * last.den // last.num

    def sale_payout_cents(self, points_units: int, retention: Ratio) -> int:
        """``floor_cent((1 - r) * q * price)`` for ``q`` points at the current price."""
        assert 0 < points_units <= self.points_units
        kept = retention.den - retention.num
        return kept * points_units * self.money_cents // (retention.den * self.points_units)

    def add(self, money_cents: int, points_units: int) -> None:
        self.money_cents += money_cents
        self.points_units += points_units

    def remove(self, money_cents: int, points_units: int) -> None:
        """Take money and points out; remembers the price if the last points go."""
        if points_units == self.points_units and points_units > 0:
            self.last_price = Ratio(self.money_cents, self.points_units)
        self.money_cents -= money_cents
        self.points_units -= points_units
        assert self.money_cents >= 0 and self.points_units >= 0


def price_le(a: Ratio, b: Ratio) -> bool:
    """``a <= b`` without division."""
    return a.num * b.den <= b.num * a.den


def follow_postings(pool: Pool, postings: Iterable[Posting]) -> None:
    """Apply one logged event's postings to ``pool`` (read models rebuilt from the log).

    Money into or out of the ``pool`` account and points issued by or returned
    to ``external:points`` are the pool's ``P`` and ``N``. The rules post the
    returned points before the payout, so ``remove`` remembers the price the
    last points left at, exactly as the live pool does.
    """
    for p in postings:
        if p.asset == PTS:
            if p.from_account == EXTERNAL_POINTS:
                pool.add(0, p.amount)
            elif p.to_account == EXTERNAL_POINTS:
                pool.remove(0, p.amount)
        elif p.to_account == POOL:
            pool.add(p.amount, 0)
        elif p.from_account == POOL:
            pool.remove(p.amount, 0)
