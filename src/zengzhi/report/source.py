"""Where a report's events come from: a behaviour run of the simulator, or a scenario's events.

A behaviour run is simulated exactly by the numba kernel with ``record=True``;
its recorded events are then replayed through the domain (``collect``), so
every number in the report comes from the engine's own rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zengzhi.domain import events as ev
from zengzhi.domain.config import TenantConfig, parse_tenant_config
from zengzhi.scenario import load_file, parse_scenario
from zengzhi.sim.params import Behaviour


@dataclass(frozen=True, slots=True)
class Source:
    config: TenantConfig
    events: list[tuple[ev.Event, int]]
    label: str  # what was run, for the report's header
    behaviour: Behaviour | None


def load(path: Path, spec: Behaviour) -> Source:
    """A scenario file (with ``events``) is replayed as is; a config file runs the behaviour model."""
    data = load_file(path)
    if "events" in data:
        return _scenario(path, data)
    return behaviour_run(parse_tenant_config(data.get("config", data)), spec, path.name)


def _scenario(path: Path, data: dict[str, Any]) -> Source:
    scenario = parse_scenario(data, str(path))
    bad = [item for item in scenario.events if item.error is not None]
    if bad:
        raise ValueError(f"{path}: event {bad[0].index}: {bad[0].error}")
    events = [(item.event, item.at_ms) for item in scenario.events if item.event is not None]
    return Source(parse_tenant_config(scenario.config), events, path.name, None)


def behaviour_run(config: TenantConfig, spec: Behaviour, label: str) -> Source:
    from zengzhi.sim.behaviour import simulate_exact

    run = simulate_exact(config, spec, record=True)
    error = run.error()
    if error is not None:
        raise ValueError(f"the exact simulation stopped: {error}")
    return Source(config, list(run.events()), label, spec)
