"""``zengzhi simulate``: the simulator (behaviour models or a scenario's events).

Parses the options, calls ``zengzhi.sim.run`` and renders; exit codes as in
``cli/main.py`` (2: bad input, or the exact kernel could not go on). A config
with reward plans runs plan-aware (exact only); a scenario with plans or plan
events is replayed through the domain instead of the stream kernel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
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
    Seed,
    Sell,
    SellMultiple,
    StopDay,
    behaviour,
    plan_options,
)
from zengzhi.errors import ZengzhiError

EXIT_BAD_INPUT = 2
PROGRESS_ORDERS_MIN = 2_000_000  # shorter runs finish before a bar would help
PLAN_PROGRESS_ORDERS_MIN = 50_000  # the plan-aware replay runs at thousands of orders/s, not millions


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


def _replay_events(tenant: Any, events: list[tuple[Any, int]]) -> dict[str, Any]:
    """A scenario with plans or plan events: the domain replay (the stream kernel models the pool only)."""
    import time

    from zengzhi.engine.queries import state_view
    from zengzhi.sim.plans_run import plans_block, replay

    started = time.perf_counter()
    replayed = replay(tenant, events)
    seconds = time.perf_counter() - started
    out: dict[str, Any] = {"mode": "exact", "replayed_by": "domain", "orders": replayed.orders,
                           "events": replayed.events, "seconds": round(seconds, 6),
                           "orders_per_s": round(replayed.orders / seconds, 1) if seconds > 0 else None,
                           **state_view(replayed.state), "rejected": replayed.rejected}
    if tenant.plans:
        out["plan_payouts"] = plans_block(replayed.state, replayed.tally)
    return out


def _scenario(tenant: Any, path: Path) -> dict[str, Any]:
    from zengzhi.domain.events import PLAN_EVENTS
    from zengzhi.sim.run import run_events

    events = _events(path)
    if tenant.plans or any(isinstance(event, PLAN_EVENTS) for event, _ in events):
        return _replay_events(tenant, events)
    return run_events(tenant, events)


def _with_progress(total: int, show: bool, work: Any, minimum: int = PROGRESS_ORDERS_MIN) -> Any:
    if not show or total < minimum:
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
    if isinstance(summary.get("members"), dict):  # a scenario: the replay view lists the members
        rows.append(("members", f"{len(summary['members']):,}"))
    rows += [(key, f"{summary[key]:,}") for key in ("members", "exits", "sells", "reinvests", "panics", "days")
             if isinstance(summary.get(key), int)]
    for key, value in rows:
        table.add_row(key, value)
    render.out.print(table)
    if "plans" in summary or "plan_payouts" in summary:
        _show_plans(summary.get("plan_payouts") or summary["plans"])
    if "divergence" in summary:
        d = summary["divergence"]
        render.out.print(f"divergence from exact on {d['sample_orders']:,} orders: money {d['money_rel']:.2e}, "
                         f"points {d['points_rel']:.2e}, price {d['price_rel']:.2e}, exits "
                         f"{d['exits_exact']} exact vs {d['exits_approx']} approximate")
    if "rejected" in summary:
        render.out.print(f"rejected events: {len(summary['rejected'])}")


def _show_plans(block: dict[str, Any]) -> None:
    table = Table(title=f"reward plans: {block['paid']} paid to {block['members_paid']:,} of "
                        f"{block['members_total']:,} members (residual {block['residual']})")
    for name in ("plan", "rank", "members", "paid", "mean", "share"):
        table.add_column(name, justify="left" if name in ("plan", "rank") else "right")
    for plan, entry in block["by_plan"].items():
        for row in entry["by_rank"]:
            table.add_row(plan, row["rank"], f"{row['members']:,}", row["paid"], row["mean"],
                          f"{100 * row['share']:.1f}%")
    render.out.print(table)


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
    recruit: Recruit = "uniform",
    period_days: PeriodDays = 7,
    appoint: Appoint = 10,
    scenario: Annotated[Path | None, typer.Option(help="Simulate this scenario's events instead of a "
                                                       "behaviour model (exact).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Simulate the pool (消费增值), and its reward plans, under seeded behaviour models or a scenario's events."""
    from zengzhi.sim.run import SimulationError, run_behaviour
    from zengzhi.sim.stream import Unsupported

    try:
        tenant, _ = _load_config(config)
        if scenario is not None:
            summary = _scenario(tenant, scenario)
        else:
            spec = behaviour({"orders": orders, "seed": seed, "growth": growth, "rate": rate,
                               "growth_rate": growth_rate, "capacity": capacity, "stop_day": stop_day,
                               "mix": mix, "repurchase": repurchase, "reinvest": reinvest, "sell": sell,
                               "sell_multiple": sell_multiple, "panic_below": panic_below})
            plans = plan_options(recruit, period_days, appoint)
            summary = _with_progress(spec.orders, render.err.is_terminal, lambda tick: run_behaviour(
                tenant, spec, approx=approx, sample_orders=sample, progress=tick, plans=plans),
                PLAN_PROGRESS_ORDERS_MIN if tenant.plans else PROGRESS_ORDERS_MIN)
    except (ZengzhiError, OSError, Unsupported, SimulationError, ValueError) as exc:
        render.error(f"{exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if as_json:
        render.print_json(summary)
    else:
        _show(summary)
