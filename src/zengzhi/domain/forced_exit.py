"""Forced exit (强制出局) with cascade.

After every event that changes the pool, while the member with the lowest
exit price is due, all its remaining points are sold as in a sale (same
retention) and its cycle closes. Each exit raises the price, so exits can
cascade; the loop ends when the cheapest remaining exit is not due. Cost is
O(log n) per exit and per skipped stale entry, independent of member count.
"""

from __future__ import annotations

from zengzhi.domain.cycle import close_cycle
from zengzhi.domain.ledger import CNY, EXTERNAL_POINTS, POOL, PTS, Posting
from zengzhi.domain.state import State


def run_forced_exits(state: State, order_id: str = "") -> tuple[list[Posting], list[str]]:
    """Exit every due member; returns the postings made and who exited, in order."""
    postings: list[Posting] = []
    exited: list[str] = []
    pool = state.pool
    retention = state.config.pool.sell_retention
    while True:
        member = state.heap.pop_due(state.members, pool.money_cents, pool.points_units)
        if member is None:
            return postings, exited
        held = state.ledger.balances.get(member.points, 0)
        assert held > 0, "an active cycle with granted points holds points"
        payout = pool.sale_payout_cents(held, retention)
        made = (
            Posting(member.points, EXTERNAL_POINTS, PTS, held, "exit.points", order_id),
            Posting(POOL, member.cash, CNY, payout, "exit.payout", order_id),
        )
        assert state.ledger.apply(made) is None
        pool.remove(payout, held)
        close_cycle(member)
        member.exits += 1
        state.exits_total += 1
        postings.extend(made)
        exited.append(member.member_id)
