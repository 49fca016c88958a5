"""The demo tenant of ``zengzhi serve --demo``: seed 000's 1000 pack, a referral plan, a few members.

Idempotent: run it on every start; it creates what is missing (the events use
fixed idempotency keys, so they apply once).
"""

from __future__ import annotations

from typing import Any

from zengzhi.adapters.sql.access import AccessStore
from zengzhi.domain import events as ev
from zengzhi.engine.engine import Command
from zengzhi.engine.hub import TenantHub

DEMO_TENANT = "demo"
DEMO_ADMIN = ("admin", "admin")  # username, password: a demo only
DEMO_MEMBER = ("alice", "alice")
DEMO_CONFIG: dict[str, Any] = {
    "pool": {"initial_price": "1.00", "grant_ratio": "0.70", "sell_retention": "0.20",
             "exit_multiple": "3"},
    "products": {
        "pack1000": {"price": "1000.00", "split": {"cost": "300.00", "distribution": "300.00",
                                                  "platform": "100.00", "pool": "300.00"}},
    },
    # 直推 10% / 间推 5% of the order from the distribution bucket (the rest to residual)
    "plans": [{"type": "referral", "bucket": "distribution", "awards": ["10%", "5%"]}],
}
DEMO_EVENTS: list[ev.Event] = [
    ev.Join("alice"), ev.Join("bob", sponsor="alice"), ev.Join("carol", sponsor="alice"),
    ev.Join("dave", sponsor="bob"),
    ev.PayOrder("demo-o1", "alice", "pack1000"), ev.PayOrder("demo-o2", "bob", "pack1000"),
    ev.PayOrder("demo-o3", "carol", "pack1000"), ev.PayOrder("demo-o4", "dave", "pack1000"),
    ev.Sell("bob", 400_000),
    ev.PayOrder("demo-o5", "dave", "pack1000", settle=False),
]


def ensure_demo_tenant(hub: TenantHub, access: AccessStore) -> tuple[str, str] | None:
    """Create the demo tenant if needed.

    Returns:
        A new API key and webhook secret, or None if the tenant existed.
    """
    if DEMO_TENANT in hub.tenants():
        return None
    hub.create_tenant(DEMO_TENANT, DEMO_CONFIG)
    writer = hub.writer(DEMO_TENANT)
    for i, event in enumerate(DEMO_EVENTS):
        writer.submit(Command(f"demo:{i}", event))
    access.create_user(DEMO_TENANT, *DEMO_ADMIN, role="admin")
    access.create_user(DEMO_TENANT, *DEMO_MEMBER, role="member", member_id="alice")
    _, secret = access.add_webhook_secret(DEMO_TENANT)
    return access.create_api_key(DEMO_TENANT), secret
