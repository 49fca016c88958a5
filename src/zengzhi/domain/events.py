"""The events the state machine accepts (imperative commands, once logged).

Each is an immutable value in domain units (cents, 0.0001 point units). The
boundary (scenario files, HTTP) parses text into these; the domain validates
what depends on state (known member, enough points …).
"""

from __future__ import annotations

from dataclasses import dataclass

from zengzhi.domain.split import SplitPart


@dataclass(frozen=True, slots=True)
class Join:
    member: str
    sponsor: str | None = None
    region: str | None = None


@dataclass(frozen=True, slots=True)
class PayOrder:
    """An order paid; settles at once unless ``settle`` is false.

    Either ``product`` names a configured product, or ``amount_cents`` and
    ``split`` are given inline.
    """

    order_id: str
    member: str
    product: str | None = None
    amount_cents: int | None = None
    split: tuple[SplitPart, ...] | None = None
    settle: bool = True


@dataclass(frozen=True, slots=True)
class SettleOrder:
    order_id: str


@dataclass(frozen=True, slots=True)
class RefundOrder:
    order_id: str


@dataclass(frozen=True, slots=True)
class Sell:
    member: str
    points_units: int


@dataclass(frozen=True, slots=True)
class Redeem:
    """积分兑换: points spent on goods; the payout goes to the merchant account."""

    member: str
    points_units: int


@dataclass(frozen=True, slots=True)
class Inject:
    """注资: a subsidy from external funding straight into the pool."""

    amount_cents: int


@dataclass(frozen=True, slots=True)
class Withdraw:
    withdrawal_id: str
    member: str
    amount_cents: int


@dataclass(frozen=True, slots=True)
class WithdrawApprove:
    """An operator approved a requested withdrawal (审核通过); money stays in flight."""

    withdrawal_id: str


@dataclass(frozen=True, slots=True)
class WithdrawDone:
    withdrawal_id: str


@dataclass(frozen=True, slots=True)
class WithdrawFail:
    withdrawal_id: str


@dataclass(frozen=True, slots=True)
class SetRank:
    """An operator (or the platform) sets a member's rank in a plan (设置等级).

    ``rank`` is a name the plan defines (``v3``, ``agent``, ``city`` …);
    ``plan`` may be omitted when exactly one plan has ranks; ``region`` is
    for regional agents (区代 / 市代 / 省代).
    """

    member: str
    rank: str
    plan: str | None = None
    region: str | None = None


@dataclass(frozen=True, slots=True)
class ClosePeriod:
    """Closes a dividend period (分红结算): the pool is shared out. ``plan``: all if omitted."""

    plan: str | None = None


@dataclass(frozen=True, slots=True)
class Tick:
    """Time passes (定时任务): time-driven rules run at the event's time."""


PLAN_EVENTS = (SetRank, ClosePeriod, Tick)

Event = (
    Join | PayOrder | SettleOrder | RefundOrder | Sell | Redeem | Inject
    | Withdraw | WithdrawApprove | WithdrawDone | WithdrawFail
    | SetRank | ClosePeriod | Tick
)
