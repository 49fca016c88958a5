"""Read models of the pages: member rows and search, balances, the referral tree, the statement, the chart."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, Final

from fastapi import Request

from zengzhi.admin import i18n
from zengzhi.admin.app_state import tenant_hub
from zengzhi.admin.digest import LogDigest
from zengzhi.admin.rendering import time_ms
from zengzhi.domain.ledger import PTS, Posting, asset_of
from zengzhi.domain.money import format_cents, format_points
from zengzhi.domain.state import State

LIST_LIMIT: Final = 200
STATEMENT_WINDOW: Final = 5_000  # the statement reads this many of the newest events
STATEMENT_ROWS_MAX: Final = 200
TREE_DEPTH_MAX: Final = 6
TREE_NODES_MAX: Final = 300


def member_rows(state: State, ids: Iterable[str]) -> list[dict[str, Any]]:
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


def search(state: State, q: str) -> tuple[list[dict[str, Any]], bool]:
    needle = q.strip().lower()
    found: Iterator[str] = (m for m in state.members if needle in m.lower()) if needle else iter(state.members)
    ids = list(islice(found, LIST_LIMIT + 1))
    return member_rows(state, ids[:LIST_LIMIT]), len(ids) > LIST_LIMIT


def balances(state: State, member_id: str) -> dict[str, Any]:
    member = state.members[member_id]
    ledger_balances = state.ledger.balances
    out: dict[str, Any] = {kind: format_cents(ledger_balances.get(getattr(member, kind), 0))
                           for kind in ("cash", "frozen", "pending", "withdrawing")}
    out["points"] = format_points(ledger_balances.get(member.points, 0))
    out["spent"] = format_cents(member.spent_cents if member.cycle_active else 0)
    out["exits"] = member.exits
    out["sponsor"] = member.sponsor
    out["placement"] = member.placement if member.placement != member.sponsor else None
    # what the reward plans keep about the member (rank, quota, agent …), as plain text
    out["plans"] = [(f"{plan.name}.{key}", value) for plan in state.plans
                    for key, value in plan.member_view(state, member).items()]
    return out


def tree(children: dict[str, list[str]], root: str) -> dict[str, Any]:
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


def statement(request: Request, tenant: str, member_id: str, lang: str) -> list[dict[str, Any]]:
    """Postings touching the member among the newest ``STATEMENT_WINDOW`` events, newest first."""
    hub = tenant_hub(request)
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
        "time": time_ms(at_ms),
        "rule": posting.rule,
        "from": _account_label(posting.from_account, prefix, lang),
        "to": _account_label(posting.to_account, prefix, lang),
        "amount": text,
        "asset": posting.asset,
        "sign": "" if incoming and outgoing else ("+" if incoming else "-"),
    }


def chart_context(digest: LogDigest) -> dict[str, Any]:
    return {"chart": digest.chart_data()}
