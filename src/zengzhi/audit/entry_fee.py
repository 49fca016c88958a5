"""入门费 — a status, a right to be paid or a share obtained by buying a pack.

Decree 444 art. 7(2) names qualifying by paying a fee, or by buying goods in
its place (以认购商品等方式变相交纳费用): agent status by pack, ranks and
dividend rights by product, earning quota per pack, eligibility by purchase.
"""

from __future__ import annotations

from zengzhi.audit.finding import Finding, price_of
from zengzhi.audit.laws import ENTRY_FEE
from zengzhi.domain.config import TenantConfig
from zengzhi.domain.money import format_cents
from zengzhi.domain.plans.differential import DifferentialSpec
from zengzhi.domain.plans.dividend import DividendSpec, show_weight
from zengzhi.domain.plans.linkage import LinkageSpec
from zengzhi.domain.plans.quota import QuotaSpec
from zengzhi.domain.plans.refer_three import ReferThreeSpec
from zengzhi.domain.plans.referral import ReferralSpec


def check(config: TenantConfig) -> list[Finding]:
    found: list[Finding] = []
    for i, plan in enumerate(config.plans):
        here = f"plans[{i}]"
        if isinstance(plan, LinkageSpec):
            found.append(_linkage(config, plan, here))
        elif isinstance(plan, ReferThreeSpec):
            found.append(_refer_three(config, plan, here))
        elif isinstance(plan, QuotaSpec):
            found.append(_quota(config, plan, here))
        elif isinstance(plan, DividendSpec) and plan.weights:
            found.append(_dividend(config, plan, here))
        elif isinstance(plan, DifferentialSpec):
            found += _differential(config, plan, here)
        elif isinstance(plan, ReferralSpec) and plan.eligible == "bought":
            found.append(_referral(plan, here))
    return found


def _packs(config: TenantConfig, products: tuple[str, ...]) -> str:
    return ", ".join(price_of(config, p) for p in products)


def _linkage(config: TenantConfig, plan: LinkageSpec, here: str) -> Finding:
    packs = _packs(config, tuple(plan.packs))
    return Finding(
        "entry_fee.linkage", "high", f"{here}.packs",
        f"链动 {plan.name!r}: 只有买了礼包 {packs} 才成为代理, 才能拿直推奖和见点奖",
        f"linkage {plan.name!r}: only buying a pack ({packs}) makes a member an agent, the only members "
        "paid direct and see-point awards", ENTRY_FEE)


def _refer_three(config: TenantConfig, plan: ReferThreeSpec, here: str) -> Finding:
    packs = _packs(config, plan.products)
    return Finding(
        "entry_fee.refer_three", "high", f"{here}.products",
        f"推三返一 {plan.name!r}: 只有买了 {packs} 的会员才能从直推会员的购买中得返还",
        f"refer-three {plan.name!r}: only members who bought {packs} are refunded by their recruits' purchases",
        ENTRY_FEE)


def _quota(config: TenantConfig, plan: QuotaSpec, here: str) -> Finding:
    grants = ", ".join(f"{price_of(config, p)} → {format_cents(c)}" for p, c in plan.grants)
    plans = ", ".join(plan.applies_to)
    return Finding(
        "entry_fee.quota", "medium", f"{here}.grants",
        f"收益额度 {plan.name!r}: 可领取的奖励 ({plans}) 额度靠买礼包获得: {grants}",
        f"quota {plan.name!r}: the right to keep rewards of {plans} is bought with packs: {grants}", ENTRY_FEE)


def _dividend(config: TenantConfig, plan: DividendSpec, here: str) -> Finding:
    weights = ", ".join(f"{price_of(config, p)} → {show_weight(w.as_fraction())}" for p, w in plan.weights)
    return Finding(
        "entry_fee.dividend", "high", f"{here}.weights",
        f"分红 {plan.name!r}: 分红权靠买礼包获得: {weights}",
        f"dividend {plan.name!r}: dividend rights (分红权) are bought with packs: {weights}", ENTRY_FEE)


def _differential(config: TenantConfig, plan: DifferentialSpec, here: str) -> list[Finding]:
    return [Finding(
        "entry_fee.differential_pack", "high", f"{here}.ranks[{j}].pack",
        f"级差 {plan.name!r}: 买 {price_of(config, rank.pack)} 即得等级 {rank.name}",
        f"differential {plan.name!r}: rank {rank.name} is bought with {price_of(config, rank.pack)}", ENTRY_FEE)
        for j, rank in enumerate(plan.ranks) if rank.pack is not None]


def _referral(plan: ReferralSpec, here: str) -> Finding:
    return Finding(
        "entry_fee.referral_eligible", "info", f"{here}.eligible",
        f"推荐奖 {plan.name!r}: 只付给自己消费过的会员 (eligible: bought)",
        f"referral {plan.name!r}: only members who have bought are paid (eligible: bought)", ENTRY_FEE)
