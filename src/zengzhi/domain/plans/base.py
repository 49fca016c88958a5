"""What a running plan sees and returns.

On each settled order the runner gives every plan a ``SettleContext``: the
order, the buyer, the state and what is left of the plan's bucket for this
order. A plan pays through ``ctx.pay`` / ``ctx.put``, which never hand out
more than is left (so no plan can pay more than its bucket). Modifier plans
(收益额度 quota, 帮扶基金 help fund) then rewrite the members' payouts.

A plan may change its own state (ranks, counters) in ``on_settle``: a
settlement that reaches the plans is never rejected afterwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Generic, NamedTuple, TypeVar

from zengzhi.domain.native import mypyc_attr
from zengzhi.domain.results import Outcome, Rejection

if TYPE_CHECKING:
    from zengzhi.domain.events import Join
    from zengzhi.domain.plans.spec import PlanSpec
    from zengzhi.domain.state import Member, Order, State


class Payout(NamedTuple):
    """Money moved from a bucket for one order; becomes one posting."""

    source: str  # the bucket account
    to_account: str
    amount_cents: int
    rule: str  # e.g. "referral.direct"
    memo: str  # why, in one line
    payee: str | None  # the member paid, when a member is paid (modifiers act on these)
    plan: str


class SettleContext:
    """One plan's view of one settled order."""

    __slots__ = ("state", "order", "buyer", "at_ms", "plan", "bucket", "left_cents", "payouts")

    def __init__(self, state: State, order: Order, buyer: Member, at_ms: int, plan: str,
                 bucket: str | None, left_cents: int, payouts: list[Payout]) -> None:
        self.state = state
        self.order = order
        self.buyer = buyer
        self.at_ms = at_ms
        self.plan = plan
        self.bucket = bucket
        self.left_cents = left_cents  # what is left of the bucket for this order
        self.payouts = payouts

    def pay(self, payee: Member, want_cents: int, rule: str, memo: str,
            account: str | None = None) -> int:
        """Pay a member (its cash unless ``account``), at most what is left; returns the paid cents."""
        return self._take(account or payee.cash, want_cents, rule, memo, payee.member_id)

    def put(self, account: str, want_cents: int, rule: str, memo: str) -> int:
        """Move bucket money to a tenant account (a dividend pool …); returns the moved cents."""
        return self._take(account, want_cents, rule, memo, None)

    def _take(self, account: str, want_cents: int, rule: str, memo: str, payee: str | None) -> int:
        assert want_cents >= 0, (rule, want_cents)
        paid = min(want_cents, self.left_cents)
        if paid and self.bucket is not None:
            self.left_cents -= paid
            self.payouts.append(Payout(self.bucket, account, paid, rule, memo, payee, self.plan))
        return paid if self.bucket is not None else 0


S = TypeVar("S", bound="PlanSpec")


@mypyc_attr(allow_interpreted_subclasses=True)  # tests define their own plans
class PlanOf(Generic[S]):
    """A configured plan at run time, with its spec of type ``S``. Subclasses override what they need."""

    # True: rewrites the members' payouts of other plans (``modify``); a class variable, so that a
    # subclass's value holds in the compiled build too
    modifier: ClassVar[bool] = False
    handles_ranks = False  # True: accepts ``set_rank`` (then ``handle`` must answer it)

    def __init__(self, spec: S) -> None:
        self.spec: S = spec
        self.name = spec.name

    def check_join(self, state: State, event: Join) -> Rejection | None:
        """Refuse a join this plan cannot accept (e.g. a malformed region)."""
        del state, event
        return None

    def on_join(self, state: State, member: Member, at_ms: int) -> None:
        del state, member, at_ms

    def on_settle(self, ctx: SettleContext) -> None:
        del ctx

    def modify(self, state: State, order: Order, payouts: list[Payout]) -> list[Payout]:
        """Modifiers: rewrite the payouts (burn above quota, freeze a share …)."""
        del state, order
        return payouts

    def handle(self, state: State, event: object, at_ms: int) -> Outcome | None:
        """A plan event (set_rank, close_period, tick); ``None``: not for this plan.

        The plan checks everything before changing anything, applies its own
        postings to the ledger and returns them.
        """
        del state, event, at_ms
        return None

    def member_view(self, state: State, member: Member) -> dict[str, Any]:
        """Extra keys of a member in the replay JSON (rank, quota …)."""
        del state, member
        return {}

    def view(self, state: State) -> dict[str, Any]:
        """The plan's own state in the replay JSON (``plans.<name>``); empty: omitted."""
        del state
        return {}


#: any plan, whatever its spec type
Plan = PlanOf[Any]
