"""The operator pages (role ``admin``) of ``/admin/{t}/``.

``/admin/{t}/`` dashboard (pool, price chart, payouts, subsidy form),
``members`` (``?q=`` search), ``members/{id}`` (balances, sponsor, referral
tree, statement), ``orders`` (``?status=``), ``withdrawals`` (review; POST
``withdrawals/{approve|complete|fail}``), ``subsidy`` (POST), ``config``
(read-only), ``audit``. Every admin action is written to the audit log.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import islice
from typing import Any, Final

import yaml
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from zengzhi.admin import i18n, views
from zengzhi.admin.app_state import access_store, log_digest, tenant_hub
from zengzhi.admin.forms import checked_form, command_key, flash_outcome, form_amount, result_code
from zengzhi.admin.rendering import render
from zengzhi.admin.session import PageError, back_to, language, require
from zengzhi.domain import events as ev
from zengzhi.domain.ledger import EXTERNAL_WITHDRAWALS
from zengzhi.domain.money import format_cents, format_points, format_ratio, parse_cents, price_per_point
from zengzhi.domain.state import State
from zengzhi.engine.engine import Command
from zengzhi.engine.queries import pool_view

FINISHED_WITHDRAWALS_SHOWN: Final = 50
AUDIT_SHOWN: Final = 200
OPEN_WITHDRAWAL: Final = ("in_flight", "approved")
WITHDRAWAL_ACTIONS: Final[dict[str, Callable[[str], ev.Event]]] = {
    "approve": ev.WithdrawApprove,
    "complete": ev.WithdrawDone,
    "fail": ev.WithdrawFail,
}
ORDER_STATUSES: Final = ("paid", "settled", "refunded")


def mount_admin(app: FastAPI) -> None:
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

        view = tenant_hub(request).read(tenant, read)
        digest = log_digest(request, tenant)
        with digest.lock:
            payouts = {
                "total": format_cents(digest.payouts_total_cents),
                "sale": format_cents(digest.payouts_cents.get("sale.payout", 0)),
                "exit": format_cents(digest.payouts_cents.get("exit.payout", 0)),
            }
        return render(request, "admin/dashboard.html",
                      {"tenant": tenant, "view": view, "payouts": payouts, **views.chart_context(digest)})

    @app.get("/admin/{tenant}/members", response_class=HTMLResponse, include_in_schema=False)
    def members(request: Request, tenant: str, q: str = "") -> Response:
        require(request, tenant, "admin")
        rows, more = tenant_hub(request).read(tenant, lambda s: views.search(s, q))
        return render(request, "admin/members.html", {"tenant": tenant, "q": q, "rows": rows, "more": more,
                                                      "limit": views.LIST_LIMIT})

    @app.get("/admin/{tenant}/members/{member_id}", response_class=HTMLResponse, include_in_schema=False)
    def member_detail(request: Request, tenant: str, member_id: str) -> Response:
        require(request, tenant, "admin")
        lang = language(request)
        balances = tenant_hub(request).read(
            tenant, lambda s: views.balances(s, member_id) if member_id in s.members else None)
        if balances is None:
            raise PageError(404, "unknown_member")
        digest = log_digest(request, tenant)
        with digest.lock:
            tree = views.tree(digest.children, member_id)
        return render(request, "admin/member.html", {
            "tenant": tenant, "member_id": member_id, "b": balances, "tree": tree,
            "statement": views.statement(request, tenant, member_id, lang), "window": views.STATEMENT_WINDOW,
        })

    @app.get("/admin/{tenant}/orders", response_class=HTMLResponse, include_in_schema=False)
    def orders(request: Request, tenant: str, status: str = "") -> Response:
        require(request, tenant, "admin")
        wanted = status if status in ORDER_STATUSES else ""

        def read(state: State) -> list[dict[str, Any]]:
            found = (o for o in reversed(state.orders.values()) if not wanted or o.status == wanted)
            return [{"id": o.order_id, "member": o.member, "amount": format_cents(o.amount_cents),
                     "status": o.status, "granted": format_points(o.granted_units)}
                    for o in islice(found, views.LIST_LIMIT)]

        rows = tenant_hub(request).read(tenant, read)
        return render(request, "admin/orders.html", {"tenant": tenant, "rows": rows, "status": wanted,
                                                     "statuses": ORDER_STATUSES, "limit": views.LIST_LIMIT})

    @app.get("/admin/{tenant}/withdrawals", response_class=HTMLResponse, include_in_schema=False)
    def withdrawals(request: Request, tenant: str) -> Response:
        require(request, tenant, "admin")

        def read(state: State) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
            def row(w: Any) -> dict[str, Any]:
                return {"id": w.withdrawal_id, "member": w.member, "amount": format_cents(w.amount_cents),
                        "status": w.status}

            open_ = [row(w) for w in islice((w for w in state.withdrawals.values()
                                             if w.status in OPEN_WITHDRAWAL), views.LIST_LIMIT)]
            done = [row(w) for w in islice((w for w in reversed(state.withdrawals.values())
                                            if w.status not in OPEN_WITHDRAWAL), FINISHED_WITHDRAWALS_SHOWN)]
            return open_, done

        open_rows, done_rows = tenant_hub(request).read(tenant, read)
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
        receipt = await tenant_hub(request).submit(tenant, Command(command_key(user, form), make(withdrawal_id)))
        await run_in_threadpool(access_store(request).audit, tenant, user.username, f"withdrawal.{action}", {
            "withdrawal": withdrawal_id, "seq": receipt.seq, "result": result_code(receipt),
        })

        def done() -> str:
            status = tenant_hub(request).read(tenant, lambda s: s.withdrawals[withdrawal_id].status)
            return i18n.translate(lang, "action_done", action=i18n.translate(lang, action), id=withdrawal_id,
                                  status=i18n.translate(lang, f"status_{status}"))

        flash_outcome(request, lang, receipt, done)
        return back_to(f"/admin/{tenant}/withdrawals")

    @app.post("/admin/{tenant}/subsidy", include_in_schema=False)
    async def subsidy(request: Request, tenant: str) -> Response:
        form = await checked_form(request)
        user = require(request, tenant, "admin")
        lang = language(request)
        back = f"/admin/{tenant}/"
        cents = form_amount(request, lang, form, "amount", parse_cents)
        if cents is None:
            return back_to(back)
        receipt = await tenant_hub(request).submit(tenant, Command(command_key(user, form), ev.Inject(cents)))
        await run_in_threadpool(access_store(request).audit, tenant, user.username, "subsidy", {
            "amount": format_cents(cents), "seq": receipt.seq, "result": result_code(receipt),
        })
        flash_outcome(request, lang, receipt,
                      lambda: i18n.translate(lang, "subsidy_done", amount=format_cents(cents)))
        return back_to(back)

    @app.get("/admin/{tenant}/config", response_class=HTMLResponse, include_in_schema=False)
    def config(request: Request, tenant: str) -> Response:
        require(request, tenant, "admin")
        stored = tenant_hub(request).store.tenant_config(tenant) or {}
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
                   for e in access_store(request).audit_entries(tenant, AUDIT_SHOWN)]
        return render(request, "admin/audit.html", {"tenant": tenant, "entries": entries})
