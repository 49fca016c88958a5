"""The same races over real HTTP: threads against uvicorn on 127.0.0.1 (ephemeral port)."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import uvicorn

from tests.e2e.conftest import CONFIG, sign
from zengzhi.bootstrap import build_app
from zengzhi.config import Settings

START_TIMEOUT_S = 10


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """(base URL, API key, webhook secret) of a running server with tenant t1."""
    app = build_app(Settings(db_url=f"sqlite:///{tmp_path / 'uv.db'}"))
    app.state.hub.create_tenant("t1", CONFIG)
    key = app.state.access.create_api_key("t1")
    _, secret = app.state.access.add_webhook_secret("t1")
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    port = srv.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", key, secret
    finally:
        srv.should_exit = True
        thread.join(START_TIMEOUT_S)
        app.state.hub.store.close()


def test_races_over_real_http(server: tuple[str, str, str]) -> None:
    base, key, secret = server
    auth = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=base, timeout=30) as client:
        for m in "ABC":
            r = client.post("/v1/members", json={"member": m}, headers={**auth, "Idempotency-Key": f"j{m}"})
            assert r.status_code == 201
        for i, m in enumerate("ABC", 1):
            r = client.post("/v1/orders", json={"id": f"o{i}", "member": m, "product": "pack1000"},
                            headers={**auth, "Idempotency-Key": f"o{i}"})
            assert r.status_code == 201
        raw = json.dumps({"id": "sub", "type": "order.paid",
                          "data": {"order_id": "o4", "member": "A", "product": "pack1000", "settle": True}}).encode()

        def webhook(_: int) -> httpx.Response:
            ts = int(time.time())
            return client.post("/v1/webhooks/t1", content=raw, headers={
                "X-Zengzhi-Timestamp": str(ts), "X-Zengzhi-Signature": f"v1={sign(secret, ts, raw)}"})

        with ThreadPoolExecutor(16) as pool:
            hooks = list(pool.map(webhook, range(50)))
        assert {r.status_code for r in hooks} == {200}
        assert len({r.content for r in hooks}) == 1
        # a big subsidy makes A exit (出局): A gets cash to race for
        pool_now = client.get("/v1/pool", headers=auth).json()
        assert pool_now["money"] == "1200.00"
        r = client.post("/v1/subsidies", json={"amount": "100000.00"}, headers={**auth, "Idempotency-Key": "s"})
        assert r.status_code == 200 and "A" in r.json()["exits"]
        cash = client.get("/v1/members/A", headers=auth).json()["cash"]
        cents = int(cash.replace(".", ""))
        each = cents // 12 + 1  # 16 × each > cash: at most 11 fit

        def withdraw(i: int) -> httpx.Response:
            return client.post("/v1/withdrawals", json={"id": f"w{i}", "member": "A", "amount": each},
                               headers={**auth, "Idempotency-Key": f"w{i}"})

        with ThreadPoolExecutor(16) as pool:
            results = list(pool.map(withdraw, range(16)))
        codes = Counter(r.status_code for r in results)
        assert codes[201] == cents // each and codes[422] == 16 - cents // each
        a = client.get("/v1/members/A", headers=auth).json()
        assert int(a["withdrawing"].replace(".", "")) == each * codes[201] <= cents
        assert int(a["cash"].replace(".", "")) == cents - each * codes[201] >= 0
