"""pool.py: the exact price P / N, grants, sale payouts and the last price."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zengzhi.domain.money import POINT_UNITS, Ratio
from zengzhi.domain.pool import Pool, price_le

P0 = Ratio(1, 100)  # 1.00 yuan per point in cents per 0.0001 unit
RETENTION = Ratio(1, 5)


def seed_pool() -> Pool:
    pool = Pool(P0)
    pool.add(30_000, 210 * POINT_UNITS)  # after A's order: P = 300.00, N = 210
    return pool


def test_empty_pool_price_is_the_initial_price() -> None:
    pool = Pool(P0)
    assert pool.price() == P0
    assert pool.grant_units(21_000) == 210 * POINT_UNITS  # 210.00 at 1.00 -> 210 points


def test_price_is_the_exact_ratio() -> None:
    pool = seed_pool()
    assert pool.price() == Ratio(30_000, 2_100_000)
    assert pool.price().as_fraction() == Fraction(300, 210) / 100  # yuan -> cents per unit


def test_grant_at_the_price_before_the_contribution() -> None:
    pool = seed_pool()
    assert pool.grant_units(21_000) == 147 * POINT_UNITS  # 210 / (300/210) = 147
    pool.add(30_000, 147 * POINT_UNITS)
    assert pool.grant_units(21_000) == 1_249_500  # 124.95, floored to 0.0001


def test_grants_floor_toward_the_pool() -> None:
    pool = Pool(P0)
    pool.add(300, 22 * POINT_UNITS // 10)  # 3.00 / 2.2 points
    # 1 cent at 1.3636.. yuan per point = 0.007333.. points -> 0.0073
    assert pool.grant_units(1) == 73


def test_sale_payout() -> None:
    pool = Pool(P0)
    pool.add(200_000, 210 * POINT_UNITS)  # price 2000/210: 210 points are worth 2000.00
    assert pool.sale_payout_cents(210 * POINT_UNITS, RETENTION) == 160_000
    assert pool.sale_payout_cents(1, RETENTION) == 0  # 0.0001 points pay under a cent
    assert pool.sale_payout_cents(105 * POINT_UNITS, Ratio(0, 1)) == 100_000


def test_sale_payout_floors() -> None:
    pool = seed_pool()
    # 100 points at 300/210 yuan, 80% kept: 114.2857.. -> 114.28
    assert pool.sale_payout_cents(100 * POINT_UNITS, RETENTION) == 11_428


def test_removing_the_last_points_remembers_the_last_price() -> None:
    pool = Pool(P0)
    pool.add(300_000, 210 * POINT_UNITS)
    pool.remove(240_000, 210 * POINT_UNITS)
    assert (pool.money_cents, pool.points_units) == (60_000, 0)
    assert pool.price() == Ratio(300_000, 2_100_000)  # 3000/210 = 14.2857 yuan
    # grants now use the last price: 210.00 at 14.2857.. -> 14.7 points
    assert pool.grant_units(21_000) == 147_000


def test_partial_removal_keeps_the_old_last_price() -> None:
    pool = seed_pool()
    pool.remove(100, POINT_UNITS)
    assert pool.last_price == P0
    assert pool.price() == Ratio(29_900, 2_090_000)


def test_price_le_is_exact() -> None:
    assert price_le(Ratio(1, 3), Ratio(1, 3))
    assert price_le(Ratio(1, 3), Ratio(2, 6))
    assert price_le(Ratio(333_333, 1_000_000), Ratio(1, 3))
    assert not price_le(Ratio(1, 3), Ratio(333_333, 1_000_000))


@given(st.integers(1, 10**9), st.integers(1, 10**9), st.integers(0, 10**8),
       st.sampled_from([Ratio(7, 10), Ratio(1, 10), Ratio(0, 1), Ratio(99, 100)]))
def test_an_order_never_lowers_the_price(money: int, units: int, contribution: int,
                                         grant: Ratio) -> None:
    pool = Pool(P0)
    pool.add(money, units)
    before = pool.price()
    granted = pool.grant_units(contribution * grant.num // grant.den)
    pool.add(contribution, granted)
    assert price_le(before, pool.price())


@given(st.integers(1, 10**9), st.integers(1, 10**9), st.data(),
       st.sampled_from([Ratio(1, 5), Ratio(1, 10), Ratio(0, 1), Ratio(1, 2)]))
def test_a_sale_never_lowers_the_price(money: int, units: int, data: st.DataObject,
                                       retention: Ratio) -> None:
    pool = Pool(P0)
    pool.add(money, units)
    before = pool.price()
    sold = data.draw(st.integers(1, units))
    payout = pool.sale_payout_cents(sold, retention)
    assert payout <= money
    pool.remove(payout, sold)
    assert price_le(before, pool.price())
    if sold == units:
        assert pool.price() == before


def test_sale_of_more_than_circulates_is_a_bug() -> None:
    pool = seed_pool()
    with pytest.raises(AssertionError):
        pool.sale_payout_cents(pool.points_units + 1, RETENTION)


def test_following_the_postings_rebuilds_the_pool_and_its_last_price() -> None:
    """A read model that follows the log's postings sees the live pool exactly,
    including the last price when every point has left (forced exit)."""
    from tests.strategies import make_state
    from zengzhi.domain import events as ev
    from zengzhi.domain.machine import apply
    from zengzhi.domain.pool import Pool, follow_postings

    state = make_state()
    follower = Pool(state.config.pool.initial_price)
    stream = [ev.Join("A"), ev.Join("B"), ev.PayOrder("o1", "A", "pack1000"),
              ev.PayOrder("o2", "B", "pack1000"), ev.Sell("B", 470_000), ev.Inject(1_000_000),
              ev.Sell("B", 1_000_000), ev.PayOrder("o3", "B", "pack1000"), ev.Inject(10_000_000)]
    for event in stream:
        follow_postings(follower, apply(state, event).postings)
        assert (follower.money_cents, follower.points_units) == (state.pool.money_cents, state.pool.points_units)
        assert follower.price() == state.pool.price()
    assert state.exits_total >= 1
