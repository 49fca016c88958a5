"""拉人头 — pay or rank driven by the number of people recruited.

Decree 444 art. 7(1) names pay computed on the number of members one
recruits; 推三返一, 链动's boss at the Nth recruit (with recruits handed up,
走人) and ranks by direct recruit count are that pattern.
"""

from __future__ import annotations

from fractions import Fraction

from zengzhi.audit.finding import Finding, percent, price_of
from zengzhi.audit.laws import RECRUITMENT
from zengzhi.domain.config import TenantConfig
from zengzhi.domain.money import format_cents
from zengzhi.domain.plans.differential import DifferentialSpec
from zengzhi.domain.plans.linkage import LinkageSpec
from zengzhi.domain.plans.linkage_team import HANDED_UP
from zengzhi.domain.plans.refer_three import ReferThreeSpec


def check(config: TenantConfig) -> list[Finding]:
    found: list[Finding] = []
    for i, plan in enumerate(config.plans):
        here = f"plans[{i}]"
        if isinstance(plan, ReferThreeSpec):
            found.append(_refer_three(config, plan, here))
        elif isinstance(plan, LinkageSpec):
            found.append(_linkage(plan, here))
        elif isinstance(plan, DifferentialSpec):
            found += _differential(plan, here)
    return found


def _refer_three(config: TenantConfig, plan: ReferThreeSpec, here: str) -> Finding:
    rates = " / ".join(percent(r) for r in plan.rates)
    cycle = percent(sum((Fraction(*r) for r in plan.rates), Fraction(0)))
    packs = ", ".join(price_of(config, p) for p in plan.products)
    n = len(plan.rates)
    return Finding(
        "recruitment.refer_three", "high", f"{here}.rates",
        f"推三返一 {plan.name!r}: 每个直推会员购买 {packs} 返推荐人自己礼包价的 {rates}, "
        f"拉满 {n} 人返 {cycle}",
        f"refer-three {plan.name!r}: each recruit's purchase of {packs} refunds the recruiter {rates} of its "
        f"own pack; {n} recruits refund {cycle}", RECRUITMENT)


def _linkage(plan: LinkageSpec, here: str) -> Finding:
    direct = ", ".join(f"{p} {format_cents(a.direct_cents)}" for p, a in plan.packs.items())
    n = plan.boss_at
    return Finding(
        "recruitment.linkage", "high", f"{here}.boss_at",
        f"链动 {n}+1 {plan.name!r}: 第 {n} 个直推会员买礼包即升老板并开始拿见点奖, 前 {HANDED_UP} 个交给上级 (走人); "
        f"直推奖 {direct} 按人头付",
        f"linkage {n}+1 {plan.name!r}: the {_nth(n)} recruit who buys a pack makes the recruiter a boss "
        f"(paid see-point awards); recruits 1-{HANDED_UP} are handed up to the upline; direct award {direct} "
        "per recruit", RECRUITMENT)


def _differential(plan: DifferentialSpec, here: str) -> list[Finding]:
    found = []
    for j, rank in enumerate(plan.ranks):
        if rank.directs is None:
            continue
        also = f" 且伞下业绩 {format_cents(rank.volume_cents)}" if rank.volume_cents else ""
        also_en = f" and {format_cents(rank.volume_cents)} umbrella volume" if rank.volume_cents else ""
        found.append(Finding(
            "recruitment.differential_directs", "medium" if rank.volume_cents else "high",
            f"{here}.ranks[{j}].directs",
            f"级差 {plan.name!r} 等级 {rank.name} ({percent(rank.rate)}) 需要 {rank.directs} 个有效直推{also}",
            f"differential {plan.name!r} rank {rank.name} ({percent(rank.rate)}) needs {rank.directs} "
            f"effective direct recruits{also_en}", RECRUITMENT))
    return found


def _nth(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
