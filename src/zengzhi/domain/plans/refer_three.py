"""推三返一 — refer three, refund one: recruits' purchases pay back one's own pack.

After a member has bought a qualifying pack, each counted purchase by one of
its direct recruits (sponsor = the member) pays the member the next rate of
the cycle (10%, 20%, 70%, then 10% again …) × its own pack price: 100 + 200 +
700 for a 1000 pack, the whole pack back after three recruits.

Choices (docs/plans/refer-three.md):

* ``counts: first`` (default) counts each recruit's first qualifying purchase
  only — "推荐第一人消费后": the reward is for bringing a buyer; ``every``
  counts each of its qualifying purchases (复购 too).
* ``own_price: first`` (default) is the price of the member's first qualifying
  pack (the one being refunded, 返一); ``max`` the dearest it has bought.
* The own price is capped at the recruit's purchase price (以小返小): a 70%
  refund of a 5000 pack cannot come out of a 1000 order's bucket, and the cap
  lets the load-time check be exact: max rate × the product's price.
* A counted purchase made while the sponsor has not yet bought pays nothing
  and does not advance the sponsor's cycle (a recruit's first purchase is
  used up all the same under ``counts: first``).

Per order: O(1) (the sponsor only).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zengzhi.domain.config_fields import ConfigError, no_unknown, text, text_list, unit_ratio
from zengzhi.domain.money import Ratio, format_cents
from zengzhi.domain.plans.base import Plan, PlanOf, SettleContext
from zengzhi.domain.plans.regional import show_percent
from zengzhi.domain.plans.spec import COMMON_FIELDS, PlanSpec, common
from zengzhi.domain.split import Allocation
from zengzhi.domain.state import Member, State

KIND = "refer_three"
SEED_RATES = ("10%", "20%", "70%")
COUNTS = ("first", "every")
OWN_PRICES = ("first", "max")


@dataclass(frozen=True, slots=True)
class ReferThreeSpec(PlanSpec):
    rates: tuple[Ratio, ...]  # the cycle, repeated
    products: tuple[str, ...]  # the qualifying packs
    counts: str  # "first" or "every"
    own_price: str  # "first" or "max"

    @property
    def kind(self) -> str:
        return KIND

    def max_payout_cents(self, price_cents: int, allocation: Allocation, product: str) -> int:
        del allocation
        if product not in self.products:
            return 0
        # the own price is capped at this order's price, so this is the most one order pays
        return max(price_cents * r.num // r.den for r in self.rates)

    def build(self) -> Plan:
        return ReferThree(self)


def parse(data: Mapping[str, object], path: str) -> ReferThreeSpec:
    no_unknown(data, path, COMMON_FIELDS | {"rates", "products", "counts", "own_price"})
    name, bucket = common(data, path, KIND, needs_bucket=True)
    raw = data.get("rates", list(SEED_RATES))
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{path}.rates", 'must be a non-empty list, e.g. ["10%", "20%", "70%"]')
    rates = tuple(unit_ratio(item, f"{path}.rates[{i}]") for i, item in enumerate(raw))
    if "products" not in data:
        raise ConfigError(f"{path}.products", "is required: the qualifying packs (e.g. [pack1000])")
    products = text_list(data["products"], f"{path}.products")
    if not products:
        raise ConfigError(f"{path}.products", "needs at least one qualifying pack")
    counts = text(data.get("counts", "first"), f"{path}.counts")
    if counts not in COUNTS:
        raise ConfigError(f"{path}.counts", "must be 'first' (a recruit's first pack) or 'every' (each pack)")
    own_price = text(data.get("own_price", "first"), f"{path}.own_price")
    if own_price not in OWN_PRICES:
        raise ConfigError(f"{path}.own_price", "must be 'first' (the first pack bought) or 'max' (the dearest)")
    return ReferThreeSpec(name, bucket, rates, products, counts, own_price)


class ReferThree(PlanOf[ReferThreeSpec]):

    def __init__(self, spec: ReferThreeSpec) -> None:
        super().__init__(spec)
        self.own_cents: dict[str, int] = {}  # member -> its own pack price (qualified members only)
        self.counted: dict[str, int] = {}  # member -> recruits' purchases counted (cycle position)
        self.paid_cents: dict[str, int] = {}  # member -> total refunded so far
        self.used: set[str] = set()  # recruits whose first qualifying purchase was seen (counts: first)

    def on_settle(self, ctx: SettleContext) -> None:
        order = ctx.order
        if order.product not in self.spec.products:
            return
        buyer = ctx.buyer
        sponsor = buyer.sponsor
        if sponsor is not None and self._counts(buyer.member_id) and sponsor in self.own_cents:
            self._pay(ctx, ctx.state.members[sponsor], order.amount_cents)
        self._qualify(buyer.member_id, order.amount_cents)  # after paying: one's own order pays nobody twice

    def _counts(self, buyer: str) -> bool:
        if self.spec.counts == "every":
            return True
        if buyer in self.used:
            return False
        self.used.add(buyer)
        return True

    def _qualify(self, member: str, price_cents: int) -> None:
        own = self.own_cents.get(member)
        if own is None or (self.spec.own_price == "max" and price_cents > own):
            self.own_cents[member] = price_cents

    def _pay(self, ctx: SettleContext, sponsor: Member, price_cents: int) -> None:
        sid = sponsor.member_id
        rates = self.spec.rates
        nth = self.counted.get(sid, 0)
        rate = rates[nth % len(rates)]
        own = self.own_cents[sid]
        base = min(own, price_cents)  # 以小返小: never more than the recruit's own purchase
        capped = f", capped at this {format_cents(price_cents)} order" if base < own else ""
        paid = ctx.pay(sponsor, base * rate.num // rate.den, f"{KIND}.refund",
                       f"推三返一 refer-three #{nth + 1} (cycle step {nth % len(rates) + 1}/{len(rates)}): "
                       f"{show_percent(rate)} of own pack {format_cents(own)}{capped}"
                       f" on recruit {ctx.buyer.member_id}'s order")
        self.counted[sid] = nth + 1
        self.paid_cents[sid] = self.paid_cents.get(sid, 0) + paid

    def member_view(self, state: State, member: Member) -> dict[str, Any]:
        del state
        mid = member.member_id
        own = self.own_cents.get(mid)
        if own is None:
            return {}
        nth = self.counted.get(mid, 0)
        rates = self.spec.rates
        return {self.name: {"own_price": format_cents(own), "counted": nth,
                            "next_rate": show_percent(rates[nth % len(rates)]),
                            "paid": format_cents(self.paid_cents.get(mid, 0))}}
