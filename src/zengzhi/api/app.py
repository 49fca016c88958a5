"""``create_app``: the FastAPI application (platform API, pages, metrics).

Errors map to HTTP status in one table here (``ERROR_STATUS``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from zengzhi.adapters.sql.access import AccessStore
from zengzhi.admin.pages import mount as mount_pages
from zengzhi.api.routes import mount as mount_api
from zengzhi.config import Settings
from zengzhi.engine.hub import TenantHub
from zengzhi.errors import IdempotencyConflict, NotFound, ScenarioError, StoreError, ZengzhiError

ERROR_STATUS: dict[type[ZengzhiError], int] = {
    NotFound: 404,
    IdempotencyConflict: 409,
    ScenarioError: 422,
    StoreError: 503,
}


def create_app(settings: Settings, hub: TenantHub, access: AccessStore) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        hub.close()
        hub.store.close()

    app = FastAPI(title="zengzhi", version="0.1.0", lifespan=lifespan,
                  description="Exact engine for consumption-appreciation pools (消费增值).")
    app.state.settings = settings
    app.state.hub = hub
    app.state.access = access

    @app.exception_handler(ZengzhiError)
    async def _zengzhi_error(_: Request, exc: ZengzhiError) -> JSONResponse:
        status = next((code for cls, code in ERROR_STATUS.items() if isinstance(exc, cls)), 500)
        return JSONResponse({"error": type(exc).__name__, "detail": str(exc)}, status_code=status)

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    mount_api(app)
    mount_pages(app)
    return app
