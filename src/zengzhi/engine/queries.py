"""Read side: the state as the replay JSON (see scenario-format.md)."""

from __future__ import annotations

from typing import Any

from zengzhi.domain.ledger import PTS, asset_of, is_external
from zengzhi.domain.money import format_cents, format_points, format_ratio, price_per_point
from zengzhi.domain.state import State

MEMBER_ACCOUNT_KINDS = ("cash", "frozen", "pending", "withdrawing")


def pool_view(state: State) -> dict[str, str]:
    pool = state.pool
    return {
        "money": format_cents(pool.money_cents),
        "points": format_points(pool.points_units),
        "price": format_ratio(price_per_point(pool.price())),
    }


def member_view(state: State, member_id: str) -> dict[str, Any]:
    member = state.members[member_id]
    balances = state.ledger.balances
    view: dict[str, Any] = {"points": format_points(balances.get(member.points, 0))}
    for kind in MEMBER_ACCOUNT_KINDS:
        view[kind] = format_cents(balances.get(getattr(member, kind), 0))
    view["exits"] = member.exits
    view["spent"] = format_cents(member.spent_cents if member.cycle_active else 0)
    if member.sponsor is not None:
        view["sponsor"] = member.sponsor
    if member.placement != member.sponsor:
        view["placement"] = member.placement
    for plan in state.plans:
        view.update(plan.member_view(state, member))
    return view


def accounts_view(state: State) -> dict[str, str]:
    """Every non-member account (tenant and external) with its balance."""
    ledger = state.ledger
    out: dict[str, str] = {}
    for account in sorted(ledger.balances):
        if account.startswith("member:"):
            continue
        amount = ledger.balances[account]
        if asset_of(account) == PTS:
            out[account] = format_points(amount)
        else:
            out[account] = format_cents(amount)
    return out


def state_view(state: State) -> dict[str, Any]:
    return {
        "pool": pool_view(state),
        "members": {m: member_view(state, m) for m in state.members},
        "accounts": accounts_view(state),
        "exits": state.exits_total,
        **({"plans": plans} if (plans := plans_view(state)) else {}),
    }


def plans_view(state: State) -> dict[str, Any]:
    """Each plan's own state (dividend pools, periods …), where it has any."""
    return {plan.name: view for plan in state.plans if (view := plan.view(state))}


__all__ = ["state_view", "pool_view", "member_view", "accounts_view", "is_external"]
