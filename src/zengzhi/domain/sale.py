"""Sale (卖出) and redemption (积分兑换) of points at the current price.

A sale pays ``floor_cent((1 - r) * q * p)`` to the member's cash (零钱) and
keeps the rest in the pool; a redemption pays the merchant settlement account
with its own retention. Selling or redeeming everything closes the cycle
(a voluntary exit, not counted in ``exits``). Forced exits follow.
"""

from __future__ import annotations

from zengzhi.domain.cycle import close_cycle
from zengzhi.domain.events import Redeem, Sell
from zengzhi.domain.forced_exit import run_forced_exits
from zengzhi.domain.ledger import CNY, EXTERNAL_POINTS, MERCHANT, POOL, PTS, Posting
from zengzhi.domain.money import Ratio, format_points
from zengzhi.domain.results import Outcome, ResultCode, reject
from zengzhi.domain.state import Member, State


def sell_points(state: State, event: Sell, at_ms: int) -> Outcome:
    del at_ms
    member = state.members.get(event.member)
    if member is None:
        return reject(ResultCode.UNKNOWN_MEMBER, "member", f"unknown member {event.member!r}")
    return _spend(state, member, event.points_units, member.cash,
                  state.config.pool.sell_retention, "sale")


def redeem_points(state: State, event: Redeem, at_ms: int) -> Outcome:
    del at_ms
    member = state.members.get(event.member)
    if member is None:
        return reject(ResultCode.UNKNOWN_MEMBER, "member", f"unknown member {event.member!r}")
    return _spend(state, member, event.points_units, MERCHANT,
                  state.config.pool.redeem_retention, "redeem")


def _spend(state: State, member: Member, points_units: int, payee: str, retention: Ratio,
           rule: str) -> Outcome:
    held = state.ledger.balances.get(member.points, 0)
    if points_units <= 0:
        return reject(ResultCode.INVALID_AMOUNT, "points", "must be positive")
    if points_units > held:
        return reject(ResultCode.INSUFFICIENT_POINTS, "points",
                      f"{format_points(points_units)} is more than the {format_points(held)} held")
    pool = state.pool
    payout = pool.sale_payout_cents(points_units, retention)
    postings = [
        Posting(member.points, EXTERNAL_POINTS, PTS, points_units, rule + ".points"),
        Posting(POOL, payee, CNY, payout, rule + ".payout"),
    ]
    assert state.ledger.apply(postings) is None
    pool.remove(payout, points_units)
    if points_units == held and member.cycle_active:
        close_cycle(member)
    exit_postings, exited = run_forced_exits(state)
    postings.extend(exit_postings)
    return Outcome(postings=tuple(postings), exits=tuple(exited))
