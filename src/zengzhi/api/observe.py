"""Metrics (Prometheus, one registry per app), JSON access logs and the body limit.

``ApiMiddleware`` is a plain ASGI middleware (no ``BaseHTTPMiddleware``): it
refuses bodies over the limit with 413 before the app reads them (checking
``Content-Length`` and then the stream, so at most the limit is buffered),
counts requests by route template and status, times them, and writes one
JSON log line per request with the tenant, route, status and duration.
Headers and bodies are never logged (they carry API keys and signatures).
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zengzhi.engine.writer import TenantWriter

ACCESS_LOGGER = "zengzhi.api.access"
LOG_FIELDS = ("tenant", "route", "method", "status", "duration_ms")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000)


class ApiMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("zengzhi_http_requests", "HTTP requests by route template, method and status",
                                ["route", "method", "status"], registry=self.registry)
        self.latency = Histogram("zengzhi_http_request_duration_seconds", "HTTP request latency",
                                 ["route"], registry=self.registry)
        self.events = Counter("zengzhi_events_submitted", "Commands submitted to the engine by event type",
                              ["type", "accepted"], registry=self.registry)
        self.batch_size = Histogram("zengzhi_writer_batch_size", "Commands per writer batch (group commit)",
                                    buckets=BATCH_BUCKETS, registry=self.registry)

    def instrument(self, writer: TenantWriter) -> None:
        """Observe the sizes of the writer's batches (once per writer)."""
        observe = self.batch_size.observe
        if observe not in writer.batch_observers:
            writer.batch_observers.append(observe)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the known extras."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in LOG_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                out[name] = value
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def configure_json_logging(level: int = logging.INFO) -> None:
    """Send zengzhi's logs to stderr as JSON lines (for ``zengzhi serve``)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("zengzhi")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False


def _too_large(limit: int) -> bytes:
    return json.dumps({"code": "body_too_large", "field": "body",
                       "reason": f"the body is larger than the limit of {limit} bytes"}).encode()


class ApiMiddleware:
    def __init__(self, app: ASGIApp, metrics: ApiMetrics, body_size_max: int) -> None:
        self.app = app
        self.metrics = metrics
        self.body_size_max = body_size_max
        self.log = logging.getLogger(ACCESS_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        scope.setdefault("state", {})
        status = 500
        method = scope["method"]

        async def send_(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            if method in BODY_METHODS:
                buffered = await self._read_body(scope, receive)
                if buffered is None:
                    await self._send_413(send_)
                    return
                receive = _replay(buffered, receive)
            await self.app(scope, receive, send_)
        finally:
            self._record(scope, method, status, time.perf_counter() - started)

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes | None:
        """The whole body, or ``None`` once it is over the limit (stops reading there)."""
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    if int(value) > self.body_size_max:
                        return None
                except ValueError:
                    pass
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # client went away
                return b"".join(chunks)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.body_size_max:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _send_413(self, send: Send) -> None:
        body = _too_large(self.body_size_max)
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    def _record(self, scope: Scope, method: str, status: int, seconds: float) -> None:
        route_obj = scope.get("route")
        route = getattr(route_obj, "path", None) or "unmatched"
        self.metrics.requests.labels(route, method, str(status)).inc()
        self.metrics.latency.labels(route).observe(seconds)
        tenant = scope.get("state", {}).get("tenant")
        self.log.info("%s %s %s", method, route, status,
                      extra={"tenant": tenant, "route": route, "method": method, "status": status,
                             "duration_ms": round(seconds * 1000, 3)})


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def receive_() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return receive_
