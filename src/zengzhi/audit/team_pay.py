"""团队计酬 — upline pay computed on the downline's sales, and pay above 30% of the price.

Decree 444 art. 7(3) names upline pay computed on the downline's sales
(级差 by 伞下业绩, 链动's team see-point, releases by team orders). Decree 443
art. 24 caps a direct seller's pay at 30% of its own direct sales; the most
the plans can pay on one order is compared with that cap, per product.
"""

from __future__ import annotations

from fractions import Fraction

from zengzhi.audit.finding import Finding, percent
from zengzhi.audit.laws import DIRECT_SELLING_CAP, TEAM_PAY
from zengzhi.domain.config import Product, TenantConfig
from zengzhi.domain.money import format_cents
from zengzhi.domain.plans.differential import DifferentialSpec
from zengzhi.domain.plans.help_fund import HelpFundSpec
from zengzhi.domain.plans.linkage import LinkageSpec
from zengzhi.domain.split import allocate

CAP = Fraction(30, 100)  # 《直销管理条例》第二十四条


def check(config: TenantConfig) -> list[Finding]:
    found: list[Finding] = []
    for i, plan in enumerate(config.plans):
        here = f"plans[{i}]"
        if isinstance(plan, DifferentialSpec):
            found += _differential(plan, here)
        elif isinstance(plan, LinkageSpec):
            found.append(_linkage(plan, here))
        elif isinstance(plan, HelpFundSpec):
            found.append(_help_fund(plan, here))
    for name, product in config.products.items():
        found += _cap(config, name, product)
    return found


def _differential(plan: DifferentialSpec, here: str) -> list[Finding]:
    by_volume = [(r.name, r.volume_cents) for r in plan.ranks if r.volume_cents]
    if not by_volume:
        return []
    ladder = ", ".join(f"{name} {format_cents(cents)}" for name, cents in by_volume)
    return [Finding(
        "team_pay.differential", "high", f"{here}.ranks",
        f"级差 {plan.name!r}: 等级按伞下业绩 (下线销售额) 评定 ({ladder}), 上线按等级拿下线订单的 "
        f"{percent(plan.ranks[0].rate)}-{percent(plan.ranks[-1].rate)}",
        f"differential {plan.name!r}: ranks by umbrella volume (the downline's sales: {ladder}) pay the upline "
        f"{percent(plan.ranks[0].rate)}-{percent(plan.ranks[-1].rate)} of downline orders", TEAM_PAY)]


def _linkage(plan: LinkageSpec, here: str) -> Finding:
    see = ", ".join(f"{p} {format_cents(a.see_point_cents)}" for p, a in plan.packs.items())
    return Finding(
        "team_pay.linkage", "high", f"{here}.packs",
        f"链动 {plan.name!r}: 老板从团队里每一单礼包拿见点奖 ({see})",
        f"linkage {plan.name!r}: a boss is paid a see-point award on every pack its team buys ({see})", TEAM_PAY)


def _help_fund(plan: HelpFundSpec, here: str) -> Finding:
    more = plan.team_orders_more_than
    return Finding(
        "team_pay.help_fund", "medium", f"{here}.release.team_orders_more_than",
        f"帮扶基金 {plan.name!r}: 冻结的佣金要等两条线团队超过 {more} 单才释放",
        f"help fund {plan.name!r}: frozen commissions are released only when the two lines' teams have "
        f"more than {more} orders", TEAM_PAY)


def _cap(config: TenantConfig, name: str, product: Product) -> list[Finding]:
    """The most all member-paying plans can pay on one order of the product, against 30% of its price."""
    price = product.price_cents
    allocation = allocate(price, product.split)
    held = dict(allocation)
    most = sum(plan.max_payout_cents(price, allocation, name) for plan in config.plans
               if plan.bucket is not None and plan.bucket in held)
    if not price or Fraction(most, price) <= CAP:
        return []
    share = percent(Fraction(most, price))
    return [Finding(
        "team_pay.over_30_percent", "medium", f"products.{name}",
        f"{name} ({format_cents(price)}) 每单最多付给会员 {format_cents(most)} ({share}), 超过 30%",
        f"on one {name} order ({format_cents(price)}) the plans can pay members up to {format_cents(most)} "
        f"({share}), above 30%", DIRECT_SELLING_CAP)]
