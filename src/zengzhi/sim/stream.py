"""Exact simulation of a given event stream (``zengzhi simulate --scenario``).

``encode`` turns domain events into an ``int64[events, 5]`` array (kind,
member row, two amounts, time) and decides, in Python, every rejection that
does not depend on balances (unknown member or product, bad ids, duplicate
orders …), with the same checks, in the same order, as the domain handlers.
``run_stream`` then runs the array through the exact kernel, which rejects
what depends on balances (selling more points than held). The result is
bit-identical to ``zengzhi.domain.machine.apply`` on the same events.

Pool events and withdrawals are simulated (join, order, settle, refund, sell,
redeem, inject, withdraw and its approve/done/fail); a config with reward plans
or a plan event (set_rank, close_period, tick) is refused here: those streams
are replayed through the domain instead (``zengzhi simulate --scenario``, and
the plan-aware behaviour runs of ``zengzhi.sim.plans_run``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from zengzhi.domain import events as ev
from zengzhi.domain.config import TenantConfig
from zengzhi.domain.membership import MEMBER_ID_LENGTH_MAX
from zengzhi.domain.settlement import ORDER_ID_LENGTH_MAX
from zengzhi.domain.split import POOL_BUCKET, Allocation, allocate, split_error
from zengzhi.domain.withdrawal import WITHDRAWAL_ID_LENGTH_MAX
from zengzhi.sim import cash, core
from zengzhi.sim.jit import kernel
from zengzhi.sim.layout import (
    E_NONE,
    M_PENDING,
    S_ERROR,
    S_EXITED,
    Array,
    Int64Array,
    new_state,
    pool_arrays,
)

# event kinds in the encoded stream
(K_SKIP, K_ORDER, K_PAY, K_SETTLE, K_REFUND, K_SELL, K_REDEEM, K_INJECT, K_WITHDRAW, K_WITHDRAW_APPROVE,
 K_WITHDRAW_DONE, K_WITHDRAW_FAIL) = range(12)
FINISH_KINDS = {ev.WithdrawApprove: K_WITHDRAW_APPROVE, ev.WithdrawDone: K_WITHDRAW_DONE,
                ev.WithdrawFail: K_WITHDRAW_FAIL}
# columns: kind, member row, x (amount cents / points units), y (pool contribution cents), at_ms
E_KIND, E_MEMBER, E_X, E_Y, E_AT = range(5)


class Unsupported(ValueError):
    """An event or config the pool-only simulator does not model."""


@dataclass(slots=True)
class Encoded:
    """A stream ready for the kernel, with what Python already decided."""

    events: Int64Array
    members: list[str] = field(default_factory=list)
    sponsors: dict[str, str] = field(default_factory=dict)
    rejected: dict[int, str] = field(default_factory=dict)  # index -> reason
    buckets: dict[str, int] = field(default_factory=dict)  # settled split totals (all but pool)
    payments_cents: int = 0  # paid in minus refunded: external:payments is its negative
    funding_cents: int = 0
    withdrawal_slots: dict[str, int] = field(default_factory=dict)  # 提现 id -> slot
    touched: set[str] = field(default_factory=set)  # accounts a posting has named (the ledger lists them)


@dataclass(slots=True)
class _Order:
    member: str
    allocation: Allocation
    product: str | None
    amount_cents: int
    status: str


def check_config(config: TenantConfig) -> None:
    if config.plans:
        raise Unsupported("the stream kernel models the pool only; this config has reward plans "
                          f"({', '.join(p.name for p in config.plans)}): replay it through the domain")


class _Encoder:
    def __init__(self, config: TenantConfig, count: int) -> None:
        self.config = config
        self.out = Encoded(np.zeros((count, 5), dtype=np.int64))
        self.rows: dict[str, int] = {}
        self.orders: dict[str, _Order] = {}
        self.allocations: dict[str, tuple[Allocation, int]] = {}

    def reject(self, i: int, reason: str) -> None:
        self.out.rejected[i] = reason

    def put(self, i: int, kind: int, member: str | None, x: int = 0, y: int = 0, at_ms: int = 0) -> None:
        self.out.events[i] = (kind, self.rows[member] if member is not None else 0, x, y, at_ms)

    def join(self, i: int, event: ev.Join) -> None:
        mid, sponsor = event.member, event.sponsor
        if not mid or len(mid) > MEMBER_ID_LENGTH_MAX or ":" in mid:
            return self.reject(i, "member: invalid member id")
        if mid in self.rows:
            return self.reject(i, f"member: member {mid!r} already joined")
        if sponsor is not None and (sponsor == mid or sponsor not in self.rows):
            return self.reject(i, f"sponsor: invalid sponsor {sponsor!r}")
        self.rows[mid] = len(self.out.members)
        self.out.members.append(mid)
        if sponsor is not None:
            self.out.sponsors[mid] = sponsor

    def allocation(self, event: ev.PayOrder) -> tuple[Allocation, int] | str:
        """``settlement._allocation``: the split of the order, or why it is refused."""
        if event.product is not None:
            if event.amount_cents is not None or event.split is not None:
                return "product: give a product, or an amount with a split, not both"
            cached = self.allocations.get(event.product)
            if cached is None:
                product = self.config.products.get(event.product)
                if product is None:
                    return f"product: unknown product {event.product!r}"
                cached = (allocate(product.price_cents, product.split), product.price_cents)
                self.allocations[event.product] = cached
            return cached
        if event.amount_cents is None or event.split is None:
            return "product: an order needs a product, or an amount and a split"
        if event.amount_cents <= 0:
            return "amount: must be positive"
        error = split_error(event.amount_cents, event.split)
        if error:
            return f"split: {error}"
        return allocate(event.amount_cents, event.split), event.amount_cents

    def order(self, i: int, event: ev.PayOrder, at_ms: int) -> None:
        oid = event.order_id
        if not oid or len(oid) > ORDER_ID_LENGTH_MAX:
            return self.reject(i, "id: invalid order id")
        if event.member not in self.rows:
            return self.reject(i, f"member: unknown member {event.member!r}")
        resolved = self.allocation(event)
        if isinstance(resolved, str):
            return self.reject(i, resolved)
        allocation, amount = resolved
        existing = self.orders.get(oid)
        if existing is not None:
            if (existing.member, existing.allocation, existing.product) != (event.member, allocation, event.product):
                self.reject(i, f"id: order {oid!r} exists with other content")
            return None  # an identical order again is a duplicate: accepted, changes nothing
        order = _Order(event.member, allocation, event.product, amount, "paid")
        self.orders[oid] = order
        self.out.payments_cents += amount
        self.out.touched.add("external:payments")
        if event.settle:
            self.settled(order)
            return self.put(i, K_ORDER, event.member, amount, dict(allocation).get(POOL_BUCKET, 0), at_ms)
        return self.put(i, K_PAY, event.member, amount)

    def settled(self, order: _Order) -> None:
        order.status = "settled"
        for bucket, cents in order.allocation:
            if cents:
                self.out.touched.add(bucket)
                if bucket != POOL_BUCKET:
                    self.out.buckets[bucket] = self.out.buckets.get(bucket, 0) + cents

    def decide(self, i: int, order_id: str, at_ms: int, refund: bool) -> None:
        order = self.orders.get(order_id)
        if order is None:
            return self.reject(i, f"id: unknown order {order_id!r}")
        if order.status != "paid":
            return self.reject(i, f"id: order {order_id!r} is {order.status}")
        if refund:
            order.status = "refunded"
            self.out.payments_cents -= order.amount_cents
            return self.put(i, K_REFUND, order.member, order.amount_cents)
        self.settled(order)
        contribution = dict(order.allocation).get(POOL_BUCKET, 0)
        return self.put(i, K_SETTLE, order.member, order.amount_cents, contribution, at_ms)

    def spend(self, i: int, member: str, units: int, kind: int) -> None:
        if member not in self.rows:
            return self.reject(i, f"member: unknown member {member!r}")
        if units <= 0:
            return self.reject(i, "points: must be positive")
        return self.put(i, kind, member, units)

    def withdraw(self, i: int, event: ev.Withdraw) -> None:
        """Only the id is checked here; the kernel decides the rest (``domain.withdrawal``)."""
        wid = event.withdrawal_id
        if not wid or len(wid) > WITHDRAWAL_ID_LENGTH_MAX:
            return self.reject(i, "id: invalid withdrawal id")
        slot = self.out.withdrawal_slots.setdefault(wid, len(self.out.withdrawal_slots))
        self.out.events[i] = (K_WITHDRAW, self.rows.get(event.member, -1), event.amount_cents, slot, 0)
        return None

    def finish(self, i: int, wid: str, kind: int) -> None:
        slot = self.out.withdrawal_slots.get(wid)
        if slot is None:
            return self.reject(i, f"id: unknown withdrawal {wid!r}")
        self.out.events[i] = (kind, 0, 0, slot, 0)
        return None

    def event(self, i: int, event: ev.Event, at_ms: int) -> None:
        if isinstance(event, ev.Join):
            self.join(i, event)
        elif isinstance(event, ev.PayOrder):
            self.order(i, event, at_ms)
        elif isinstance(event, (ev.SettleOrder, ev.RefundOrder)):
            self.decide(i, event.order_id, at_ms, isinstance(event, ev.RefundOrder))
        elif isinstance(event, (ev.Sell, ev.Redeem)):
            self.spend(i, event.member, event.points_units, K_SELL if isinstance(event, ev.Sell) else K_REDEEM)
        elif isinstance(event, ev.Inject):
            if event.amount_cents <= 0:
                return self.reject(i, "amount: must be positive")
            self.out.funding_cents += event.amount_cents
            self.out.touched.update(("external:funding", "pool"))
            self.put(i, K_INJECT, None, event.amount_cents)
        elif isinstance(event, ev.Withdraw):
            self.withdraw(i, event)
        elif isinstance(event, (ev.WithdrawApprove, ev.WithdrawDone, ev.WithdrawFail)):
            self.finish(i, event.withdrawal_id, FINISH_KINDS[type(event)])
        else:
            raise Unsupported(f"event {i}: {type(event).__name__} is not a pool event; the simulator models joins, "
                              "orders, settle/refund, sell, redeem, inject and withdrawals")
        return None


def encode(config: TenantConfig, events: Sequence[tuple[ev.Event, int]]) -> Encoded:
    """Encode ``(event, at_ms)`` pairs; raises ``Unsupported`` for what is not modelled."""
    check_config(config)
    encoder = _Encoder(config, len(events))
    for i, (event, at_ms) in enumerate(events):
        encoder.event(i, event, at_ms)
    return encoder.out


@kernel()
def _run(events: Array, mem: Array, heap: Array, hkey: Array, sc: Array,
         cfg: Array, steps: Array, exited: Array, refused: Array, wd: Array) -> int:
    """Apply every encoded event; marks balance-dependent rejections in ``refused``. Returns events done."""
    for i in range(events.shape[0]):
        if sc[S_ERROR] != E_NONE:
            return i
        kind = events[i, 0]
        m = events[i, 1]
        x = events[i, 2]
        sc[S_EXITED] = 0  # the exited list is per event
        if kind == K_ORDER:
            core.settle(mem, heap, hkey, sc, cfg, steps, exited, m, x, events[i, 3], events[i, 4])
        elif kind == K_PAY:
            mem[m, M_PENDING] += x
        elif kind == K_SETTLE:
            mem[m, M_PENDING] -= x
            core.settle(mem, heap, hkey, sc, cfg, steps, exited, m, x, events[i, 3], events[i, 4])
        elif kind == K_REFUND:
            mem[m, M_PENDING] -= x
        elif kind == K_SELL or kind == K_REDEEM:
            if not core.spend(mem, heap, hkey, sc, cfg, exited, m, x, kind == K_REDEEM):
                refused[i] = 1
        elif kind == K_INJECT:
            core.inject(mem, heap, hkey, sc, cfg, exited, x)
        elif kind == K_WITHDRAW:
            if not cash.request(mem, wd, m, x, events[i, 3]):
                refused[i] = 1
        elif kind == K_WITHDRAW_APPROVE:
            if not cash.approve(wd, events[i, 3]):
                refused[i] = 1
        elif kind == K_WITHDRAW_DONE or kind == K_WITHDRAW_FAIL:
            if not cash.finish(mem, sc, wd, events[i, 3], kind == K_WITHDRAW_DONE):
                refused[i] = 1
    return int(events.shape[0])


@dataclass(slots=True)
class StreamResult:
    encoded: Encoded
    mem: Int64Array
    sc: Int64Array
    refused: Int64Array
    done: int


def run_stream(config: TenantConfig, events: Sequence[tuple[ev.Event, int]]) -> StreamResult:
    """Encode and run a stream exactly; ``sc[S_ERROR]`` says if it stopped early."""
    encoded = encode(config, events)
    mem, heap, hkey, sc, exited = new_state(config.pool, max(len(encoded.members), 1))
    cfg, steps = pool_arrays(config.pool)
    refused = np.zeros(len(events), dtype=np.int64)
    for i in encoded.rejected:
        encoded.events[i, E_KIND] = K_SKIP
    wd = np.zeros((max(len(encoded.withdrawal_slots), 1), 3), dtype=np.int64)
    done = _run(encoded.events, mem, heap, hkey, sc, cfg, steps, exited, refused, wd)
    return StreamResult(encoded, mem, sc, refused, done)
