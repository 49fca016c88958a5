"""sale.py: selling (卖出) and redeeming (积分兑换) points at the exact price."""

from __future__ import annotations

from tests.strategies import accept, assert_rejected, make_state, seed_config
from zengzhi.domain.events import Inject, Join, PayOrder, Redeem, Sell
from zengzhi.domain.ledger import CNY, EXTERNAL_POINTS, MERCHANT, POOL, PTS, Posting
from zengzhi.domain.results import ResultCode
from zengzhi.domain.state import State
from zengzhi.engine.queries import member_view, pool_view

PTS_210 = 2_100_000


def a_bought(state: State | None = None) -> State:
    state = make_state() if state is None else state
    accept(state, Join("A"))
    accept(state, PayOrder("o1", "A", "pack1000"))
    return state


def test_worked_example_sale_of_210_points_worth_2000() -> None:
    state = a_bought()
    accept(state, Inject(170_000))  # P = 2000.00, N = 210: below A's exit price 3000/210
    assert pool_view(state)["price"] == "9.5238"
    outcome = accept(state, Sell("A", PTS_210))
    assert outcome.postings == (
        Posting("member:A:points", EXTERNAL_POINTS, PTS, PTS_210, "sale.points"),
        Posting(POOL, "member:A:cash", CNY, 160_000, "sale.payout"),
    )
    assert member_view(state, "A")["cash"] == "1600.00"
    assert pool_view(state) == {"money": "400.00", "points": "0.0000", "price": "9.5238"}


def test_selling_everything_closes_the_cycle_without_counting_an_exit() -> None:
    state = a_bought()
    outcome = accept(state, Sell("A", PTS_210))
    assert outcome.exits == ()
    member = state.members["A"]
    assert not member.cycle_active
    assert (member.exits, state.exits_total) == (0, 0)
    assert member_view(state, "A")["spent"] == "0.00"
    # its next order starts a new cycle that counts only the new spend (复投)
    accept(state, PayOrder("o2", "A", "pack1000"))
    assert member.cycle_active
    assert (member.spent_cents, state.cycles_started, member.cycle_seq) == (100_000, 2, 2)
    assert member.cycle_units == state.ledger.balance("member:A:points")


def test_partial_sale_keeps_the_cycle_and_its_exit_price() -> None:
    state = a_bought()
    version = state.members["A"].version
    accept(state, Sell("A", 1_000_000))
    # 100 points at 300/210 yuan, 80% kept: 114.2857.. -> 114.28; the pool keeps the rest
    assert member_view(state, "A")["cash"] == "114.28"
    assert pool_view(state) == {"money": "185.72", "points": "110.0000", "price": "1.6884"}
    member = state.members["A"]
    assert member.cycle_active
    assert (member.spent_cents, member.cycle_units) == (100_000, PTS_210)  # x unchanged
    assert member.version == version


def test_tiny_sale_pays_nothing_but_raises_the_price() -> None:
    state = a_bought()
    accept(state, Sell("A", 1))
    assert member_view(state, "A")["cash"] == "0.00"
    assert state.pool.money_cents == 30_000
    assert state.pool.points_units == PTS_210 - 1


def test_sale_rejections_change_nothing() -> None:
    state = a_bought()
    accept(state, Join("B"))
    assert_rejected(state, Sell("A", PTS_210 + 1), ResultCode.INSUFFICIENT_POINTS, "points")
    assert_rejected(state, Sell("A", 0), ResultCode.INVALID_AMOUNT, "points")
    assert_rejected(state, Sell("A", -1), ResultCode.INVALID_AMOUNT, "points")
    assert_rejected(state, Sell("B", 1), ResultCode.INSUFFICIENT_POINTS, "points")
    assert_rejected(state, Sell("X", 1), ResultCode.UNKNOWN_MEMBER, "member")


def test_redemption_pays_the_merchant_with_its_own_retention() -> None:
    state = a_bought(make_state(seed_config(redeem_retention="0.50")))
    outcome = accept(state, Redeem("A", 1_000_000))
    # 100 points at 300/210 yuan, 50% kept: 71.428.. -> 71.42 to the merchant
    assert outcome.postings == (
        Posting("member:A:points", EXTERNAL_POINTS, PTS, 1_000_000, "redeem.points"),
        Posting(POOL, MERCHANT, CNY, 7_142, "redeem.payout"),
    )
    assert member_view(state, "A")["cash"] == "0.00"
    assert state.pool.money_cents == 30_000 - 7_142


def test_redemption_retention_defaults_to_the_sell_retention() -> None:
    state = a_bought()
    accept(state, Redeem("A", 1_000_000))
    assert state.ledger.balance(MERCHANT) == 11_428  # same as a sale at r = 0.20


def test_redeeming_everything_closes_the_cycle() -> None:
    state = a_bought()
    outcome = accept(state, Redeem("A", PTS_210))
    assert outcome.exits == ()
    assert not state.members["A"].cycle_active
    assert state.exits_total == 0


def test_redemption_rejections_change_nothing() -> None:
    state = a_bought()
    assert_rejected(state, Redeem("A", PTS_210 + 1), ResultCode.INSUFFICIENT_POINTS, "points")
    assert_rejected(state, Redeem("A", 0), ResultCode.INVALID_AMOUNT, "points")
    assert_rejected(state, Redeem("X", 1), ResultCode.UNKNOWN_MEMBER, "member")
