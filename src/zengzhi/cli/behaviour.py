"""The behaviour-model options that ``simulate``, ``sweep`` and ``report`` share.

One declaration per option (type and help), so the three commands cannot
drift apart; each command keeps its own defaults. ``behaviour`` turns the
values into a checked ``zengzhi.sim.params.Behaviour``, ``plan_options`` the
reward-plan options into a ``zengzhi.sim.plan_stream.PlanOptions``.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

Orders = Annotated[int, typer.Option(help="Orders per run (the run may end earlier).")]
Seed = Annotated[int, typer.Option(help="Random seed.")]
Growth = Annotated[str, typer.Option(help="Arrivals: constant, exponential or logistic.")]
Rate = Annotated[float, typer.Option(help="New members per day at day 0.")]
GrowthRate = Annotated[float, typer.Option(help="Daily growth (exponential) or logistic rate.")]
Capacity = Annotated[int, typer.Option(help="Logistic ceiling of members.")]
StopDay = Annotated[int | None, typer.Option(help="No new members from this day on.")]
Mix = Annotated[str, typer.Option(help="Product weights, e.g. pack1000=0.7,pack399=0.3 (default: equal).")]
Repurchase = Annotated[float, typer.Option(help="Chance per member per day of a repeat order.")]
Reinvest = Annotated[float, typer.Option(help="Chance that a member orders again the day after its cycle "
                                              "closed (复投).")]
Sell = Annotated[str, typer.Option(help="Selling types, e.g. hold=0.6,breakeven=0.2,multiple=0.1,panic=0.1 "
                                        "(empty: all hold).")]
SellMultiple = Annotated[str, typer.Option(help="The 'multiple' type sells at this × its break-even price.")]
PanicBelow = Annotated[float, typer.Option(help="Panic when today's arrivals < this × yesterday's.")]
Approx = Annotated[bool, typer.Option("--approx", help="Fast float kernels (APPROXIMATE).")]
Sample = Annotated[int, typer.Option(help="--approx: orders of the exact comparison run (0: none).")]
# reward plans only (a config with plans): how sponsors, operator ranks and periods are filled in
Recruit = Annotated[str, typer.Option(help="Plans: who sponsors each new member: uniform (a random earlier "
                                           "member), preferential (by 1 + recruits) or chain.")]
PeriodDays = Annotated[int, typer.Option(help="Plans: close_period and tick every this many simulated days.")]
Appoint = Annotated[int, typer.Option(help="Plans: the first N members get the operator-set ranks (dividend "
                                           "classes, regional agencies).")]


def pairs(text: str, what: str) -> tuple[tuple[str, float], ...]:
    """``"a=0.7,b=0.3"`` -> ``(("a", 0.7), ("b", 0.3))``."""
    out = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        name, _, value = item.partition("=")
        try:
            out.append((name.strip(), float(value)))
        except ValueError:
            raise typer.BadParameter(f"{what}: {item!r} is not name=number") from None
    return tuple(out)


def behaviour(options: dict[str, Any]) -> Any:
    """The option values (``sell`` and ``mix`` as text) -> a checked ``Behaviour``."""
    from zengzhi.sim.params import Behaviour

    sell = dict(pairs(options.pop("sell"), "--sell"))
    unknown = set(sell) - {"hold", "breakeven", "multiple", "panic"}
    if unknown:
        raise typer.BadParameter(f"--sell: unknown selling types {sorted(unknown)}")
    mix = pairs(options.pop("mix"), "--mix")
    spec = Behaviour(mix=mix, hold=sell.get("hold", 0.0) if sell else 1.0, breakeven=sell.get("breakeven", 0.0),
                     multiple=sell.get("multiple", 0.0), panic=sell.get("panic", 0.0), **options)
    problems = spec.problems()
    if problems:
        raise typer.BadParameter("; ".join(problems))
    return spec


def plan_options(recruit: str, period_days: int, appoint: int) -> Any:
    """The plan options -> a checked ``zengzhi.sim.plan_stream.PlanOptions``."""
    from zengzhi.sim.plan_stream import PlanOptions

    options = PlanOptions(recruit=recruit, period_days=period_days, appoint=appoint)
    problems = options.problems()
    if problems:
        raise typer.BadParameter("; ".join(problems))
    return options
