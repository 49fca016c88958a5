"""withdrawal.py: cash -> in flight -> done (to the bank) or failed (back to cash)."""

from __future__ import annotations

from tests.strategies import accept, assert_rejected, make_state, snapshot
from zengzhi.domain.events import Inject, Join, PayOrder, Sell, Withdraw, WithdrawDone, WithdrawFail
from zengzhi.domain.ledger import CNY, EXTERNAL_WITHDRAWALS, Posting
from zengzhi.domain.results import ResultCode
from zengzhi.domain.state import State
from zengzhi.engine.queries import member_view


def with_cash() -> State:
    """A holds 1600.00 of cash (the worked-example sale)."""
    state = make_state()
    accept(state, Join("A"))
    accept(state, Join("B"))
    accept(state, PayOrder("o1", "A", "pack1000"))
    accept(state, Inject(170_000))
    accept(state, Sell("A", 2_100_000))
    assert member_view(state, "A")["cash"] == "1600.00"
    return state


def money(state: State) -> tuple[str, str]:
    view = member_view(state, "A")
    return view["cash"], view["withdrawing"]


def test_withdraw_then_done() -> None:
    state = with_cash()
    outcome = accept(state, Withdraw("w1", "A", 100_000))
    assert outcome.postings == (
        Posting("member:A:cash", "member:A:withdrawing", CNY, 100_000, "withdraw.request"),)
    assert money(state) == ("600.00", "1000.00")
    outcome = accept(state, WithdrawDone("w1"))
    assert outcome.postings == (
        Posting("member:A:withdrawing", EXTERNAL_WITHDRAWALS, CNY, 100_000, "withdraw.done"),)
    assert money(state) == ("600.00", "0.00")
    assert state.ledger.balance(EXTERNAL_WITHDRAWALS) == 100_000
    assert state.withdrawals["w1"].status == "done"


def test_withdraw_then_fail_returns_the_cash() -> None:
    state = with_cash()
    accept(state, Withdraw("w1", "A", 160_000))
    assert money(state) == ("0.00", "1600.00")
    accept(state, WithdrawFail("w1"))
    assert money(state) == ("1600.00", "0.00")
    assert state.withdrawals["w1"].status == "failed"
    # the cash can be withdrawn again under a new id
    accept(state, Withdraw("w2", "A", 160_000))


def test_money_in_flight_cannot_be_withdrawn_twice() -> None:
    state = with_cash()
    accept(state, Withdraw("w1", "A", 100_000))
    rejection = assert_rejected(state, Withdraw("w2", "A", 60_001), ResultCode.INSUFFICIENT_FUNDS,
                                "amount")
    assert "600.01 is more than the cash balance 600.00" in rejection.reason
    accept(state, Withdraw("w2", "A", 60_000))


def test_overdraw_is_rejected_naming_the_amount() -> None:
    state = with_cash()
    assert_rejected(state, Withdraw("w1", "A", 160_001), ResultCode.INSUFFICIENT_FUNDS, "amount")
    assert_rejected(state, Withdraw("w1", "B", 1), ResultCode.INSUFFICIENT_FUNDS, "amount")


def test_withdrawal_rejections_change_nothing() -> None:
    state = with_cash()
    assert_rejected(state, Withdraw("w1", "X", 100), ResultCode.UNKNOWN_MEMBER, "member")
    assert_rejected(state, Withdraw("w1", "A", 0), ResultCode.INVALID_AMOUNT, "amount")
    assert_rejected(state, Withdraw("w1", "A", -5), ResultCode.INVALID_AMOUNT, "amount")
    assert_rejected(state, Withdraw("", "A", 100), ResultCode.INVALID_FIELD, "id")
    assert_rejected(state, Withdraw("w" * 129, "A", 100), ResultCode.INVALID_FIELD, "id")
    assert_rejected(state, WithdrawDone("nope"), ResultCode.UNKNOWN_WITHDRAWAL, "id")
    assert_rejected(state, WithdrawFail("nope"), ResultCode.UNKNOWN_WITHDRAWAL, "id")


def test_a_finished_withdrawal_cannot_finish_again() -> None:
    state = with_cash()
    accept(state, Withdraw("w1", "A", 100))
    accept(state, WithdrawDone("w1"))
    assert_rejected(state, WithdrawDone("w1"), ResultCode.WITHDRAWAL_NOT_IN_FLIGHT, "id")
    assert_rejected(state, WithdrawFail("w1"), ResultCode.WITHDRAWAL_NOT_IN_FLIGHT, "id")
    accept(state, Withdraw("w2", "A", 100))
    accept(state, WithdrawFail("w2"))
    assert_rejected(state, WithdrawDone("w2"), ResultCode.WITHDRAWAL_NOT_IN_FLIGHT, "id")


def test_duplicate_withdrawal_id() -> None:
    state = with_cash()
    accept(state, Withdraw("w1", "A", 100))
    before = snapshot(state)
    outcome = accept(state, Withdraw("w1", "A", 100))
    assert outcome.duplicate and outcome.postings == ()
    assert snapshot(state) == before
    assert_rejected(state, Withdraw("w1", "A", 200), ResultCode.WITHDRAWAL_CONFLICT, "id")
    assert_rejected(state, Withdraw("w1", "B", 100), ResultCode.WITHDRAWAL_CONFLICT, "id")


def test_approve_then_done_and_approve_only_once() -> None:
    from tests.strategies import make_state
    from zengzhi.domain import events as ev
    from zengzhi.domain.machine import apply
    from zengzhi.domain.results import ResultCode

    state = make_state()
    apply(state, ev.Join("A"))
    state.ledger.balances["member:A:cash"] = 500  # as if earned
    state.ledger.balances["external:payments"] = -500
    assert apply(state, ev.Withdraw("w1", "A", 300)).accepted
    assert apply(state, ev.WithdrawApprove("w1")).accepted
    assert state.withdrawals["w1"].status == "approved"
    again = apply(state, ev.WithdrawApprove("w1"))
    assert again.rejection is not None and again.rejection.code is ResultCode.WITHDRAWAL_NOT_IN_FLIGHT
    assert apply(state, ev.WithdrawDone("w1")).accepted
    assert state.ledger.balances["external:withdrawals"] == 300
    assert apply(state, ev.WithdrawApprove("nope")).rejection is not None
