"""The pool simulator: exact integer kernels and approximate float kernels (numba).

Layered on the domain only (import-linter keeps ``zengzhi.domain`` from
importing it, and it from importing the engine, storage or entrypoints).
``run_behaviour`` simulates seeded behaviour models; ``run_events`` runs a
given event stream bit-identically to ``zengzhi.domain.machine.apply``.
See docs/simulator.md.
"""

from __future__ import annotations

from zengzhi.sim.params import Behaviour
from zengzhi.sim.run import SimulationError, run_behaviour, run_events
from zengzhi.sim.stream import Unsupported

__all__ = ["Behaviour", "SimulationError", "Unsupported", "run_behaviour", "run_events"]
