"""settlement.py: orders paid, settled or refunded; grants; the worked examples of pool.md."""

from __future__ import annotations

import pytest

from tests.strategies import (
    accept,
    assert_rejected,
    local_life_config,
    make_state,
    seed_config,
    snapshot,
)
from zengzhi.domain.events import Join, PayOrder, RefundOrder, SettleOrder
from zengzhi.domain.ledger import CNY, EXTERNAL_PAYMENTS, EXTERNAL_POINTS, PTS, Posting
from zengzhi.domain.money import Ratio
from zengzhi.domain.results import ResultCode
from zengzhi.domain.split import SplitPart
from zengzhi.domain.state import State
from zengzhi.engine.queries import member_view, pool_view

SEED_SPLIT = (SplitPart("cost", 30_000), SplitPart("distribution", 30_000),
              SplitPart("platform", 10_000), SplitPart("pool", 30_000))


def joined(state: State, *members: str) -> State:
    for member in members:
        accept(state, Join(member))
    return state


def test_worked_example_three_orders() -> None:
    state = joined(make_state(), "A", "B", "C")
    expected = [("A", "210.0000", "300.00", "210.0000", "1.4286"),
                ("B", "147.0000", "600.00", "357.0000", "1.6807"),
                ("C", "124.9500", "900.00", "481.9500", "1.8674")]
    for i, (member, granted, money, points, price) in enumerate(expected):
        outcome = accept(state, PayOrder(f"o{i}", member, "pack1000"))
        assert outcome.exits == ()
        assert member_view(state, member)["points"] == granted
        assert pool_view(state) == {"money": money, "points": points, "price": price}
    assert state.ledger.balance("cost") == 90_000
    assert state.ledger.balance("distribution") == 90_000
    assert state.ledger.balance("platform") == 30_000
    assert state.ledger.balance(EXTERNAL_PAYMENTS) == -300_000
    assert state.orders["o2"].granted_units == 1_249_500


def test_local_life_variant_is_exact() -> None:
    state = joined(make_state(local_life_config()), "A", "B", "C")
    expected = [("A", "112.0000", "1.4286"), ("B", "78.4000", "1.6807"),
                ("C", "66.6400", "1.8674")]  # 66.6400 = 112 * 190.4 / 320, not 66.6399
    for i, (member, granted, price) in enumerate(expected):
        accept(state, PayOrder(f"o{i}", member, "store1000"))
        assert member_view(state, member)["points"] == granted
        assert pool_view(state)["price"] == price
    assert pool_view(state) == {"money": "480.00", "points": "257.0400", "price": "1.8674"}
    assert state.ledger.balance("store") == 240_000


def test_settled_order_postings() -> None:
    state = joined(make_state(), "A")
    outcome = accept(state, PayOrder("o1", "A", "pack1000"))
    assert outcome.postings == (
        Posting(EXTERNAL_PAYMENTS, "cost", CNY, 30_000, "split.cost", "o1"),
        Posting(EXTERNAL_PAYMENTS, "distribution", CNY, 30_000, "split.distribution", "o1"),
        Posting(EXTERNAL_PAYMENTS, "platform", CNY, 10_000, "split.platform", "o1"),
        Posting(EXTERNAL_PAYMENTS, "pool", CNY, 30_000, "split.pool", "o1"),
        Posting(EXTERNAL_POINTS, "member:A:points", PTS, 2_100_000, "pool.grant", "o1"),
    )
    member = state.members["A"]
    assert (member.cycle_active, member.spent_cents, member.cycle_units) == (True, 100_000,
                                                                             2_100_000)


def test_inline_order_with_percent_split() -> None:
    state = joined(make_state(), "A")
    split = (SplitPart("cost", percent=Ratio(1, 3)), SplitPart("pool", percent=Ratio(2, 3)))
    accept(state, PayOrder("o1", "A", amount_cents=100, split=split))
    # 1.00 split 33.33.. / 66.66..: the lost cent goes to the larger remainder (pool)
    assert (state.ledger.balance("cost"), state.ledger.balance("pool")) == (33, 67)
    # value floor(0.7 * 0.67) = 0.46 -> 0.46 points at 1.00
    assert state.pool.points_units == 4_600


def test_paid_order_is_pending_until_settled() -> None:
    state = joined(make_state(), "A")
    outcome = accept(state, PayOrder("o1", "A", "pack1000", settle=False))
    assert outcome.postings == (
        Posting(EXTERNAL_PAYMENTS, "member:A:pending", CNY, 100_000, "order.paid", "o1"),)
    assert member_view(state, "A")["pending"] == "1000.00"
    assert pool_view(state) == {"money": "0.00", "points": "0.0000", "price": "1.0000"}
    assert not state.members["A"].cycle_active
    assert state.orders["o1"].status == "paid"

    outcome = accept(state, SettleOrder("o1"))
    assert outcome.postings[0] == Posting("member:A:pending", "cost", CNY, 30_000, "split.cost",
                                          "o1")
    assert member_view(state, "A")["pending"] == "0.00"
    assert member_view(state, "A")["points"] == "210.0000"
    assert member_view(state, "A")["spent"] == "1000.00"
    assert state.orders["o1"].status == "settled"
    assert state.ledger.balance(EXTERNAL_PAYMENTS) == -100_000


def test_refund_before_settlement_returns_the_money() -> None:
    state = joined(make_state(), "A")
    accept(state, PayOrder("o1", "A", "pack1000", settle=False))
    outcome = accept(state, RefundOrder("o1"))
    assert outcome.postings == (
        Posting("member:A:pending", EXTERNAL_PAYMENTS, CNY, 100_000, "order.refund", "o1"),)
    assert state.orders["o1"].status == "refunded"
    assert {k: v for k, v in state.ledger.balances.items() if v} == {}
    assert not state.members["A"].cycle_active
    # a refunded order can be neither settled nor refunded again
    assert_rejected(state, SettleOrder("o1"), ResultCode.ORDER_NOT_PENDING, "id")
    assert_rejected(state, RefundOrder("o1"), ResultCode.ORDER_NOT_PENDING, "id")


def test_refund_after_settlement_is_rejected() -> None:
    state = joined(make_state(), "A")
    accept(state, PayOrder("o1", "A", "pack1000", settle=False))
    accept(state, SettleOrder("o1"))
    assert_rejected(state, RefundOrder("o1"), ResultCode.ORDER_NOT_PENDING, "id")
    assert_rejected(state, SettleOrder("o1"), ResultCode.ORDER_NOT_PENDING, "id")
    accept(state, PayOrder("o2", "A", "pack1000"))  # settled at once
    assert_rejected(state, RefundOrder("o2"), ResultCode.ORDER_NOT_PENDING, "id")


def test_unknown_orders_are_rejected() -> None:
    state = joined(make_state(), "A")
    assert_rejected(state, SettleOrder("nope"), ResultCode.UNKNOWN_ORDER, "id")
    assert_rejected(state, RefundOrder("nope"), ResultCode.UNKNOWN_ORDER, "id")


def test_grant_of_zero_points_still_counts_the_spend() -> None:
    state = joined(make_state(), "A", "B")
    tiny = (SplitPart("pool", 1),)  # 0.01 into the pool: floor_cent(0.7 * 0.01) = 0
    outcome = accept(state, PayOrder("t1", "A", amount_cents=1, split=tiny))
    assert PTS not in {p.asset for p in outcome.postings}
    assert (state.pool.money_cents, state.pool.points_units) == (1, 0)
    member = state.members["A"]
    assert (member.cycle_active, member.spent_cents, member.cycle_units) == (True, 1, 0)
    assert member_view(state, "A")["spent"] == "0.01"
    assert state.orders["t1"].granted_units == 0
    # with other points circulating: still no points, and no exit price for A yet
    accept(state, PayOrder("b1", "B", "pack1000"))
    accept(state, PayOrder("t2", "A", amount_cents=1, split=tiny))
    assert state.members["A"].spent_cents == 2
    assert state.members["A"].cycle_units == 0
    # the next real order extends the same cycle: the spend so far counts
    accept(state, PayOrder("a1", "A", "pack1000"))
    assert state.members["A"].spent_cents == 100_002
    assert state.cycles_started == 2


def test_grant_schedule_by_pool_money() -> None:
    config = seed_config(grant_schedule=[{"grant_ratio": "0.10", "pool_money_min": "600.00"}])
    state = joined(make_state(config), "A", "B", "C")
    for i, member in enumerate("ABC"):
        accept(state, PayOrder(f"o{i}", member, "pack1000"))
    # A and B settle with P = 0 and 300 (< 600): 70%; C with P = 600: 10% of 300 at 600/357
    assert [member_view(state, m)["points"] for m in "ABC"] == ["210.0000", "147.0000",
                                                               "17.8500"]


@pytest.mark.parametrize(("at_ms", "granted"), [(0, "210.0000"), (999, "210.0000"),
                                                (1_000, "30.0000"), (5_000, "30.0000")])
def test_grant_schedule_by_time(at_ms: int, granted: str) -> None:
    state = joined(make_state(seed_config(grant_schedule=[{"grant_ratio": "0.10",
                                                           "from_ms": 1_000}])), "A")
    accept(state, PayOrder("o1", "A", "pack1000"), at_ms=at_ms)
    assert member_view(state, "A")["points"] == granted


def test_grant_ratio_in_force_at_settlement_applies() -> None:
    state = joined(make_state(seed_config(grant_schedule=[{"grant_ratio": "0.10",
                                                           "from_ms": 1_000}])), "A")
    accept(state, PayOrder("o1", "A", "pack1000", settle=False), at_ms=0)
    accept(state, SettleOrder("o1"), at_ms=1_000)
    assert member_view(state, "A")["points"] == "30.0000"


def test_duplicate_order_with_the_same_content_is_a_no_op() -> None:
    state = joined(make_state(), "A")
    accept(state, PayOrder("o1", "A", "pack1000"))
    before = snapshot(state)
    outcome = accept(state, PayOrder("o1", "A", "pack1000"))
    assert outcome.duplicate
    assert (outcome.postings, outcome.exits) == ((), ())
    assert snapshot(state) == before
    # inline orders too
    accept(state, PayOrder("o2", "A", amount_cents=100_000, split=SEED_SPLIT))
    before = snapshot(state)
    assert accept(state, PayOrder("o2", "A", amount_cents=100_000, split=SEED_SPLIT)).duplicate
    assert snapshot(state) == before


def test_duplicate_order_id_with_other_content_is_rejected() -> None:
    state = joined(make_state(), "A", "B")
    accept(state, PayOrder("o1", "A", "pack1000"))
    assert_rejected(state, PayOrder("o1", "B", "pack1000"), ResultCode.ORDER_CONFLICT, "id")
    assert_rejected(state, PayOrder("o1", "A", amount_cents=100_000, split=SEED_SPLIT),
                    ResultCode.ORDER_CONFLICT, "id")
    assert_rejected(state, PayOrder("o1", "A", amount_cents=50_000,
                                    split=(SplitPart("pool", 50_000),)),
                    ResultCode.ORDER_CONFLICT, "id")


def test_order_rejections_name_the_field() -> None:
    state = joined(make_state(), "A")
    accept(state, PayOrder("o0", "A", "pack1000"))
    assert_rejected(state, PayOrder("o1", "X", "pack1000"), ResultCode.UNKNOWN_MEMBER, "member")
    assert_rejected(state, PayOrder("o1", "A", "pack9999"), ResultCode.UNKNOWN_PRODUCT,
                    "product")
    bad_split = (SplitPart("cost", 30_000), SplitPart("pool", 30_000))
    rejection = assert_rejected(state, PayOrder("o1", "A", amount_cents=100_000, split=bad_split),
                                ResultCode.INVALID_SPLIT, "split")
    assert "not the price 1000.00" in rejection.reason
    assert_rejected(state, PayOrder("o1", "A", amount_cents=100, split=(
        SplitPart("pool", 50), SplitPart("pool", 50))), ResultCode.INVALID_SPLIT, "split")
    assert_rejected(state, PayOrder("o1", "A", amount_cents=0, split=(SplitPart("pool", 0),)),
                    ResultCode.INVALID_AMOUNT, "amount")
    assert_rejected(state, PayOrder("o1", "A", "pack1000", amount_cents=100_000,
                                    split=SEED_SPLIT), ResultCode.INVALID_FIELD, "product")
    assert_rejected(state, PayOrder("o1", "A"), ResultCode.INVALID_FIELD, "product")
    assert_rejected(state, PayOrder("o1", "A", amount_cents=100), ResultCode.INVALID_FIELD,
                    "product")
    assert_rejected(state, PayOrder("", "A", "pack1000"), ResultCode.INVALID_FIELD, "id")
    assert_rejected(state, PayOrder("x" * 129, "A", "pack1000"), ResultCode.INVALID_FIELD, "id")
    assert_rejected(state, PayOrder("o1", "A", "pack9999", settle=False),
                    ResultCode.UNKNOWN_PRODUCT, "product")
