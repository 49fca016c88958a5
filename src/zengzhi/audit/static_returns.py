"""静态收益 — returns above spend promised by the pool or a quota.

A forced exit at k× spend (k > 1) reads as "spend 1, get k back", and the
part above spend can only come from later members' orders (Decree 737 art.
2: 许诺…给予其他投资回报). The pool rules promise one thing only: the point
price never falls (pool.md); that line is always reported.
"""

from __future__ import annotations

from fractions import Fraction

from zengzhi.audit.finding import Finding, number, price_of
from zengzhi.audit.laws import FUNDRAISING, POOL_PROMISE
from zengzhi.domain.config import TenantConfig
from zengzhi.domain.money import format_cents
from zengzhi.domain.plans.quota import QuotaSpec
from zengzhi.domain.split import POOL_BUCKET, allocate


def check(config: TenantConfig) -> list[Finding]:
    found = _exit_multiple(config)
    for i, plan in enumerate(config.plans):
        if isinstance(plan, QuotaSpec):
            found += _quota(config, plan, f"plans[{i}]")
    found.append(Finding(
        "static_returns.only_promise", "info", "pool",
        "池规则唯一的保证是积分价格不下跌; 不保证任何人收回所花的钱, 价格上涨靠后来者的消费",
        "the pool guarantees only that the point price never falls; nobody is promised to get back what "
        "they spent, and the price rises only with later members' orders", POOL_PROMISE))
    return found


def _exit_multiple(config: TenantConfig) -> list[Finding]:
    k = config.pool.exit_multiple
    if k is None or Fraction(*k) <= 1:
        return []
    shown = number(Fraction(*k))
    growth = _growth_needed(config, Fraction(*k))
    extra_zh = f"; 按本配置, 会员入场后平台约需再增长 {growth} 倍才能到 {shown} 倍出局" if growth else ""
    extra_en = f"; with this config the platform must grow about {growth}-fold after a member joins" \
               f" for its {shown}× exit" if growth else ""
    return [Finding(
        "static_returns.exit_multiple", "high", "pool.exit_multiple",
        f"出局倍数 {shown}: 积分价值达到消费的 {shown} 倍时卖出, 相当于宣传 {shown} 倍回报, "
        f"超出消费的部分只能来自后来者的钱{extra_zh}",
        f"exit_multiple {shown}: points are sold when worth {shown}× the spend, read as a {shown}× return; "
        f"everything above the spend can only come from later members' money{extra_en}", FUNDRAISING)]


def _growth_needed(config: TenantConfig, k: Fraction) -> str | None:
    """pool.md: about ``(k/(g·s))^(1/(1-g))`` times the orders at joining (s: the best pool share).

    An approximate figure for display, so floats are fine here (never used for money).
    """
    shares = [Fraction(dict(allocate(p.price_cents, p.split)).get(POOL_BUCKET, 0), p.price_cents)
              for p in config.products.values() if p.price_cents]
    s = max(shares, default=Fraction(0))
    g = Fraction(*config.pool.grant_ratio)
    if not s or not g or k <= g * s:
        return None
    fold = float(k / (g * s)) ** float(1 / (1 - g))
    return f"{fold:,.0f}" if fold < 1e12 else f"{fold:.1e}"


def _quota(config: TenantConfig, plan: QuotaSpec, here: str) -> list[Finding]:
    found = []
    for product, grant in plan.grants:
        item = config.products.get(product)
        if item is None or not item.price_cents or grant <= item.price_cents:
            continue
        times = number(Fraction(grant, item.price_cents))
        found.append(Finding(
            "static_returns.quota", "medium", f"{here}.grants.{product}",
            f"收益额度 {plan.name!r}: 买 {price_of(config, product)} 得 {format_cents(grant)} 额度, "
            f"即消费的 {times} 倍",
            f"quota {plan.name!r}: buying {price_of(config, product)} grants {format_cents(grant)} of quota, "
            f"{times}× the spend, read as earning up to {times}× back", FUNDRAISING))
    return found

