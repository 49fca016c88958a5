"""Runs the tenant's plans on a settled order and posts what they pay.

Plans run in config order. Plans sharing a bucket draw from what the earlier
ones left. Modifiers then rewrite the members' payouts (in config order).
Whatever is left of a plan bucket goes to ``residual`` (未分配 → 平台), so
for every order and bucket: bucket = payouts + residual, to the cent.
"""

from __future__ import annotations

from zengzhi.domain.ledger import CNY, RESIDUAL, Posting
from zengzhi.domain.money import format_cents
from zengzhi.domain.plans.base import Payout, SettleContext
from zengzhi.domain.state import Member, Order, State

RESIDUAL_RULE = "plan.residual"


def settle_plans(state: State, order: Order, buyer: Member, at_ms: int) -> list[Posting]:
    """The postings of every plan for ``order`` (not yet applied to the ledger)."""
    plans = state.plans
    if not plans:
        return []
    allocated = dict(order.allocation)
    left: dict[str, int] = {}
    payouts: list[Payout] = []
    ctx = SettleContext(state, order, buyer, at_ms, "", None, 0, payouts)  # one per order, re-aimed per plan
    for plan in plans:
        bucket = plan.spec.bucket
        available = 0
        if bucket is not None:
            available = left.setdefault(bucket, allocated.get(bucket, 0))
        ctx.plan, ctx.bucket, ctx.left_cents = plan.name, bucket, available
        plan.on_settle(ctx)
        if bucket is not None:
            left[bucket] = ctx.left_cents
    for plan in plans:
        if plan.modifier:
            payouts = plan.modify(state, order, payouts)
    order_id = order.order_id
    postings = [Posting(p.source, p.to_account, CNY, p.amount_cents, p.rule, order_id, p.plan, p.memo)
                for p in payouts if p.amount_cents]
    for bucket, cents in left.items():
        if cents:
            postings.append(Posting(bucket, RESIDUAL, CNY, cents, RESIDUAL_RULE, order_id, "",
                                    f"unpaid part of the {bucket} bucket ({format_cents(cents)})"))
    return postings

