"""Signed webhooks: signatures, timestamps, rotation, event types and errors."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from tests.e2e.conftest import Platform, join, sign

pytestmark = pytest.mark.anyio


def paid(delivery: str, order_id: str, member: str = "A", **extra: Any) -> dict[str, Any]:
    return {"id": delivery, "type": "order.paid",
            "data": {"order_id": order_id, "member": member, "product": "pack1000", **extra}}


async def test_valid_signature_is_accepted(platform: Platform) -> None:
    r = await platform.webhook({"id": "d1", "type": "member.joined", "data": {"member": "A", "region": "cn-sh"}})
    assert r.status_code == 200, r.text
    assert r.json() == {"seq": 1, "accepted": True, "rejection": None, "duplicate": False, "exits": []}
    assert "A" in platform.state()["members"]


async def test_wrong_secret_stale_timestamp_and_missing_headers_are_401(platform: Platform) -> None:
    body = {"id": "d1", "type": "member.joined", "data": {"member": "A"}}
    r = await platform.webhook(body, secret="not-the-secret")
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    now = int(time.time())
    r = await platform.webhook(body, timestamp=now - 301)
    assert r.status_code == 401 and r.json()["code"] == "stale_timestamp"
    assert "tolerance is 300 s" in r.json()["reason"]
    r = await platform.webhook(body, timestamp=now + 400)
    assert r.status_code == 401 and "ahead of" in r.json()["reason"]
    assert (await platform.webhook(body, timestamp=now - 250)).status_code == 200
    raw = json.dumps(body).encode()
    r = await platform.client.post("/v1/webhooks/t1", content=raw)
    assert r.status_code == 401
    r = await platform.client.post("/v1/webhooks/t1", content=raw, headers={"X-Zengzhi-Timestamp": "1.5e9"})
    assert r.status_code == 401
    # the signature covers the body: a changed body with the old signature fails
    ts = int(time.time())
    sig = f"v1={sign(platform.secrets['t1'][0][1], ts, raw)}"
    tampered = raw.replace(b'"A"', b'"B"')
    r = await platform.client.post("/v1/webhooks/t1", content=tampered,
                                   headers={"X-Zengzhi-Timestamp": str(ts), "X-Zengzhi-Signature": sig})
    assert r.status_code == 401
    assert list(platform.state()["members"]) == ["A"]


async def test_unknown_tenant_is_401_like_a_bad_signature(platform: Platform) -> None:
    body = {"id": "d1", "type": "member.joined", "data": {"member": "A"}}
    unknown = await platform.webhook(body, tenant="t1", secret="x")
    raw = json.dumps(body).encode()
    ts = int(time.time())
    r = await platform.client.post("/v1/webhooks/nobody", content=raw, headers={
        "X-Zengzhi-Timestamp": str(ts), "X-Zengzhi-Signature": f"v1={sign('x', ts, raw)}"})
    assert r.status_code == 401
    assert r.json() == unknown.json()


async def test_rotated_secrets(platform: Platform) -> None:
    (old_id, old), = platform.secrets["t1"]
    new_id, new = platform.access.add_webhook_secret("t1")
    assert (await platform.webhook({"id": "d1", "type": "member.joined", "data": {"member": "A"}},
                                   secret=old)).status_code == 200
    assert (await platform.webhook({"id": "d2", "type": "member.joined", "data": {"member": "B"}},
                                   secret=new)).status_code == 200
    # a sender in the middle of a rotation signs with both
    raw = json.dumps({"id": "d3", "type": "member.joined", "data": {"member": "C"}}).encode()
    ts = int(time.time())
    header = f"v1={sign('stale-guess', ts, raw)}, v1={sign(new, ts, raw)}"
    assert (await platform.webhook(raw, signature=header, timestamp=ts)).status_code == 200
    platform.access.retire_webhook_secret(old_id)
    assert (await platform.webhook({"id": "d4", "type": "member.joined", "data": {"member": "D"}},
                                   secret=old)).status_code == 401
    assert (await platform.webhook({"id": "d5", "type": "member.joined", "data": {"member": "E"}},
                                   secret=new)).status_code == 200
    assert sorted(platform.state()["members"]) == ["A", "B", "C", "E"]
    del new_id


async def test_order_lifecycle_by_webhook(platform: Platform) -> None:
    await join(platform, "A", "B", "C")
    r = await platform.webhook(paid("d1", "o1"))  # paid only (settle defaults to false)
    assert r.status_code == 200, r.text
    assert platform.state()["members"]["A"]["pending"] == "1000.00"
    r = await platform.webhook({"id": "d2", "type": "order.settled", "data": {"order_id": "o1"}})
    assert r.status_code == 200
    assert platform.state()["members"]["A"]["points"] == "210.0000"
    # paid and settled in one delivery
    assert (await platform.webhook(paid("d3", "o2", "B", settle=True))).status_code == 200
    assert platform.state()["members"]["B"]["points"] == "147.0000"
    # a refund of a paid order
    await platform.webhook(paid("d4", "o3", "C"))
    r = await platform.webhook({"id": "d5", "type": "order.refunded", "data": {"order_id": "o3"}})
    assert r.status_code == 200
    assert platform.state()["members"]["C"]["pending"] == "0.00"
    r = await platform.webhook({"id": "d6", "type": "order.refunded", "data": {"order_id": "o3"}})
    assert r.status_code == 422
    assert r.json()["code"] == "order_not_pending" and r.json()["field"] == "data.order_id"


async def test_settlement_only_platforms(platform: Platform) -> None:
    await join(platform, "A", "B", "C")
    # unknown order with its content: paid and settled at once
    settled = {"id": "s1", "type": "order.settled",
               "data": {"order_id": "o1", "member": "A", "amount": "1000.00",
                        "split": {"cost": "300.00", "distribution": "300.00", "platform": "100.00",
                                  "pool": "300.00"}}}
    r = await platform.webhook(settled)
    assert r.status_code == 200, r.text
    assert platform.state()["members"]["A"]["points"] == "210.0000"
    again = await platform.webhook(settled)
    assert again.content == r.content
    # an order paid earlier, settled by a delivery that carries its content too
    await platform.webhook(paid("p2", "o2", "B"))
    r = await platform.webhook({"id": "s2", "type": "order.settled",
                                "data": {"order_id": "o2", "member": "B", "product": "pack1000"}})
    assert r.status_code == 200, r.text
    again = await platform.webhook({"id": "s2", "type": "order.settled",
                                    "data": {"order_id": "o2", "member": "B", "product": "pack1000"}})
    assert (again.status_code, again.content) == (200, r.content)
    state = platform.state()
    assert state["members"]["B"]["points"] == "147.0000"
    assert state["pool"] == {"money": "600.00", "points": "357.0000", "price": "1.6807"}


async def test_webhook_errors(platform: Platform) -> None:
    await join(platform, "A")
    before = platform.state()
    r = await platform.webhook(paid("d1", "o1", amount=1000.0, split={"pool": "1000.00"}, product=None))
    assert r.status_code == 422 and r.json()["field"] == "data.amount"
    r = await platform.webhook(paid("d2", "o1", member="zed"))
    assert r.status_code == 422
    assert r.json()["code"] == "unknown_member" and r.json()["field"] == "data.member"
    r = await platform.webhook({"id": "d3", "type": "order.shipped", "data": {}})
    assert r.status_code == 422 and r.json()["field"] == "type"
    r = await platform.webhook(b"{not json")
    assert r.status_code == 400 and r.json()["code"] == "invalid_json"
    r = await platform.webhook({"id": "bad id#", "type": "member.joined", "data": {"member": "Q"}})
    assert r.status_code == 422 and r.json()["field"] == "id"
    r = await platform.webhook({"id": "d4", "type": "order.settled", "data": {"order_id": "o1", "member": "A"}})
    assert r.status_code == 422 and r.json()["field"] == "data"
    assert "member together with product" in r.json()["reason"]
    assert platform.state() == before
