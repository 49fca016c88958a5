"""Admin and member pages (server-rendered: Jinja2, HTMX, ECharts); ``mount`` adds them.

Routes (``{t}`` is the tenant):

* ``/admin/{t}/login`` and ``/member/{t}/login`` (GET form, POST sign-in),
  ``/admin/{t}/logout`` and ``/member/{t}/logout`` (POST) — ``login_routes``;
* admin (role ``admin``): ``/admin/{t}/`` dashboard (pool, price chart,
  payouts, subsidy form), ``members`` (``?q=`` search), ``members/{id}``
  (balances, sponsor, referral tree, statement), ``orders`` (``?status=``),
  ``withdrawals`` (review; POST ``withdrawals/{approve|complete|fail}``),
  ``subsidy`` (POST), ``config`` (read-only), ``audit`` — ``admin_routes``;
* member (role ``member``, bound to its member id): ``/member/{t}/`` balances,
  points value, price chart, history, POST ``sell`` and ``withdraw`` —
  ``member_routes``.

Sessions are Starlette's signed cookie (``settings.secret_key``) holding the
tenant, user, role, member id, CSRF token, language and a one-shot message
(``session``). Every POST form carries the session's CSRF token (403
otherwise, nothing done; ``forms``). Every admin action and every sign-in is
written to the audit log. Language: ``?lang=en|zh-CN`` on any page,
remembered in the session. Rendering is in ``rendering``, the read models in
``views``.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from zengzhi.admin.admin_routes import mount_admin
from zengzhi.admin.digest import Digests
from zengzhi.admin.login_routes import mount_login
from zengzhi.admin.member_routes import mount_member
from zengzhi.admin.rendering import HERE, STATIC_URL, render
from zengzhi.admin.session import SESSION_COOKIE, SESSION_MAX_AGE_S, LoginRequired, PageError, back_to
from zengzhi.config import Settings


def mount(app: FastAPI) -> None:
    """Add the pages, their static files and the session middleware to ``app``."""
    settings: Settings = app.state.settings
    app.state.page_digests = Digests()
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie=SESSION_COOKIE,
                       max_age=SESSION_MAX_AGE_S, same_site="lax",
                       https_only=settings.session_https_only)
    app.mount(STATIC_URL, StaticFiles(directory=HERE / "static"), name="pages-static")

    @app.exception_handler(PageError)
    async def _page_error(request: Request, exc: PageError) -> Response:
        return render(request, "error.html", {"message_key": exc.key, "status": exc.status,
                                              "tenant": None}, status=exc.status)

    @app.exception_handler(LoginRequired)
    async def _login_required(_: Request, exc: LoginRequired) -> Response:
        return back_to(exc.url)

    mount_login(app)
    mount_admin(app)
    mount_member(app)
