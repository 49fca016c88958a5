"""Withdrawal (提现), two-phase: cash → in flight, then done or failed.

``withdraw`` moves cash (零钱) to the member's ``withdrawing`` account so it
cannot be spent twice; ``withdraw_approve`` (审核, optional) records an
operator's approval; ``withdraw_done`` sends the money to
``external:withdrawals``; ``withdraw_fail`` (rejected or bank failure) puts it
back into cash. Done and fail are allowed from requested or approved.
"""

from __future__ import annotations

from zengzhi.domain.events import Withdraw, WithdrawApprove, WithdrawDone, WithdrawFail
from zengzhi.domain.ledger import CNY, EXTERNAL_WITHDRAWALS, Posting
from zengzhi.domain.money import format_cents
from zengzhi.domain.results import Outcome, ResultCode, reject
from zengzhi.domain.state import State, Withdrawal

WITHDRAWAL_ID_LENGTH_MAX = 128
IN_FLIGHT = ("in_flight", "approved")


def request_withdrawal(state: State, event: Withdraw, at_ms: int) -> Outcome:
    del at_ms
    wid = event.withdrawal_id
    if not wid or len(wid) > WITHDRAWAL_ID_LENGTH_MAX:
        return reject(ResultCode.INVALID_FIELD, "id",
                      f"withdrawal id must be 1-{WITHDRAWAL_ID_LENGTH_MAX} characters")
    existing = state.withdrawals.get(wid)
    if existing is not None:
        if (existing.member, existing.amount_cents) == (event.member, event.amount_cents):
            return Outcome(duplicate=True)
        return reject(ResultCode.WITHDRAWAL_CONFLICT, "id", f"withdrawal {wid!r} exists with other content")
    member = state.members.get(event.member)
    if member is None:
        return reject(ResultCode.UNKNOWN_MEMBER, "member", f"unknown member {event.member!r}")
    if event.amount_cents <= 0:
        return reject(ResultCode.INVALID_AMOUNT, "amount", "must be positive")
    cash = state.ledger.balances.get(member.cash, 0)
    if event.amount_cents > cash:
        return reject(ResultCode.INSUFFICIENT_FUNDS, "amount",
                      f"{format_cents(event.amount_cents)} is more than the cash balance {format_cents(cash)}")
    made = (Posting(member.cash, member.withdrawing, CNY, event.amount_cents, "withdraw.request"),)
    assert state.ledger.apply(made) is None
    state.withdrawals[wid] = Withdrawal(wid, member.member_id, event.amount_cents, "in_flight")
    return Outcome(postings=made)


def _finish(state: State, wid: str, done: bool) -> Outcome:
    withdrawal = state.withdrawals.get(wid)
    if withdrawal is None:
        return reject(ResultCode.UNKNOWN_WITHDRAWAL, "id", f"unknown withdrawal {wid!r}")
    if withdrawal.status not in IN_FLIGHT:
        return reject(ResultCode.WITHDRAWAL_NOT_IN_FLIGHT, "id", f"withdrawal {wid!r} is {withdrawal.status}")
    member = state.members[withdrawal.member]
    target = EXTERNAL_WITHDRAWALS if done else member.cash
    rule = "withdraw.done" if done else "withdraw.fail"
    made = (Posting(member.withdrawing, target, CNY, withdrawal.amount_cents, rule),)
    assert state.ledger.apply(made) is None
    withdrawal.status = "done" if done else "failed"
    return Outcome(postings=made)


def complete_withdrawal(state: State, event: WithdrawDone, at_ms: int) -> Outcome:
    del at_ms
    return _finish(state, event.withdrawal_id, done=True)


def fail_withdrawal(state: State, event: WithdrawFail, at_ms: int) -> Outcome:
    del at_ms
    return _finish(state, event.withdrawal_id, done=False)


def approve_withdrawal(state: State, event: WithdrawApprove, at_ms: int) -> Outcome:
    del at_ms
    withdrawal = state.withdrawals.get(event.withdrawal_id)
    if withdrawal is None:
        return reject(ResultCode.UNKNOWN_WITHDRAWAL, "id", f"unknown withdrawal {event.withdrawal_id!r}")
    if withdrawal.status != "in_flight":
        return reject(ResultCode.WITHDRAWAL_NOT_IN_FLIGHT, "id",
                      f"withdrawal {event.withdrawal_id!r} is {withdrawal.status}")
    withdrawal.status = "approved"
    return Outcome()
