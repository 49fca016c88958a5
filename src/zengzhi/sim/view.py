"""Final state of a simulation, in the shape of ``zengzhi replay --json``.

``stream_view`` builds the same ``pool``/``members``/``accounts``/``exits``
mapping that ``engine.queries.state_view`` builds from a domain ``State``
(scenario-format.md), so a simulated stream and a replayed one compare as
plain dicts. ``pool_summary`` is the short form for large runs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from zengzhi.domain.money import Ratio, format_cents, format_points, format_ratio, price_per_point
from zengzhi.sim.layout import (
    M_ACTIVE,
    M_CASH,
    M_EXITS,
    M_PENDING,
    M_POINTS,
    M_SPENT,
    M_WITHDRAWING,
    S_EXITS,
    S_GRANTED_ANY,
    S_LAST_DEN,
    S_LAST_NUM,
    S_MERCHANT,
    S_MONEY,
    S_POINTS,
    S_WITHDRAWN,
    Int64Array,
)
from zengzhi.sim.stream import K_REDEEM, K_SELL, K_WITHDRAW_DONE, StreamResult


def price(sc: Int64Array) -> Ratio:
    """Cents per 0.0001 unit: ``P / N``, or the last price when no points circulate."""
    if sc[S_POINTS] > 0:
        return Ratio(int(sc[S_MONEY]), int(sc[S_POINTS]))
    return Ratio(int(sc[S_LAST_NUM]), int(sc[S_LAST_DEN]))


def pool_summary(sc: Int64Array) -> dict[str, str]:
    return {
        "money": format_cents(int(sc[S_MONEY])),
        "points": format_points(int(sc[S_POINTS])),
        "price": format_ratio(price_per_point(price(sc))),
    }


def member_row(mem: Int64Array, row: int, active: bool) -> dict[str, Any]:
    return {
        "points": format_points(int(mem[row, M_POINTS])),
        "cash": format_cents(int(mem[row, M_CASH])),
        "frozen": "0.00",
        "pending": format_cents(int(mem[row, M_PENDING])),
        "withdrawing": format_cents(int(mem[row, M_WITHDRAWING])),
        "exits": int(mem[row, M_EXITS]),
        "spent": format_cents(int(mem[row, M_SPENT]) if active else 0),
    }


def _accounts(result: StreamResult) -> dict[str, str]:
    encoded, sc = result.encoded, result.sc
    touched = set(encoded.touched)
    kinds = encoded.events[:, 0]
    spent_ok = ((kinds == K_SELL) | (kinds == K_REDEEM)) & (result.refused == 0)
    if spent_ok.any() or sc[S_GRANTED_ANY]:
        touched.add("external:points")
    if spent_ok.any():
        touched.add("pool")
    if bool(np.any((kinds == K_REDEEM) & (result.refused == 0))):
        touched.add("merchant")
    if bool(np.any((kinds == K_WITHDRAW_DONE) & (result.refused == 0))):
        touched.add("external:withdrawals")
    cents = {
        **encoded.buckets,
        "pool": int(sc[S_MONEY]),
        "external:payments": -encoded.payments_cents,
        "external:funding": -encoded.funding_cents,
        "merchant": int(sc[S_MERCHANT]),
        "external:withdrawals": int(sc[S_WITHDRAWN]),  # money sent out lands in the external account
    }
    out: dict[str, str] = {}
    for account in sorted(touched):
        if account == "external:points":
            out[account] = format_points(-int(sc[S_POINTS]))
        else:
            out[account] = format_cents(cents[account])
    return out


def stream_view(result: StreamResult) -> dict[str, Any]:
    """The replay-shaped view of a simulated stream (members in join order)."""
    mem = result.mem
    members: dict[str, Any] = {}
    sponsors = result.encoded.sponsors
    for row, member_id in enumerate(result.encoded.members):
        view = member_row(mem, row, bool(mem[row, M_ACTIVE]))
        if member_id in sponsors:
            view["sponsor"] = sponsors[member_id]
        members[member_id] = view
    return {
        "pool": pool_summary(result.sc),
        "members": members,
        "accounts": _accounts(result),
        "exits": int(result.sc[S_EXITS]),
    }


def rejected_list(result: StreamResult) -> list[dict[str, Any]]:
    """``{"index", "reason"}`` for every rejected event, in stream order."""
    found = dict(result.encoded.rejected)
    for i in np.flatnonzero(result.refused).tolist():
        kind = int(result.encoded.events[i, 0])
        found[i] = ("points: more than the points held" if kind in (K_SELL, K_REDEEM)
                    else "withdrawal: refused (unknown member, amount, cash, or id state)")
    return [{"index": i, "reason": found[i]} for i in sorted(found)]
