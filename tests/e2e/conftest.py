"""Fixtures for the platform API: an app on a SQLite file with two tenants.

``platform`` gives a ``Platform``: the app (its lifespan running), an
``httpx.AsyncClient`` on it through ``ASGITransport``, and for tenants
``t1`` and ``t2`` an API key and a webhook secret. Everything is closed after
the test (client, lifespan -> hub, store), so no ResourceWarning escapes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from zengzhi.adapters.sql.access import AccessStore
from zengzhi.bootstrap import build_app
from zengzhi.config import Settings
from zengzhi.engine.hub import TenantHub

PACK = {"price": "1000.00", "split": {"cost": "300.00", "distribution": "300.00",
                                      "platform": "100.00", "pool": "300.00"}}
CONFIG: dict[str, Any] = {
    "pool": {"initial_price": "1.00", "grant_ratio": "0.70", "sell_retention": "0.20", "exit_multiple": "3"},
    "products": {"pack1000": PACK},
}
TENANTS = ("t1", "t2")


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


@dataclass
class Platform:
    app: FastAPI
    client: httpx.AsyncClient
    hub: TenantHub
    access: AccessStore
    keys: dict[str, str] = field(default_factory=dict)
    secrets: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # tenant -> [(id, secret)]
    _n: int = 0

    def auth(self, tenant: str = "t1", key: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.keys[tenant]}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        return headers

    def next_key(self) -> str:
        self._n += 1
        return f"k{self._n}"

    async def post(self, path: str, body: Any = None, *, tenant: str = "t1",
                   key: str | None = None) -> httpx.Response:
        return await self.client.post(path, json=body, headers=self.auth(tenant, key or self.next_key()))

    async def get(self, path: str, *, tenant: str = "t1", **params: Any) -> httpx.Response:
        return await self.client.get(path, params=params, headers=self.auth(tenant))

    async def webhook(self, body: dict[str, Any] | bytes, *, tenant: str = "t1", secret: str | None = None,
                      timestamp: int | None = None, signature: str | None = None) -> httpx.Response:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        ts = int(time.time()) if timestamp is None else timestamp
        secret = secret if secret is not None else self.secrets[tenant][0][1]
        sig = signature if signature is not None else f"v1={sign(secret, ts, raw)}"
        return await self.client.post(f"/v1/webhooks/{tenant}", content=raw,
                                      headers={"X-Zengzhi-Timestamp": str(ts), "X-Zengzhi-Signature": sig,
                                               "Content-Type": "application/json"})

    def state(self, tenant: str = "t1") -> dict[str, Any]:
        from zengzhi.engine.queries import state_view

        return self.hub.read(tenant, state_view)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db_url=f"sqlite:///{tmp_path / 'api.db'}")


@pytest.fixture
async def platform(settings: Settings) -> AsyncIterator[Platform]:
    app = build_app(settings)
    hub: TenantHub = app.state.hub
    access: AccessStore = app.state.access
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                p = Platform(app, client, hub, access)
                for tenant in TENANTS:
                    hub.create_tenant(tenant, CONFIG)
                    p.keys[tenant] = access.create_api_key(tenant)
                    p.secrets[tenant] = [access.add_webhook_secret(tenant)]
                yield p
    finally:
        hub.store.close()


async def join(p: Platform, *members: str, tenant: str = "t1") -> None:
    for m in members:
        r = await p.post("/v1/members", {"member": m}, tenant=tenant)
        assert r.status_code == 201, r.text


async def buy(p: Platform, order_id: str, member: str, *, tenant: str = "t1", **extra: Any) -> httpx.Response:
    r = await p.post("/v1/orders", {"id": order_id, "member": member, "product": "pack1000", **extra},
                     tenant=tenant)
    assert r.status_code == 201, r.text
    return r
