"""Behaviour models: reproducible by seed, each model does what it says, approx is labelled."""

from __future__ import annotations

from typing import Any

import pytest

from zengzhi.domain.config import parse_tenant_config
from zengzhi.sim.params import Behaviour
from zengzhi.sim.run import run_behaviour
from zengzhi.workload import DEFAULT_CONFIG

CONFIG = parse_tenant_config(DEFAULT_CONFIG)
MIXED: dict[str, Any] = {"orders": 5_000, "rate": 50.0, "repurchase": 0.01, "reinvest": 0.5, "hold": 0.5,
                         "breakeven": 0.2, "multiple": 0.2, "panic": 0.1, "growth": "logistic",
                         "growth_rate": 0.1, "capacity": 2_000}


def run(**fields: Any) -> dict[str, Any]:
    return run_behaviour(CONFIG, Behaviour(**fields), sample_orders=0)


def test_same_seed_same_run_other_seed_other_run() -> None:
    a, b, c = run(**MIXED, seed=3), run(**MIXED, seed=3), run(**MIXED, seed=4)
    assert a["pool"] == b["pool"] and a["exits"] == b["exits"] and a["sells"] == b["sells"]
    assert a["pool"] != c["pool"]


def test_mixed_behaviour_sells_reinvests_and_panics() -> None:
    out = run(**MIXED)
    assert out["orders"] == 5_000 and out["mode"] == "exact"
    assert out["sells"] > 0 and out["reinvests"] > 0 and out["panics"] > 0
    assert out["members"] <= 2_000  # the logistic ceiling


def test_only_new_members_order_once_each() -> None:
    out = run(orders=1_000, rate=10.0)
    assert out["members"] == 1_000 and out["days"] >= 50
    assert out["sells"] == 0 and out["reinvests"] == 0


def test_stop_day_ends_a_run_without_repurchase() -> None:
    out = run(orders=10_000, rate=10.0, stop_day=20)
    assert out["orders"] == out["members"] < 400 and out["days"] == 21


def test_exponential_growth_reaches_the_orders_sooner() -> None:
    flat = run(orders=2_000, rate=10.0)
    fast = run(orders=2_000, rate=10.0, growth="exponential", growth_rate=0.2)
    assert fast["days"] < flat["days"]


def test_approx_is_labelled_and_reports_its_divergence() -> None:
    spec = Behaviour(**MIXED)
    out = run_behaviour(CONFIG, spec, approx=True, sample_orders=2_000)
    assert out["approximate"] is True and out["mode"] == "approximate"
    d = out["divergence"]
    assert d["sample_orders"] == 2_000
    assert d["money_rel"] < 1e-3 and d["price_rel"] < 1e-3


@pytest.mark.parametrize("bad", [{"growth": "linear"}, {"reinvest": 2.0}, {"hold": 0.0},
                                 {"mix": (("nope", 1.0),)}])
def test_bad_parameters_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        run(orders=10, **bad)
