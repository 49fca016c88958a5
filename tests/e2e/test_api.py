"""Platform API happy paths with pool.md's exact numbers, reads, errors and tenant isolation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Platform, buy, join

pytestmark = pytest.mark.anyio

SPLIT = {"cost": "300.00", "distribution": "300.00", "platform": "100.00", "pool": "300.00"}


async def three_orders(p: Platform) -> list[dict[str, Any]]:
    await join(p, "A", "B", "C")
    return [(await buy(p, f"o{i}", m)).json() for i, m in enumerate("ABC", 1)]


def grants(body: dict[str, Any]) -> list[str]:
    return [x["amount"] for x in body["postings"] if x["rule"] == "pool.grant"]


async def test_three_orders_give_pool_md_numbers(platform: Platform) -> None:
    bodies = await three_orders(platform)
    assert [grants(b) for b in bodies] == [["210.0000"], ["147.0000"], ["124.9500"]]
    assert all(b["accepted"] and not b["duplicate"] and b["exits"] == [] for b in bodies)
    pool = (await platform.get("/v1/pool")).json()
    assert pool == {"money": "900.00", "points": "481.9500", "price": "1.8674", "exits": 0, "members": 3}
    a = (await platform.get("/v1/members/A")).json()
    assert a == {"member": "A", "sponsor": None, "points": "210.0000",
                 "value": "392.15",  # floor(210 × 900 / 481.95, cents) = 392.156…
                 "cash": "0.00", "frozen": "0.00", "pending": "0.00", "withdrawing": "0.00",
                 "exits": 0, "cycle_spent": "1000.00", "cycle_points": "210.0000", "plans": {}}


async def test_postings_are_explained(platform: Platform) -> None:
    await three_orders(platform)
    r = await platform.get("/v1/postings", order_id="o2")
    assert r.status_code == 200
    lines = [x["explanation"] for x in r.json()["postings"]]
    assert lines == [
        "split.cost: 300.00 from the order to the cost bucket",
        "split.distribution: 300.00 from the order to the distribution bucket",
        "split.platform: 100.00 from the order to the platform bucket",
        "split.pool: 300.00 from the order into the pool",
        "pool.grant: 147.0000 points granted to B at 1.4286",
    ]
    first = r.json()["postings"][0]
    assert first == {"from": "external:payments", "to": "cost", "asset": "CNY", "amount": "300.00",
                     "rule": "split.cost", "order_id": "o2", "plan": None, "memo": None, "seq": 5,
                     "explanation": lines[0]}
    assert (await platform.get("/v1/postings", order_id="nope")).status_code == 404


async def test_pool_history(platform: Platform) -> None:
    await three_orders(platform)
    body = (await platform.get("/v1/pool/history")).json()
    assert body["initial_price"] == "1.0000"
    assert [(x["seq"], x["price"], x["money"], x["points"]) for x in body["items"]] == [
        (4, "1.4286", "300.00", "210.0000"), (5, "1.6807", "600.00", "357.0000"),
        (6, "1.8674", "900.00", "481.9500")]
    assert [x["price"] for x in (await platform.get("/v1/pool/history", limit=2)).json()["items"]] == [
        "1.6807", "1.8674"]
    page = (await platform.get("/v1/pool/history", after_seq=4, limit=1)).json()["items"]
    assert [x["seq"] for x in page] == [5]
    # the read model follows new events incrementally
    await join(platform, "D")
    await buy(platform, "o4", "D")
    assert len((await platform.get("/v1/pool/history")).json()["items"]) == 4
    assert (await platform.get("/v1/pool/history", limit=1001)).status_code == 422


async def test_subsidy_forces_exit_and_is_audited(platform: Platform) -> None:
    await three_orders(platform)
    # 481.95 × 3000 / 210 = 6885.00: the price lands exactly on A's exit price (pool.md)
    r = await platform.post("/v1/subsidies", {"amount": "5985.00", "note": "launch"})
    assert r.status_code == 200, r.text
    assert r.json()["exits"] == ["A"]
    a = (await platform.get("/v1/members/A")).json()
    assert (a["points"], a["cash"], a["exits"], a["cycle_spent"]) == ("0.0000", "2400.00", 1, "0.00")
    entries = platform.access.audit_entries("t1")
    assert len(entries) == 1
    assert entries[0].actor == "api:" + platform.keys["t1"].split(".")[0]
    assert entries[0].action == "subsidy"
    assert entries[0].detail["amount"] == "5985.00" and entries[0].detail["note"] == "launch"
    assert (await platform.get("/v1/pool")).json()["exits"] == 1


async def test_sell_and_statement(platform: Platform) -> None:
    await three_orders(platform)
    r = await platform.post("/v1/sells", {"member": "A", "points": "10.0000"})
    assert r.status_code == 200, r.text
    payout = [x for x in r.json()["postings"] if x["rule"] == "sale.payout"][0]
    # floor(0.8 × 10 × 900 / 481.95) = 14.93
    assert payout == {"from": "pool", "to": "member:A:cash", "asset": "CNY", "amount": "14.93",
                      "rule": "sale.payout", "order_id": None, "plan": None, "memo": None}
    r = await platform.post("/v1/sells", {"member": "A", "points": 50_000})  # integer: 0.0001 units
    assert r.json()["postings"][0]["amount"] == "5.0000"
    body = (await platform.get("/v1/members/A/statement")).json()
    rows = [(x["rule"], x["account"], x["amount"]) for x in body["items"]]
    assert rows == [("pool.grant", "points", "210.0000"), ("sale.points", "points", "-10.0000"),
                    ("sale.payout", "cash", "14.93"), ("sale.points", "points", "-5.0000"),
                    ("sale.payout", "cash", "7.50")]  # 0.8 × 5 × 885.07 / 471.95
    assert body["next_after_seq"] is None
    page = (await platform.get("/v1/members/A/statement", limit=2)).json()
    # whole events only: the grant (1 entry), not half of the first sale
    assert [x["rule"] for x in page["items"]] == ["pool.grant"]
    page2 = (await platform.get("/v1/members/A/statement", limit=2,
                                after_seq=page["next_after_seq"])).json()
    assert [x["rule"] for x in page2["items"]] == ["sale.points", "sale.payout"]
    assert (await platform.get("/v1/members/Z/statement")).status_code == 404


async def test_inline_split_pay_then_settle_and_refund(platform: Platform) -> None:
    await join(platform, "A")
    split = {"cost": 30_000, "distribution": "30%", "platform": "100.00", "pool": "300.00"}
    r = await platform.post("/v1/orders", {"id": "x1", "member": "A", "amount": 100_000, "split": split,
                                           "settle": False})
    assert r.status_code == 201, r.text
    assert [x["rule"] for x in r.json()["postings"]] == ["order.paid"]
    assert (await platform.get("/v1/members/A")).json()["pending"] == "1000.00"
    r = await platform.post("/v1/orders/x1/settle")
    assert r.status_code == 200, r.text
    assert grants(r.json()) == ["210.0000"]
    await platform.post("/v1/orders", {"id": "x2", "member": "A", "amount": "1000.00", "split": split,
                                       "settle": False})
    r = await platform.post("/v1/orders/x2/refund")
    assert r.status_code == 200
    assert r.json()["postings"][0]["rule"] == "order.refund"
    a = (await platform.get("/v1/members/A")).json()
    assert (a["pending"], a["points"]) == ("0.00", "210.0000")
    r = await platform.post("/v1/orders/x2/settle")
    assert r.status_code == 422
    assert r.json()["code"] == "order_not_pending" and r.json()["field"] == "id"


async def test_withdrawal_lifecycle_and_redemption(platform: Platform) -> None:
    await three_orders(platform)
    await platform.post("/v1/subsidies", {"amount": "5985.00"})  # A exits with 2400.00 cash
    r = await platform.post("/v1/withdrawals", {"id": "w1", "member": "A", "amount": "1000.00"})
    assert r.status_code == 201, r.text
    assert (await platform.post("/v1/withdrawals/w1/approve")).status_code == 200
    assert (await platform.post("/v1/withdrawals/w1/complete")).status_code == 200
    await platform.post("/v1/withdrawals", {"id": "w2", "member": "A", "amount": 50_000})
    assert (await platform.post("/v1/withdrawals/w2/fail")).status_code == 200
    a = (await platform.get("/v1/members/A")).json()
    assert (a["cash"], a["withdrawing"]) == ("1400.00", "0.00")
    r = await platform.post("/v1/withdrawals/w2/complete")
    assert r.status_code == 422 and r.json()["code"] == "withdrawal_not_in_flight"
    r = await platform.post("/v1/redemptions", {"member": "B", "points": "147.0000"})
    assert r.status_code == 200, r.text
    assert [x["to"] for x in r.json()["postings"]] == ["external:points", "merchant"]


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/v1/orders", {"id": "o1", "member": "A", "amount": 1000.0, "split": SPLIT}, "amount"),
    ("/v1/orders", {"id": "o1", "member": "A", "amount": "1000.00", "split": {**SPLIT, "pool": 300.0}},
     "split.pool"),
    ("/v1/sells", {"member": "A", "points": 1.5}, "points"),
    ("/v1/redemptions", {"member": "A", "points": 10.0}, "points"),
    ("/v1/withdrawals", {"id": "w", "member": "A", "amount": 1.0}, "amount"),
    ("/v1/subsidies", {"amount": 100.0}, "amount"),
    ("/v1/subsidies", {"amount": True}, "amount"),
    ("/v1/subsidies", {"amount": "1.001"}, "amount"),
    ("/v1/subsidies", {"amount": "-5"}, "amount"),
    ("/v1/orders", {"id": "o1", "member": "A", "product": "pack1000", "settle": "yes"}, "settle"),
    ("/v1/members", {"member": "A", "spnosor": "B"}, "spnosor"),
    ("/v1/orders", {"id": "o1", "member": "A", "product": "pack1000", "amount": "1.00"}, "body"),
    ("/v1/orders", {"id": "o1", "member": "A", "amount": "999.00", "split": SPLIT}, "split"),
    ("/v1/orders", {"id": "o1", "member": "A", "amount": "1000.00", "split": {"member": "1000.00"}}, "split"),
])
async def test_json_floats_and_bad_fields_are_422_naming_the_field(
        platform: Platform, path: str, body: dict[str, Any], field: str) -> None:
    await join(platform, "A")
    before = platform.state()
    r = await platform.post(path, body)
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "invalid_field"
    assert r.json()["field"] == field
    assert platform.state() == before


async def test_domain_rejections_are_422_and_change_nothing(platform: Platform) -> None:
    await three_orders(platform)
    before = platform.state()
    cases = [
        ("/v1/orders", {"id": "o9", "member": "zed", "product": "pack1000"}, "unknown_member", "member"),
        ("/v1/orders", {"id": "o9", "member": "A", "product": "nope"}, "unknown_product", "product"),
        ("/v1/orders", {"id": "o1", "member": "B", "product": "pack1000"}, "order_conflict", "id"),
        ("/v1/sells", {"member": "A", "points": "999.0000"}, "insufficient_points", "points"),
        ("/v1/withdrawals", {"id": "w", "member": "A", "amount": "1.00"}, "insufficient_funds", "amount"),
        ("/v1/members", {"member": "A"}, "member_exists", "member"),
        ("/v1/members", {"member": "Q", "sponsor": "zed"}, "unknown_member", "sponsor"),
        ("/v1/orders/o404/settle", None, "unknown_order", "id"),
        ("/v1/withdrawals/w404/approve", None, "unknown_withdrawal", "id"),
    ]
    for path, body, code, field in cases:
        r = await platform.post(path, body)
        assert r.status_code == 422, (path, r.text)
        assert (r.json()["code"], r.json()["field"]) == (code, field)
        assert isinstance(r.json()["seq"], int)
    assert platform.state() == before


async def test_auth_and_idempotency_key_are_required(platform: Platform) -> None:
    c = platform.client
    r = await c.post("/v1/members", json={"member": "A"}, headers={"Idempotency-Key": "k"})
    assert r.status_code == 401 and r.headers["WWW-Authenticate"] == "Bearer"
    r = await c.get("/v1/pool", headers={"Authorization": "Bearer zk_nope.nope"})
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    r = await c.post("/v1/members", json={"member": "A"}, headers=platform.auth())
    assert r.status_code == 400 and r.json()["field"] == "Idempotency-Key"
    r = await c.post("/v1/members", json={"member": "A"}, headers=platform.auth(key="bad key#"))
    assert r.status_code == 400 and r.json()["code"] == "invalid_idempotency_key"
    platform.access.revoke_api_key(platform.keys["t1"].split(".")[0])
    assert (await platform.get("/v1/pool")).status_code == 401
    assert platform.state()["members"] == {}


async def test_unknown_member_get_is_404(platform: Platform) -> None:
    r = await platform.get("/v1/members/nobody")
    assert r.status_code == 404
    assert r.json() == {"code": "unknown_member", "field": "member", "reason": "unknown member 'nobody'"}


async def test_tenant_isolation(platform: Platform) -> None:
    await three_orders(platform)
    before = platform.state("t1")
    # t2's key sees t2 only: no members, an empty pool, no postings of t1's orders
    assert (await platform.get("/v1/members/A", tenant="t2")).status_code == 404
    assert (await platform.get("/v1/pool", tenant="t2")).json()["money"] == "0.00"
    assert (await platform.get("/v1/postings", tenant="t2", order_id="o1")).status_code == 404
    assert (await platform.get("/v1/pool/history", tenant="t2")).json()["items"] == []
    # and cannot change t1: the same ids name t2's (missing) things
    r = await platform.post("/v1/orders/o1/settle", tenant="t2")
    assert r.status_code == 422 and r.json()["code"] == "unknown_order"
    r = await platform.post("/v1/sells", {"member": "A", "points": "1.0000"}, tenant="t2")
    assert r.status_code == 422 and r.json()["code"] == "unknown_member"
    # a webhook signed with t2's secret is refused for t1
    r = await platform.webhook({"id": "d1", "type": "member.joined", "data": {"member": "X"}},
                               tenant="t1", secret=platform.secrets["t2"][0][1])
    assert r.status_code == 401
    assert platform.state("t1") == before
    # the same idempotency key in two tenants is two different keys
    r1 = await platform.post("/v1/members", {"member": "M"}, tenant="t1", key="same")
    r2 = await platform.post("/v1/members", {"member": "M"}, tenant="t2", key="same")
    assert r1.status_code == r2.status_code == 201


async def test_openapi_and_docs(platform: Platform) -> None:
    spec = (await platform.client.get("/openapi.json")).json()
    for path in ("/v1/members", "/v1/orders", "/v1/orders/{order_id}/settle", "/v1/orders/{order_id}/refund",
                 "/v1/sells", "/v1/redemptions", "/v1/withdrawals", "/v1/withdrawals/{withdrawal_id}/approve",
                 "/v1/withdrawals/{withdrawal_id}/complete", "/v1/withdrawals/{withdrawal_id}/fail",
                 "/v1/subsidies", "/v1/pool", "/v1/pool/history", "/v1/members/{member_id}",
                 "/v1/members/{member_id}/statement", "/v1/postings", "/v1/webhooks/{tenant}"):
        assert path in spec["paths"], path
    assert (await platform.client.get("/docs")).status_code == 200


async def test_history_price_when_the_last_points_are_sold(platform: Platform) -> None:
    await join(platform, "A")
    await buy(platform, "o1", "A")
    r = await platform.post("/v1/sells", {"member": "A", "points": "210.0000"})
    assert r.status_code == 200, r.text
    pool = (await platform.get("/v1/pool")).json()
    assert (pool["points"], pool["price"]) == ("0.0000", "1.4286")  # the last price at which points existed
    items = (await platform.get("/v1/pool/history")).json()["items"]
    assert [(x["money"], x["points"], x["price"]) for x in items] == [
        ("300.00", "210.0000", "1.4286"), ("60.00", "0.0000", "1.4286")]
    await platform.post("/v1/subsidies", {"amount": "40.00"})  # no points: the price stays
    last = (await platform.get("/v1/pool/history", limit=1)).json()["items"][0]
    assert (last["money"], last["price"]) == ("100.00", (await platform.get("/v1/pool")).json()["price"])
