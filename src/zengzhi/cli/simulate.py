"""``zengzhi simulate``: the pool-only simulator (behaviour models or a scenario's events).

Parses the options, calls ``zengzhi.sim.run`` and renders; exit codes as in
``cli/main.py`` (2: bad input, or the exact kernel could not go on).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from zengzhi.cli import render
from zengzhi.cli.behaviour import (
    Approx,
    Capacity,
    Growth,
    GrowthRate,
    Mix,
    Orders,
    PanicBelow,
    Rate,
    Reinvest,
    Repurchase,
    Sample,
    Seed,
    Sell,
    SellMultiple,
    StopDay,
    behaviour,
)
from zengzhi.errors import ZengzhiError

EXIT_BAD_INPUT = 2
PROGRESS_ORDERS_MIN = 2_000_000  # shorter runs finish before a bar would help


def _load_config(path: Path) -> tuple[Any, dict[str, Any]]:
    """The tenant config of a config file or a scenario file (both accepted), and the raw data."""
    from zengzhi.domain.config import ConfigError, parse_tenant_config
    from zengzhi.scenario import load_file

    data = load_file(path)
    raw = data.get("config") if ("config" in data or "events" in data) else data
    try:
        return parse_tenant_config(raw), data
    except ConfigError as exc:
        raise typer.BadParameter(f"{path}: config.{exc.field}: {exc.reason}") from None


def _events(path: Path) -> list[tuple[Any, int]]:
    from zengzhi.scenario import load_file, parse_scenario

    scenario = parse_scenario(load_file(path), str(path))
    bad = [item for item in scenario.events if item.error is not None]
    if bad:
        raise typer.BadParameter(f"{path}: event {bad[0].index}: {bad[0].error}")
    return [(item.event, item.at_ms) for item in scenario.events]


def _with_progress(total: int, show: bool, work: Any) -> Any:
    if not show or total < PROGRESS_ORDERS_MIN:
        return work(None)
    columns = (TextColumn("simulating"), BarColumn(), MofNCompleteColumn(), TextColumn("orders"),
               TimeElapsedColumn())
    with Progress(*columns, console=render.err, transient=True) as bar:
        task = bar.add_task("orders", total=total)
        return work(lambda done: bar.update(task, completed=done))


def _show(summary: dict[str, Any]) -> None:
    title = "zengzhi simulate" + (" — APPROXIMATE (float kernels)" if summary.get("approximate") else " — exact")
    table = Table(title=title)
    table.add_column("quantity")
    table.add_column("value", justify="right")
    pool = summary["pool"]
    rows = [("orders", f"{summary['orders']:,}"), ("seconds", f"{summary['seconds']:.3f}"),
            ("orders/s", f"{summary['orders_per_s'] or 0:,.0f}"), ("pool money", pool["money"]),
            ("points", pool["points"]), ("price", pool["price"])]
    rows += [(key, f"{summary[key]:,}") for key in ("members", "exits", "sells", "reinvests", "panics", "days")
             if key in summary]
    for key, value in rows:
        table.add_row(key, value)
    render.out.print(table)
    if "divergence" in summary:
        d = summary["divergence"]
        render.out.print(f"divergence from exact on {d['sample_orders']:,} orders: money {d['money_rel']:.2e}, "
                         f"points {d['points_rel']:.2e}, price {d['price_rel']:.2e}, exits "
                         f"{d['exits_exact']} exact vs {d['exits_approx']} approximate")
    if "rejected" in summary:
        render.out.print(f"rejected events: {len(summary['rejected'])}")


def simulate(
    config: Annotated[Path, typer.Argument(help="Tenant config YAML/JSON, or a scenario file (its config).")],
    orders: Orders = 100_000,
    seed: Seed = 1,
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
    scenario: Annotated[Path | None, typer.Option(help="Simulate this scenario's events instead of a "
                                                       "behaviour model (exact).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Simulate the pool (消费增值) under seeded behaviour models, or a scenario's events, exactly."""
    from zengzhi.sim.run import SimulationError, run_behaviour, run_events
    from zengzhi.sim.stream import Unsupported

    try:
        tenant, _ = _load_config(config)
        if scenario is not None:
            summary = run_events(tenant, _events(scenario))
        else:
            spec = behaviour({"orders": orders, "seed": seed, "growth": growth, "rate": rate,
                               "growth_rate": growth_rate, "capacity": capacity, "stop_day": stop_day,
                               "mix": mix, "repurchase": repurchase, "reinvest": reinvest, "sell": sell,
                               "sell_multiple": sell_multiple, "panic_below": panic_below})
            summary = _with_progress(spec.orders, render.err.is_terminal, lambda tick: run_behaviour(
                tenant, spec, approx=approx, sample_orders=sample, progress=tick))
    except (ZengzhiError, OSError, Unsupported, SimulationError, ValueError) as exc:
        render.error(f"{exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if as_json:
        render.print_json(summary)
    else:
        _show(summary)
