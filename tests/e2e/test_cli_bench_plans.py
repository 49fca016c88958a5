"""``zengzhi bench plans`` runs every plan on both tree shapes (tiny sizes: a smoke test, not a timing)."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from zengzhi.bench_plans import ALL_PLANS_CONFIG, bench_plans
from zengzhi.cli.main import app
from zengzhi.domain.config import parse_tenant_config
from zengzhi.domain.plans.registry import PARSERS


def test_the_benchmark_config_enables_every_plan_type() -> None:
    config = parse_tenant_config(ALL_PLANS_CONFIG)
    assert {plan.kind for plan in config.plans} == set(PARSERS)


def test_the_example_config_is_the_benchmark_config() -> None:
    # docs quote simulator and report figures for the YAML and bench figures for the dict: one config
    example = Path(__file__).resolve().parents[2] / "examples" / "configs" / "plans-all.yaml"
    assert yaml.safe_load(example.read_text(encoding="utf-8")) == ALL_PLANS_CONFIG


def test_bench_plans_on_a_random_tree_and_a_chain() -> None:
    chain = bench_plans("chain", 300, 200, seed=3, period=50)
    assert (chain.members, chain.depth_max, chain.orders) == (300, 299, 200)
    random_tree = bench_plans("random", 300, 200, seed=3, period=50)
    assert random_tree.depth_max < 299
    result = CliRunner().invoke(app, ["bench", "plans", "--members", "200", "--chain", "100",
                                      "--orders", "100"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "chain" in result.output and "random" in result.output
    bad = CliRunner().invoke(app, ["bench", "plans", "--shapes", "star"])
    assert bad.exit_code == 2
    bad = CliRunner().invoke(app, ["bench", "plans", "--without", "nope"])
    assert bad.exit_code == 2


def test_config_without_drops_a_plan_and_what_only_acted_on_it() -> None:
    from zengzhi.bench_plans import config_without

    names = [p.get("name", p["type"]) for p in config_without(["linkage"])["plans"]]
    assert "linkage" not in names and "help_fund" not in names and "quota" not in names
    assert "differential" in names
    parse_tenant_config(config_without(["linkage"]))
