"""Stateful property test: random event sequences against the ledger invariants.

Rules drive every event type (joins with sponsors, orders settled at once or
later, refunds, sales, redemptions, subsidies, withdrawals), including events
that must be rejected. After every step the invariants of README.md and
pool.md are checked, the forced-exit heap against a brute-force scan, and
every rejected event is checked to have changed nothing.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import event as tally
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from tests.strategies import fractions, member_ids, snapshot, tenant_configs
from zengzhi.domain.config import parse_tenant_config
from zengzhi.domain.events import (
    Event,
    Inject,
    Join,
    PayOrder,
    Redeem,
    RefundOrder,
    Sell,
    SettleOrder,
    Withdraw,
    WithdrawDone,
    WithdrawFail,
)
from zengzhi.domain.exit_heap import is_due
from zengzhi.domain.ledger import CNY, EXTERNAL_POINTS, POOL, PTS, asset_of
from zengzhi.domain.machine import apply
from zengzhi.domain.money import Ratio
from zengzhi.domain.results import Outcome, ResultCode
from zengzhi.domain.split import SplitPart
from zengzhi.domain.state import State


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.state: State | None = None
        self.products: list[str] = []
        self.price = Ratio(0, 1)
        self.at_ms = 0
        self.orders = 0
        self.pending: list[str] = []  # paid, not yet settled or refunded
        self.settled: list[str] = []
        self.in_flight: list[str] = []
        self.withdrawals = 0
        self.rejections: dict[ResultCode, int] = {}

    # ---------------------------------------------------------------- plumbing

    @property
    def s(self) -> State:
        assert self.state is not None
        return self.state

    def members(self) -> list[str]:
        return sorted(self.s.members)

    def apply(self, event: Event, rejected: ResultCode | None = None,
              field: str | None = None) -> Outcome:
        """Apply ``event``; a rejection (expected or not) must change nothing."""
        before = snapshot(self.s)
        self.at_ms += 1_000
        outcome = apply(self.s, event, self.at_ms)
        if outcome.rejection is not None:
            assert (outcome.postings, outcome.exits) == ((), ())
            assert snapshot(self.s) == before, f"rejected {event} changed the state"
            self.rejections[outcome.rejection.code] = (
                self.rejections.get(outcome.rejection.code, 0) + 1)
        if rejected is not None:
            assert outcome.rejection is not None, f"{event} should be rejected ({rejected})"
            assert outcome.rejection.code is rejected, outcome.rejection
            if field is not None:
                assert outcome.rejection.field == field, outcome.rejection
        for p in outcome.postings:
            assert p.amount >= 0
            assert asset_of(p.from_account) == asset_of(p.to_account) == p.asset, p
        exited = [p.from_account.split(":")[1] for p in outcome.postings
                  if p.rule == "exit.points"]
        assert list(outcome.exits) == exited
        tally(f"{type(event).__name__}: " + (
            outcome.rejection.code.value if outcome.rejection else
            "exits" if outcome.exits else "accepted"))
        return outcome

    # ---------------------------------------------------------------- rules

    @initialize(config=tenant_configs(),
                founders=st.lists(member_ids, min_size=1, max_size=3, unique=True))
    def setup(self, config: dict[str, Any], founders: list[str]) -> None:
        self.state = State(parse_tenant_config(config))
        self.products = sorted(config["products"])
        self.price = self.s.pool.price()
        for member in founders:
            assert self.apply(Join(member)).accepted

    def pick(self, who: int, kind: str, anyone: bool) -> str:
        """A member; unless ``anyone``, preferably one holding ``kind`` (points or cash)."""
        members = self.members()
        if not anyone:
            holders = [m for m in members
                       if self.s.ledger.balance(f"member:{m}:{kind}") > 0]
            members = holders or members
        return members[who % len(members)]

    @rule(member=member_ids, sponsor=st.none() | st.integers(0, 9), self_sponsor=st.booleans())
    def join(self, member: str, sponsor: int | None, self_sponsor: bool) -> None:
        existing = self.members()
        if member in existing:
            self.apply(Join(member), ResultCode.MEMBER_EXISTS, "member")
        elif self_sponsor:
            self.apply(Join(member, sponsor=member), ResultCode.SPONSOR_CYCLE, "sponsor")
        else:
            chosen = existing[sponsor % len(existing)] if existing and sponsor is not None else None
            assert self.apply(Join(member, sponsor=chosen)).accepted
            assert self.s.members[member].sponsor == chosen

    @precondition(lambda self: bool(self.s.members))
    @rule(who=st.integers(0, 9), product=st.integers(0, 9), settle=st.booleans())
    def order(self, who: int, product: int, settle: bool) -> None:
        members = self.members()
        member = members[who % len(members)]
        self.orders += 1
        order_id = f"o{self.orders}"
        name = self.products[product % len(self.products)]
        outcome = self.apply(PayOrder(order_id, member, name, settle=settle))
        assert outcome.accepted and not outcome.duplicate
        (self.settled if settle else self.pending).append(order_id)
        if settle:
            assert self.s.members[member].cycle_active or member in outcome.exits

    @precondition(lambda self: bool(self.s.members))
    @rule(who=st.integers(0, 9), amount=st.integers(1, 300_000), pool_percent=st.integers(0, 100),
          settle=st.booleans())
    def inline_order(self, who: int, amount: int, pool_percent: int, settle: bool) -> None:
        members = self.members()
        self.orders += 1
        order_id = f"o{self.orders}"
        split = (SplitPart("cost", percent=Ratio(100 - pool_percent, 100)),
                 SplitPart("pool", percent=Ratio(pool_percent, 100)))
        event = PayOrder(order_id, members[who % len(members)], amount_cents=amount, split=split,
                         settle=settle)
        assert self.apply(event).accepted
        (self.settled if settle else self.pending).append(order_id)

    @precondition(lambda self: bool(self.settled or self.pending))
    @rule(pick=st.integers(0, 99), same=st.booleans())
    def order_again(self, pick: int, same: bool) -> None:
        ids = self.settled + self.pending
        order = self.s.orders[ids[pick % len(ids)]]
        split = tuple(SplitPart(bucket, cents) for bucket, cents in order.allocation)
        if order.product is not None:
            event = PayOrder(order.order_id, order.member, order.product)
        else:
            event = PayOrder(order.order_id, order.member, amount_cents=order.amount_cents,
                             split=split)
        if same:
            assert self.apply(event).duplicate
        else:
            # one more cent into the last bucket: a different order under the same id
            bucket, cents = order.allocation[-1]
            other = PayOrder(order.order_id, order.member, amount_cents=order.amount_cents + 1,
                             split=(*split[:-1], SplitPart(bucket, cents + 1)))
            self.apply(other, ResultCode.ORDER_CONFLICT, "id")

    @precondition(lambda self: bool(self.pending))
    @rule(pick=st.integers(0, 99), refund=st.booleans())
    def settle_or_refund(self, pick: int, refund: bool) -> None:
        order_id = self.pending.pop(pick % len(self.pending))
        order = self.s.orders[order_id]
        pending_before = self.s.ledger.balance(self.s.members[order.member].pending)
        assert self.apply(RefundOrder(order_id) if refund else SettleOrder(order_id)).accepted
        assert (self.s.ledger.balance(self.s.members[order.member].pending)
                == pending_before - order.amount_cents)
        if refund:
            assert order.status == "refunded"
        else:
            assert order.status == "settled"
            self.settled.append(order_id)

    @precondition(lambda self: bool(self.settled))
    @rule(pick=st.integers(0, 99), refund=st.booleans())
    def decide_a_settled_order(self, pick: int, refund: bool) -> None:
        order_id = self.settled[pick % len(self.settled)]
        event: Event = RefundOrder(order_id) if refund else SettleOrder(order_id)
        self.apply(event, ResultCode.ORDER_NOT_PENDING, "id")

    @precondition(lambda self: bool(self.s.members))
    @rule(who=st.integers(0, 9), fraction=fractions, more=st.booleans(), redeem=st.booleans(),
          anyone=st.booleans())
    def sell(self, who: int, fraction: Fraction, more: bool, redeem: bool, anyone: bool) -> None:
        member = self.s.members[self.pick(who, "points", anyone)]
        held = self.s.points_of(member)
        quantity = held + 1 + int(held * fraction) if more else int(held * fraction)
        cls = Redeem if redeem else Sell
        if quantity == 0:
            self.apply(cls(member.member_id, 0), ResultCode.INVALID_AMOUNT, "points")
        elif quantity > held:
            self.apply(cls(member.member_id, quantity), ResultCode.INSUFFICIENT_POINTS, "points")
        else:
            outcome = self.apply(cls(member.member_id, quantity))
            assert outcome.accepted
            if quantity == held:
                assert not member.cycle_active  # a voluntary exit closes the cycle
                assert member.member_id not in outcome.exits

    @precondition(lambda self: self.state is not None)
    @rule(amount=st.integers(-10, 2_000_000))
    def subsidy(self, amount: int) -> None:
        if amount <= 0:
            self.apply(Inject(amount), ResultCode.INVALID_AMOUNT, "amount")
        else:
            assert self.apply(Inject(amount)).accepted

    @precondition(lambda self: bool(self.s.members))
    @rule(who=st.integers(0, 9), fraction=fractions, more=st.booleans(), anyone=st.booleans())
    def withdraw(self, who: int, fraction: Fraction, more: bool, anyone: bool) -> None:
        member = self.s.members[self.pick(who, "cash", anyone)]
        cash = self.s.ledger.balance(member.cash)
        amount = cash + 1 + int(cash * fraction) if more else int(cash * fraction)
        self.withdrawals += 1
        wid = f"w{self.withdrawals}"
        if amount == 0:
            self.apply(Withdraw(wid, member.member_id, 0), ResultCode.INVALID_AMOUNT, "amount")
        elif amount > cash:
            self.apply(Withdraw(wid, member.member_id, amount), ResultCode.INSUFFICIENT_FUNDS,
                       "amount")
        else:
            assert self.apply(Withdraw(wid, member.member_id, amount)).accepted
            self.in_flight.append(wid)

    @precondition(lambda self: bool(self.in_flight))
    @rule(pick=st.integers(0, 99), done=st.booleans())
    def finish_withdrawal(self, pick: int, done: bool) -> None:
        wid = self.in_flight.pop(pick % len(self.in_flight))
        assert self.apply(WithdrawDone(wid) if done else WithdrawFail(wid)).accepted
        # finished once, never again
        self.apply(WithdrawFail(wid), ResultCode.WITHDRAWAL_NOT_IN_FLIGHT, "id")

    @precondition(lambda self: self.state is not None)
    @rule(kind=st.sampled_from(["order", "sell", "redeem", "withdraw", "sponsor", "product",
                                "split", "settle", "refund"]))
    def invalid(self, kind: str) -> None:
        """Events naming unknown things: each rejected with its field, changing nothing."""
        self.orders += 1
        fresh = f"o{self.orders}"
        member = self.members()[0] if self.s.members else "A"
        cases: dict[str, tuple[Event, ResultCode, str]] = {
            "order": (PayOrder(fresh, "ghost", self.products[0]), ResultCode.UNKNOWN_MEMBER,
                      "member"),
            "sell": (Sell("ghost", 1), ResultCode.UNKNOWN_MEMBER, "member"),
            "redeem": (Redeem("ghost", 1), ResultCode.UNKNOWN_MEMBER, "member"),
            "withdraw": (Withdraw("w-ghost", "ghost", 1), ResultCode.UNKNOWN_MEMBER, "member"),
            "sponsor": (Join("newcomer", sponsor="ghost"), ResultCode.UNKNOWN_MEMBER, "sponsor"),
            "product": (PayOrder(fresh, member, "ghost"), ResultCode.UNKNOWN_PRODUCT, "product"),
            "split": (PayOrder(fresh, member, amount_cents=100, split=(SplitPart("pool", 99),)),
                      ResultCode.INVALID_SPLIT, "split"),
            "settle": (SettleOrder("ghost"), ResultCode.UNKNOWN_ORDER, "id"),
            "refund": (RefundOrder("ghost"), ResultCode.UNKNOWN_ORDER, "id"),
        }
        event, code, field = cases[kind]
        if not self.s.members and kind in ("product", "split"):
            code, field = ResultCode.UNKNOWN_MEMBER, "member"
        self.apply(event, code, field)

    # ---------------------------------------------------------------- invariants

    @invariant()
    def postings_balance_per_asset(self) -> None:
        if self.state is None:
            return
        totals = self.s.ledger.totals_by_asset()
        assert all(v == 0 for v in totals.values()), totals
        assert set(totals) <= {CNY, PTS}

    @invariant()
    def pool_points_are_the_members_points(self) -> None:
        if self.state is None:
            return
        ledger, pool = self.s.ledger, self.s.pool
        held = sum(self.s.points_of(m) for m in self.s.members.values())
        assert pool.points_units == held == -ledger.balance(EXTERNAL_POINTS)
        assert pool.money_cents == ledger.balance(POOL)

    @invariant()
    def price_never_falls(self) -> None:
        if self.state is None:
            return
        new, old = self.s.pool.price(), self.price
        assert new.num * old.den >= old.num * new.den, (old, new)
        self.price = new

    @invariant()
    def no_internal_account_is_negative(self) -> None:
        if self.state is None:
            return
        assert self.s.ledger.negative_accounts() == []

    @invariant()
    def no_active_member_is_due(self) -> None:
        """Brute force over ALL members: the heap missed no due exit."""
        if self.state is None:
            return
        k, pool = self.s.config.pool.exit_multiple, self.s.pool
        due = [m.member_id for m in self.s.members.values()
               if is_due(m, k, pool.money_cents, pool.points_units)]
        assert due == []

    @invariant()
    def cycles_agree_with_points(self) -> None:
        if self.state is None:
            return
        for m in self.s.members.values():
            held = self.s.points_of(m)
            # points are held only inside an active cycle, never more than it was granted
            assert (held > 0) == (m.cycle_active and m.cycle_units > 0), m.member_id
            if m.cycle_active:
                assert held <= m.cycle_units
        assert self.s.exits_total == sum(m.exits for m in self.s.members.values())

    @invariant()
    def pending_and_in_flight_money_is_accounted(self) -> None:
        if self.state is None:
            return
        ledger = self.s.ledger
        for m in self.s.members.values():
            pending = sum(o.amount_cents for o in self.s.orders.values()
                          if o.member == m.member_id and o.status == "paid")
            assert ledger.balance(m.pending) == pending
            flying = sum(w.amount_cents for w in self.s.withdrawals.values()
                         if w.member == m.member_id and w.status == "in_flight")
            assert ledger.balance(m.withdrawing) == flying


TestLedgerMachine = LedgerMachine.TestCase
