"""End to end: ``zengzhi sweep`` on a config file — JSON rows, CSV/Parquet files, the table, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from zengzhi.cli.main import app
from zengzhi.sim.sweep import read_table
from zengzhi.workload import DEFAULT_CONFIG

runner = CliRunner()
BEHAVIOUR = ("--orders", "1000", "--rate", "20", "--sell", "hold=0.7,breakeven=0.3", "--reinvest", "0.5")


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args), catch_exceptions=False)


def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(DEFAULT_CONFIG, allow_unicode=True))
    return path


def test_json_rows_one_per_combination_like_simulate(tmp_path: Path) -> None:
    config = config_file(tmp_path)
    result = invoke("sweep", str(config), "--grid", "grant_ratio=0.6:0.7:0.1,exit_multiple=2,3", "--grid",
                    "seed=1,2", "--workers", "2", *BEHAVIOUR, "--json", "-o", str(tmp_path / "out.parquet"))
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 8
    assert [(r["grant_ratio"], r["exit_multiple"], r["seed"]) for r in rows[:3]] == [
        ("0.6", "2", 1), ("0.6", "2", 2), ("0.6", "3", 1)]
    assert read_table(tmp_path / "out.parquet") == rows
    single = json.loads(invoke("simulate", str(config), "--seed", "2", *BEHAVIOUR, "--json").output)
    # the base config's grant_ratio 0.70 and exit_multiple 3 are run 7 (0.7, 3, seed 2)
    assert rows[7]["pool_money"] == single["pool"]["money"] and rows[7]["exits"] == single["exits"]
    assert rows[7]["cash_paid_cents"] == single["cash_paid_cents"]


def test_the_table_and_a_csv_file(tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    result = invoke("sweep", str(config_file(tmp_path)), "--grid", "exit_multiple=1.2,2,3", "--workers", "1",
                    *BEHAVIOUR, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "zengzhi sweep — exact" in result.output and "3 runs in" in result.output
    assert "exit_multiple" in result.output and "pool money" in result.output
    assert [row["exit_multiple"] for row in read_table(out)] == ["1.2", "2", "3"]


def test_approx_is_labelled(tmp_path: Path) -> None:
    result = invoke("sweep", str(config_file(tmp_path)), "--grid", "seed=1", "--approx", "--sample", "200",
                    *BEHAVIOUR)
    assert result.exit_code == 0, result.output
    assert "APPROXIMATE" in result.output


def test_a_config_with_plans_runs_plan_aware_like_simulate() -> None:
    plans = str(Path(__file__).resolve().parents[2] / "examples" / "configs" / "plans-all.yaml")
    args = ("--orders", "400", "--rate", "20", "--recruit", "chain", "--json")
    result = invoke("sweep", plans, "--grid", "exit_multiple=2,3", "--workers", "1", *args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [row["exit_multiple"] for row in rows] == ["2", "3"]
    simulated = json.loads(invoke("simulate", plans, *args).output)  # the config's own exit_multiple is 3
    assert rows[1]["plans_paid"] == simulated["plans"]["paid"] and rows[1]["pool_money"] == simulated["pool"]["money"]
    assert rows[1]["plans_by_plan_linkage_paid"] == simulated["plans"]["by_plan"]["linkage"]["paid"]
    approx = runner.invoke(app, ["sweep", plans, "--grid", "seed=1", "--approx", "--orders", "10"])
    assert approx.exit_code == 2 and "covers the pool only" in " ".join(approx.output.split())


def test_bad_input_exits_2_naming_the_parameter(tmp_path: Path) -> None:
    config = str(config_file(tmp_path))
    cases = {("--grid", "grant_ratio=0.5,1.5"): "config.pool.grant_ratio",
             ("--grid", "colour=red"): "unknown parameter 'colour'",
             ("--grid", "seed=1", "-o", str(tmp_path / "x.txt")): "-o writes .csv or .parquet"}
    for args, says in cases.items():
        result = runner.invoke(app, ["sweep", config, *args, "--orders", "10"])
        assert result.exit_code == 2, args
        assert says in " ".join(result.output.split()), (args, result.output)
    assert not (tmp_path / "x.txt").exists()


def test_scheduler_runs_on_a_dask_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    config = str(config_file(tmp_path))
    args = ("--grid", "exit_multiple=2,3", *BEHAVIOUR, "--json")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        on_dask = invoke("sweep", config, "--scheduler", cluster.scheduler_address, *args)
    assert on_dask.exit_code == 0, on_dask.output
    local = invoke("sweep", config, "--workers", "1", *args)
    timing = ("seconds", "orders_per_s")
    strip = [[{k: v for k, v in row.items() if k not in timing} for row in json.loads(r.output)]
             for r in (on_dask, local)]
    assert strip[0] == strip[1] and len(strip[0]) == 2
