"""直推奖 / 间推奖 — referral commission by generation up the sponsor chain.

Generation 1 is the buyer's sponsor (直推), 2 the sponsor's sponsor (间推) …
Each generation's award is a percentage of the base (the order amount, or the
plan's bucket) or a fixed amount. With ``eligible: bought`` only members who
have settled an order of their own are paid; then ``compress: true`` skips an
ineligible sponsor and the next eligible one takes its generation (缩减),
while ``compress: false`` sends its award to residual.

Walk: at most ``len(awards)`` eligible ancestors plus the ineligible ones
skipped under compression (a chain of members who never bought).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zengzhi.domain.config_fields import (
    ConfigError,
    boolean,
    cents,
    no_unknown,
    ratio,
    text,
    text_list,
)
from zengzhi.domain.money import Ratio, format_cents, format_ratio
from zengzhi.domain.plans.base import Plan, PlanOf, SettleContext
from zengzhi.domain.plans.spec import COMMON_FIELDS, PlanSpec, base_cents, common
from zengzhi.domain.split import Allocation
from zengzhi.domain.state import Member, State

KIND = "referral"
GENERATION_NAMES = {1: "直推", 2: "间推"}


@dataclass(frozen=True, slots=True)
class Award:
    """A percentage of the base, or a fixed amount (exactly one is set)."""

    percent: Ratio | None = None
    fixed_cents: int | None = None

    def cents_on(self, base_cents: int) -> int:
        if self.percent is not None:
            return base_cents * self.percent.num // self.percent.den  # floor: the rest is residual
        assert self.fixed_cents is not None
        return self.fixed_cents

    def show(self) -> str:
        if self.percent is not None:
            return format_ratio(Ratio(self.percent.num * 100, self.percent.den), 2).rstrip("0").rstrip(".") + "%"
        assert self.fixed_cents is not None
        return format_cents(self.fixed_cents)


def parse_award(value: object, path: str) -> Award:
    """``"10%"`` -> 10 percent of the base; ``"100.00"`` -> a fixed 100 yuan."""
    if isinstance(value, str) and value.strip().endswith("%"):
        rate = ratio(value, path)
        if rate.num > rate.den:
            raise ConfigError(path, "a percentage above 100% pays more than the base")
        return Award(percent=rate)
    return Award(fixed_cents=cents(value, path))


@dataclass(frozen=True, slots=True)
class ReferralSpec(PlanSpec):
    awards: tuple[Award, ...]
    base: str  # "amount" or "bucket"
    eligible: str  # "any" or "bought"
    compress: bool
    products: tuple[str, ...]  # empty: every order pays

    @property
    def kind(self) -> str:
        return KIND

    def base_cents(self, price_cents: int, allocation: Allocation) -> int:
        return base_cents(self.base, self.bucket, price_cents, allocation)

    def max_payout_cents(self, price_cents: int, allocation: Allocation, product: str) -> int:
        if self.products and product not in self.products:
            return 0
        base = self.base_cents(price_cents, allocation)
        return sum(award.cents_on(base) for award in self.awards)

    def build(self) -> Plan:
        return Referral(self)


def parse(data: Mapping[str, object], path: str) -> ReferralSpec:
    no_unknown(data, path, COMMON_FIELDS | {"awards", "base", "eligible", "compress", "products"})
    name, bucket = common(data, path, KIND, needs_bucket=True)
    raw = data.get("awards")
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{path}.awards", 'is required: a list per generation, e.g. ["10%", "5%"]')
    awards = tuple(parse_award(item, f"{path}.awards[{i}]") for i, item in enumerate(raw))
    base = text(data.get("base", "amount"), f"{path}.base")
    if base not in ("amount", "bucket"):
        raise ConfigError(f"{path}.base", "must be 'amount' (the order amount) or 'bucket'")
    eligible = text(data.get("eligible", "any"), f"{path}.eligible")
    if eligible not in ("any", "bought"):
        raise ConfigError(f"{path}.eligible", "must be 'any' or 'bought' (has settled an order)")
    compress = boolean(data.get("compress", False), f"{path}.compress")
    products = text_list(data["products"], f"{path}.products") if "products" in data else ()
    return ReferralSpec(name, bucket, awards, base, eligible, compress, products)


class Referral(PlanOf[ReferralSpec]):

    def __init__(self, spec: ReferralSpec) -> None:
        super().__init__(spec)
        self.bought: set[str] = set()  # members with a settled order (eligibility)
        # per generation: (rule, memo head), made once (memos are written on every payout)
        self._labels = tuple(
            (f"{KIND}.gen{g}", f"{GENERATION_NAMES.get(g, f'第{g}代')} generation {g}: {award.show()} of ")
            for g, award in enumerate(spec.awards, start=1))

    def _eligible(self, member: Member) -> bool:
        return self.spec.eligible == "any" or member.member_id in self.bought

    def on_settle(self, ctx: SettleContext) -> None:
        spec = self.spec
        order = ctx.order
        if not spec.products or order.product in spec.products:
            self._pay(ctx, spec.base_cents(order.amount_cents, order.allocation))
        self.bought.add(ctx.buyer.member_id)  # after paying: one's own order never pays oneself

    def _pay(self, ctx: SettleContext, base_cents: int) -> None:
        members = ctx.state.members
        awards = self.spec.awards
        generation = 0
        sponsor = ctx.buyer.sponsor
        while sponsor is not None and generation < len(awards):
            member = members[sponsor]
            sponsor = member.sponsor
            if not self._eligible(member):
                if self.spec.compress:
                    continue  # 缩减: the next eligible sponsor takes this generation
                generation += 1  # not paid: left in the bucket, so residual
                continue
            rule, head = self._labels[generation]
            ctx.pay(member, awards[generation].cents_on(base_cents), rule,
                    f"{head}{format_cents(base_cents)} on {ctx.buyer.member_id}'s order")
            generation += 1

    def member_view(self, state: State, member: Member) -> dict[str, Any]:
        del state
        if self.spec.eligible == "bought":
            return {"bought": member.member_id in self.bought}
        return {}
