"""Routers of the platform API; ``mount`` adds them to the app.

``mount`` also installs what the API needs around the routes: the error
shapes (``zengzhi.api.problems``), the body-size limit, metrics and access
logs (``zengzhi.api.observe``), and ``GET /metrics`` (Prometheus text, from
a registry of this app's own, so several apps in one process never collide).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from zengzhi.api import problems
from zengzhi.api.context import Api
from zengzhi.api.observe import ApiMetrics, ApiMiddleware
from zengzhi.api.readmodel import LogViews
from zengzhi.api.routes import platform, webhooks


def mount(app: FastAPI) -> None:
    """Add the platform API routes, its middleware and ``/metrics`` to ``app``."""
    settings = app.state.settings
    hub = app.state.hub
    metrics = ApiMetrics()
    app.state.api = Api(settings, hub, app.state.access, metrics, LogViews(hub.store))
    problems.install(app)
    app.add_middleware(ApiMiddleware, metrics=metrics, body_size_max=settings.body_size_max_bytes)
    # the webhook route first: it is the hot path, and routes are matched in order
    app.include_router(webhooks.router)
    app.include_router(platform.router)

    @app.get("/metrics", include_in_schema=False)
    async def _metrics() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)
