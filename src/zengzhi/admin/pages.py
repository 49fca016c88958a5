"""Admin and member pages (server-rendered: Jinja2, HTMX, ECharts); ``mount`` adds them.

Routes (``{t}`` is the tenant):

* ``/admin/{t}/login`` and ``/member/{t}/login`` (GET form, POST sign-in),
  ``/admin/{t}/logout`` and ``/member/{t}/logout`` (POST);
* admin (role ``admin``): ``/admin/{t}/`` dashboard (pool, price chart,
  payouts, subsidy form), ``members`` (``?q=`` search), ``members/{id}``
  (balances, sponsor, referral tree, statement), ``orders`` (``?status=``),
  ``withdrawals`` (review; POST ``withdrawals/{approve|complete|fail}``),
  ``subsidy`` (POST), ``config`` (read-only), ``audit``;
* member (role ``member``, bound to its member id): ``/member/{t}/`` balances,
  points value, price chart, history, POST ``sell`` and ``withdraw``.

Sessions are Starlette's signed cookie (``settings.secret_key``) holding the
tenant, user, role, member id, CSRF token, language and a one-shot message.
Every POST form carries the session's CSRF token (403 otherwise, nothing
done). Every admin action and every sign-in is written to the audit log.
Language: ``?lang=en|zh-CN`` on any page, remembered in the session.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any, Final

import jinja2
import yaml
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.middleware.sessions import SessionMiddleware

from zengzhi.adapters.sql.access import AccessStore
from zengzhi.admin import i18n
from zengzhi.admin.digest import Digests, LogDigest
from zengzhi.config import Settings
from zengzhi.domain import events as ev
from zengzhi.domain.ledger import EXTERNAL_WITHDRAWALS, PTS, Posting, asset_of
from zengzhi.domain.money import (
    AmountError,
    Ratio,
    format_cents,
    format_points,
    format_ratio,
    parse_cents,
    parse_points,
    price_per_point,
)
from zengzhi.domain.state import State
from zengzhi.engine.engine import Command, Receipt
from zengzhi.engine.hub import TenantHub
from zengzhi.engine.queries import pool_view

HERE: Final = Path(__file__).resolve().parent
STATIC_URL: Final = "/static/pages"
SESSION_COOKIE: Final = "zengzhi_session"
SESSION_MAX_AGE_S: Final = 8 * 3600
LIST_LIMIT: Final = 200
FINISHED_WITHDRAWALS_SHOWN: Final = 50
STATEMENT_WINDOW: Final = 5_000  # the statement reads this many of the newest events
STATEMENT_ROWS_MAX: Final = 200
TREE_DEPTH_MAX: Final = 6
TREE_NODES_MAX: Final = 300
AUDIT_SHOWN: Final = 200
OPEN_WITHDRAWAL: Final = ("in_flight", "approved")
WITHDRAWAL_ACTIONS: Final[dict[str, Callable[[str], ev.Event]]] = {
    "approve": ev.WithdrawApprove,
    "complete": ev.WithdrawDone,
    "fail": ev.WithdrawFail,
}
ORDER_STATUSES: Final = ("paid", "settled", "refunded")
AREAS: Final = ("admin", "member")
NONCE_RE: Final = re.compile(r"[0-9a-f]{32}")
SECURITY_HEADERS: Final = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


# -- errors that pages answer with HTML ---------------------------------------------


class PageError(Exception):
    """Answered with the error page: ``status`` and a catalogue key."""

    def __init__(self, status: int, key: str) -> None:
        super().__init__(key)
        self.status = status
        self.key = key


class LoginRequired(Exception):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


# -- the environment ---------------------------------------------------------------


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                             autoescape=jinja2.select_autoescape(("html",), default=True),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(cents=format_cents, points=format_points, static=STATIC_URL,
                       nonce=lambda: uuid.uuid4().hex)
    return Jinja2Templates(env=env)


TEMPLATES: Final = _templates()


def _hub(request: Request) -> TenantHub:
    hub: TenantHub = request.app.state.hub
    return hub


def _access(request: Request) -> AccessStore:
    access: AccessStore = request.app.state.access
    return access


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _digest(request: Request, tenant: str) -> LogDigest:
    hub = _hub(request)
    digests: Digests = request.app.state.page_digests
    initial = hub.read(tenant, lambda s: s.config.pool.initial_price)
    return digests.get(hub.store, tenant, initial)


# -- session: language, CSRF, user, messages ----------------------------------------


def language(request: Request) -> str:
    """The page language: ``?lang=`` (remembered), else the session's, else the default."""
    session = request.session
    asked = i18n.normalize(request.query_params.get("lang"))
    if asked is not None:
        session["lang"] = asked
        return asked
    remembered = session.get("lang")
    if remembered in i18n.LANGUAGES:
        return str(remembered)
    return _settings(request).default_language


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def checked_form(request: Request) -> FormData:
    """The POSTed form, once its CSRF token matches the session's (else 403)."""
    form = await request.form()
    sent = form.get("csrf")
    expected = request.session.get("csrf")
    if (not isinstance(sent, str) or not isinstance(expected, str) or not expected
            or not hmac.compare_digest(sent.encode(), expected.encode())):
        raise PageError(403, "error_csrf")
    return form


@dataclass(frozen=True, slots=True)
class SessionUser:
    tenant: str
    username: str
    role: str
    member_id: str | None


def require(request: Request, tenant: str, role: str) -> SessionUser:
    """The signed-in user of ``tenant`` with ``role``.

    Not signed in to this tenant: a GET goes to the login page, a POST is
    refused (403). Signed in with another role: 403.
    """
    session = request.session
    if session.get("tenant") != tenant or not session.get("user"):
        if request.method == "GET":
            raise LoginRequired(f"/{role}/{tenant}/login")
        raise PageError(403, "error_forbidden")
    if session.get("role") != role:
        raise PageError(403, "error_forbidden")
    member = session.get("member")
    return SessionUser(tenant, str(session["user"]), role, None if member is None else str(member))


def command_key(user: SessionUser, form: FormData) -> str:
    """The idempotency key of a form's command: the form's one-time ``nonce``.

    A form submitted twice (a double click, a resent request) carries the
    same nonce, so the engine answers the second time with the first result
    instead of acting twice.
    """
    nonce = form.get("nonce")
    if not isinstance(nonce, str) or not NONCE_RE.fullmatch(nonce):
        nonce = uuid.uuid4().hex
    return f"page:{user.role}:{user.username}:{nonce}"


def flash(request: Request, kind: str, text: str) -> None:
    request.session["flash"] = {"kind": kind, "text": text}


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    lang = language(request)
    session = request.session

    def t(key: str, **values: object) -> str:
        return i18n.translate(lang, key, **values)

    base: dict[str, Any] = {
        "lang": lang,
        "t": t,
        "rule_label": lambda rule: i18n.rule_label(lang, rule),
        "csrf": csrf_token(request),
        "user": session.get("user"),
        "role": session.get("role"),
        "session_tenant": session.get("tenant"),
        "flash": session.pop("flash", None),
        "path": request.url.path,
    }
    base.update(context)
    response = TEMPLATES.TemplateResponse(request, name, base, status_code=status)
    response.headers.update(SECURITY_HEADERS)
    return response


def back_to(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _time_ms(at_ms: int) -> str:
    return datetime.fromtimestamp(at_ms // 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")


def _plain(ratio: Ratio) -> str:
    """``3`` or ``2.50``: a ratio for display."""
    whole, rest = divmod(ratio.num, ratio.den)
    return str(whole) if rest == 0 else format_ratio(ratio, 2)


def _percent(ratio: Ratio) -> str:
    return _plain(Ratio(ratio.num * 100, ratio.den)) + "%"


def _rejection_text(lang: str, receipt: Receipt) -> str | None:
    rejection = receipt.outcome.rejection
    if rejection is None:
        return None
    reason = f"{i18n.code_label(lang, rejection.code.value)} — {rejection.message()}"
    return i18n.translate(lang, "rejected", reason=reason)


def _result(receipt: Receipt) -> str:
    rejection = receipt.outcome.rejection
    return "ok" if rejection is None else rejection.code.value


# -- read models of the pages ---------------------------------------------------------


def _member_rows(state: State, ids: Iterable[str]) -> list[dict[str, Any]]:
    balances = state.ledger.balances
    rows = []
    for member_id in ids:
        member = state.members[member_id]
        rows.append({
            "id": member_id,
            "sponsor": member.sponsor,
            "points": format_points(balances.get(member.points, 0)),
            "cash": format_cents(balances.get(member.cash, 0)),
            "exits": member.exits,
        })
    return rows


def _search(state: State, q: str) -> tuple[list[dict[str, Any]], bool]:
    needle = q.strip().lower()
    found: Iterator[str] = (m for m in state.members if needle in m.lower()) if needle else iter(state.members)
    ids = list(islice(found, LIST_LIMIT + 1))
    return _member_rows(state, ids[:LIST_LIMIT]), len(ids) > LIST_LIMIT


def _balances(state: State, member_id: str) -> dict[str, Any]:
    member = state.members[member_id]
    balances = state.ledger.balances
    out: dict[str, Any] = {kind: format_cents(balances.get(getattr(member, kind), 0))
                           for kind in ("cash", "frozen", "pending", "withdrawing")}
    out["points"] = format_points(balances.get(member.points, 0))
    out["spent"] = format_cents(member.spent_cents if member.cycle_active else 0)
    out["exits"] = member.exits
    out["sponsor"] = member.sponsor
    return out


def _tree(children: dict[str, list[str]], root: str) -> dict[str, Any]:
    """The downline of ``root`` as nested nodes, cut at a depth and a node count."""
    budget = [TREE_NODES_MAX]

    def node(member_id: str, depth: int) -> dict[str, Any]:
        kids = children.get(member_id, [])
        shown: list[dict[str, Any]] = []
        if depth < TREE_DEPTH_MAX:
            for kid in kids:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
                shown.append(node(kid, depth + 1))
        return {"id": member_id, "children": shown, "more": len(kids) - len(shown)}

    return node(root, 0)


def _statement(request: Request, tenant: str, member_id: str, lang: str) -> list[dict[str, Any]]:
    """Postings touching the member among the newest ``STATEMENT_WINDOW`` events, newest first."""
    hub = _hub(request)
    seq = hub.engine(tenant).seq
    prefix = f"member:{member_id}:"
    rows: list[dict[str, Any]] = []
    for record in hub.store.load(tenant, max(0, seq - STATEMENT_WINDOW)):
        for posting in record.postings:
            if posting.from_account.startswith(prefix) or posting.to_account.startswith(prefix):
                rows.append(_posting_row(record.seq, record.at_ms, posting, prefix, lang))
    rows.reverse()
    return rows[:STATEMENT_ROWS_MAX]


def _account_label(account: str, prefix: str, lang: str) -> str:
    if account.startswith(prefix):
        kind = account[len(prefix):]
        return i18n.translate(lang, kind) if kind in i18n.keys() else kind
    return account


def _posting_row(seq: int, at_ms: int, posting: Posting, prefix: str, lang: str) -> dict[str, Any]:
    amount = posting.amount
    text = format_points(amount) if asset_of(posting.to_account) == PTS else format_cents(amount)
    incoming = posting.to_account.startswith(prefix)
    outgoing = posting.from_account.startswith(prefix)
    return {
        "seq": seq,
        "time": _time_ms(at_ms),
        "rule": posting.rule,
        "from": _account_label(posting.from_account, prefix, lang),
        "to": _account_label(posting.to_account, prefix, lang),
        "amount": text,
        "asset": posting.asset,
        "sign": "" if incoming and outgoing else ("+" if incoming else "-"),
    }


def _chart_context(digest: LogDigest) -> dict[str, Any]:
    return {"chart": digest.chart_data()}


# -- routes ------------------------------------------------------------------------------


def mount(app: FastAPI) -> None:
    """Add the pages, their static files and the session middleware to ``app``."""
    settings: Settings = app.state.settings
    app.state.page_digests = Digests()
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie=SESSION_COOKIE,
                       max_age=SESSION_MAX_AGE_S, same_site="lax", https_only=False)
    app.mount(STATIC_URL, StaticFiles(directory=HERE / "static"), name="pages-static")

    @app.exception_handler(PageError)
    async def _page_error(request: Request, exc: PageError) -> Response:
        return render(request, "error.html", {"message_key": exc.key, "status": exc.status,
                                              "tenant": None}, status=exc.status)

    @app.exception_handler(LoginRequired)
    async def _login_required(_: Request, exc: LoginRequired) -> Response:
        return back_to(exc.url)

    _mount_login(app)
    _mount_admin(app)
    _mount_member(app)


def _known_tenant(request: Request, tenant: str) -> None:
    if tenant not in _hub(request).tenants():
        raise PageError(404, "error_not_found")


def _mount_login(app: FastAPI) -> None:
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
        access = _access(request)
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
            await run_in_threadpool(_access(request).audit, tenant, str(user), "logout", {})
        lang = request.session.get("lang")
        request.session.clear()
        if lang:
            request.session["lang"] = lang
        return back_to(f"/{area}/{tenant}/login")


def _mount_admin(app: FastAPI) -> None:
    @app.get("/admin/{tenant}/", response_class=HTMLResponse, include_in_schema=False)
    def dashboard(request: Request, tenant: str) -> Response:
        require(request, tenant, "admin")

        def read(state: State) -> dict[str, Any]:
            open_ = [w for w in state.withdrawals.values() if w.status in OPEN_WITHDRAWAL]
            return {
                "pool": pool_view(state),
                "initial_price": format_ratio(price_per_point(state.config.pool.initial_price)),
                "members_count": len(state.members),
                "orders_count": len(state.orders),
                "exits": state.exits_total,
                "withdrawn": format_cents(state.ledger.balances.get(EXTERNAL_WITHDRAWALS, 0)),
                "pending_count": len(open_),
                "pending_amount": format_cents(sum(w.amount_cents for w in open_)),
            }

        view = _hub(request).read(tenant, read)
        digest = _digest(request, tenant)
        with digest.lock:
            payouts = {
                "total": format_cents(digest.payouts_total_cents),
                "sale": format_cents(digest.payouts_cents.get("sale.payout", 0)),
                "exit": format_cents(digest.payouts_cents.get("exit.payout", 0)),
            }
        return render(request, "admin/dashboard.html",
                      {"tenant": tenant, "view": view, "payouts": payouts, **_chart_context(digest)})

    @app.get("/admin/{tenant}/members", response_class=HTMLResponse, include_in_schema=False)
    def members(request: Request, tenant: str, q: str = "") -> Response:
        require(request, tenant, "admin")
        rows, more = _hub(request).read(tenant, lambda s: _search(s, q))
        return render(request, "admin/members.html", {"tenant": tenant, "q": q, "rows": rows, "more": more,
                                                      "limit": LIST_LIMIT})

    @app.get("/admin/{tenant}/members/{member_id}", response_class=HTMLResponse, include_in_schema=False)
    def member_detail(request: Request, tenant: str, member_id: str) -> Response:
        require(request, tenant, "admin")
        lang = language(request)
        balances = _hub(request).read(
            tenant, lambda s: _balances(s, member_id) if member_id in s.members else None)
        if balances is None:
            raise PageError(404, "unknown_member")
        digest = _digest(request, tenant)
        with digest.lock:
            tree = _tree(digest.children, member_id)
        return render(request, "admin/member.html", {
            "tenant": tenant, "member_id": member_id, "b": balances, "tree": tree,
            "statement": _statement(request, tenant, member_id, lang), "window": STATEMENT_WINDOW,
        })

    @app.get("/admin/{tenant}/orders", response_class=HTMLResponse, include_in_schema=False)
    def orders(request: Request, tenant: str, status: str = "") -> Response:
        require(request, tenant, "admin")
        wanted = status if status in ORDER_STATUSES else ""

        def read(state: State) -> list[dict[str, Any]]:
            found = (o for o in reversed(state.orders.values()) if not wanted or o.status == wanted)
            return [{"id": o.order_id, "member": o.member, "amount": format_cents(o.amount_cents),
                     "status": o.status, "granted": format_points(o.granted_units)}
                    for o in islice(found, LIST_LIMIT)]

        rows = _hub(request).read(tenant, read)
        return render(request, "admin/orders.html", {"tenant": tenant, "rows": rows, "status": wanted,
                                                     "statuses": ORDER_STATUSES, "limit": LIST_LIMIT})

    @app.get("/admin/{tenant}/withdrawals", response_class=HTMLResponse, include_in_schema=False)
    def withdrawals(request: Request, tenant: str) -> Response:
        require(request, tenant, "admin")

        def read(state: State) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
            def row(w: Any) -> dict[str, Any]:
                return {"id": w.withdrawal_id, "member": w.member, "amount": format_cents(w.amount_cents),
                        "status": w.status}

            open_ = [row(w) for w in islice((w for w in state.withdrawals.values()
                                             if w.status in OPEN_WITHDRAWAL), LIST_LIMIT)]
            done = [row(w) for w in islice((w for w in reversed(state.withdrawals.values())
                                            if w.status not in OPEN_WITHDRAWAL), FINISHED_WITHDRAWALS_SHOWN)]
            return open_, done

        open_rows, done_rows = _hub(request).read(tenant, read)
        return render(request, "admin/withdrawals.html",
                      {"tenant": tenant, "open_rows": open_rows, "done_rows": done_rows})

    @app.post("/admin/{tenant}/withdrawals/{action}", include_in_schema=False)
    async def withdrawal_action(request: Request, tenant: str, action: str) -> Response:
        form = await checked_form(request)
        user = require(request, tenant, "admin")
        make = WITHDRAWAL_ACTIONS.get(action)
        if make is None:
            raise PageError(404, "error_not_found")
        withdrawal_id = str(form.get("withdrawal") or "")
        lang = language(request)
        receipt = await _hub(request).submit(tenant, Command(command_key(user, form), make(withdrawal_id)))
        rejected = _rejection_text(lang, receipt)
        await run_in_threadpool(_access(request).audit, tenant, user.username, f"withdrawal.{action}", {
            "withdrawal": withdrawal_id, "seq": receipt.seq, "result": _result(receipt),
        })
        if rejected is not None:
            flash(request, "error", rejected)
        else:
            status = _hub(request).read(tenant, lambda s: s.withdrawals[withdrawal_id].status)
            flash(request, "ok", i18n.translate(lang, "action_done", action=i18n.translate(lang, action),
                                                id=withdrawal_id,
                                                status=i18n.translate(lang, f"status_{status}")))
        return back_to(f"/admin/{tenant}/withdrawals")

    @app.post("/admin/{tenant}/subsidy", include_in_schema=False)
    async def subsidy(request: Request, tenant: str) -> Response:
        form = await checked_form(request)
        user = require(request, tenant, "admin")
        lang = language(request)
        try:
            cents = parse_cents(str(form.get("amount") or ""), "amount")
        except AmountError as exc:
            flash(request, "error", i18n.translate(lang, "bad_amount", detail=str(exc)))
            return back_to(f"/admin/{tenant}/")
        receipt = await _hub(request).submit(tenant, Command(command_key(user, form), ev.Inject(cents)))
        rejected = _rejection_text(lang, receipt)
        await run_in_threadpool(_access(request).audit, tenant, user.username, "subsidy", {
            "amount": format_cents(cents), "seq": receipt.seq, "result": _result(receipt),
        })
        flash(request, "error" if rejected else "ok",
              rejected or i18n.translate(lang, "subsidy_done", amount=format_cents(cents)))
        return back_to(f"/admin/{tenant}/")

    @app.get("/admin/{tenant}/config", response_class=HTMLResponse, include_in_schema=False)
    def config(request: Request, tenant: str) -> Response:
        require(request, tenant, "admin")
        stored = _hub(request).store.tenant_config(tenant) or {}
        return render(request, "admin/config.html", {
            "tenant": tenant,
            "yaml": yaml.safe_dump(stored, allow_unicode=True, sort_keys=False),
            "json": json.dumps(stored, ensure_ascii=False, indent=2),
        })

    @app.get("/admin/{tenant}/audit", response_class=HTMLResponse, include_in_schema=False)
    def audit(request: Request, tenant: str) -> Response:
        require(request, tenant, "admin")
        entries = [{"at": e.at.strftime("%Y-%m-%d %H:%M:%S"), "actor": e.actor, "action": e.action,
                    "detail": json.dumps(e.detail, ensure_ascii=False, sort_keys=True)}
                   for e in _access(request).audit_entries(tenant, AUDIT_SHOWN)]
        return render(request, "admin/audit.html", {"tenant": tenant, "entries": entries})


def _mount_member(app: FastAPI) -> None:
    @app.get("/member/{tenant}/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, tenant: str) -> Response:
        user = require(request, tenant, "member")
        lang = language(request)
        member_id = user.member_id or ""

        def read(state: State) -> dict[str, Any] | None:
            member = state.members.get(member_id)
            if member is None:
                return None
            pool = state.pool
            units = state.ledger.balances.get(member.points, 0)
            price = pool.price()
            config = state.config.pool
            sale = pool.sale_payout_cents(units, config.sell_retention) if units > 0 else 0
            mine = [w for w in reversed(state.withdrawals.values()) if w.member == member_id]
            return {
                "b": _balances(state, member_id),
                "pool": pool_view(state),
                "value": format_cents(units * price.num // price.den),
                "sale_value": format_cents(sale),
                "retention": _percent(config.sell_retention),
                "exit_multiple": None if config.exit_multiple is None else _plain(config.exit_multiple),
                "withdrawals": [{"id": w.withdrawal_id, "amount": format_cents(w.amount_cents), "status": w.status}
                                for w in mine[:20]],
            }

        view = _hub(request).read(tenant, read)
        if view is None:
            raise PageError(404, "unknown_member")
        digest = _digest(request, tenant)
        return render(request, "member/home.html", {
            "tenant": tenant, "member_id": member_id, **view, **_chart_context(digest),
            "history": _statement(request, tenant, member_id, lang), "window": STATEMENT_WINDOW,
        })

    @app.post("/member/{tenant}/sell", include_in_schema=False)
    async def sell(request: Request, tenant: str) -> Response:
        form = await checked_form(request)
        user = require(request, tenant, "member")
        lang = language(request)
        try:
            units = parse_points(str(form.get("points") or ""), "points")
        except AmountError as exc:
            flash(request, "error", i18n.translate(lang, "bad_amount", detail=str(exc)))
            return back_to(f"/member/{tenant}/")
        command = Command(command_key(user, form), ev.Sell(user.member_id or "", units))
        receipt = await _hub(request).submit(tenant, command)
        rejected = _rejection_text(lang, receipt)
        if rejected is not None:
            flash(request, "error", rejected)
        else:
            paid = sum(p.amount for p in receipt.outcome.postings if p.rule == "sale.payout")
            flash(request, "ok", i18n.translate(lang, "sold", points=format_points(units), amount=format_cents(paid)))
        return back_to(f"/member/{tenant}/")

    @app.post("/member/{tenant}/withdraw", include_in_schema=False)
    async def withdraw(request: Request, tenant: str) -> Response:
        form = await checked_form(request)
        user = require(request, tenant, "member")
        lang = language(request)
        try:
            cents = parse_cents(str(form.get("amount") or ""), "amount")
        except AmountError as exc:
            flash(request, "error", i18n.translate(lang, "bad_amount", detail=str(exc)))
            return back_to(f"/member/{tenant}/")
        key = command_key(user, form)
        withdrawal_id = "w-" + key.rsplit(":", 1)[1][:20]  # a resent form asks for the same withdrawal
        command = Command(key, ev.Withdraw(withdrawal_id, user.member_id or "", cents))
        receipt = await _hub(request).submit(tenant, command)
        rejected = _rejection_text(lang, receipt)
        flash(request, "error" if rejected else "ok",
              rejected or i18n.translate(lang, "withdraw_requested", id=withdrawal_id, amount=format_cents(cents)))
        return back_to(f"/member/{tenant}/")
