"""What every route needs: the hub, the access store, settings, metrics, read models.

``Api.submit`` is the only write path of the HTTP layer: it opens the
tenant's writer off the event loop (the first open replays the log), then
awaits ``hub.submit`` — the tenant's single writer thread orders and
group-commits the command. ``render`` turns a receipt into the response:
the same receipt (a replayed idempotency key) always gives the same status
and body.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from zengzhi.adapters.sql.access import AccessStore
from zengzhi.api.observe import ApiMetrics
from zengzhi.api.problems import ApiError, rejection_body
from zengzhi.api.readmodel import LogViews, TenantLogView, show_amount
from zengzhi.config import Settings
from zengzhi.domain import events as ev
from zengzhi.domain.ledger import Posting
from zengzhi.domain.state import State
from zengzhi.engine import codec
from zengzhi.engine.engine import Command, Receipt
from zengzhi.engine.hub import TenantHub

T = TypeVar("T")

KEY_PATTERN = re.compile(r"[A-Za-z0-9._~+/=-]{1,128}")
REPLAYED_HEADER = "Idempotent-Replayed"


@dataclass(frozen=True, slots=True)
class Api:
    settings: Settings
    hub: TenantHub
    access: AccessStore
    metrics: ApiMetrics
    views: LogViews

    async def submit(self, tenant: str, key: str, event: ev.Event) -> Receipt:
        writer = self.hub.open_writer(tenant)
        if writer is None:  # the first open replays the log: off the event loop
            writer = await run_in_threadpool(self.hub.writer, tenant)
        self.metrics.instrument(writer)
        receipt = await self.hub.submit(tenant, Command(key, event))
        accepted = "conflict" if receipt.conflict else str(receipt.outcome.accepted).lower()
        self.metrics.events.labels(codec.KINDS[type(event)], accepted).inc()
        return receipt

    async def read(self, tenant: str, query: Callable[[State], T]) -> T:
        return await run_in_threadpool(self.hub.read, tenant, query)

    async def log_view(self, tenant: str) -> TenantLogView:
        initial = await self.read(tenant, lambda s: s.config.pool.initial_price)
        return await run_in_threadpool(self.views.view, tenant, initial)


@dataclass(frozen=True, slots=True)
class Caller:
    tenant: str
    key_id: str


def api_from(request: Request) -> Api:
    api: Api = request.app.state.api
    return api


async def api_of(request: Request) -> Api:
    """The dependency (async: a sync dependency would cost a thread-pool hop per request)."""
    return api_from(request)


bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <API key>`; the key decides the tenant")


def caller(request: Request,
           credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Caller:
    """The tenant of the API key (a sync dependency: FastAPI runs it in a thread)."""
    if credentials is None or not credentials.credentials:
        raise ApiError(401, "unauthorized", "Authorization", "send `Authorization: Bearer <API key>`",
                       headers={"WWW-Authenticate": "Bearer"})
    key = credentials.credentials
    tenant = api_from(request).access.tenant_of_api_key(key)
    if tenant is None:
        raise ApiError(401, "unauthorized", "Authorization", "unknown or revoked API key",
                       headers={"WWW-Authenticate": "Bearer"})
    request.state.tenant = tenant
    return Caller(tenant, key.split(".", 1)[0])


def idempotency_key(
    key: Annotated[str | None, Header(alias="Idempotency-Key",
                                      description="1-128 of A-Z a-z 0-9 . _ ~ + / = -; the same key with "
                                                  "the same body returns the first response")] = None,
) -> str:
    if key is None:
        raise ApiError(400, "missing_idempotency_key", "Idempotency-Key",
                       "every POST needs an Idempotency-Key header")
    if not KEY_PATTERN.fullmatch(key):
        raise ApiError(400, "invalid_idempotency_key", "Idempotency-Key",
                       "1-128 characters of A-Z a-z 0-9 . _ ~ + / = -")
    return key


def posting_json(posting: Posting) -> dict[str, Any]:
    return {"from": posting.from_account, "to": posting.to_account, "asset": posting.asset,
            "amount": show_amount(posting), "rule": posting.rule, "order_id": posting.order_id or None,
            "plan": posting.plan or None, "memo": posting.memo or None}


def conflict_response(receipt: Receipt, header: str) -> JSONResponse:
    assert receipt.outcome.rejection is not None
    return JSONResponse({"code": "key_conflict", "field": header,
                         "reason": receipt.outcome.rejection.reason, "seq": receipt.seq}, status_code=409)


def render(receipt: Receipt, status: int, *, webhook: bool = False,
           field_of: Callable[[str], str] | None = None) -> JSONResponse:
    """The response for a receipt: ``status`` when accepted, 422 when rejected, 409 on a key conflict."""
    headers = {REPLAYED_HEADER: "true"} if receipt.replayed else None
    if receipt.conflict:
        return conflict_response(receipt, "id" if webhook else "Idempotency-Key")
    outcome = receipt.outcome
    if outcome.rejection is not None:
        rejection = outcome.rejection
        field = field_of(rejection.field) if field_of else rejection.field
        return JSONResponse(rejection_body(rejection, receipt.seq, field), status_code=422, headers=headers)
    body: dict[str, Any]
    if webhook:
        body = {"seq": receipt.seq, "accepted": True, "rejection": None, "duplicate": outcome.duplicate,
                "exits": list(outcome.exits)}
    else:
        body = {"seq": receipt.seq, "accepted": True, "duplicate": outcome.duplicate,
                "postings": [posting_json(p) for p in outcome.postings], "exits": list(outcome.exits)}
    return JSONResponse(body, status_code=status, headers=headers)
