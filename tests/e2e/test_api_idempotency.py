"""Idempotency keys: the same key and body give the first response; another body is 409."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Platform, join

pytestmark = pytest.mark.anyio

ORDER = {"id": "o1", "member": "A", "product": "pack1000"}


async def test_same_key_same_body_returns_the_first_response(platform: Platform) -> None:
    await join(platform, "A")
    first = await platform.post("/v1/orders", ORDER, key="order-1")
    again = await platform.post("/v1/orders", ORDER, key="order-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert first.content == again.content
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    # money is the same whether written as yuan text or integer cents
    inline = {"id": "o2", "member": "A", "amount": "1000.00",
              "split": {"cost": "700.00", "pool": "300.00"}}
    r1 = await platform.post("/v1/orders", inline, key="order-2")
    r2 = await platform.post("/v1/orders", {**inline, "amount": 100_000}, key="order-2")
    assert r1.json() == r2.json()
    state = platform.state()
    assert state["members"]["A"]["points"] == "357.0000"  # two orders, not three or four


async def test_same_key_other_body_is_409_and_changes_nothing(platform: Platform) -> None:
    await join(platform, "A")
    await platform.post("/v1/orders", ORDER, key="order-1")
    before = platform.state()
    r = await platform.post("/v1/orders", {**ORDER, "id": "o2"}, key="order-1")
    assert r.status_code == 409
    assert r.json()["code"] == "key_conflict" and r.json()["field"] == "Idempotency-Key"
    r = await platform.post("/v1/sells", {"member": "A", "points": "1.0000"}, key="order-1")
    assert r.status_code == 409
    assert platform.state() == before


async def test_a_rejection_replays_as_the_same_422(platform: Platform) -> None:
    r1 = await platform.post("/v1/orders", ORDER, key="early")  # A has not joined yet
    assert r1.status_code == 422
    await join(platform, "A")
    r2 = await platform.post("/v1/orders", ORDER, key="early")  # the logged answer, not a new try
    assert (r2.status_code, r2.json()) == (422, r1.json())
    assert platform.state()["members"]["A"]["points"] == "0.0000"


async def test_subsidy_replay_is_audited_once(platform: Platform) -> None:
    for _ in range(3):
        r = await platform.post("/v1/subsidies", {"amount": "10.00"}, key="sub-1")
        assert r.status_code == 200
    assert len(platform.access.audit_entries("t1")) == 1
    assert platform.state()["pool"]["money"] == "10.00"


async def test_webhook_redelivery_and_reused_delivery_id(platform: Platform) -> None:
    await join(platform, "A")
    body = {"id": "evt_1", "type": "order.paid", "data": {**ORDER, "order_id": "o1", "settle": True}}
    del body["data"]["id"]  # type: ignore[attr-defined]
    first = await platform.webhook(body)
    again = await platform.webhook(body)
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    assert again.headers["Idempotent-Replayed"] == "true"
    other = await platform.webhook({**body, "data": {**body["data"], "order_id": "o2"}})  # type: ignore[dict-item]
    assert other.status_code == 409
    assert other.json()["field"] == "id"
    assert platform.state()["pool"]["money"] == "300.00"
