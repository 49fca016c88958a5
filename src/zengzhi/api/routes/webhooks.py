"""Signed webhooks: ``POST /v1/webhooks/{tenant}``.

A platform signs ``f"{timestamp}.{raw body}"`` with HMAC-SHA256 and one of
the tenant's webhook secrets and sends ``X-Zengzhi-Timestamp`` (unix seconds)
and ``X-Zengzhi-Signature: v1=<hex>`` (several ``v1=`` values, comma
separated, during a key rotation). Any active secret may match. A timestamp
outside ``webhook_tolerance_s`` or a wrong signature is 401; an unknown
tenant is also 401 with the same message (a tenant without secrets cannot be
told apart from one that does not exist). The delivery ``id`` is the
idempotency key: a redelivery returns the first response.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError

from zengzhi.api.context import Api, api_from, render
from zengzhi.api.problems import ApiError, validation_problem
from zengzhi.api.schemas import (
    MemberJoinedData,
    OrderPaidData,
    OrderRefundedData,
    OrderSettledData,
    ProblemPublic,
    WebhookEnvelope,
    WebhookPublic,
    money_cents,
    split_parts,
)
from zengzhi.domain import events as ev
from zengzhi.domain.results import ResultCode

SIGNATURES_MAX = 8
TIMESTAMP_PATTERN = re.compile(r"\d{1,12}")
SETTLE_SUFFIX = "#settle"  # '#' is not allowed in delivery ids, so no id collides with it

router = APIRouter(prefix="/v1", tags=["webhooks"])

DATA_MODELS: dict[str, type[BaseModel]] = {
    "order.paid": OrderPaidData,
    "order.settled": OrderSettledData,
    "order.refunded": OrderRefundedData,
    "member.joined": MemberJoinedData,
}


def _unauthorized(reason: str) -> ApiError:
    return ApiError(401, "unauthorized", "X-Zengzhi-Signature", reason)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``f"{timestamp}.{body}"`` (what platforms compute)."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _candidates(header: str) -> list[str]:
    values = [part.strip() for part in header.split(",")]
    return [v[3:] for v in values if v.startswith("v1=")][:SIGNATURES_MAX]


def verify(active: list[str], timestamp: str, body: bytes, header: str) -> bool:
    """Does some ``v1=`` value match some active secret? (constant-time comparisons)"""
    # with no secret (unknown tenant) still do the work once, so timing tells nothing
    keys = active or [secrets.token_urlsafe(32)]
    ok = False
    for secret in keys:
        expected = signature(secret, timestamp, body)
        for candidate in _candidates(header):
            ok |= hmac.compare_digest(expected, candidate)
    return ok and bool(active)


def _data_field(field: str) -> str:
    return "data." + ("order_id" if field == "id" else field)


WEBHOOK_BODY = {
    "required": True,
    "content": {"application/json": {"schema": WebhookEnvelope.model_json_schema()}},
}
# declared for the OpenAPI document only: the handler reads them from the request itself,
# which spares FastAPI's per-request parameter solving on the hottest route
WEBHOOK_PARAMETERS = [
    {"name": "tenant", "in": "path", "required": True,
     "schema": {"type": "string", "minLength": 1, "maxLength": 64}},
    {"name": "X-Zengzhi-Timestamp", "in": "header", "required": False, "description": "unix seconds",
     "schema": {"type": "string"}},
    {"name": "X-Zengzhi-Signature", "in": "header", "required": False,
     "description": "v1=<hex HMAC-SHA256>[,v1=…]", "schema": {"type": "string"}},
]
TENANT_LENGTH_MAX = 64


@router.post(
    "/webhooks/{tenant}", response_model=WebhookPublic,
    openapi_extra={"requestBody": WEBHOOK_BODY, "parameters": WEBHOOK_PARAMETERS},
    summary="A signed event from the platform (order paid / settled / refunded, member joined)",
    responses={400: {"model": ProblemPublic, "description": "body is not JSON"},
               401: {"model": ProblemPublic, "description": "bad or stale signature, or unknown tenant"},
               409: {"model": ProblemPublic, "description": "delivery id reused for another body"},
               413: {"model": ProblemPublic, "description": "body over the size limit"},
               422: {"model": ProblemPublic, "description": "invalid data or a domain rejection"}},
)
async def webhook(request: Request) -> Response:
    tenant: str = request.path_params["tenant"]
    if not 1 <= len(tenant) <= TENANT_LENGTH_MAX:
        raise ApiError(422, "invalid_field", "tenant", f"must be 1-{TENANT_LENGTH_MAX} characters")
    api = api_from(request)
    x_zengzhi_timestamp = request.headers.get("x-zengzhi-timestamp")
    x_zengzhi_signature = request.headers.get("x-zengzhi-signature")
    if x_zengzhi_timestamp is None or not TIMESTAMP_PATTERN.fullmatch(x_zengzhi_timestamp):
        raise ApiError(401, "unauthorized", "X-Zengzhi-Timestamp", "send X-Zengzhi-Timestamp: <unix seconds>")
    now_s = api.hub.clock.now_ms() // 1000
    skew = int(x_zengzhi_timestamp) - now_s
    tolerance = api.settings.webhook_tolerance_s
    if abs(skew) > tolerance:
        raise ApiError(401, "stale_timestamp", "X-Zengzhi-Timestamp",
                       f"timestamp is {abs(skew)} s {'ahead of' if skew > 0 else 'behind'} the server clock; "
                       f"the tolerance is {tolerance} s (check the sender's clock, sign each delivery anew)")
    body = await request.body()
    active = api.access.cached_webhook_secrets(tenant)
    if active is None:
        active = await run_in_threadpool(api.access.webhook_secrets, tenant)
    if not verify(active, x_zengzhi_timestamp, body, x_zengzhi_signature or ""):
        raise _unauthorized("no v1 signature matches an active secret of this tenant "
                            "(or the tenant does not exist)")
    request.state.tenant = tenant
    try:
        envelope = WebhookEnvelope.model_validate_json(body)  # parse and check in one pass
    except ValidationError as exc:
        errors = exc.errors()
        if errors and errors[0]["type"] == "json_invalid":
            raise ApiError(400, "invalid_json", "body", "the body is not JSON") from None
        return validation_problem(errors)
    try:
        data = DATA_MODELS[envelope.type].model_validate(envelope.data)
    except ValidationError as exc:
        return validation_problem(exc.errors(), prefix="data.")
    key = "wh:" + envelope.id
    return await _deliver(api, tenant, key, data)


def _pay(data: OrderPaidData | OrderSettledData, settle: bool) -> ev.PayOrder:
    assert data.member is not None
    if data.product is not None:
        return ev.PayOrder(data.order_id, data.member, product=data.product, settle=settle)
    assert data.amount is not None and data.split is not None
    return ev.PayOrder(data.order_id, data.member, amount_cents=money_cents(data.amount),
                       split=split_parts(data.split), settle=settle)


async def _deliver(api: Api, tenant: str, key: str, data: BaseModel) -> JSONResponse:
    event: ev.Event
    if isinstance(data, OrderPaidData):
        event = _pay(data, data.settle)
    elif isinstance(data, OrderSettledData) and data.member is not None:
        # a platform that only sends settlement: pay and settle in one event; if the
        # order is known already (paid earlier), settle it under a derived key. The
        # choice depends only on the first receipt, so a redelivery replays both.
        first = await api.submit(tenant, key, _pay(data, settle=True))
        outcome = first.outcome
        known = outcome.duplicate or (
            outcome.rejection is not None and outcome.rejection.code is ResultCode.ORDER_CONFLICT)
        if first.conflict or not known:
            return render(first, 200, webhook=True, field_of=_data_field)
        key, event = key + SETTLE_SUFFIX, ev.SettleOrder(data.order_id)
    elif isinstance(data, OrderSettledData):
        event = ev.SettleOrder(data.order_id)
    elif isinstance(data, OrderRefundedData):
        event = ev.RefundOrder(data.order_id)
    else:
        assert isinstance(data, MemberJoinedData)
        event = ev.Join(data.member, data.sponsor, data.region)
    receipt = await api.submit(tenant, key, event)
    return render(receipt, 200, webhook=True, field_of=_data_field)
