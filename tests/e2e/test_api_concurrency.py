"""Concurrent requests: one effect per key, no overdraft, tenants never mix.

``asyncio.gather`` over ``httpx.AsyncClient`` with ``ASGITransport``: the
requests interleave in the event loop and meet in the tenant's writer
thread, which orders them and commits them in batches.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from tests.e2e.conftest import Platform, buy, join

pytestmark = pytest.mark.anyio


async def test_fifty_copies_of_one_webhook_have_one_effect(platform: Platform) -> None:
    await join(platform, "A")
    body = {"id": "evt-dup", "type": "order.paid",
            "data": {"order_id": "o1", "member": "A", "product": "pack1000", "settle": True}}
    responses = await asyncio.gather(*(platform.webhook(body) for _ in range(50)))
    assert {r.status_code for r in responses} == {200}
    assert len({r.content for r in responses}) == 1  # every copy got the first answer
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 49
    log = list(platform.hub.store.load("t1"))
    assert [rec.key for rec in log].count("wh:evt-dup") == 1
    grants = [p for rec in log for p in rec.postings if p.rule == "pool.grant"]
    assert len(grants) == 1
    state = platform.state()
    assert state["pool"] == {"money": "300.00", "points": "210.0000", "price": "1.4286"}


async def test_concurrent_withdrawals_never_overdraw(platform: Platform) -> None:
    """The lilishop#145 race: parallel withdrawals that together exceed the cash."""
    await join(platform, "A", "B", "C")
    for i, m in enumerate("ABC", 1):
        await buy(platform, f"o{i}", m)
    await platform.post("/v1/subsidies", {"amount": "5985.00"})  # A exits: cash 2400.00
    assert platform.state()["members"]["A"]["cash"] == "2400.00"
    responses = await asyncio.gather(*(
        platform.post("/v1/withdrawals", {"id": f"w{i}", "member": "A", "amount": "200.00"})
        for i in range(16)))
    codes = Counter(r.status_code for r in responses)
    assert codes == {201: 12, 422: 4}
    assert {r.json()["code"] for r in responses if r.status_code == 422} == {"insufficient_funds"}
    a = platform.state()["members"]["A"]
    assert (a["cash"], a["withdrawing"]) == ("0.00", "2400.00")
    # the store agrees with the engine, and no account except external ones is negative
    balances = platform.hub.store.balances("t1")
    assert balances["member:A:cash"] == 0 and balances["member:A:withdrawing"] == 240_000
    assert all(v >= 0 for k, v in balances.items() if not k.startswith("external:"))


async def test_two_tenants_hammered_concurrently_stay_exact(platform: Platform) -> None:
    n = 40
    for tenant in ("t1", "t2"):
        await asyncio.gather(*(platform.post("/v1/members", {"member": f"m{i}"}, tenant=tenant)
                               for i in range(n)))

    async def orders(tenant: str, count: int) -> None:
        responses = await asyncio.gather(*(
            platform.post("/v1/orders", {"id": f"{tenant}-o{i}", "member": f"m{i}", "product": "pack1000"},
                          tenant=tenant) for i in range(count)))
        assert {r.status_code for r in responses} == {201}

    await asyncio.gather(orders("t1", n), orders("t2", n // 2))
    t1, t2 = platform.state("t1"), platform.state("t2")
    assert t1["pool"]["money"] == f"{300 * n}.00"
    assert t2["pool"]["money"] == f"{300 * (n // 2)}.00"
    for state in (t1, t2):
        # the pool's points are exactly the members' points
        total = sum(int(m["points"].replace(".", "")) for m in state["members"].values())
        assert total == int(state["pool"]["points"].replace(".", ""))
    # each tenant's log holds only its own orders
    assert all(not rec.payload.get("order_id", "t2").startswith("t1") for rec in platform.hub.store.load("t2"))
