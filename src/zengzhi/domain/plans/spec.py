"""The immutable config of one reward plan (what the tenant's YAML says).

Every plan config has a ``name`` (unique in the tenant, default its type), a
``type`` and, for plans that pay, the split ``bucket`` it draws from. A plan
module subclasses ``PlanSpec`` with its own fields and parser.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from zengzhi.domain.config_fields import ConfigError, text
from zengzhi.domain.native import mypyc_attr

if TYPE_CHECKING:
    from zengzhi.domain.plans.base import Plan
    from zengzhi.domain.split import Allocation

COMMON_FIELDS = {"type", "name", "bucket"}


@mypyc_attr(allow_interpreted_subclasses=True)  # tests define their own plans
@dataclass(frozen=True, slots=True)
class PlanSpec:
    name: str
    bucket: str | None  # the split bucket it pays from; None: pays nothing itself

    @property
    def kind(self) -> str:
        """The plan type (``referral`` …); a property, not a class variable: compiled dataclasses lose ``ClassVar``."""
        return ""

    def max_payout_cents(self, price_cents: int, allocation: Allocation, product: str) -> int:
        """The most this plan can pay from its bucket on one order of ``product``.

        Config validation rejects the tenant config when the plans sharing a
        bucket could together pay more than the bucket holds.
        """
        del price_cents, allocation, product
        return 0

    def build(self) -> Plan:
        raise NotImplementedError

    def references(self) -> tuple[PlanReference, ...]:
        """The other plans of the tenant this one names (checked when the config loads)."""
        return ()


class PlanReference(NamedTuple):
    """A plan name in one of a spec's fields; ``kind``: the type it must have (None: any)."""

    field: str
    name: str
    kind: str | None = None


def common(data: Mapping[str, object], path: str, kind: str, *,
           needs_bucket: bool) -> tuple[str, str | None]:
    """``(name, bucket)`` of a plan mapping."""
    name = text(data.get("name", kind), f"{path}.name")
    if not name.replace("_", "").replace("-", "").isalnum() or ":" in name:
        raise ConfigError(f"{path}.name", "letters, digits, _ and - only")
    bucket: str | None = None
    if data.get("bucket") is not None:
        bucket = text(data["bucket"], f"{path}.bucket")
    elif needs_bucket:
        raise ConfigError(f"{path}.bucket", "is required: the split bucket this plan pays from")
    return name, bucket


def base_cents(base: str, bucket: str | None, price_cents: int, allocation: Allocation) -> int:
    """A plan's ``base``: ``amount`` (the order amount) or ``bucket`` (its bucket's share)."""
    if base == "amount":
        return price_cents
    return dict(allocation).get(bucket or "", 0)
