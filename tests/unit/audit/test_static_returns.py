"""静态收益: exit multiples and quotas above spend; the pool's one promise."""

from __future__ import annotations

from tests.unit.audit.configs import LINKAGE, codes, parsed
from zengzhi.audit import static_returns
from zengzhi.audit.laws import FUNDRAISING, POOL_PROMISE


def test_exit_multiple_above_one_with_the_growth_it_needs() -> None:
    found = static_returns.check(parsed(pool={"grant_ratio": "0.70", "exit_multiple": "3"}))
    assert codes(found) == ["static_returns.exit_multiple", "static_returns.only_promise"]
    flag = found[0]
    assert flag.severity == "high" and flag.path == "pool.exit_multiple" and flag.law is FUNDRAISING
    # pool.md: (3 / (0.7 × 0.3))^(1/0.3) ≈ 7,000-fold for the seed's split
    assert "3×" in flag.en and "7,074-fold" in flag.en


def test_exit_multiple_of_one_or_none_is_not_flagged() -> None:
    for pool in ({"exit_multiple": "1"}, {"exit_multiple": "0"}, {}):
        found = static_returns.check(parsed(pool=pool))
        assert codes(found) == ["static_returns.only_promise"]
        assert found[0].severity == "info" and found[0].law is POOL_PROMISE


def test_fractional_multiple_is_shown_exactly() -> None:
    found = static_returns.check(parsed(pool={"exit_multiple": "2.5"}))
    assert "2.5×" in found[0].en


def test_quota_grants_above_the_pack_price() -> None:
    quota = {"type": "quota", "grants": {"pack1000": "3000.00", "other": "10.00"}, "applies_to": ["linkage"]}
    found = static_returns.check(parsed(LINKAGE, quota))
    assert [(f.code, f.path) for f in found if f.severity != "info"] == [
        ("static_returns.quota", "plans[1].grants.pack1000")]
    assert "3000.00" in found[0].en and "3×" in found[0].en


def test_quota_at_the_price_is_not_flagged() -> None:
    quota = {"type": "quota", "grants": {"pack1000": "1000.00"}, "applies_to": ["linkage"]}
    assert codes(static_returns.check(parsed(LINKAGE, quota))) == ["static_returns.only_promise"]
