"""Postings in words: one line per posting, and an order's whole story.

Used by the platform API (postings by order), ``zengzhi explain`` and
``zengzhi replay --explain``. A posting a reward plan made carries a memo
that says why the payee got it; that memo is the explanation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from zengzhi.domain.ledger import POOL, PTS, Posting
from zengzhi.domain.money import Ratio, format_cents, format_points, format_ratio, price_per_point


def show_price(price: Ratio) -> str:
    return format_ratio(price_per_point(price))


def show_amount(posting: Posting) -> str:
    return format_points(posting.amount) if posting.asset == PTS else format_cents(posting.amount)


def _owner(account: str) -> str:
    """``member:A:cash`` -> ``A's cash``; other accounts as named."""
    if account.startswith("member:"):
        _, member, kind = account.split(":", 2)
        return f"{member}'s {kind}"
    return account


def explain(posting: Posting, price_before: Ratio | None = None) -> str:
    """One line of English for a posting (``rule: what happened``)."""
    rule, amount = posting.rule, show_amount(posting)
    source, target = posting.from_account, posting.to_account
    member = next((a.split(":")[1] for a in (source, target) if a.startswith("member:")), "")
    if rule.startswith("split."):
        bucket = rule.removeprefix("split.")
        where = "into the pool" if bucket == POOL else f"to the {bucket} bucket"
        return f"{rule}: {amount} from the order {where}"
    if rule == "pool.grant":
        at = f" at {show_price(price_before)}" if price_before is not None else ""
        return f"{rule}: {amount} points granted to {member}{at}"
    if rule == "order.paid":
        return f"{rule}: {amount} paid by {member}, pending until settlement"
    if rule == "order.refund":
        return f"{rule}: {amount} refunded to {member} from its pending balance"
    if rule == "exit.points":
        return f"{rule}: {amount} points of {member} sold in a forced exit (出局)"
    if rule == "exit.payout":
        return f"{rule}: {amount} from the pool to {member}'s cash for the forced exit"
    if rule.endswith(".points"):
        return f"{rule}: {amount} points of {member} sold back to the pool"
    if rule.endswith(".payout"):
        return f"{rule}: {amount} from the pool to {_owner(target)}"
    if posting.memo:
        return f"{rule}: {amount} from {_owner(source)} to {_owner(target)} — {posting.memo}"
    unit = " points" if posting.asset == PTS else ""
    return f"{rule}: {amount}{unit} from {_owner(source)} to {_owner(target)}"


def order_story(order_id: str, postings: Iterable[Posting], price_before: Ratio | None = None
                ) -> dict[str, Any]:
    """Every posting of an order with its explanation, and what each member got in total."""
    lines = []
    received: dict[str, int] = {}
    for p in postings:
        if p.order_id != order_id:
            continue
        lines.append({"from": p.from_account, "to": p.to_account, "asset": p.asset,
                      "amount": show_amount(p), "rule": p.rule, "plan": p.plan, "memo": p.memo,
                      "explanation": explain(p, price_before)})
        if p.plan and p.asset != PTS and p.to_account.startswith("member:"):
            member = p.to_account.split(":")[1]
            received[member] = received.get(member, 0) + p.amount
    return {"order": order_id, "postings": lines,
            "paid_by_plans": {m: format_cents(c) for m, c in sorted(received.items())}}
