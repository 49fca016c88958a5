"""团队计酬 and the 30% cap of 《直销管理条例》."""

from __future__ import annotations

from tests.unit.audit.configs import LINKAGE, PACK, codes, parsed
from zengzhi.audit import team_pay
from zengzhi.audit.laws import DIRECT_SELLING_CAP

TIER = {"type": "differential", "bucket": "tier", "ranks": [
    {"name": "v1", "rate": "1%", "volume": "10000.00"}, {"name": "v2", "rate": "3%", "volume": "50000.00"}]}


def test_differential_by_umbrella_volume() -> None:
    found = team_pay.check(parsed(TIER))
    assert codes(found) == ["team_pay.differential"]
    assert "v1 10000.00, v2 50000.00" in found[0].en and "1%-3%" in found[0].en


def test_differential_without_volume_ranks_is_not_team_pay() -> None:
    plan = {"type": "differential", "bucket": "tier", "ranks": [{"name": "v1", "rate": "1%", "directs": 2}]}
    assert team_pay.check(parsed(plan)) == []


def test_linkage_and_help_fund_pay_on_team_sales() -> None:
    fund = {"type": "help_fund", "share": "20%", "applies_to": ["linkage"], "lines_from": "linkage",
            "release": {"team_orders_more_than": 7}}
    found = team_pay.check(parsed(LINKAGE, fund))
    assert "team_pay.linkage" in codes(found) and "team_pay.help_fund" in codes(found)
    assert "more than 7 orders" in next(f.en for f in found if f.code == "team_pay.help_fund")


def test_pay_above_30_percent_of_the_price_is_flagged_per_product() -> None:
    # linkage pays up to 100 + 200 + 10% of both = 330 on a 1000 pack: 33%
    found = [f for f in team_pay.check(parsed(LINKAGE)) if f.code == "team_pay.over_30_percent"]
    assert [(f.path, f.severity) for f in found] == [("products.pack1000", "medium")]
    assert "330.00 (33%)" in found[0].en and found[0].law is DIRECT_SELLING_CAP


def test_pay_at_30_percent_is_not() -> None:
    referral = {"type": "referral", "bucket": "refer", "awards": ["10%"]}
    split = {**PACK["split"], "refer": "300.00", "cost": "0.00", "linkage": "280.00"}
    config = parsed(referral, referral | {"name": "second", "bucket": "linkage", "awards": ["18%"]},
                    products={"pack1000": {"price": "1000.00", "split": split}})
    assert team_pay.check(config) == []  # 100 + 180 = 28%
    more = parsed(referral | {"awards": ["30%"]}, products={"pack1000": {"price": "1000.00", "split": split}})
    assert team_pay.check(more) == []  # exactly 30%
