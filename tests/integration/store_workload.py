"""A tenant config and a mix of commands for the SQL store tests.

The mix touches every kind of event and every outcome the log must keep:
joins, orders settled at once, paid then settled, paid then refunded, an
inline split, sells, a subsidy, withdrawals done and failed, and rejections.
"""

from __future__ import annotations

from typing import Any

from zengzhi.domain import events as ev
from zengzhi.domain.money import Ratio
from zengzhi.domain.split import SplitPart
from zengzhi.engine.engine import Command

POINT_UNITS = 10_000

CONFIG: dict[str, Any] = {
    "pool": {"initial_price": "1.00", "grant_ratio": "0.70", "sell_retention": "0.20",
             "exit_multiple": "3"},
    "products": {"pack1000": {"price": "1000.00", "split": {
        "cost": "300.00", "distribution": "300.00", "platform": "100.00", "pool": "300.00"}}},
}


def mixed_commands(prefix: str = "") -> list[Command]:
    """Commands with every kind of event; the last two are rejected by the domain."""
    def key(name: str) -> str:
        return f"{prefix}{name}"

    inline = (SplitPart("cost", fixed_cents=20_000), SplitPart("pool", percent=Ratio(1, 2)),
              SplitPart("platform", percent=Ratio(1, 4)), SplitPart("distribution",
                                                                    fixed_cents=5_000))
    events: list[tuple[str, ev.Event]] = [
        ("join-alice", ev.Join("alice")),
        ("join-bob", ev.Join("bob", sponsor="alice")),
        ("join-carol", ev.Join("carol", sponsor="bob", region="sh")),
        ("order-1", ev.PayOrder("o1", "alice", product="pack1000")),
        ("order-2", ev.PayOrder("o2", "bob", product="pack1000", settle=False)),
        ("settle-2", ev.SettleOrder("o2")),
        ("order-3", ev.PayOrder("o3", "carol", product="pack1000", settle=False)),
        ("refund-3", ev.RefundOrder("o3")),
        ("order-4", ev.PayOrder("o4", "carol", amount_cents=100_000, split=inline)),
        ("inject-1", ev.Inject(50_000)),
        ("sell-alice", ev.Sell("alice", 100 * POINT_UNITS)),
        ("sell-bob", ev.Sell("bob", 12 * POINT_UNITS + 3456)),
        ("withdraw-1", ev.Withdraw("w1", "alice", 1_000)),
        ("withdraw-1-done", ev.WithdrawDone("w1")),
        ("withdraw-2", ev.Withdraw("w2", "alice", 550)),
        ("withdraw-2-fail", ev.WithdrawFail("w2")),
        ("order-5", ev.PayOrder("o5", "alice", product="pack1000")),
        ("sell-too-much", ev.Sell("bob", 10**9 * POINT_UNITS)),
        ("settle-unknown", ev.SettleOrder("no-such-order")),
    ]
    return [Command(key(name), event, at_ms=1_700_000_000_000 + 1_000 * i)
            for i, (name, event) in enumerate(events)]
