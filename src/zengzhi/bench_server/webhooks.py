"""Signed webhook requests for the server benchmark: HMAC-SHA256 signing and raw HTTP/1.1 bytes.

Each request is built (and signed) ahead of time, as the exact bytes the
load generator (``loadgen``) writes to a keep-alive socket.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Sequence
from typing import Any

from zengzhi.bench_server.processes import HOST

PRODUCT = "pack1000"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def raw_request(method: str, path: str, port: int, body: bytes = b"",
                headers: Sequence[tuple[str, str]] = ()) -> bytes:
    """One HTTP/1.1 keep-alive request as bytes."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}"]
    lines.extend(f"{name}: {value}" for name, value in headers)
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append("Content-Type: application/json")
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def signed_webhook(port: int, tenant: str, secret: str, payload: dict[str, Any],
                   timestamp: int | None = None) -> bytes:
    body = json.dumps(payload, separators=(",", ":")).encode()
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return raw_request("POST", f"/v1/webhooks/{tenant}", port, body,
                       (("X-Zengzhi-Timestamp", ts), ("X-Zengzhi-Signature", signature(secret, ts, body))))


def order_webhook(port: int, tenant: str, secret: str, delivery: str, order_id: str, member: str,
                  product: str = PRODUCT, settle: bool = True) -> bytes:
    return signed_webhook(port, tenant, secret, {
        "id": delivery, "type": "order.paid",
        "data": {"order_id": order_id, "member": member, "product": product, "settle": settle}})


def member_webhook(port: int, tenant: str, secret: str, delivery: str, member: str) -> bytes:
    return signed_webhook(port, tenant, secret, {"id": delivery, "type": "member.joined",
                                                 "data": {"member": member}})
