"""``zengzhi report``: the economics truth report (经济真相报告) of a config or a scenario, as HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zengzhi.cli import render
from zengzhi.cli.behaviour import (
    Appoint,
    Capacity,
    Growth,
    GrowthRate,
    Orders,
    PeriodDays,
    Rate,
    Recruit,
    Reinvest,
    Repurchase,
    Seed,
    Sell,
    behaviour,
    plan_options,
)
from zengzhi.errors import ZengzhiError

EXIT_BAD_INPUT = 2


def report(
    config: Annotated[Path, typer.Argument(help="Tenant config (runs the behaviour model) or a scenario file "
                                                "(its events are replayed).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The HTML file to write.")] = Path("report.html"),
    lang: Annotated[str, typer.Option(help="Language: zh (简体中文) or en.")] = "zh",
    orders: Orders = 20_000,
    seed: Seed = 1,
    growth: Growth = "constant",
    rate: Rate = 100.0,
    growth_rate: GrowthRate = 0.01,
    capacity: Capacity = 1_000_000,
    repurchase: Repurchase = 0.0,
    reinvest: Reinvest = 0.5,
    sell: Sell = "hold=0.6,breakeven=0.2,multiple=0.1,panic=0.1",
    recruit: Recruit = "uniform",
    period_days: PeriodDays = 7,
    appoint: Appoint = 10,
    cohorts: Annotated[int, typer.Option(help="Number of cohorts (groups by first order).")] = 10,
    panic: Annotated[str, typer.Option(help="Share of holders who sell in the stress test, e.g. 1 or 0.5.")] = "1",
) -> None:
    """Write the truth report: price, cohorts, growth needed, stress test, later money, Gini, plans, red flags."""
    from zengzhi.domain.money import AmountError, parse_ratio
    from zengzhi.report.render import build, render_html
    from zengzhi.report.source import load

    try:
        if lang not in ("zh", "en"):
            raise ValueError("--lang must be zh or en")
        share = parse_ratio(panic, "panic")
        if not 0 < share.num <= share.den:
            raise ValueError("--panic must be in (0, 1]")
        spec = behaviour({"orders": orders, "seed": seed, "growth": growth, "rate": rate,
                           "growth_rate": growth_rate, "capacity": capacity, "stop_day": None, "mix": "",
                           "repurchase": repurchase, "reinvest": reinvest, "sell": sell, "sell_multiple": "2",
                           "panic_below": 0.5})
        plans = plan_options(recruit, period_days, appoint)
        built = build(load(config, spec, plans), cohorts=cohorts, panic=share)
        output.write_text(render_html(built, lang), encoding="utf-8")
    except (ZengzhiError, OSError, ValueError, AmountError) as exc:
        render.error(f"{exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    render.out.print(f"wrote {output} ({built.run.orders:,} orders, {len(built.cohorts)} cohorts)")
