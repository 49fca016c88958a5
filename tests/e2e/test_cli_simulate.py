"""End to end: ``zengzhi simulate`` on files, against ``zengzhi replay`` where both apply, with and without plans."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from zengzhi.cli.main import app
from zengzhi.domain.config import parse_tenant_config
from zengzhi.domain.machine import apply
from zengzhi.domain.state import State
from zengzhi.replay import compare
from zengzhi.sim.layout import S_MONEY, S_POINTS
from zengzhi.sim.params import DAY_MS
from zengzhi.workload import scenario_document

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args), catch_exceptions=False)


def write(tmp_path: Path, data: dict[str, Any], name: str) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def test_json_summary_of_a_behaviour_run(tmp_path: Path) -> None:
    config = write(tmp_path, scenario_document(1, 1)["config"], "config.yaml")
    result = invoke("simulate", str(config), "--orders", "2000", "--rate", "20", "--sell",
                    "hold=0.7,breakeven=0.2,multiple=0.1", "--reinvest", "0.5", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["mode"] == "exact" and out["orders"] == 2000
    assert out["orders_per_s"] > 0 and out["seconds"] > 0
    assert set(out["pool"]) == {"money", "points", "price"}


def test_a_scenario_file_is_accepted_as_config_and_matches_replay(tmp_path: Path) -> None:
    """The same events through replay (engine) and simulate --scenario (kernel): the same state."""
    path = write(tmp_path, scenario_document(400, 5), "random.yaml")
    simulated = invoke("simulate", str(path), "--scenario", str(path), "--json")
    assert simulated.exit_code == 0, simulated.output
    replayed = invoke("replay", str(path), "--json")
    sim, rep = json.loads(simulated.output), json.loads(replayed.output)
    for key in ("pool", "members", "accounts", "exits"):
        assert sim[key] == rep[key], key
    assert [r["index"] for r in sim["rejected"]] == [r["index"] for r in rep["rejected"]]


def test_the_quickstart_scenario_simulates_to_its_expected_state() -> None:
    """Orders, a sale, a refund, a withdrawal (提现) and a subsidy that forces an exit."""
    path = ROOT / "examples" / "quickstart.yaml"
    table = invoke("simulate", str(path), "--scenario", str(path))
    assert table.exit_code == 0 and "pool money" in table.output
    out = json.loads(invoke("simulate", str(path), "--scenario", str(path), "--json").output)
    expect = yaml.safe_load(path.read_text())["expect"]
    rejected = expect.pop("rejected")  # the simulator reports the index, not the engine's exact wording
    assert compare(expect, out) == []
    assert [r["index"] for r in out["rejected"]] == [r["index"] for r in rejected]


def test_approx_is_labelled(tmp_path: Path) -> None:
    config = write(tmp_path, scenario_document(1, 1)["config"], "config.yaml")
    result = invoke("simulate", str(config), "--orders", "3000", "--approx", "--sample", "1000", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["approximate"] is True and out["divergence"]["sample_orders"] == 1000
    table = invoke("simulate", str(config), "--orders", "3000", "--approx", "--sample", "0")
    assert "APPROXIMATE" in table.output


def test_bad_input_exits_2(tmp_path: Path) -> None:
    bad = write(tmp_path, {"pool": {"grant_ratio": "2"}}, "bad.yaml")
    assert invoke("simulate", str(bad)).exit_code == 2
    good = write(tmp_path, scenario_document(1, 1)["config"], "config.yaml")
    assert invoke("simulate", str(good), "--sell", "greedy=1").exit_code == 2
    result = invoke("simulate", str(PLANS_CONFIG), "--orders", "100", "--approx")
    assert result.exit_code == 2 and "covers the pool only" in result.output
    assert invoke("simulate", str(PLANS_CONFIG), "--orders", "100", "--recruit", "random").exit_code == 2
    assert invoke("simulate", str(PLANS_CONFIG), "--orders", "100", "--period-days", "0").exit_code == 2


def test_plan_events_in_a_scenario_are_replayed_through_the_domain(tmp_path: Path) -> None:
    good = write(tmp_path, scenario_document(1, 1)["config"], "config.yaml")
    ticks = write(tmp_path, {"config": {}, "events": [{"type": "join", "member": "A"}, {"type": "tick"}]}, "t.yaml")
    result = invoke("simulate", str(good), "--scenario", str(ticks), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["replayed_by"] == "domain" and out["events"] == 2 and list(out["members"]) == ["A"]


@pytest.mark.parametrize("name", ["dividend.yaml", "linkage-spillover.yaml", "regional.yaml"])
def test_a_plans_scenario_simulates_to_what_replay_gives(name: str) -> None:
    path = ROOT / "examples" / "plans" / name
    simulated = invoke("simulate", str(path), "--scenario", str(path), "--json")
    assert simulated.exit_code == 0, simulated.output
    sim, rep = json.loads(simulated.output), json.loads(invoke("replay", str(path), "--json").output)
    for key in ("pool", "members", "accounts", "exits", "plans"):
        assert sim.get(key) == rep.get(key), key
    assert [r["index"] for r in sim["rejected"]] == [r["index"] for r in rep["rejected"]]
    paid = sim["plan_payouts"]
    assert sum(cents(plan["paid"]) for plan in paid["by_plan"].values()) == cents(paid["paid"])
    table = invoke("simulate", str(path), "--scenario", str(path))
    assert table.exit_code == 0 and "reward plans:" in table.output and f"{len(rep['members'])}" in table.output


# --- plan-aware behaviour runs --------------------------------------------------------------------------

PLANS_CONFIG = ROOT / "examples" / "configs" / "plans-all.yaml"
PLAN_RUN = {"orders": 1500, "seed": 3, "growth": "constant", "rate": 30.0, "growth_rate": 0.01,
            "capacity": 1_000_000, "stop_day": None, "mix": "pack1000=0.9,pack10000=0.1", "repurchase": 0.01,
            "reinvest": 0.5, "sell": "hold=0.6,breakeven=0.2,multiple=0.1,panic=0.1", "sell_multiple": "2",
            "panic_below": 0.5}


def cents(text: str) -> int:
    return int(Decimal(text) * 100)


def independent_payouts(options: dict[str, Any], recruit: str) -> dict[str, int]:
    """Plan -> cents paid to members: the same events replayed here, summed straight from the postings."""
    from zengzhi.cli.behaviour import behaviour
    from zengzhi.sim.behaviour import B_DAY, simulate_exact
    from zengzhi.sim.plan_stream import PlanOptions, plan_events
    from zengzhi.sim.plans_run import without_plans

    config = parse_tenant_config(yaml.safe_load(PLANS_CONFIG.read_text()))
    spec = behaviour(dict(options))
    run = simulate_exact(without_plans(config), spec, record=True)
    state, paid = State(config), {}
    for event, at_ms in plan_events(config, run.events(), PlanOptions(recruit=recruit), spec.seed,
                                    int(run.bs[B_DAY]) * DAY_MS):
        outcome = apply(state, event, at_ms)
        assert outcome.accepted, (event, outcome.rejection)
        for p in outcome.postings:
            if p.plan and p.to_account.startswith("member:") and not p.from_account.startswith("member:"):
                paid[p.plan] = paid.get(p.plan, 0) + p.amount
    assert (state.pool.money_cents, state.pool.points_units) == (int(run.sc[S_MONEY]), int(run.sc[S_POINTS]))
    return paid


def test_plans_block_of_a_behaviour_run_is_consistent_with_an_independent_replay() -> None:
    flags = [f"--{k.replace('_', '-')}={v}" for k, v in PLAN_RUN.items() if v is not None]
    result = invoke("simulate", str(PLANS_CONFIG), *flags, "--recruit", "preferential", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["mode"] == "exact" and out["orders"] == 1500 and out["orders_per_s"] > 0
    block = out["plans"]
    expected = independent_payouts(PLAN_RUN, "preferential")
    for name, plan in block["by_plan"].items():
        by_rule = sum(cents(v) for v in plan["rules"].values())
        by_rank = sum(cents(row["paid"]) for row in plan["by_rank"])
        assert by_rule == by_rank == expected.get(name, 0), name
        assert plan["members_paid"] <= plan["members_total"] == out["members"]
    assert cents(block["paid"]) == sum(expected.values()) > 0
    ranks = {row["rank"] for row in block["by_plan"]["team"]["by_rank"]}
    assert ranks == {"董事", "联创", "合伙人", "none"}  # the first 10 members were appointed
    table = invoke("simulate", str(PLANS_CONFIG), "--orders", "300")
    assert table.exit_code == 0 and "reward plans:" in table.output and "董事" in table.output
