"""Order lifecycle and settlement (结算): paid → settled, or refunded.

* ``paid`` moves the amount from ``external:payments`` to the member's
  ``pending`` account (visible, not yet split);
* ``settled`` splits it into the buckets (拨比), puts the pool bucket into
  the pool, grants points at the price *before* the contribution
  (``floor_pt(floor_cent(g*c) / p_before)``), extends the buyer's cycle and
  runs every reward plan (docs/plans.md), then forced exits;
* ``refunded`` (only before settlement) returns the pending amount; no plan
  has paid anything yet, so every pending reward is void with it.
"""

from __future__ import annotations

from zengzhi.domain.cycle import extend_cycle
from zengzhi.domain.events import PayOrder, RefundOrder, SettleOrder
from zengzhi.domain.forced_exit import run_forced_exits
from zengzhi.domain.ledger import (
    CNY,
    EXTERNAL_PAYMENTS,
    EXTERNAL_POINTS,
    POOL,
    PTS,
    Posting,
)
from zengzhi.domain.plans.runner import settle_plans
from zengzhi.domain.results import Outcome, ResultCode, reject
from zengzhi.domain.split import POOL_BUCKET, Allocation, allocate, split_error
from zengzhi.domain.state import Member, Order, State

ORDER_ID_LENGTH_MAX = 128


def _allocation(state: State, event: PayOrder) -> tuple[Allocation, int] | Outcome:
    if event.product is not None:
        if event.amount_cents is not None or event.split is not None:
            return reject(ResultCode.INVALID_FIELD, "product",
                          "give a product, or an amount with a split, not both")
        cached = state.allocations.get(event.product)
        if cached is not None:
            return cached
        product = state.config.products.get(event.product)
        if product is None:
            return reject(ResultCode.UNKNOWN_PRODUCT, "product",
                          f"unknown product {event.product!r}")
        cached = (allocate(product.price_cents, product.split), product.price_cents)
        state.allocations[event.product] = cached
        return cached
    if event.amount_cents is None or event.split is None:
        return reject(ResultCode.INVALID_FIELD, "product", "an order needs a product, or an amount and a split")
    if event.amount_cents <= 0:
        return reject(ResultCode.INVALID_AMOUNT, "amount", "must be positive")
    error = split_error(event.amount_cents, event.split)
    if error:
        return reject(ResultCode.INVALID_SPLIT, "split", error)
    return allocate(event.amount_cents, event.split), event.amount_cents


def pay_order(state: State, event: PayOrder, at_ms: int) -> Outcome:
    order_id = event.order_id
    if not order_id or len(order_id) > ORDER_ID_LENGTH_MAX:
        return reject(ResultCode.INVALID_FIELD, "id", f"order id must be 1-{ORDER_ID_LENGTH_MAX} characters")
    member = state.members.get(event.member)
    if member is None:
        return reject(ResultCode.UNKNOWN_MEMBER, "member", f"unknown member {event.member!r}")
    resolved = _allocation(state, event)
    if isinstance(resolved, Outcome):
        return resolved
    allocation, amount = resolved
    existing = state.orders.get(order_id)
    if existing is not None:
        if (existing.member, existing.allocation, existing.product) == (
                event.member, allocation, event.product):
            return Outcome(duplicate=True)
        return reject(ResultCode.ORDER_CONFLICT, "id",
                      f"order {order_id!r} exists with other content")
    order = Order(order_id, event.member, amount, allocation, event.product, "paid")
    if not event.settle:
        paid = (Posting(EXTERNAL_PAYMENTS, member.pending, CNY, amount, "order.paid", order_id),)
        assert state.ledger.apply(paid) is None
        state.orders[order_id] = order
        return Outcome(postings=paid)
    state.orders[order_id] = order
    return _settle(state, order, member, EXTERNAL_PAYMENTS, at_ms)


def settle_order(state: State, event: SettleOrder, at_ms: int) -> Outcome:
    order = state.orders.get(event.order_id)
    if order is None:
        return reject(ResultCode.UNKNOWN_ORDER, "id", f"unknown order {event.order_id!r}")
    if order.status != "paid":
        return reject(ResultCode.ORDER_NOT_PENDING, "id", f"order {event.order_id!r} is {order.status}")
    member = state.members[order.member]
    return _settle(state, order, member, member.pending, at_ms)


def refund_order(state: State, event: RefundOrder, at_ms: int) -> Outcome:
    del at_ms
    order = state.orders.get(event.order_id)
    if order is None:
        return reject(ResultCode.UNKNOWN_ORDER, "id", f"unknown order {event.order_id!r}")
    if order.status != "paid":
        return reject(ResultCode.ORDER_NOT_PENDING, "id",
                      f"order {event.order_id!r} is {order.status}; only a paid, unsettled order can be refunded")
    member = state.members[order.member]
    made = (Posting(member.pending, EXTERNAL_PAYMENTS, CNY, order.amount_cents, "order.refund",
                    order.order_id),)
    assert state.ledger.apply(made) is None
    order.status = "refunded"
    return Outcome(postings=made)


def _settle(state: State, order: Order, member: Member, source: str, at_ms: int) -> Outcome:
    pool = state.pool
    order_id = order.order_id
    contribution = 0
    postings: list[Posting] = []
    for bucket, cents in order.allocation:
        if bucket == POOL_BUCKET:
            contribution = cents
        if cents:
            postings.append(Posting(source, bucket, CNY, cents, "split." + bucket, order_id))
    grant = state.config.pool.grant_ratio_at(pool.money_cents, at_ms)
    value_cents = contribution * grant.num // grant.den
    granted = pool.grant_units(value_cents)
    if granted:
        postings.append(Posting(EXTERNAL_POINTS, member.points, PTS, granted, "pool.grant", order_id))
    assert state.ledger.apply(postings) is None
    pool.add(contribution, granted)
    order.status = "settled"
    order.granted_units = granted
    extend_cycle(state, member, order.amount_cents, granted)
    if state.plans:
        paid = settle_plans(state, order, member, at_ms)
        assert state.ledger.apply(paid) is None, "plans pay only what their bucket received"
        postings.extend(paid)
    exit_postings, exited = run_forced_exits(state, order_id)
    if exit_postings:
        postings.extend(exit_postings)
    return Outcome(postings=tuple(postings), exits=tuple(exited))


assert POOL == POOL_BUCKET, "the pool bucket posts to the pool account"
