"""分红池 — a dividend pool filled per order and shared out at period close.

Each settled order puts ``inflow`` (a fixed amount, or a percentage of the
order amount) from the plan's bucket into the tenant account
``dividend:<plan name>`` (seed 002: 40 per 1000 pack; 股东分红 30). A
``close_period`` event shares the pool out:

* ``by: class`` (团队身份分红) — members join a class with ``set_rank {plan,
  member, rank: 董事}``; each class gets its share of the fresh money plus what
  was carried for it, split equally among its members. An empty class's
  amount is carried to the next period (tracked, shown in the plan view).
* ``by: weight`` (股东加权分红) — each purchase of a listed product adds
  dividend rights (分红权: 5000 pack 0.5, 10000 pack 1); the pool is shared in
  proportion to the rights held.

Cents that cannot be split evenly stay in the pool for the next period.
Per order: O(1). ``close_period`` iterates the class members / right holders.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from zengzhi.domain.config_fields import ConfigError, mapping, no_unknown, ratio, text, text_list, unit_ratio
from zengzhi.domain.events import ClosePeriod, SetRank
from zengzhi.domain.ledger import CNY, Posting
from zengzhi.domain.money import Ratio, format_cents, format_ratio
from zengzhi.domain.plans.base import Plan, PlanOf, SettleContext
from zengzhi.domain.plans.referral import Award, parse_award
from zengzhi.domain.plans.regional import show_percent
from zengzhi.domain.plans.spec import COMMON_FIELDS, PlanSpec, common
from zengzhi.domain.results import Outcome, ResultCode, reject
from zengzhi.domain.split import Allocation
from zengzhi.domain.state import Member, State

KIND = "dividend"
NO_CLASS = "none"  # set_rank rank that leaves the member's class


@dataclass(frozen=True, slots=True)
class DividendSpec(PlanSpec):
    inflow: Award  # per settled order, into the pool
    products: tuple[str, ...]  # empty: every order fills the pool
    by: str  # "class" or "weight"
    classes: tuple[tuple[str, Ratio], ...]  # class -> share of the pool (sum 1)
    weights: tuple[tuple[str, Ratio], ...]  # product -> dividend rights per purchase

    @property
    def kind(self) -> str:
        return KIND

    @property
    def account(self) -> str:
        return f"{KIND}:{self.name}"

    def fills(self, product: str | None) -> bool:
        return not self.products or product in self.products

    def max_payout_cents(self, price_cents: int, allocation: Allocation, product: str) -> int:
        del allocation
        return self.inflow.cents_on(price_cents) if self.fills(product) else 0

    def build(self) -> Plan:
        return Dividend(self)


def parse(data: Mapping[str, object], path: str) -> DividendSpec:
    no_unknown(data, path, COMMON_FIELDS | {"inflow", "products", "by", "classes", "weights"})
    name, bucket = common(data, path, KIND, needs_bucket=True)
    if "inflow" not in data:
        raise ConfigError(f"{path}.inflow", 'is required: "40.00" per order or "4%" of the order amount')
    inflow = parse_award(data["inflow"], f"{path}.inflow")
    products = text_list(data["products"], f"{path}.products") if "products" in data else ()
    by = text(data.get("by", ""), f"{path}.by") if "by" in data else ""
    if by not in ("class", "weight"):
        raise ConfigError(f"{path}.by", "must be 'class' (董事/联创/合伙人 shares) or 'weight' (分红权)")
    other = "weights" if by == "class" else "classes"
    if other in data:
        raise ConfigError(f"{path}.{other}", f"does not apply with by: {by}")
    if by == "class":
        return DividendSpec(name, bucket, inflow, products, by, _classes(data.get("classes"), path), ())
    return DividendSpec(name, bucket, inflow, products, by, (), _weights(data.get("weights"), path))


def _classes(raw: object, path: str) -> tuple[tuple[str, Ratio], ...]:
    here = f"{path}.classes"
    if raw is None:
        raise ConfigError(here, 'is required with by: class, e.g. {董事: "30%", 联创: "30%", 合伙人: "40%"}')
    classes = mapping(raw, here)
    if not classes:
        raise ConfigError(here, "needs at least one class")
    out = tuple((text(k, here), unit_ratio(v, f"{here}.{k}")) for k, v in classes.items())
    if NO_CLASS in dict(out):
        raise ConfigError(f"{here}.{NO_CLASS}", f"{NO_CLASS!r} is reserved: set_rank to it leaves the class")
    total = sum((Fraction(*share) for _, share in out), Fraction(0))
    if total != 1:
        raise ConfigError(here, f"the shares must add up to 100%, they add up to {show_percent(Ratio.of(total))}")
    return out


def _weights(raw: object, path: str) -> tuple[tuple[str, Ratio], ...]:
    here = f"{path}.weights"
    if raw is None:
        raise ConfigError(here, 'is required with by: weight, e.g. {pack5000: "0.5", pack10000: "1"}')
    weights = mapping(raw, here)
    if not weights:
        raise ConfigError(here, "needs at least one product")
    out = tuple((text(k, here), ratio(v, f"{here}.{k}")) for k, v in weights.items())
    for product, weight in out:
        if weight.num <= 0:
            raise ConfigError(f"{here}.{product}", "must be more than 0 (dividend rights per purchase)")
    return out


def show_weight(value: Fraction) -> str:
    return format_ratio(Ratio.of(value), 4).rstrip("0").rstrip(".")


class Dividend(PlanOf[DividendSpec]):

    def __init__(self, spec: DividendSpec) -> None:
        super().__init__(spec)
        self.handles_ranks = spec.by == "class"
        self.period = 1  # the period now open
        self.shares = {c: Fraction(*s) for c, s in spec.classes}
        self.members: dict[str, dict[str, None]] = {c: {} for c in self.shares}  # ordered sets
        self.class_of: dict[str, str] = {}
        self.carried: dict[str, int] = {}  # class -> cents carried from periods when it was empty
        self.rights = {p: Fraction(*w) for p, w in spec.weights}
        self.weight: dict[str, Fraction] = {}  # member -> 分红权 held (insertion ordered)
        self.weight_total = Fraction(0)

    def on_settle(self, ctx: SettleContext) -> None:
        spec = self.spec
        order = ctx.order
        if spec.fills(order.product):
            ctx.put(spec.account, spec.inflow.cents_on(order.amount_cents), f"{KIND}.inflow",
                    f"分红 dividend inflow: {spec.inflow.show()} of {ctx.buyer.member_id}'s "
                    f"{format_cents(order.amount_cents)} order into {spec.account} (period {self.period})")
        gained = self.rights.get(order.product or "")
        if gained:
            member = ctx.buyer.member_id
            self.weight[member] = self.weight.get(member, Fraction(0)) + gained
            self.weight_total += gained

    def handle(self, state: State, event: object, at_ms: int) -> Outcome | None:
        del at_ms
        if isinstance(event, SetRank) and self.handles_ranks:
            return self._set_class(event)
        if isinstance(event, ClosePeriod):
            return self._close(state)
        return None

    def _set_class(self, event: SetRank) -> Outcome:
        if event.rank != NO_CLASS and event.rank not in self.shares:
            return reject(ResultCode.INVALID_RANK, "rank", f"plan {self.name!r} has the classes "
                          f"{', '.join(self.shares)} (or {NO_CLASS!r} to leave), not {event.rank!r}")
        if event.region is not None:
            return reject(ResultCode.INVALID_FIELD, "region", f"plan {self.name!r} has no regions")
        former = self.class_of.pop(event.member, None)
        if former is not None:
            del self.members[former][event.member]
        if event.rank != NO_CLASS:
            self.class_of[event.member] = event.rank
            self.members[event.rank][event.member] = None
        return Outcome()

    def _close(self, state: State) -> Outcome:
        pool_cents = state.ledger.balance(self.spec.account)
        if self.spec.by == "class":
            postings = self._by_class(state, pool_cents)
        else:
            postings = self._by_weight(state, pool_cents)
        assert state.ledger.apply(postings) is None
        self.period += 1
        return Outcome(postings=tuple(postings))

    def _by_class(self, state: State, pool_cents: int) -> list[Posting]:
        carried = self.carried
        fresh = pool_cents - sum(carried.values())  # the period's inflow plus undivided cents
        assert fresh >= 0
        postings: list[Posting] = []
        for name, share in self.shares.items():
            fresh_part = fresh * share.numerator // share.denominator
            amount = fresh_part + carried.pop(name, 0)
            holders = self.members[name]
            if not holders:
                if amount:
                    carried[name] = amount  # an empty class keeps its amount for the next period
                continue
            each = amount // len(holders)  # the cents left over stay in the pool, unearmarked
            why = self._class_memo(name, share, fresh, amount - fresh_part, amount, len(holders))
            postings.extend(self._share(state, holders, each, why))
        return postings

    def _class_memo(self, name: str, share: Fraction, fresh_cents: int, carried_cents: int, amount_cents: int,
                    holders: int) -> str:
        carried = f" + {format_cents(carried_cents)} carried" if carried_cents else ""
        return (f"分红 dividend period {self.period}: {name} class {show_percent(Ratio.of(share))} of "
                f"{format_cents(fresh_cents)}{carried} = {format_cents(amount_cents)} shared by {holders}")

    def _by_weight(self, state: State, pool_cents: int) -> list[Posting]:
        total = self.weight_total
        if not total:
            return []  # nobody holds dividend rights: the pool waits for the next period
        postings: list[Posting] = []
        of_total = f" of {show_weight(total)} 分红权 × {format_cents(pool_cents)}"
        memos: dict[Fraction, str] = {}  # one text per distinct weight: many holders share one
        members, account, rule = state.members, self.spec.account, f"{KIND}.share"
        scale, den = pool_cents * total.denominator, total.numerator
        for member, weight in self.weight.items():
            amount = scale * weight.numerator // (weight.denominator * den)
            if not amount:
                continue
            why = memos.get(weight)
            if why is None:
                why = memos[weight] = f"分红 dividend period {self.period}: weight {show_weight(weight)}{of_total}"
            postings.append(Posting(account, members[member].cash, CNY, amount, rule, "", self.name, why))
        return postings

    def _share(self, state: State, holders: Mapping[str, None], each_cents: int, why: str) -> list[Posting]:
        if not each_cents:
            return []
        members = state.members
        return [Posting(self.spec.account, members[m].cash, CNY, each_cents, f"{KIND}.share", "", self.name, why)
                for m in holders]

    def member_view(self, state: State, member: Member) -> dict[str, Any]:
        del state
        mid = member.member_id
        if mid in self.class_of:
            return {self.name: {"class": self.class_of[mid]}}
        if mid in self.weight:
            return {self.name: {"weight": show_weight(self.weight[mid])}}
        return {}

    def view(self, state: State) -> dict[str, Any]:
        out: dict[str, Any] = {"period": self.period,
                               "pool": format_cents(state.ledger.balance(self.spec.account))}
        if self.spec.by == "class":
            out["carried"] = {c: format_cents(v) for c, v in self.carried.items()}
            out["members"] = {c: len(m) for c, m in self.members.items()}
        else:
            out["weight"] = show_weight(self.weight_total)
        return out
