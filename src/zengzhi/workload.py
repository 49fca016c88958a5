"""Seeded random workloads: scenario files and benchmark event streams.

Orders, sells (a fraction of a random member's points) and subsidies over a
growing membership, from a seeded ``random.Random`` — the same seed always
gives the same stream. Used by ``zengzhi scenario random`` and ``zengzhi bench``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from zengzhi.domain import events as ev
from zengzhi.domain.money import format_cents, format_points

DEFAULT_CONFIG: dict[str, Any] = {
    "pool": {"initial_price": "1.00", "grant_ratio": "0.70", "sell_retention": "0.20",
             "exit_multiple": "3"},
    "products": {
        "pack1000": {"price": "1000.00",
                     "split": {"cost": "300.00", "distribution": "300.00",
                               "platform": "100.00", "pool": "300.00"}},
        "pack399": {"price": "399.00",
                    "split": {"cost": "40%", "distribution": "25%", "platform": "5%",
                              "pool": "30%"}},
    },
    "plans": [],
}


@dataclass(frozen=True, slots=True)
class Mix:
    """Shares of each event kind among pool events (the rest are orders)."""

    sell: float = 0.15
    inject: float = 0.01
    new_member: float = 0.3


def _member(i: int) -> str:
    return f"m{i}"


def pool_events(rng: random.Random, members: int, count: int, mix: Mix = Mix(),
                first_order: int = 0) -> Iterator[ev.Event]:
    """``count`` pool events over ``members`` existing members (ids m0..m{n-1}).

    Sells ask for a share of points a member may not hold; the engine rejects
    those, which is part of a realistic stream. Member ids stay in range.
    """
    order_no = first_order
    for _ in range(count):
        roll = rng.random()
        if roll < mix.sell:
            units = rng.randrange(1, 200) * 10_000
            yield ev.Sell(_member(rng.randrange(members)), units)
        elif roll < mix.sell + mix.inject:
            yield ev.Inject(rng.randrange(100, 10_000) * 100)
        else:
            order_no += 1
            product = "pack1000" if rng.random() < 0.7 else "pack399"
            yield ev.PayOrder(f"o{order_no}", _member(rng.randrange(members)), product)


def scenario_document(events: int, seed: int) -> dict[str, Any]:
    """A scenario with joins growing alongside orders, sells and subsidies."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    members = 0
    order_no = 0
    for _ in range(events):
        roll = rng.random()
        if members == 0 or roll < 0.25:
            sponsor = _member(rng.randrange(members)) if members and rng.random() < 0.8 else None
            item: dict[str, Any] = {"type": "join", "member": _member(members)}
            if sponsor:
                item["sponsor"] = sponsor
            out.append(item)
            members += 1
        elif roll < 0.37:
            out.append({"type": "sell", "member": _member(rng.randrange(members)),
                        "points": format_points(rng.randrange(1, 100) * 5_000)})
        elif roll < 0.38:
            out.append({"type": "inject", "amount": format_cents(rng.randrange(100, 5_000) * 100)})
        else:
            order_no += 1
            if rng.random() < 0.1:
                amount = rng.randrange(1_000, 200_000)
                out.append({"type": "order", "id": f"o{order_no}",
                            "member": _member(rng.randrange(members)),
                            "amount": format_cents(amount),
                            "split": {"cost": "50%", "platform": "10%", "pool": "40%"}})
            else:
                product = "pack1000" if rng.random() < 0.7 else "pack399"
                out.append({"type": "order", "id": f"o{order_no}",
                            "member": _member(rng.randrange(members)), "product": product})
    return {"config": DEFAULT_CONFIG, "events": out}
