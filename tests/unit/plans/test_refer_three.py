"""refer_three.py: 推三返一 — 100 + 200 + 700 back on a 1000 pack, then the cycle repeats (seed 003)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.strategies import accept, make_state, seed_config, snapshot
from zengzhi.domain.config import ConfigError, parse_tenant_config
from zengzhi.domain.events import Join, PayOrder, RefundOrder
from zengzhi.domain.split import SplitPart
from zengzhi.domain.state import State
from zengzhi.engine.queries import member_view

SPLIT = {"cost": "200.00", "refer": "700.00", "platform": "100.00"}


def config(**plan: Any) -> dict[str, Any]:
    data = seed_config()
    data["products"] = {
        "pack1000": {"price": "1000.00", "split": dict(SPLIT)},
        "pack500": {"price": "500.00", "split": {"cost": "100.00", "refer": "350.00", "platform": "50.00"}},
        "tea": {"price": "100.00", "split": {"cost": "100.00"}},
    }
    data["plans"] = [{"type": "refer_three", "bucket": "refer", "products": ["pack1000", "pack500"], **plan}]
    return data


def team(size: int, **plan: Any) -> State:
    """A, and recruits R1..R<size> sponsored by A."""
    state = make_state(config(**plan))
    accept(state, Join("A"))
    for i in range(1, size + 1):
        accept(state, Join(f"R{i}", sponsor="A"))
    return state


def cash(state: State, member: str) -> str:
    return str(member_view(state, member)["cash"])


def test_seed_cycle_100_200_700_then_again() -> None:
    state = team(6)
    accept(state, PayOrder("a", "A", "pack1000"))
    got = []
    for i in range(1, 7):
        outcome = accept(state, PayOrder(f"o{i}", f"R{i}", "pack1000"))
        got.append(sum(p.amount for p in outcome.postings if p.rule == "refer_three.refund"))
    assert got == [10_000, 20_000, 70_000, 10_000, 20_000, 70_000]
    assert cash(state, "A") == "2000.00"  # the pack back twice
    view = member_view(state, "A")["refer_three"]
    assert view == {"own_price": "1000.00", "counted": 6, "next_rate": "10%", "paid": "2000.00"}
    # average per referral order: 1000 / 3 = 333.33 of each 700 bucket; the rest is residual
    assert state.ledger.balance("residual") == 7 * 70_000 - 200_000


def test_memo_names_the_step_and_the_recruit() -> None:
    state = team(2)
    accept(state, PayOrder("a", "A", "pack1000"))
    accept(state, PayOrder("o1", "R1", "pack1000"))
    outcome = accept(state, PayOrder("o2", "R2", "pack1000"))
    memo = next(p.memo for p in outcome.postings if p.rule == "refer_three.refund")
    assert memo == "推三返一 refer-three #2 (cycle step 2/3): 20% of own pack 1000.00 on recruit R2's order"


def test_first_purchase_of_each_recruit_counts_once() -> None:
    state = team(2)
    accept(state, PayOrder("a", "A", "pack1000"))
    accept(state, PayOrder("o1", "R1", "pack1000"))
    accept(state, PayOrder("o2", "R1", "pack1000"))  # a repurchase by the same recruit: not counted
    accept(state, PayOrder("o3", "R2", "pack1000"))
    assert cash(state, "A") == "300.00"


def test_every_purchase_counts_when_configured() -> None:
    state = team(1, counts="every")
    accept(state, PayOrder("a", "A", "pack1000"))
    for i in range(3):
        accept(state, PayOrder(f"o{i}", "R1", "pack1000"))
    assert cash(state, "A") == "1000.00"


def test_purchases_before_the_sponsor_bought_pay_nothing() -> None:
    state = team(2)
    accept(state, PayOrder("o1", "R1", "pack1000"))  # A has no pack yet: R1's first purchase is used up
    accept(state, PayOrder("a", "A", "pack1000"))
    accept(state, PayOrder("o2", "R1", "pack1000"))
    assert cash(state, "A") == "0.00"
    accept(state, PayOrder("o3", "R2", "pack1000"))
    assert cash(state, "A") == "100.00"  # the cycle starts at 10%: nothing counted before


def test_non_qualifying_products_and_inline_orders_do_not_count() -> None:
    state = team(1)
    accept(state, PayOrder("a", "A", "pack1000"))
    accept(state, PayOrder("t", "R1", "tea"))
    accept(state, PayOrder("i", "R1", amount_cents=10_000, split=(SplitPart("cost", 10_000),)))
    assert cash(state, "A") == "0.00"
    accept(state, PayOrder("o1", "R1", "pack1000"))  # still its first qualifying purchase
    assert cash(state, "A") == "100.00"


def test_own_price_is_capped_at_the_recruits_purchase() -> None:
    state = team(3)
    accept(state, PayOrder("a", "A", "pack1000"))
    accept(state, PayOrder("o1", "R1", "pack500"))  # 10% of min(1000, 500) = 50
    accept(state, PayOrder("o2", "R2", "pack500"))  # 20% of 500 = 100
    outcome = accept(state, PayOrder("o3", "R3", "pack500"))  # 70% of 500 = 350
    assert cash(state, "A") == "500.00"
    memo = next(p.memo for p in outcome.postings if p.rule == "refer_three.refund")
    assert memo.endswith("70% of own pack 1000.00, capped at this 500.00 order on recruit R3's order")


@pytest.mark.parametrize(("own_price", "expected"), [("first", "50.00"), ("max", "100.00")])
def test_own_price_first_or_max(own_price: str, expected: str) -> None:
    state = team(1, own_price=own_price)
    accept(state, PayOrder("a1", "A", "pack500"))
    accept(state, PayOrder("a2", "A", "pack1000"))
    accept(state, PayOrder("o1", "R1", "pack1000"))
    assert cash(state, "A") == expected


def test_own_order_and_sponsorless_buyer_pay_nobody() -> None:
    state = team(0)
    accept(state, PayOrder("a", "A", "pack1000"))
    accept(state, PayOrder("b", "A", "pack1000"))
    assert cash(state, "A") == "0.00"
    assert state.ledger.balance("residual") == 2 * 70_000


def test_refund_before_settlement_changes_nothing() -> None:
    state = team(1)
    accept(state, PayOrder("a", "A", "pack1000"))
    accept(state, PayOrder("o1", "R1", "pack1000", settle=False))
    before = snapshot(state)["view"]["members"]["A"]
    accept(state, RefundOrder("o1"))
    assert snapshot(state)["view"]["members"]["A"] == before
    accept(state, PayOrder("o2", "R1", "pack1000"))  # the refunded order was not R1's first
    assert cash(state, "A") == "100.00"
    assert member_view(state, "R1")["refer_three"]["counted"] == 0


@pytest.mark.parametrize(("plan", "field"), [
    ({"bucket": "cost"}, "plans[0].bucket"),  # 70% of 1000 = 700 > 200
    ({"rates": []}, "plans[0].rates"),
    ({"rates": ["10%", "120%"]}, "plans[0].rates[1]"),
    ({"counts": "twice"}, "plans[0].counts"),
    ({"own_price": "min"}, "plans[0].own_price"),
    ({"products": []}, "plans[0].products"),
    ({"products": None}, "plans[0].products"),
    ({"gift": 1}, "plans[0].gift"),
])
def test_config_errors_name_the_field(plan: dict[str, Any], field: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_tenant_config(config(**plan))
    assert err.value.field == field


def test_products_are_required() -> None:
    data = config()
    del data["plans"][0]["products"]
    with pytest.raises(ConfigError) as err:
        parse_tenant_config(data)
    assert err.value.field == "plans[0].products"


def test_a_real_tenant_needs_700_of_a_1000_pack() -> None:
    data = config()
    data["products"]["pack1000"]["split"] = {"cost": "300.00", "refer": "699.99", "platform": "0.01"}
    with pytest.raises(ConfigError) as err:
        parse_tenant_config(data)
    assert "699.99" in err.value.reason
