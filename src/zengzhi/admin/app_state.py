"""What the pages take from ``app.state``: the tenant hub, the access store, the settings, the digests."""

from __future__ import annotations

from fastapi import Request

from zengzhi.adapters.sql.access import AccessStore
from zengzhi.admin.digest import Digests, LogDigest
from zengzhi.config import Settings
from zengzhi.engine.hub import TenantHub


def tenant_hub(request: Request) -> TenantHub:
    hub: TenantHub = request.app.state.hub
    return hub


def access_store(request: Request) -> AccessStore:
    access: AccessStore = request.app.state.access
    return access


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def log_digest(request: Request, tenant: str) -> LogDigest:
    """The tenant's page digest (payouts, price chart, referral tree), brought up to date."""
    hub = tenant_hub(request)
    digests: Digests = request.app.state.page_digests
    initial = hub.read(tenant, lambda s: s.config.pool.initial_price)
    return digests.get(hub.store, tenant, initial)
