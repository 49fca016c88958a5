"""quota.py: 收益额度 / 烧伤 — seed 002's 1000 → 1000, 5000 → 10000, 10000 → 30000, burn above it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.strategies import accept, make_state, seed_config, snapshot
from zengzhi.domain.config import ConfigError, parse_tenant_config
from zengzhi.domain.events import Join, PayOrder, RefundOrder
from zengzhi.domain.plans.base import Plan, SettleContext
from zengzhi.domain.plans.spec import PlanSpec
from zengzhi.domain.state import State
from zengzhi.engine.queries import member_view

GRANTS = {"pack1000": "1000.00", "pack5000": "10000.00", "pack10000": "30000.00"}


def split(times: int) -> dict[str, str]:
    return {k: f"{v * times}.00" for k, v in {"cost": 250, "distribution": 350, "platform": 100,
                                               "pool": 300}.items()}


def config(*plans: dict[str, Any], quota: dict[str, Any] | None = None) -> dict[str, Any]:
    data = seed_config()
    data["products"] = {f"pack{n * 1000}": {"price": f"{n * 1000}.00", "split": split(n)} for n in (1, 5, 10)}
    data["plans"] = [*(plans or (
        {"type": "referral", "name": "ref1", "bucket": "distribution", "awards": ["10%"]},
        {"type": "referral", "name": "ref2", "bucket": "distribution", "awards": ["25%"]})),
        {"type": "quota", "grants": GRANTS, "applies_to": ["ref1", "ref2"], **(quota or {})}]
    return data


def pair(*plans: dict[str, Any]) -> State:
    """A (who bought a 1000 pack: quota 1000.00) sponsors B."""
    state = make_state(config(*plans))
    accept(state, Join("A"))
    accept(state, Join("B", sponsor="A"))
    accept(state, PayOrder("a", "A", "pack1000"))
    return state


def quota(state: State, member: str) -> dict[str, str]:
    view: dict[str, str] = member_view(state, member)["quota"]
    return view


def test_grants_of_seed_002_and_repurchase_adds() -> None:
    state = make_state(config())
    accept(state, Join("A"))
    for i, product in enumerate(("pack1000", "pack5000", "pack10000", "pack1000")):
        accept(state, PayOrder(f"o{i}", "A", product))
    assert quota(state, "A") == {"left": "42000.00", "granted": "42000.00", "burned": "0.00"}


def test_quota_exhausted_mid_order_burns_the_rest_to_residual() -> None:
    state = pair()
    accept(state, PayOrder("b1", "B", "pack1000"))  # A: 100 + 250
    accept(state, PayOrder("b2", "B", "pack1000"))  # A: 700 used, 300 left
    outcome = accept(state, PayOrder("b3", "B", "pack1000"))  # 100 kept, then 200 of 250 kept, 50 burned
    assert member_view(state, "A")["cash"] == "1000.00"
    assert quota(state, "A") == {"left": "0.00", "granted": "1000.00", "burned": "50.00"}
    plan = [(p.rule, p.to_account, p.amount) for p in outcome.postings if p.from_account == "distribution"]
    assert plan == [("referral.gen1", "member:A:cash", 10_000), ("referral.gen1", "member:A:cash", 20_000),
                    ("quota.burn", "residual", 5_000)]
    burn = next(p for p in outcome.postings if p.rule == "quota.burn")
    assert burn.plan == "quota"
    assert burn.memo == "烧伤 burn: quota exhausted, 50.00 of A's 250.00 referral.gen1 above the 200.00 quota left"
    # bucket = payouts + residual: A's own order (no sponsor) 350.00, plus the 50.00 burned
    assert state.ledger.balance("residual") == 35_000 + 5_000


def test_without_quota_everything_is_burned_until_repurchase() -> None:
    state = make_state(config())
    accept(state, Join("A"))
    accept(state, Join("B", sponsor="A"))
    accept(state, PayOrder("b1", "B", "pack1000"))  # A never bought: no quota
    assert member_view(state, "A")["cash"] == "0.00"
    assert quota(state, "A")["burned"] == "350.00"
    accept(state, PayOrder("a", "A", "pack1000"))  # 复购 / first pack: quota 1000
    accept(state, PayOrder("b2", "B", "pack1000"))
    assert member_view(state, "A")["cash"] == "350.00"


def test_other_plans_are_untouched() -> None:
    state = make_state(config({"type": "referral", "name": "ref1", "bucket": "distribution", "awards": ["10%"]},
                              {"type": "referral", "name": "free", "bucket": "distribution", "awards": ["25%"]},
                              quota={"applies_to": ["ref1"]}))
    accept(state, Join("A"))
    accept(state, Join("B", sponsor="A"))
    accept(state, PayOrder("a", "A", "pack1000"))
    for i in range(5):
        accept(state, PayOrder(f"b{i}", "B", "pack1000"))
    # ref1 pays 100 x 5 = 500 within the quota; "free" is not in applies_to: 250 x 5 paid in full
    assert member_view(state, "A")["cash"] == "1750.00"
    assert quota(state, "A")["left"] == "500.00"


class CashbackSpec(PlanSpec):  # no own fields: PlanSpec's (name, bucket) are enough
    """A test plan that pays the buyer itself 100.00 from the distribution bucket."""

    def build(self) -> Plan:
        return Cashback(self)


class Cashback(Plan):
    def on_settle(self, ctx: SettleContext) -> None:
        ctx.pay(ctx.buyer, 10_000, "cashback.self", "test")


def test_the_buying_order_already_sees_its_own_grant() -> None:
    state = make_state(config(quota={"applies_to": ["ref1"]}))
    # a test plan that pays the buyer itself, in the place of the configured ref1
    state.plans = (Cashback(CashbackSpec("ref1", "distribution")), *state.plans[2:])
    accept(state, Join("A"))
    accept(state, PayOrder("a", "A", "pack1000"))
    assert member_view(state, "A")["cash"] == "100.00"  # the pack's 1000 quota covers its own payout
    assert quota(state, "A")["left"] == "900.00"


def test_refund_before_settlement_changes_nothing() -> None:
    state = pair()
    accept(state, PayOrder("x", "A", "pack10000", settle=False))
    accept(state, PayOrder("y", "B", "pack1000", settle=False))
    before = snapshot(state)["view"]
    accept(state, RefundOrder("x"))
    accept(state, RefundOrder("y"))
    after = snapshot(state)["view"]["members"]
    assert {m: v["quota"] for m, v in after.items()} == {m: v["quota"] for m, v in before["members"].items()}
    assert quota(state, "A") == {"left": "1000.00", "granted": "1000.00", "burned": "0.00"}


@pytest.mark.parametrize(("plan", "field"), [
    ({"bucket": "distribution"}, "plans[2].bucket"),
    ({"grants": None}, "plans[2].grants"),
    ({"grants": {}}, "plans[2].grants"),
    ({"grants": {"pack1000": "-1"}}, "plans[2].grants.pack1000"),
    ({"grants": {"pack1000": "10.001"}}, "plans[2].grants.pack1000"),
    ({"applies_to": []}, "plans[2].applies_to"),
    ({"applies_to": "ref1"}, "plans[2].applies_to"),
    ({"applies_to": ["quota"]}, "plans[2].applies_to"),
    ({"burn": True}, "plans[2].burn"),
])
def test_config_errors_name_the_field(plan: dict[str, Any], field: str) -> None:
    data = config(quota=plan)
    if plan.get("grants", 0) is None:
        del data["plans"][2]["grants"]
    with pytest.raises(ConfigError) as err:
        parse_tenant_config(data)
    assert err.value.field == field


def test_applies_to_is_required() -> None:
    data = config()
    del data["plans"][2]["applies_to"]
    with pytest.raises(ConfigError) as err:
        parse_tenant_config(data)
    assert err.value.field == "plans[2].applies_to"
