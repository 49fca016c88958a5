"""Sign-in and sign-out pages of both areas: ``/{admin|member}/{t}/login`` and ``logout``.

Every sign-in (and every failed one with a user name) is written to the audit log.
"""

from __future__ import annotations

import secrets
from typing import Final

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from zengzhi.admin.app_state import access_store, tenant_hub
from zengzhi.admin.forms import checked_form
from zengzhi.admin.rendering import render
from zengzhi.admin.session import PageError, back_to, language

AREAS: Final = ("admin", "member")


def _known_tenant(request: Request, tenant: str) -> None:
    if tenant not in tenant_hub(request).tenants():
        raise PageError(404, "error_not_found")


def mount_login(app: FastAPI) -> None:
    for area in AREAS:
        _login_routes(app, area)


def _login_routes(app: FastAPI, area: str) -> None:
    @app.get(f"/{area}/{{tenant}}/login", response_class=HTMLResponse, include_in_schema=False,
             name=f"{area}_login")
    def login_form(request: Request, tenant: str) -> Response:
        _known_tenant(request, tenant)
        return render(request, "login.html", {"tenant": tenant, "area": area, "error": False})

    @app.post(f"/{area}/{{tenant}}/login", include_in_schema=False)
    async def login(request: Request, tenant: str) -> Response:
        form = await checked_form(request)
        await run_in_threadpool(_known_tenant, request, tenant)
        username = str(form.get("username") or "")
        password = str(form.get("password") or "")
        access = access_store(request)
        user = await run_in_threadpool(access.verify_user, tenant, username, password)
        if user is None:
            if username:
                await run_in_threadpool(access.audit, tenant, username, "login.failed", {"area": area})
            return render(request, "login.html", {"tenant": tenant, "area": area, "error": True}, status=401)
        lang = language(request)
        request.session.clear()
        request.session.update({"tenant": tenant, "user": user.username, "role": user.role,
                                "member": user.member_id, "lang": lang,
                                "csrf": secrets.token_urlsafe(32)})
        await run_in_threadpool(access.audit, tenant, user.username, "login", {"role": user.role})
        return back_to(f"/{user.role}/{tenant}/")

    @app.post(f"/{area}/{{tenant}}/logout", include_in_schema=False)
    async def logout(request: Request, tenant: str) -> Response:
        await checked_form(request)
        user = request.session.get("user")
        if request.session.get("tenant") == tenant and user:
            await run_in_threadpool(access_store(request).audit, tenant, str(user), "logout", {})
        lang = request.session.get("lang")
        request.session.clear()
        if lang:
            request.session["lang"] = lang
        return back_to(f"/{area}/{tenant}/login")
