"""层级: pay reaching more than three levels up, or unbounded."""

from __future__ import annotations

from tests.unit.audit.configs import LINKAGE, codes, parsed
from zengzhi.audit import chain_depth
from zengzhi.audit.laws import CHAIN_DEPTH


def referral(*awards: str, **extra: object) -> dict[str, object]:
    return {"type": "referral", "bucket": "distribution", "awards": list(awards), **extra}


def test_four_generations_of_referral_are_flagged_with_the_depth() -> None:
    found = chain_depth.check(parsed(referral("1%", "1%", "1%", "1%")))
    assert codes(found) == ["chain_depth.referral"]
    assert found[0].severity == "high" and found[0].path == "plans[0].awards"
    assert "4 generations" in found[0].en and "4 代" in found[0].zh
    assert found[0].law is CHAIN_DEPTH


def test_three_generations_of_referral_are_not() -> None:
    assert chain_depth.check(parsed(referral("2%", "1%", "1%"))) == []


def test_compression_is_noted_as_information() -> None:
    found = chain_depth.check(parsed(referral("3%", eligible="bought", compress=True)))
    assert [(f.code, f.severity) for f in found] == [("chain_depth.compression", "info")]


def test_differential_is_unbounded() -> None:
    plan = {"type": "differential", "bucket": "tier", "ranks": [{"name": "v1", "rate": "1%", "volume": "100.00"}]}
    found = chain_depth.check(parsed(plan))
    assert codes(found) == ["chain_depth.differential"]
    assert "unbounded" in found[0].en and "v1 (1%)" in found[0].en


def test_linkage_see_point_and_help_fund_lines_are_unbounded() -> None:
    fund = {"type": "help_fund", "share": "20%", "applies_to": ["linkage"], "lines_from": "linkage"}
    found = chain_depth.check(parsed(LINKAGE, fund))
    assert codes(found) == ["chain_depth.linkage", "chain_depth.help_fund"]
    assert "pack1000 200.00" in found[0].en and found[1].path == "plans[1].release"
    assert [f.severity for f in found] == ["high", "medium"]


def test_plans_without_a_chain_are_not_flagged() -> None:
    regional = {"type": "regional", "bucket": "distribution", "rates": {"district": "1%"}}
    refer = {"type": "refer_three", "bucket": "refer", "rates": ["1%", "2%", "7%"], "products": ["pack1000"]}
    assert chain_depth.check(parsed(regional, refer)) == []
