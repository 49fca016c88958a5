"""Where a report's events come from: a behaviour run of the simulator, or a scenario's events.

A behaviour run is simulated exactly by the numba kernel with ``record=True``;
its recorded events are then replayed through the domain (``collect``), so
every number in the report comes from the engine's own rules. With reward
plans the kernel runs the config without them and the events get sponsors,
operator-set ranks and period events (``zengzhi.sim.plan_stream``); the replay
with the full config must end on the kernel's pool (``kernel_pool``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from zengzhi.domain import events as ev
from zengzhi.domain.config import TenantConfig, parse_tenant_config
from zengzhi.scenario import load_file, parse_scenario
from zengzhi.sim.params import DAY_MS, Behaviour
from zengzhi.sim.plan_stream import PlanOptions


@dataclass(frozen=True, slots=True)
class Source:
    config: TenantConfig
    events: list[tuple[ev.Event, int]]
    label: str  # what was run, for the report's header
    behaviour: Behaviour | None
    plans: PlanOptions | None = None  # a behaviour run with reward plans: how sponsors and periods were made
    kernel_pool: tuple[int, int, int] | None = None  # the kernel's final (P cents, N units, exits)
    raw: object = None  # the config mapping as loaded, for the compliance audit's wording check


def load(path: Path, spec: Behaviour, plans: PlanOptions | None = None) -> Source:
    """A scenario file (with ``events``) is replayed as is; a config file runs the behaviour model."""
    data = load_file(path)
    if "events" in data:
        return _scenario(path, data)
    raw = data.get("config", data)
    source = behaviour_run(parse_tenant_config(raw), spec, path.name, plans or PlanOptions())
    return replace(source, raw=raw)


def _scenario(path: Path, data: dict[str, Any]) -> Source:
    scenario = parse_scenario(data, str(path))
    bad = [item for item in scenario.events if item.error is not None]
    if bad:
        raise ValueError(f"{path}: event {bad[0].index}: {bad[0].error}")
    events = [(item.event, item.at_ms) for item in scenario.events if item.event is not None]
    return Source(parse_tenant_config(scenario.config), events, path.name, None, raw=scenario.config)


def behaviour_run(config: TenantConfig, spec: Behaviour, label: str, plans: PlanOptions | None = None) -> Source:
    from zengzhi.sim.behaviour import B_DAY, simulate_exact
    from zengzhi.sim.layout import S_EXITS, S_MONEY, S_POINTS
    from zengzhi.sim.plan_stream import plan_events
    from zengzhi.sim.plans_run import without_plans

    if not config.plans:
        run = simulate_exact(config, spec, record=True)
        if (error := run.error()) is not None:
            raise ValueError(f"the exact simulation stopped: {error}")
        return Source(config, list(run.events()), label, spec)
    options = plans or PlanOptions()
    if problems := options.problems():
        raise ValueError("; ".join(problems))
    run = simulate_exact(without_plans(config), spec, record=True)
    if (error := run.error()) is not None:
        raise ValueError(f"the exact simulation stopped: {error}")
    events = list(plan_events(config, run.events(), options, spec.seed, int(run.bs[B_DAY]) * DAY_MS))
    pool = (int(run.sc[S_MONEY]), int(run.sc[S_POINTS]), int(run.sc[S_EXITS]))
    return Source(config, events, label, spec, options, pool)
