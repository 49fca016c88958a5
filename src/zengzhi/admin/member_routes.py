"""The member page (role ``member``, bound to its member id) of ``/member/{t}/``.

``/member/{t}/`` shows the balances, the points' value, the price chart and
the history; POST ``sell`` sells points, POST ``withdraw`` asks for a withdrawal.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from zengzhi.admin import i18n, views
from zengzhi.admin.app_state import log_digest, tenant_hub
from zengzhi.admin.forms import checked_form, command_key, flash_outcome, form_amount
from zengzhi.admin.rendering import percent, plain, render
from zengzhi.admin.session import PageError, back_to, language, require
from zengzhi.domain import events as ev
from zengzhi.domain.money import format_cents, format_points, parse_cents, parse_points
from zengzhi.domain.state import State
from zengzhi.engine.engine import Command
from zengzhi.engine.queries import pool_view


def mount_member(app: FastAPI) -> None:
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
                "b": views.balances(state, member_id),
                "pool": pool_view(state),
                "value": format_cents(units * price.num // price.den),
                "sale_value": format_cents(sale),
                "retention": percent(config.sell_retention),
                "exit_multiple": None if config.exit_multiple is None else plain(config.exit_multiple),
                "withdrawals": [{"id": w.withdrawal_id, "amount": format_cents(w.amount_cents), "status": w.status}
                                for w in mine[:20]],
            }

        view = tenant_hub(request).read(tenant, read)
        if view is None:
            raise PageError(404, "unknown_member")
        digest = log_digest(request, tenant)
        return render(request, "member/home.html", {
            "tenant": tenant, "member_id": member_id, **view, **views.chart_context(digest),
            "history": views.statement(request, tenant, member_id, lang), "window": views.STATEMENT_WINDOW,
        })

    @app.post("/member/{tenant}/sell", include_in_schema=False)
    async def sell(request: Request, tenant: str) -> Response:
        form = await checked_form(request)
        user = require(request, tenant, "member")
        lang = language(request)
        back = f"/member/{tenant}/"
        units = form_amount(request, lang, form, "points", parse_points)
        if units is None:
            return back_to(back)
        command = Command(command_key(user, form), ev.Sell(user.member_id or "", units))
        receipt = await tenant_hub(request).submit(tenant, command)

        def done() -> str:
            paid = sum(p.amount for p in receipt.outcome.postings if p.rule == "sale.payout")
            return i18n.translate(lang, "sold", points=format_points(units), amount=format_cents(paid))

        flash_outcome(request, lang, receipt, done)
        return back_to(back)

    @app.post("/member/{tenant}/withdraw", include_in_schema=False)
    async def withdraw(request: Request, tenant: str) -> Response:
        form = await checked_form(request)
        user = require(request, tenant, "member")
        lang = language(request)
        back = f"/member/{tenant}/"
        cents = form_amount(request, lang, form, "amount", parse_cents)
        if cents is None:
            return back_to(back)
        key = command_key(user, form)
        withdrawal_id = "w-" + key.rsplit(":", 1)[1][:20]  # a resent form asks for the same withdrawal
        command = Command(key, ev.Withdraw(withdrawal_id, user.member_id or "", cents))
        receipt = await tenant_hub(request).submit(tenant, command)
        flash_outcome(request, lang, receipt, lambda: i18n.translate(
            lang, "withdraw_requested", id=withdrawal_id, amount=format_cents(cents)))
        return back_to(back)
