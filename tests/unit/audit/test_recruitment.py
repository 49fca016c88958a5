"""拉人头: pay or rank by the number of recruits."""

from __future__ import annotations

from tests.unit.audit.configs import LINKAGE, codes, parsed
from zengzhi.audit import recruitment


def test_refer_three_says_what_three_recruits_refund() -> None:
    plan = {"type": "refer_three", "bucket": "refer", "rates": ["1%", "2%", "7%"], "products": ["pack1000"]}
    found = recruitment.check(parsed(plan))
    assert codes(found) == ["recruitment.refer_three"]
    assert "1% / 2% / 7%" in found[0].en and "3 recruits refund 10%" in found[0].en
    assert "pack1000 (1000.00)" in found[0].en


def test_linkage_boss_at_the_nth_recruit() -> None:
    found = recruitment.check(parsed({**LINKAGE, "boss_at": 2}))
    assert codes(found) == ["recruitment.linkage"]
    assert found[0].path == "plans[0].boss_at" and "2nd recruit" in found[0].en and "2+1" in found[0].zh


def test_differential_ranks_by_direct_recruits() -> None:
    plan = {"type": "differential", "bucket": "tier", "ranks": [
        {"name": "v1", "rate": "1%", "volume": "100.00"},
        {"name": "v2", "rate": "2%", "directs": 3},
        {"name": "v3", "rate": "3%", "directs": 5, "volume": "500.00"}]}
    found = recruitment.check(parsed(plan))
    assert [(f.path, f.severity) for f in found] == [("plans[0].ranks[1].directs", "high"),
                                                      ("plans[0].ranks[2].directs", "medium")]


def test_sales_based_plans_are_not_recruitment() -> None:
    referral = {"type": "referral", "bucket": "distribution", "awards": ["5%"]}
    plan = {"type": "differential", "bucket": "tier", "ranks": [{"name": "v1", "rate": "1%", "volume": "100.00"}]}
    assert recruitment.check(parsed(referral, plan)) == []
