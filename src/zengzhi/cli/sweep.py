"""``zengzhi sweep``: whole simulator runs over a grid of pool and behaviour parameters, in parallel.

Parses the options, builds and validates the runs (``zengzhi.sim.sweep``; a
config with reward plans runs plan-aware, exact only), runs
them in a local process pool or on a Dask cluster (``--scheduler``), and
renders the tidy table (Rich), writes it (``-o`` CSV/Parquet) or prints JSON.
Exit code 2: bad input (config, grid, an invalid combination).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from zengzhi.cli import render
from zengzhi.cli.behaviour import (
    Appoint,
    Approx,
    Capacity,
    Growth,
    GrowthRate,
    Mix,
    Orders,
    PanicBelow,
    PeriodDays,
    Rate,
    Recruit,
    Reinvest,
    Repurchase,
    Sample,
    Sell,
    SellMultiple,
    StopDay,
    behaviour,
    plan_options,
)
from zengzhi.domain.money import format_cents
from zengzhi.errors import ZengzhiError

EXIT_BAD_INPUT = 2
#: summary columns shown on the terminal (all columns go to -o and --json)
SHOWN = (("orders", "orders"), ("seconds", "s"), ("orders_per_s", "orders/s"), ("pool_money", "pool money"),
         ("pool_points", "points"), ("pool_price", "price"), ("members", "members"), ("exits", "exits"),
         ("sells", "sells"), ("cash_paid_cents", "cash paid"), ("plans_paid", "plans paid"), ("error", "error"))
WIDE = 200  # a table written to a file or pipe is not squeezed to 80 columns


def _raw_config(path: Path) -> dict[str, Any]:
    """The raw tenant config of a config file or a scenario file (its ``config:``), checked by the domain."""
    from zengzhi.domain.config import ConfigError, parse_tenant_config
    from zengzhi.scenario import load_file

    data = load_file(path)
    raw = data.get("config") if ("config" in data or "events" in data) else data
    try:
        parse_tenant_config(raw)
    except ConfigError as exc:
        raise typer.BadParameter(f"{path}: config.{exc.field}: {exc.reason}") from None
    if not isinstance(raw, dict):
        raise typer.BadParameter(f"{path}: the config must be a mapping")
    return raw


def _cell(key: str, value: Any) -> str:
    if key == "cash_paid_cents" and isinstance(value, int):
        return format_cents(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _show(rows: list[dict[str, Any]], params: list[str], approx: bool, seconds: float, where: str) -> None:
    title = "zengzhi sweep" + (" — APPROXIMATE (float kernels)" if approx else " — exact")
    table = Table(title=title, caption=f"{len(rows)} runs in {seconds:.1f} s ({where})")
    keys = [("run", "run"), *((p, p) for p in params if p != "seed"), ("seed", "seed")]
    keys += [(key, name) for key, name in SHOWN if any(row.get(key) is not None for row in rows)]
    for key, name in keys:
        table.add_column(name, justify="left" if key == "error" else "right")
    for row in rows:
        table.add_row(*(_cell(key, row.get(key)) for key, _ in keys))
    console = render.out if render.out.is_terminal else Console(highlight=False, width=WIDE)
    console.print(table)


def _run(runs: list[Any], workers: int, scheduler: str | None, show: bool) -> list[dict[str, Any]]:
    from zengzhi.sim.sweep import run_sweep

    if not show:
        return run_sweep(runs, workers=workers, scheduler=scheduler)
    columns = (TextColumn("sweeping"), BarColumn(), MofNCompleteColumn(), TextColumn("runs"), TimeElapsedColumn())
    with Progress(*columns, console=render.err, transient=True) as bar:
        task = bar.add_task("runs", total=len(runs))
        return run_sweep(runs, workers=workers, scheduler=scheduler, on_row=lambda _row: bar.advance(task))


def sweep(
    config: Annotated[Path, typer.Argument(help="Tenant config YAML/JSON, or a scenario file (its config).")],
    grid: Annotated[list[str], typer.Option(
        help="Parameters: name=FROM:TO:STEP (inclusive) or name=v1,v2,…; several separated by ';', or by ',' "
             "before a new name=, or by repeating --grid. Names: pool fields (grant_ratio, exit_multiple, "
             "sell_retention, initial_price, redeem_retention), behaviour options (orders, seed, growth, rate, "
             "growth_rate, capacity, stop_day, repurchase, reinvest, hold, breakeven, multiple, panic, "
             "sell_multiple, panic_below, days_max) and mix.<product>.")],
    workers: Annotated[int | None, typer.Option(help="Local worker processes (default: CPU count).")] = None,
    scheduler: Annotated[str | None, typer.Option(help="Run on this Dask scheduler (e.g. tcp://host:8786) "
                                                       "instead of a local process pool.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the rows: .csv or .parquet.")]
    = None,
    orders: Orders = 100_000,
    seed: Annotated[int, typer.Option(help="Random seed (a grid 'seed' overrides it).")] = 1,
    growth: Growth = "constant",
    rate: Rate = 100.0,
    growth_rate: GrowthRate = 0.01,
    capacity: Capacity = 1_000_000,
    stop_day: StopDay = None,
    mix: Mix = "",
    repurchase: Repurchase = 0.0,
    reinvest: Reinvest = 0.0,
    sell: Sell = "",
    sell_multiple: SellMultiple = "2",
    panic_below: PanicBelow = 0.5,
    approx: Approx = False,
    sample: Sample = 100_000,
    recruit: Recruit = "uniform",
    period_days: PeriodDays = 7,
    appoint: Appoint = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False,
) -> None:
    """Run the pool simulator over a grid of parameters (one whole run per combination), in parallel."""
    from zengzhi.sim.run import SimulationError
    from zengzhi.sim.sweep import GridError, parse_grid, plan_runs, require, write_table

    try:
        raw = _raw_config(config)
        base = behaviour({"orders": orders, "seed": seed, "growth": growth, "rate": rate,
                           "growth_rate": growth_rate, "capacity": capacity, "stop_day": stop_day, "mix": mix,
                           "repurchase": repurchase, "reinvest": reinvest, "sell": sell,
                           "sell_multiple": sell_multiple, "panic_below": panic_below})
        params = parse_grid(grid)
        runs = plan_runs(raw, base, params, approx=approx, sample_orders=sample,
                         plans=plan_options(recruit, period_days, appoint))
        if output is not None and output.suffix.lower() not in (".csv", ".parquet", ".pq"):
            raise GridError(f"{output}: -o writes .csv or .parquet")
        if output is not None and output.suffix.lower() != ".csv":
            require("pyarrow", "-o .parquet")
        if scheduler is not None:
            require("distributed", "--scheduler (Dask)")
        started = time.perf_counter()
        rows = _run(runs, workers or os.cpu_count() or 1, scheduler, render.err.is_terminal and not as_json)
        seconds = time.perf_counter() - started
    except (ZengzhiError, OSError, SimulationError, ValueError) as exc:
        render.error(f"{exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if output is not None:
        write_table(rows, output)
    if as_json:
        render.print_json(rows)
    else:
        processes = min(workers or os.cpu_count() or 1, len(runs))
        where = f"Dask {scheduler}" if scheduler else (f"{processes} processes" if processes > 1 else "this process")
        _show(rows, [p.name for p in params], approx, seconds, where)
