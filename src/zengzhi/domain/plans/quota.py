"""收益额度 / 烧伤 — earnings quota: payouts above it are burned to residual.

Buying a listed pack adds quota (seed 002: 1000 → 1000, 5000 → 10000,
10000 → 30000); a repurchase (复购) adds again. Member payouts of the plans
named in ``applies_to`` consume the payee's quota; the part above what is
left is burned (烧伤): rewritten as a payout from the same bucket to
``residual`` (rule ``quota.burn``), so bucket = payouts + residual still holds.

The grant is added in ``on_settle``, which the runner calls before any
modifier's ``modify``: the buying order's own payouts already see the new
quota (a member repurchasing to lift its quota is paid on that very order,
just as a linkage promotion takes effect before the order's payouts).

A modifier pays nothing itself (no bucket). Per order: O(payouts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zengzhi.domain.config_fields import ConfigError, cents, mapping, no_unknown, text, text_list
from zengzhi.domain.ledger import RESIDUAL
from zengzhi.domain.money import format_cents
from zengzhi.domain.plans.base import Payout, Plan, PlanOf, SettleContext
from zengzhi.domain.plans.spec import COMMON_FIELDS, PlanReference, PlanSpec, common
from zengzhi.domain.state import Member, Order, State

KIND = "quota"


@dataclass(frozen=True, slots=True)
class QuotaSpec(PlanSpec):
    grants: tuple[tuple[str, int], ...]  # product -> quota cents added per purchase
    applies_to: tuple[str, ...]  # plan names whose member payouts consume quota

    @property
    def kind(self) -> str:
        return KIND

    def build(self) -> Plan:
        return Quota(self)

    def references(self) -> tuple[PlanReference, ...]:
        return tuple(PlanReference("applies_to", name) for name in self.applies_to)


def parse(data: Mapping[str, object], path: str) -> QuotaSpec:
    no_unknown(data, path, COMMON_FIELDS | {"grants", "applies_to"})
    name, bucket = common(data, path, KIND, needs_bucket=False)
    if bucket is not None:
        raise ConfigError(f"{path}.bucket", "a quota pays nothing itself: it burns other plans' payouts")
    if "grants" not in data:
        raise ConfigError(f"{path}.grants", 'is required, e.g. {pack1000: "1000.00", pack5000: "10000.00"}')
    raw = mapping(data["grants"], f"{path}.grants")
    if not raw:
        raise ConfigError(f"{path}.grants", "needs at least one product")
    grants = tuple((text(k, f"{path}.grants"), cents(v, f"{path}.grants.{k}")) for k, v in raw.items())
    if "applies_to" not in data:
        raise ConfigError(f"{path}.applies_to", "is required: the names of the plans whose payouts use quota")
    applies_to = text_list(data["applies_to"], f"{path}.applies_to")
    if not applies_to:
        raise ConfigError(f"{path}.applies_to", "needs at least one plan name")
    if name in applies_to:
        raise ConfigError(f"{path}.applies_to", f"{name!r} is this quota plan itself")
    return QuotaSpec(name, None, grants, applies_to)


class Quota(PlanOf[QuotaSpec]):
    modifier = True

    def __init__(self, spec: QuotaSpec) -> None:
        super().__init__(spec)
        self.grants = dict(spec.grants)
        self.applies = frozenset(spec.applies_to)
        self.left: dict[str, int] = {}  # member -> quota cents left
        self.granted: dict[str, int] = {}
        self.burned: dict[str, int] = {}

    def on_settle(self, ctx: SettleContext) -> None:
        grant = self.grants.get(ctx.order.product or "")
        if grant:
            member = ctx.buyer.member_id
            self.left[member] = self.left.get(member, 0) + grant
            self.granted[member] = self.granted.get(member, 0) + grant

    def modify(self, state: State, order: Order, payouts: list[Payout]) -> list[Payout]:
        del state, order
        out: list[Payout] = []
        for payout in payouts:  # in payout order: earlier payouts of the order consume quota first
            if payout.payee is None or payout.plan not in self.applies or not payout.amount_cents:
                out.append(payout)
                continue
            out.extend(self._consume(payout, payout.payee))
        return out

    def _consume(self, payout: Payout, payee: str) -> list[Payout]:
        left = self.left.get(payee, 0)
        kept = min(left, payout.amount_cents)
        self.left[payee] = left - kept
        burned = payout.amount_cents - kept
        if not burned:
            return [payout]
        self.burned[payee] = self.burned.get(payee, 0) + burned
        burn = Payout(payout.source, RESIDUAL, burned, f"{KIND}.burn",
                      f"烧伤 burn: quota exhausted, {format_cents(burned)} of {payee}'s "
                      f"{format_cents(payout.amount_cents)} {payout.rule} above the {format_cents(left)} quota left",
                      None, self.name)
        return ([payout._replace(amount_cents=kept)] if kept else []) + [burn]

    def member_view(self, state: State, member: Member) -> dict[str, Any]:
        del state
        mid = member.member_id
        return {self.name: {"left": format_cents(self.left.get(mid, 0)),
                            "granted": format_cents(self.granted.get(mid, 0)),
                            "burned": format_cents(self.burned.get(mid, 0))}}
