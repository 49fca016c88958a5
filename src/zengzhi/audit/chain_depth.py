"""层级 — commissions paid more than three levels up the chain.

The 2013 Opinions count a pyramid's levels (层级在三级以上 is the criminal
threshold), so a plan whose pay reaches further than three levels up, or
has no bound at all, is flagged with its depth.
"""

from __future__ import annotations

from zengzhi.audit.finding import MAX_LEVELS, Finding, percent
from zengzhi.audit.laws import CHAIN_DEPTH
from zengzhi.domain.config import TenantConfig
from zengzhi.domain.money import format_cents
from zengzhi.domain.plans.differential import DifferentialSpec
from zengzhi.domain.plans.help_fund import HelpFundSpec
from zengzhi.domain.plans.linkage import LinkageSpec
from zengzhi.domain.plans.referral import ReferralSpec


def check(config: TenantConfig) -> list[Finding]:
    found: list[Finding] = []
    for i, plan in enumerate(config.plans):
        here = f"plans[{i}]"
        if isinstance(plan, ReferralSpec):
            found += _referral(plan, here)
        elif isinstance(plan, DifferentialSpec):
            found.append(_differential(plan, here))
        elif isinstance(plan, LinkageSpec):
            found.append(_linkage(plan, here))
        elif isinstance(plan, HelpFundSpec):
            found.append(_help_fund(plan, here))
    return found


def _referral(plan: ReferralSpec, here: str) -> list[Finding]:
    depth = len(plan.awards)
    awards = ", ".join(a.show() for a in plan.awards)
    found = []
    if depth > MAX_LEVELS:
        found.append(Finding(
            "chain_depth.referral", "high", f"{here}.awards",
            f"推荐奖 {plan.name!r} 向上付 {depth} 代 ({awards}), 超过三级",
            f"referral {plan.name!r} pays {depth} generations up the sponsor chain ({awards}): "
            f"more than {MAX_LEVELS} levels", CHAIN_DEPTH))
    if plan.compress and plan.eligible == "bought":
        # 缩减 skips members who never bought, so the paid generations can sit further up
        found.append(Finding(
            "chain_depth.compression", "info", f"{here}.compress",
            f"推荐奖 {plan.name!r} 缩减: 跳过未消费会员, {depth} 代奖励可落在 {depth} 级以上的上线",
            f"referral {plan.name!r} compresses: members who never bought are skipped, so its {depth} "
            f"paid generations can sit more than {depth} levels up", CHAIN_DEPTH))
    return found


def _differential(plan: DifferentialSpec, here: str) -> Finding:
    top = plan.ranks[-1]
    peer = ""
    peer_en = ""
    if plan.peer_rate.num:
        peer = f"; 平级奖 {percent(plan.peer_rate)} 再向上 {plan.peer_generations} 代"
        peer_en = (f"; peer bonus {percent(plan.peer_rate)} {plan.peer_generations} generation(s) "
                   "above each payee")
    return Finding(
        "chain_depth.differential", "high", f"{here}.ranks",
        f"级差 {plan.name!r} 沿推荐链一直向上付, 直到最高级 {top.name} {percent(top.rate)} 付完: 层级无上限{peer}",
        f"differential {plan.name!r} walks the whole sponsor chain up until the top rank {top.name} "
        f"({percent(top.rate)}) is paid: unbounded depth{peer_en}", CHAIN_DEPTH)


def _linkage(plan: LinkageSpec, here: str) -> Finding:
    see = ", ".join(f"{p} {format_cents(a.see_point_cents)}" for p, a in plan.packs.items())
    peer = f", 平级 {percent(plan.peer_rate)} 付给老板的推荐人" if plan.peer_rate.num else ""
    peer_en = f", and a {percent(plan.peer_rate)} peer award to that boss's sponsor" if plan.peer_rate.num else ""
    return Finding(
        "chain_depth.linkage", "high", f"{here}.packs",
        f"链动 {plan.name!r} 见点奖 ({see}) 付给团队老板, 前两个直推被交给上级 (走人), "
        f"老板可在任意层级{peer}: 层级无上限",
        f"linkage {plan.name!r} pays the see-point award ({see}) to the buyer's team boss, which sits any "
        f"number of levels up (recruits 1-2 are handed up){peer_en}: unbounded depth", CHAIN_DEPTH)


def _help_fund(plan: HelpFundSpec, here: str) -> Finding:
    more = plan.team_orders_more_than
    return Finding(
        "chain_depth.help_fund", "medium", f"{here}.release",
        f"帮扶基金 {plan.name!r} 冻结 {percent(plan.share)} 佣金, 直到两条线 (B1/B2) 的整个团队 (任意层级) "
        f"超过 {more} 单才释放: 层级无上限",
        f"help fund {plan.name!r} freezes {percent(plan.share)} of commissions until the whole teams of the "
        f"two handed-up lines (B1/B2, any depth) have more than {more} orders: unbounded depth", CHAIN_DEPTH)
