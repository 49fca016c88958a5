"""The tenant state the rules act on: pool, ledger, members, orders.

``State`` is the one mutable aggregate; rule modules change it only after
every check has passed, so a rejected event leaves it untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from zengzhi.domain.config import TenantConfig
from zengzhi.domain.exit_heap import ExitHeap
from zengzhi.domain.ledger import Ledger, member_account
from zengzhi.domain.pool import Pool
from zengzhi.domain.split import Allocation

if TYPE_CHECKING:
    from zengzhi.domain.plans.base import Plan


class Member:
    """A member and its current reinvestment cycle (复投周期)."""

    __slots__ = (
        "member_id", "sponsor", "placement", "region", "join_seq",
        "cycle_active", "spent_cents", "cycle_units", "cycle_seq", "version", "exits",
        "cash", "frozen", "pending", "withdrawing", "points",
    )

    def __init__(self, member_id: str, sponsor: str | None, region: str | None,
                 join_seq: int) -> None:
        self.member_id = member_id
        self.sponsor = sponsor
        self.placement = sponsor  # 安置人: the sponsor unless a plan places the member (滑落)
        self.region = region
        self.join_seq = join_seq
        self.cycle_active = False
        self.spent_cents = 0
        self.cycle_units = 0
        self.cycle_seq = 0  # global order of cycle starts: exit ties go to the earlier
        self.version = 0  # bumps whenever the exit price may change; stales heap entries
        self.exits = 0
        self.cash = member_account(member_id, "cash")
        self.frozen = member_account(member_id, "frozen")
        self.pending = member_account(member_id, "pending")
        self.withdrawing = member_account(member_id, "withdrawing")
        self.points = member_account(member_id, "points")


@dataclass(slots=True)
class Order:
    order_id: str
    member: str
    amount_cents: int
    allocation: Allocation
    product: str | None
    status: str  # "paid" | "settled" | "refunded"
    granted_units: int = 0


@dataclass(slots=True)
class Withdrawal:
    withdrawal_id: str
    member: str
    amount_cents: int
    status: str  # "in_flight" | "approved" | "done" | "failed"


class State:
    __slots__ = ("config", "pool", "ledger", "members", "orders", "withdrawals", "heap",
                 "cycles_started", "exits_total", "allocations", "plans")

    def __init__(self, config: TenantConfig) -> None:
        self.config = config
        self.pool = Pool(config.pool.initial_price)
        self.ledger = Ledger()
        self.members: dict[str, Member] = {}
        self.orders: dict[str, Order] = {}
        self.withdrawals: dict[str, Withdrawal] = {}
        self.heap = ExitHeap(config.pool.exit_multiple)
        self.cycles_started = 0
        self.exits_total = 0
        # a product's split is the same on every order: computed once
        self.allocations: dict[str, tuple[Allocation, int]] = {}
        # the reward plans at run time, in config order, each with its own state
        self.plans: tuple[Plan, ...] = tuple(spec.build() for spec in config.plans)

    def points_of(self, member: Member) -> int:
        return self.ledger.balances.get(member.points, 0)
