"""Replay events through ``zengzhi.domain.machine.apply`` and record what the report needs.

Everything here is exact (integer cents and 0.0001 point units). The pool
money that pays members is attributed first-in, first-out (先进先出): the pool
is a queue of inflow segments (each order's pool contribution, each subsidy);
every outflow (sale, forced exit, redemption) takes the oldest money still in
the queue. The part of a member's cash payout that comes from segments of
orders settled after that member's own first order is "later money".
Reward plan postings are tallied apart (``zengzhi.sim.plan_payouts``): the
cash above is the pool's only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from zengzhi.domain import events as ev
from zengzhi.domain.config import TenantConfig
from zengzhi.domain.ledger import POOL, Posting
from zengzhi.domain.machine import apply
from zengzhi.domain.state import State
from zengzhi.sim.plan_payouts import PlanTally

SUBSIDY = -1  # the order sequence of a segment that is not an order (注资 subsidy)


@dataclass(slots=True)
class MemberStats:
    """One member's totals over the run (cents; ``first_order`` is 1-based, 0 = never ordered)."""

    member_id: str
    join_seq: int
    first_order: int = 0
    first_amount_cents: int = 0
    first_units: int = 0
    spend_cents: int = 0
    orders: int = 0
    sale_cents: int = 0
    exit_cents: int = 0
    later_cents: int = 0  # of sale + exit cash, the part that came from later orders (FIFO)
    exits: int = 0

    @property
    def cash_cents(self) -> int:
        return self.sale_cents + self.exit_cents


@dataclass(slots=True)
class PoolQueue:
    """FIFO inflow segments of the pool: ``(end position, order sequence)``; positions are cumulative cents."""

    ends: list[int] = field(default_factory=list)
    seqs: list[int] = field(default_factory=list)
    inflow: int = 0
    outflow: int = 0
    head: int = 0  # first segment not fully paid out

    def add(self, cents: int, seq: int) -> None:
        if cents > 0:
            self.inflow += cents
            self.ends.append(self.inflow)
            self.seqs.append(seq)

    def take(self, cents: int, later_than: int) -> int:
        """Pay ``cents`` out of the oldest money; returns the part from orders with sequence > ``later_than``."""
        later = 0
        start = self.outflow
        stop = start + cents
        i = self.head
        while start < stop:
            end = self.ends[i]
            part = min(end, stop) - start
            if self.seqs[i] > later_than:
                later += part
            start += part
            if start == end:
                i += 1
        self.outflow = stop
        self.head = i
        return later


@dataclass(slots=True)
class Point:
    """The pool after one accepted event: orders settled so far, P (cents), N (units), time."""

    orders: int
    money_cents: int
    points_units: int
    at_ms: int


@dataclass(slots=True)
class Collected:
    """The replayed run: the final state, the pool after every event, every member's totals."""

    state: State
    series: list[Point]
    members: dict[str, MemberStats]
    orders: int = 0
    spend_cents: int = 0
    pool_in_cents: int = 0  # order contributions only (s = pool_in / spend)
    subsidy_cents: int = 0
    rejected: int = 0
    last_order: str = ""
    queue: PoolQueue = field(default_factory=PoolQueue)
    plans: PlanTally = field(default_factory=PlanTally)  # what the reward plans paid


def collect(config: TenantConfig, events: Iterable[tuple[ev.Event, int]]) -> Collected:
    """Replay ``events`` on a fresh ``State``; rejected events are counted and otherwise skipped."""
    state = State(config)
    run = Collected(state, [Point(0, 0, 0, 0)], {})
    for event, at_ms in events:
        outcome = apply(state, event, at_ms)
        if not outcome.accepted:
            run.rejected += 1
            continue
        if isinstance(event, ev.Join):
            member = state.members[event.member]
            run.members[event.member] = MemberStats(event.member, member.join_seq)
        follow(run, outcome.postings)
        if state.plans:
            run.plans.add(outcome.postings)
        run.series.append(Point(run.orders, state.pool.money_cents, state.pool.points_units, at_ms))
    return run


def follow(run: Collected, postings: Iterable[Posting]) -> None:
    """Record one accepted event's postings (in their order: the grant comes before any exit)."""
    for posting in postings:
        if posting.rule.startswith("split.") and posting.order_id != run.last_order:
            _order(run, posting.order_id)
        if posting.to_account == POOL:
            _inflow(run, posting)
        elif posting.from_account == POOL:
            _outflow(run, posting)
        elif posting.rule == "pool.grant":
            _granted(run, posting)


def _order(run: Collected, order_id: str) -> None:
    """A settled order (seen by its split postings, with or without a pool part)."""
    run.last_order = order_id
    order = run.state.orders[order_id]
    run.orders += 1
    stats = run.members[order.member]
    if stats.orders == 0:
        stats.first_order = run.orders
        stats.first_amount_cents = order.amount_cents
    stats.orders += 1
    stats.spend_cents += order.amount_cents
    run.spend_cents += order.amount_cents


def _inflow(run: Collected, posting: Posting) -> None:
    if posting.rule.startswith("split."):
        run.pool_in_cents += posting.amount
        run.queue.add(posting.amount, run.orders)
    else:
        run.subsidy_cents += posting.amount
        run.queue.add(posting.amount, SUBSIDY)


def _granted(run: Collected, posting: Posting) -> None:
    """The points of a member's first order (its own break-even price is spend / these points)."""
    stats = run.members[run.state.orders[posting.order_id].member]
    if stats.orders == 1 and stats.first_units == 0:
        stats.first_units = posting.amount


def _outflow(run: Collected, posting: Posting) -> None:
    member_id = _cash_owner(posting.to_account)
    if member_id is None:  # a redemption (兑换) pays the merchant: it still takes the oldest money
        run.queue.take(posting.amount, 0)
        return
    stats = run.members[member_id]
    stats.later_cents += run.queue.take(posting.amount, stats.first_order)
    if posting.rule == "exit.payout":
        stats.exit_cents += posting.amount
        stats.exits += 1
    else:
        stats.sale_cents += posting.amount


def _cash_owner(account: str) -> str | None:
    if account.startswith("member:") and account.endswith(":cash"):
        return account[len("member:"):-len(":cash")]
    return None
