"""Sweeps: grid texts (exact ranges), validated combinations, pool and Dask rows equal to single runs, files."""

from __future__ import annotations

import csv
import math
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from zengzhi.domain.config import parse_tenant_config
from zengzhi.sim.params import Behaviour
from zengzhi.sim.run import run_behaviour
from zengzhi.sim.sweep import GridError, Param, parse_grid, plan_runs, read_table, run_sweep, tidy, write_table
from zengzhi.workload import DEFAULT_CONFIG

BASE = Behaviour(orders=1_500, rate=30.0, reinvest=0.5, hold=0.6, breakeven=0.2, multiple=0.2)
TIMING = ("seconds", "orders_per_s")  # the only columns that differ between two runs of the same parameters
GRID = "grant_ratio=0.6,0.7;exit_multiple=2,3;seed=1,2"


def values(text: str) -> dict[str, tuple[Any, ...]]:
    return {p.name: p.values for p in parse_grid([text])}


def no_timing(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in TIMING}


# --- grid texts ---------------------------------------------------------------------------------------


def test_a_decimal_range_is_exact_inclusive_and_ends_on_its_stop() -> None:
    got = values("grant_ratio=0.1:0.9:0.1")["grant_ratio"]
    assert got == ("0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9")
    assert Decimal(got[-1]) == Decimal("0.9")  # float accumulation would give 0.8999999999999999
    assert values("rate=0.1:0.3:0.1")["rate"] == (0.1, 0.2, 0.3)  # each value is float(text), not a float sum


def test_a_range_whose_stop_is_off_the_grid_stops_before_it() -> None:
    assert values("exit_multiple=1:2:0.3")["exit_multiple"] == ("1.0", "1.3", "1.6", "1.9")  # one scale per range
    assert values("seed=1:5:2")["seed"] == (1, 3, 5)
    assert values("orders=100:100:1")["orders"] == (100,)


def test_the_issue_example_parses_a_new_name_starts_a_new_parameter() -> None:
    grid = parse_grid(["grant_ratio=0.1:0.9:0.1,exit_multiple=1.2,2,3"])
    assert [p.name for p in grid] == ["grant_ratio", "exit_multiple"]
    assert grid[1].values == ("1.2", "2", "3")
    assert len(grid[0].values) == 9


def test_semicolons_repeated_grids_lists_with_ranges_and_typed_values() -> None:
    grid = parse_grid(["seed=1:3:1;growth=constant,logistic", "stop_day=none,5", "mix.pack1000=0.5,2",
                       "sell_retention=10%,1/5, 0.25:0.3:0.05"])
    assert grid == (Param("seed", (1, 2, 3)), Param("growth", ("constant", "logistic")),
                    Param("stop_day", (None, 5)), Param("mix.pack1000", (0.5, 2.0)),
                    Param("sell_retention", ("10%", "1/5", "0.25", "0.30")))


@pytest.mark.parametrize(("text", "says"), [
    ("bogus=1,2", "unknown parameter 'bogus'"),
    ("1,2", "values must follow name="),
    ("=1", "without a name"),
    ("seed=", "seed: an empty value"),
    ("seed=1,,2", "seed: an empty value"),
    ("seed=1,1", "seed: a value is repeated"),
    ("seed=1.5", "seed: '1.5' is not a whole number"),
    ("rate=fast", "rate: 'fast' is not a number"),
    ("rate=1:2", "not a range start:stop:step"),
    ("rate=2:1:0.5", "step > 0 and start <= stop"),
    ("rate=1:2:0", "step > 0 and start <= stop"),
    ("rate=0:1:0.00001", "more than 10000"),
    ("seed=1;seed=2", "seed given more than once"),
])
def test_bad_grids_are_refused_with_the_parameter_named(text: str, says: str) -> None:
    with pytest.raises(GridError, match="grid") as caught:
        parse_grid([text])
    assert says in str(caught.value)


# --- combinations -------------------------------------------------------------------------------------


def test_the_product_sets_pool_fields_in_the_config_and_behaviour_fields_in_the_spec() -> None:
    runs = plan_runs(DEFAULT_CONFIG, BASE, parse_grid([GRID + ";mix.pack399=0.25"]))
    assert len(runs) == 8 and [r.index for r in runs] == list(range(8))
    last = runs[-1]
    assert dict(last.params) == {"grant_ratio": "0.7", "exit_multiple": "3", "seed": 2, "mix.pack399": 0.25}
    pool = parse_tenant_config(last.config).pool
    assert (pool.grant_ratio.num, pool.grant_ratio.den) == (7, 10)
    assert last.behaviour == replace(BASE, seed=2, mix=(("pack399", 0.25),))
    assert DEFAULT_CONFIG["pool"]["grant_ratio"] == "0.70"  # the base config is not changed


def test_an_invalid_combination_is_refused_before_anything_runs() -> None:
    with pytest.raises(GridError, match=r"run 1 \(grant_ratio=1\.0\): config\.pool\.grant_ratio: must be between"):
        plan_runs(DEFAULT_CONFIG, BASE, parse_grid(["grant_ratio=0.9,1.0"]))
    with pytest.raises(GridError, match=r"run 0 \(mix\.nothing=1\.0\): mix names unknown products: nothing"):
        plan_runs(DEFAULT_CONFIG, BASE, parse_grid(["mix.nothing=1"]))
    with pytest.raises(GridError, match=r"repurchase=2\.0\): repurchase must be a probability"):
        plan_runs(DEFAULT_CONFIG, BASE, parse_grid(["repurchase=0.5,2"]))
    with pytest.raises(GridError, match="covers the pool only"):  # plans run exactly, never in fast mode
        plan_runs({**DEFAULT_CONFIG, "plans": [{"type": "referral", "name": "r", "bucket": "distribution",
                                                "awards": ["10%"]}]}, BASE, parse_grid(["seed=1"]), approx=True)


# --- running ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def local_rows() -> list[dict[str, Any]]:
    """The grid through a 2-process pool (the parent warms numba's cache first)."""
    return run_sweep(plan_runs(DEFAULT_CONFIG, BASE, parse_grid([GRID])), workers=2)


def test_pool_rows_equal_single_runs_bit_for_bit(local_rows: list[dict[str, Any]]) -> None:
    assert [row["run"] for row in local_rows] == list(range(8))
    for row in local_rows:
        config = parse_tenant_config({**DEFAULT_CONFIG, "pool": {**DEFAULT_CONFIG["pool"],
                                      "grant_ratio": row["grant_ratio"], "exit_multiple": row["exit_multiple"]}})
        single = run_behaviour(config, replace(BASE, seed=row["seed"]))
        expected = {"run": row["run"], "grant_ratio": row["grant_ratio"], "exit_multiple": row["exit_multiple"],
                    "seed": row["seed"], **{k: v for k, v in single.items() if k != "pool"},
                    **{f"pool_{k}": v for k, v in single["pool"].items()}}
        assert no_timing(row) == no_timing(expected)
        assert row["orders_per_s"] > 0
    assert len({row["pool_money"] for row in local_rows}) == 8  # every parameter changed the run


def test_in_process_rows_equal_pool_rows(local_rows: list[dict[str, Any]]) -> None:
    rows = run_sweep(plan_runs(DEFAULT_CONFIG, BASE, parse_grid([GRID])), workers=1)
    assert [no_timing(r) for r in rows] == [no_timing(r) for r in local_rows]


def test_dask_rows_equal_local_rows(local_rows: list[dict[str, Any]]) -> None:
    distributed = pytest.importorskip("dask.distributed")
    seen: list[int] = []
    # threads in this process: no worker start-up or compile on a 2-core machine, the kernels are warm here
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        rows = run_sweep(plan_runs(DEFAULT_CONFIG, BASE, parse_grid([GRID])), scheduler=cluster.scheduler_address,
                         on_row=lambda row: seen.append(row["run"]))
    assert sorted(seen) == list(range(8))
    assert [no_timing(r) for r in rows] == [no_timing(r) for r in local_rows]


def test_an_approx_sweep_is_labelled_and_flattens_its_divergence() -> None:
    rows = run_sweep(plan_runs(DEFAULT_CONFIG, BASE, parse_grid(["seed=1"]), approx=True, sample_orders=500))
    row = rows[0]
    assert row["mode"] == "approximate" and row["approximate"] is True
    assert row["divergence_sample_orders"] == 500 and row["divergence_money_rel"] < 1e-3


# --- files --------------------------------------------------------------------------------------------


def test_parquet_round_trip_is_typed_and_exact(local_rows: list[dict[str, Any]], tmp_path: Path) -> None:
    path = tmp_path / "results.parquet"
    write_table(local_rows, path)
    back = read_table(path)
    assert back == local_rows
    assert isinstance(back[0]["seed"], int) and isinstance(back[0]["seconds"], float)
    assert back[0]["grant_ratio"] == "0.6"  # exact text, not 0.59999…


def test_csv_round_trip(local_rows: list[dict[str, Any]], tmp_path: Path) -> None:
    path = tmp_path / "results.csv"
    write_table(local_rows, path)
    back = read_table(path)
    assert back == [{k: "" if v is None else str(v) for k, v in row.items()} for row in local_rows]
    with path.open(newline="") as handle:
        header = next(csv.reader(handle))
    assert header[:4] == ["run", "grant_ratio", "exit_multiple", "seed"]
    assert math.isclose(float(back[0]["seconds"]), local_rows[0]["seconds"])


def test_a_row_with_an_error_keeps_the_table_tidy(tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [{"run": 0, "seed": 1, "exits": 3}, {"run": 1, "seed": 2, "error": "overflow"}]
    table = tidy(rows)
    assert table == [{"run": 0, "seed": 1, "exits": 3, "error": None}, {"run": 1, "seed": 2, "exits": None,
                                                                         "error": "overflow"}]
    write_table(table, tmp_path / "t.parquet")
    assert read_table(tmp_path / "t.parquet") == table
    with pytest.raises(ValueError, match="csv or .parquet"):
        write_table(table, tmp_path / "t.xlsx")
