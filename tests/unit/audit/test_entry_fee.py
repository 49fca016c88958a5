"""入门费: statuses, rights and quotas bought with a pack."""

from __future__ import annotations

from tests.unit.audit.configs import LINKAGE, codes, parsed
from zengzhi.audit import entry_fee
from zengzhi.audit.laws import ENTRY_FEE


def test_linkage_agent_by_pack() -> None:
    found = entry_fee.check(parsed(LINKAGE))
    assert codes(found) == ["entry_fee.linkage"]
    assert "pack1000 (1000.00)" in found[0].en and found[0].law is ENTRY_FEE


def test_quota_dividend_rights_refer_three_and_rank_by_pack() -> None:
    quota = {"type": "quota", "grants": {"pack1000": "3000.00"}, "applies_to": ["linkage"]}
    dividend = {"type": "dividend", "bucket": "dividend", "inflow": "10.00", "by": "weight",
                "weights": {"pack1000": "0.5"}}
    refer = {"type": "refer_three", "bucket": "refer", "rates": ["1%", "9%"], "products": ["pack1000"]}
    tier = {"type": "differential", "bucket": "tier", "ranks": [{"name": "v1", "rate": "1%", "pack": "pack1000"}]}
    found = entry_fee.check(parsed(LINKAGE, quota, dividend, refer, tier))
    assert codes(found) == ["entry_fee.linkage", "entry_fee.quota", "entry_fee.dividend", "entry_fee.refer_three",
                            "entry_fee.differential_pack"]
    assert "pack1000 (1000.00) → 3000.00" in found[1].en
    assert "pack1000 (1000.00) → 0.5" in found[2].en
    assert found[4].path == "plans[4].ranks[0].pack"


def test_referral_paid_only_to_buyers_is_information() -> None:
    plan = {"type": "referral", "bucket": "distribution", "awards": ["5%"], "eligible": "bought"}
    assert [(f.code, f.severity) for f in entry_fee.check(parsed(plan))] == [("entry_fee.referral_eligible", "info")]


def test_plans_open_to_everyone_pay_no_entry_fee() -> None:
    referral = {"type": "referral", "bucket": "distribution", "awards": ["5%"]}
    team = {"type": "dividend", "bucket": "dividend", "inflow": "10.00", "by": "class", "classes": {"董事": "100%"}}
    assert entry_fee.check(parsed(referral, team)) == []
