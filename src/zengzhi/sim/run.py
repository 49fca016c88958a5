"""Entry points of the simulator: behaviour runs and stream runs, as summaries.

``run_behaviour`` runs the seeded behaviour model exactly (default) or
approximately (``approx=True``, float kernels, with the divergence from the
exact kernel measured on a sample run); a config with reward plans takes the
plan-aware path (exact only: the kernel, then the domain replay of
``plans_run``, with a ``plans`` block). ``run_events`` runs a given event
stream exactly. Both return plain JSON-ready dicts with ``orders``,
``seconds`` and ``orders_per_s`` next to the final pool state. Timings cover
the kernel calls (and the replay of a plan-aware run); numba compilation is
cached on disk and excluded by a warm-up call the first time in a process.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from zengzhi.domain import events as ev
from zengzhi.domain.config import TenantConfig
from zengzhi.sim.approx import (
    A_DAY,
    A_EXITS,
    A_MEMBERS,
    A_ORDERS,
    A_PAID,
    A_PANICS,
    A_REINVESTS,
    A_SELLS,
    ApproxRun,
    simulate_approx,
)
from zengzhi.sim.behaviour import (
    B_DAY,
    B_MEMBERS,
    B_ORDERS,
    B_PANICS,
    B_REINVESTS,
    B_SELLS,
    ExactRun,
    simulate_exact,
)
from zengzhi.sim.layout import ERROR_TEXT, M_CASH, S_ERROR, S_EXITS
from zengzhi.sim.params import DAY_MS, Behaviour
from zengzhi.sim.plan_stream import PlanOptions, plan_events
from zengzhi.sim.plans_run import plans_block, pool_difference, replay, without_plans
from zengzhi.sim.stream import K_ORDER, K_SETTLE, Unsupported, run_stream
from zengzhi.sim.view import pool_summary, rejected_list, stream_view

SAMPLE_ORDERS = 100_000
Progress = Callable[[int], None]


class SimulationError(ValueError):
    """The exact kernel could not go on (overflow, capacity); the message says why."""


_warm: set[str] = set()


def _warm_up(config: TenantConfig, spec: Behaviour, approx: bool) -> None:
    """Run a tiny model once per process so the timing excludes loading/compiling the kernels."""
    key = "approx" if approx else "exact"
    if key in _warm:
        return
    tiny = Behaviour(orders=50, rate=5.0, repurchase=0.1, reinvest=0.5, breakeven=1.0, multiple=1.0,
                     panic=1.0, mix=spec.mix)
    if approx:
        simulate_approx(config, tiny)
    else:
        simulate_exact(config, tiny)
    _warm.add(key)


def _exact_summary(run: ExactRun) -> dict[str, Any]:
    bs, sc = run.bs, run.sc
    members = int(bs[B_MEMBERS])
    return {
        "mode": "exact",
        "pool": pool_summary(sc),
        "members": members,
        "exits": int(sc[S_EXITS]),
        "sells": int(bs[B_SELLS]),
        "reinvests": int(bs[B_REINVESTS]),
        "panics": int(bs[B_PANICS]),
        "days": int(bs[B_DAY]),
        "cash_paid_cents": int(run.mem[:members, M_CASH].sum()),
    }


def _approx_summary(run: ApproxRun) -> dict[str, Any]:
    ai = run.ai
    return {
        "mode": "approximate",
        "approximate": True,
        "pool": run.pool(),
        "members": int(ai[A_MEMBERS]),
        "exits": int(ai[A_EXITS]),
        "sells": int(ai[A_SELLS]),
        "reinvests": int(ai[A_REINVESTS]),
        "panics": int(ai[A_PANICS]),
        "days": int(ai[A_DAY]),
        "cash_paid_cents": round(float(run.fs[A_PAID])),
    }


def _relative(exact: str, approx: str) -> float:
    a, b = float(exact), float(approx)
    return abs(b - a) / abs(a) if a else abs(b)


def divergence(config: TenantConfig, spec: Behaviour, sample_orders: int = SAMPLE_ORDERS) -> dict[str, Any]:
    """Run exact and approximate on the first ``sample_orders`` orders and compare the pools."""
    sample = Behaviour(**{**_fields(spec), "orders": min(spec.orders, sample_orders)})
    exact = _exact_summary(_checked(simulate_exact(config, sample)))
    approx = _approx_summary(simulate_approx(config, sample))
    return {
        "sample_orders": sample.orders,
        "money_rel": _relative(exact["pool"]["money"], approx["pool"]["money"]),
        "points_rel": _relative(exact["pool"]["points"], approx["pool"]["points"]),
        "price_rel": _relative(exact["pool"]["price"], approx["pool"]["price"]),
        "exits_exact": exact["exits"],
        "exits_approx": approx["exits"],
        "sells_exact": exact["sells"],
        "sells_approx": approx["sells"],
    }


def _fields(spec: Behaviour) -> dict[str, Any]:
    return {name: getattr(spec, name) for name in spec.__dataclass_fields__}


def _checked(run: ExactRun) -> ExactRun:
    error = run.error()
    if error is not None:
        raise SimulationError(f"the exact kernel stopped after {int(run.bs[B_ORDERS])} orders: {error}; "
                              "use --approx for a float run")
    return run


def run_behaviour(config: TenantConfig, spec: Behaviour, *, approx: bool = False,
                  sample_orders: int = SAMPLE_ORDERS, progress: Progress | None = None,
                  plans: PlanOptions | None = None) -> dict[str, Any]:
    """Simulate the behaviour model; the summary dict of ``zengzhi simulate --json``."""
    if config.plans:
        if approx:
            raise Unsupported("--approx (fast mode) covers the pool only; a config with reward plans runs "
                              "exactly (leave out --approx)")
        return run_with_plans(config, spec, plans or PlanOptions(), progress)
    _warm_up(config, spec, approx)
    started = time.perf_counter()
    if approx:
        approx_run = simulate_approx(config, spec, progress)
        seconds = time.perf_counter() - started
        summary = _approx_summary(approx_run)
        orders = int(approx_run.ai[A_ORDERS])
    else:
        exact_run = _checked(simulate_exact(config, spec, progress=progress))
        seconds = time.perf_counter() - started
        summary = _exact_summary(exact_run)
        orders = int(exact_run.bs[B_ORDERS])
    out: dict[str, Any] = {"mode": summary.pop("mode"), "orders": orders, "seconds": round(seconds, 6),
                           "orders_per_s": round(orders / seconds, 1) if seconds > 0 else None,
                           "seed": spec.seed, **summary}
    if approx and sample_orders > 0:
        out["divergence"] = divergence(config, spec, sample_orders)
    return out


def run_with_plans(config: TenantConfig, spec: Behaviour, options: PlanOptions,
                   progress: Progress | None = None) -> dict[str, Any]:
    """The kernel on the config without plans, then its events with sponsors replayed with the plans."""
    problems = options.problems()
    if problems:
        raise ValueError("; ".join(problems))
    bare = without_plans(config)
    _warm_up(bare, spec, False)
    started = time.perf_counter()
    run = _checked(simulate_exact(bare, spec, record=True))
    events = plan_events(config, run.events(), options, spec.seed, int(run.bs[B_DAY]) * DAY_MS)
    replayed = replay(config, events, progress)
    seconds = time.perf_counter() - started
    if replayed.rejected:
        first = replayed.rejected[0]
        raise SimulationError(f"the domain refused event {first['index']} of the plan-aware replay: "
                              f"{first['reason']}")
    different = pool_difference(replayed.state, run.sc)
    if different:
        raise SimulationError(f"the domain replay ended on another pool than the kernel: {different}")
    orders = int(run.bs[B_ORDERS])
    return {"mode": "exact", "orders": orders, "seconds": round(seconds, 6),
            "orders_per_s": round(orders / seconds, 1) if seconds > 0 else None, "seed": spec.seed,
            **{k: v for k, v in _exact_summary(run).items() if k != "mode"},
            "recruit": options.recruit, "period_days": options.period_days, "appoint": options.appoint,
            "plans": plans_block(replayed.state, replayed.tally)}


def run_events(config: TenantConfig, events: Sequence[tuple[ev.Event, int]]) -> dict[str, Any]:
    """Simulate a given event stream exactly: the replay view plus timing."""
    started = time.perf_counter()
    result = run_stream(config, events)
    seconds = time.perf_counter() - started
    code = int(result.sc[S_ERROR])
    if code:
        raise SimulationError(f"the exact kernel stopped at event {result.done}: {ERROR_TEXT[code]}")
    kinds = result.encoded.events[:, 0]
    orders = int(((kinds == K_ORDER) | (kinds == K_SETTLE)).sum())
    view = stream_view(result)
    return {"mode": "exact", "orders": orders, "events": len(events), "seconds": round(seconds, 6),
            "orders_per_s": round(orders / seconds, 1) if seconds > 0 else None, **view,
            "rejected": rejected_list(result)}
