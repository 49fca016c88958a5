"""Platform API with reward plans: payouts with memos, plan keys on members, plan events."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import CONFIG, Platform

pytestmark = pytest.mark.anyio

PLANS_CONFIG: dict[str, Any] = {
    **CONFIG,
    "plans": [{"type": "referral", "bucket": "distribution", "awards": ["10%", "5%"], "eligible": "bought"},
              {"type": "regional", "bucket": "platform", "mode": "fixed",
               "rates": {"district": "0.1%", "city": "0.05%", "province": "0.01%"}}],
}


@pytest.fixture
async def shop(platform: Platform) -> Platform:
    platform.hub.create_tenant("shop", PLANS_CONFIG)
    platform.keys["shop"] = platform.access.create_api_key("shop")
    for member, sponsor in (("A", None), ("B", "A"), ("C", "B")):
        r = await platform.post("/v1/members", {"member": member, "sponsor": sponsor}, tenant="shop")
        assert r.status_code == 201, r.text
    return platform


async def test_an_order_pays_the_uplines_with_explained_postings(shop: Platform) -> None:
    for order_id, member in (("o1", "A"), ("o2", "B"), ("o3", "C")):
        r = await shop.post("/v1/orders", {"id": order_id, "member": member, "product": "pack1000"},
                            tenant="shop")
        assert r.status_code == 201, r.text
    paid = [p for p in r.json()["postings"] if p["plan"] == "referral"]
    assert [(p["to"], p["amount"], p["rule"]) for p in paid] == [
        ("member:B:cash", "100.00", "referral.gen1"), ("member:A:cash", "50.00", "referral.gen2")]
    assert paid[0]["memo"].startswith("直推 generation 1: 10% of 1000.00")
    lines = (await shop.get("/v1/postings", tenant="shop", order_id="o3")).json()["postings"]
    assert any(x["explanation"].startswith("referral.gen2: 50.00 from distribution to A's cash — 间推")
               for x in lines)
    a = (await shop.get("/v1/members/A", tenant="shop")).json()
    assert (a["cash"], a["plans"]) == ("150.00", {"bought": True})  # 100 on B's order + 50 on C's


async def test_a_regional_agency_set_through_the_api_is_paid(shop: Platform) -> None:
    r = await shop.post("/v1/members/A/rank", {"rank": "district", "region": "440106"}, tenant="shop")
    assert r.status_code == 200, r.text
    r = await shop.post("/v1/members", {"member": "D", "region": "440106"}, tenant="shop")
    assert r.status_code == 201, r.text
    r = await shop.post("/v1/orders", {"id": "d1", "member": "D", "product": "pack1000"}, tenant="shop")
    paid = [(p["to"], p["amount"], p["rule"]) for p in r.json()["postings"] if p["plan"] == "regional"]
    assert paid == [("member:A:cash", "1.00", "regional.district")]  # 0.1% of 1000.00
    a = (await shop.get("/v1/members/A", tenant="shop")).json()
    assert a["plans"]["regional"] == {"regions": ["district:440106"]}
    r = await shop.post("/v1/members/A/rank", {"rank": "district", "region": "4401"}, tenant="shop")
    assert (r.status_code, r.json()["field"]) == (422, "region")


async def test_plan_events_are_refused_when_no_plan_takes_them(shop: Platform) -> None:
    r = await shop.post("/v1/members/A/rank", {"rank": "v1", "plan": "referral"}, tenant="shop")
    assert r.status_code == 422
    assert (r.json()["code"], r.json()["field"]) == ("unknown_plan", "plan")
    r = await shop.post("/v1/periods/close", {"plan": "nope"}, tenant="shop")
    assert (r.status_code, r.json()["code"]) == (422, "unknown_plan")
    r = await shop.post("/v1/ticks", None, tenant="shop")
    assert r.status_code == 200, r.text
    assert r.json()["postings"] == []
