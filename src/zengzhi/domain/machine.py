"""The state machine: ``apply(state, event, at_ms) -> Outcome``.

One handler per event type, each in the module named after its rule. A
handler checks everything first and changes state only when it accepts, so
a rejected event changes nothing. ``at_ms`` is the event's time, passed in
(the domain never reads a clock).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zengzhi.domain import events as ev
from zengzhi.domain.membership import join_member
from zengzhi.domain.plan_events import close_period, set_rank, tick
from zengzhi.domain.results import Outcome
from zengzhi.domain.sale import redeem_points, sell_points
from zengzhi.domain.settlement import pay_order, refund_order, settle_order
from zengzhi.domain.state import State
from zengzhi.domain.subsidy import inject_subsidy
from zengzhi.domain.withdrawal import (
    approve_withdrawal,
    complete_withdrawal,
    fail_withdrawal,
    request_withdrawal,
)

Handler = Callable[[State, Any, int], Outcome]

HANDLERS: dict[type, Handler] = {
    ev.Join: join_member,
    ev.PayOrder: pay_order,
    ev.SettleOrder: settle_order,
    ev.RefundOrder: refund_order,
    ev.Sell: sell_points,
    ev.Redeem: redeem_points,
    ev.Inject: inject_subsidy,
    ev.Withdraw: request_withdrawal,
    ev.WithdrawApprove: approve_withdrawal,
    ev.WithdrawDone: complete_withdrawal,
    ev.WithdrawFail: fail_withdrawal,
    ev.SetRank: set_rank,
    ev.ClosePeriod: close_period,
    ev.Tick: tick,
}


def apply(state: State, event: ev.Event, at_ms: int = 0) -> Outcome:
    """Apply one event; a rejection in the outcome means nothing changed."""
    return HANDLERS[type(event)](state, event, at_ms)
