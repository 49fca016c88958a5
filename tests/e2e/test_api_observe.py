"""Body limit (413), Prometheus metrics and JSON access logs."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import pytest

from tests.e2e.conftest import Platform, join
from zengzhi.api.observe import ACCESS_LOGGER, JsonFormatter
from zengzhi.bootstrap import build_app
from zengzhi.config import Settings

pytestmark = pytest.mark.anyio


async def test_oversized_body_is_413_by_content_length(platform: Platform) -> None:
    big = b'{"member": "' + b"x" * 70_000 + b'"}'
    r = await platform.client.post("/v1/members", content=big,
                                   headers={**platform.auth(key="k1"), "Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["code"] == "body_too_large"
    r = await platform.webhook(b"{" + b" " * 70_000 + b"}")
    assert r.status_code == 413
    assert platform.state()["members"] == {}


async def test_oversized_streamed_body_is_413_without_reading_it_all(platform: Platform) -> None:
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(1000):  # 1000 × 1 KiB offered, no Content-Length
            sent += 1
            yield b" " * 1024

    r = await platform.client.post("/v1/members", content=chunks(),
                                   headers={**platform.auth(key="k1"), "Content-Type": "application/json"})
    assert r.status_code == 413
    assert sent < 100  # stopped soon after 64 KiB


async def test_metrics(platform: Platform) -> None:
    await join(platform, "A")
    await platform.get("/v1/members/nobody")
    await platform.post("/v1/members", {"member": "A"})  # rejected: exists
    text = (await platform.client.get("/metrics")).text
    assert 'zengzhi_http_requests_total{method="POST",route="/v1/members",status="201"} 1.0' in text
    assert 'zengzhi_http_requests_total{method="GET",route="/v1/members/{member_id}",status="404"} 1.0' in text
    assert 'zengzhi_events_submitted_total{accepted="true",type="join"} 1.0' in text
    assert 'zengzhi_events_submitted_total{accepted="false",type="join"} 1.0' in text
    assert "zengzhi_http_request_duration_seconds_bucket" in text
    assert "zengzhi_writer_batch_size_count 2.0" in text


async def test_each_app_has_its_own_registry(tmp_path: object, platform: Platform) -> None:
    other = build_app(Settings(db_url=f"sqlite:///{tmp_path}/other.db"))
    try:
        assert other.state.api.metrics.registry is not platform.app.state.api.metrics.registry
    finally:
        other.state.hub.close()
        other.state.hub.store.close()


async def test_json_access_log_has_tenant_route_status_and_no_secrets(
        platform: Platform, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        await join(platform, "A")
    record = next(r for r in caplog.records if r.name == ACCESS_LOGGER)
    line = json.loads(JsonFormatter().format(record))
    assert line["tenant"] == "t1" and line["route"] == "/v1/members" and line["status"] == 201
    assert line["method"] == "POST" and line["duration_ms"] >= 0
    assert platform.keys["t1"] not in caplog.text
