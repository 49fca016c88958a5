"""The plan-aware run: the kernel without plans, the domain replay with them, the same pool."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zengzhi.bench_plans import ALL_PLANS_CONFIG
from zengzhi.domain.config import parse_tenant_config
from zengzhi.domain.state import State
from zengzhi.sim.layout import S_MONEY, SCALARS
from zengzhi.sim.params import Behaviour
from zengzhi.sim.plan_stream import PlanOptions
from zengzhi.sim.plans_run import pool_difference, without_plans
from zengzhi.sim.run import run_behaviour
from zengzhi.sim.stream import Unsupported

CONFIG = parse_tenant_config(ALL_PLANS_CONFIG)
SPEC = Behaviour(orders=600, rate=20.0, repurchase=0.02, reinvest=0.5, hold=0.5, breakeven=0.2, multiple=0.2,
                 panic=0.1, mix=(("pack1000", 0.9), ("pack10000", 0.1)))
POOL_KEYS = ("pool", "members", "exits", "sells", "reinvests", "panics", "days", "cash_paid_cents")


@pytest.fixture(scope="module")
def runs() -> dict[str, dict[str, Any]]:
    out = {model: run_behaviour(CONFIG, SPEC, plans=PlanOptions(recruit=model))
           for model in ("uniform", "preferential", "chain")}
    out["pool only"] = run_behaviour(without_plans(CONFIG), SPEC)
    return out


def cents(text: str) -> int:
    return int(Decimal(text) * 100)


def test_plans_never_change_the_pool(runs: dict[str, dict[str, Any]]) -> None:
    for model in ("uniform", "preferential", "chain"):
        assert {k: runs[model][k] for k in POOL_KEYS} == {k: runs["pool only"][k] for k in POOL_KEYS}, model
    assert runs["uniform"]["sells"] > 0 and runs["uniform"]["reinvests"] > 0  # the stream is not trivial
    assert "plans" not in runs["pool only"]


def test_the_plans_block_adds_up(runs: dict[str, dict[str, Any]]) -> None:
    block = runs["uniform"]["plans"]
    total = 0
    for name, plan in block["by_plan"].items():
        by_rule = sum(cents(v) for v in plan["rules"].values())
        by_rank = sum(cents(row["paid"]) for row in plan["by_rank"])
        assert by_rule == by_rank == cents(plan["paid"]), name
        assert sum(row["members"] for row in plan["by_rank"]) == plan["members_total"] == block["members_total"]
        total += by_rule
    assert total == cents(block["paid"]) > 0
    assert sum(cents(v) for v in block["residual_by_bucket"].values()) == cents(block["residual"]) > 0
    assert 0 < block["top_1pct_share"] <= block["top_10pct_share"] <= 1
    assert block["by_plan"]["quota"]["paid"] == "0.00" and "quota.burn" in block["by_plan"]["quota"]["to_accounts"]


def test_the_recruiting_model_changes_who_is_paid(runs: dict[str, dict[str, Any]]) -> None:
    paid = {model: runs[model]["plans"]["by_plan"]["linkage"]["by_rank"] for model in ("uniform", "chain")}
    assert paid["uniform"] != paid["chain"]


def test_fast_mode_and_plans_paying_from_the_pool_are_refused() -> None:
    with pytest.raises(Unsupported, match="covers the pool only"):
        run_behaviour(CONFIG, SPEC, approx=True)
    from_pool = parse_tenant_config({**ALL_PLANS_CONFIG, "plans": [
        {"type": "referral", "bucket": "pool", "awards": ["1%"]}]})
    with pytest.raises(Unsupported, match="pay from the pool bucket"):
        without_plans(from_pool)
    with pytest.raises(ValueError, match="period_days"):
        run_behaviour(CONFIG, SPEC, plans=PlanOptions(period_days=0))


def test_a_different_pool_is_named() -> None:
    import numpy as np

    sc = np.zeros(SCALARS, dtype=np.int64)
    state = State(CONFIG)
    assert pool_difference(state, sc) is None
    sc[S_MONEY] = 5
    assert pool_difference(state, sc) == "money 0 != 5, pool account 0 != 5"
