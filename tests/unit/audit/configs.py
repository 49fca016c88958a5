"""Small tenant configs for the audit's unit tests."""

from __future__ import annotations

from typing import Any

from zengzhi.audit import Finding, audit
from zengzhi.domain.config import TenantConfig, parse_tenant_config

# one 1000 pack with a bucket for every plan type
PACK: dict[str, Any] = {"price": "1000.00", "split": {
    "linkage": "330.00", "refer": "100.00", "tier": "30.00", "distribution": "50.00", "dividend": "40.00",
    "pool": "300.00", "cost": "150.00"}}


def config(*plans: dict[str, Any], pool: dict[str, Any] | None = None,
           products: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"pool": pool if pool is not None else {"exit_multiple": "0"},
            "products": products if products is not None else {"pack1000": PACK},
            "plans": list(plans)}


def parsed(*plans: dict[str, Any], **kwargs: Any) -> TenantConfig:
    return parse_tenant_config(config(*plans, **kwargs))


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def audit_raw(raw: dict[str, Any], texts: dict[str, str] | None = None) -> list[Finding]:
    return audit(parse_tenant_config(raw), raw, texts)


LINKAGE = {"type": "linkage", "bucket": "linkage", "boss_at": 3,
           "packs": {"pack1000": {"direct": "100.00", "see_point": "200.00"}}, "peer_rate": "10%"}
