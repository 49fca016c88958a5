"""Outcomes of applying an event: accepted with postings, or rejected.

Expected rejections are values (TigerBeetle style): a ``Rejection`` names a
``ResultCode``, the offending field and a readable reason. A rejected event
changes nothing. Bugs are assertions, never rejections.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from zengzhi.domain.ledger import Posting


class ResultCode(StrEnum):
    UNKNOWN_MEMBER = "unknown_member"
    MEMBER_EXISTS = "member_exists"
    SPONSOR_CYCLE = "sponsor_cycle"
    UNKNOWN_PRODUCT = "unknown_product"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_SPLIT = "invalid_split"
    ORDER_CONFLICT = "order_conflict"
    UNKNOWN_ORDER = "unknown_order"
    ORDER_NOT_PENDING = "order_not_pending"
    INSUFFICIENT_POINTS = "insufficient_points"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    WITHDRAWAL_CONFLICT = "withdrawal_conflict"
    UNKNOWN_WITHDRAWAL = "unknown_withdrawal"
    WITHDRAWAL_NOT_IN_FLIGHT = "withdrawal_not_in_flight"
    INVALID_FIELD = "invalid_field"
    UNKNOWN_PLAN = "unknown_plan"
    INVALID_RANK = "invalid_rank"
    # produced by the engine, not the domain: an idempotency key reused for other content
    KEY_CONFLICT = "key_conflict"


class Rejection(NamedTuple):
    code: ResultCode
    field: str
    reason: str

    def message(self) -> str:
        return f"{self.field}: {self.reason}"


class Outcome(NamedTuple):
    """What an event did. ``duplicate`` marks a replayed identical order."""

    postings: tuple[Posting, ...] = ()
    rejection: Rejection | None = None
    exits: tuple[str, ...] = ()
    duplicate: bool = False

    @property
    def accepted(self) -> bool:
        return self.rejection is None


def reject(code: ResultCode, field: str, reason: str) -> Outcome:
    return Outcome(rejection=Rejection(code, field, reason))
