"""Simulator speed: exact and fast kernels, 100M orders, and radCAD/cadCAD on the same model.

Not a test: run it by hand (numbers go to docs/simulator.md).

    .venv/bin/python bench/sim_speed.py                       # everything, ~20 s (plus a first compile)
    .venv/bin/python bench/sim_speed.py --skip-frameworks --fast-100m 0

Models:

* ``harness`` — the shared benchmark model of ../shared/bench/sim (sim_core.py:
  one new member per order, amounts uniform 100.00..2000.00 from its seeded
  generator, pool share 30 % floored to the cent, g 0.70, r 0.20, k 3,
  p0 1.00). The exact stream kernel runs it from an encoded event array; its
  final state is checked against the harness's own exact implementation
  (impl_plain.run_exact) and the radCAD/cadCAD rows are run by the harness's
  run.py in their own virtualenv (--framework-python), in the same run.
* ``behaviour`` — ``zengzhi simulate``'s model with the quickstart pack (every
  day 10^5 new members, each ordering once: the densest order stream), exact
  and fast (--approx).

Each timing is the best of ``--repeat`` runs after a warm-up (numba's compiled
code is cached on disk; the first call in a process only loads it). CPU time is
printed next to wall time because the machine may be shared: wall/cpu > 1 means
the process waited for a core.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from zengzhi.domain.config import parse_tenant_config
from zengzhi.sim.approx import simulate_approx
from zengzhi.sim.behaviour import simulate_exact
from zengzhi.sim.layout import S_EXITS, S_MONEY, S_POINTS, new_state, pool_arrays
from zengzhi.sim.params import Behaviour
from zengzhi.sim.stream import K_ORDER, _run

ROOT = Path(__file__).resolve().parents[1]
HARNESS = ROOT.parent / "shared" / "bench" / "sim"
NO_REFUSALS = np.zeros(1, dtype=np.int64)  # orders only: nothing is refused
NO_WITHDRAWALS = np.zeros((1, 3), dtype=np.int64)
PACK = {"pool": {"initial_price": "1.00", "grant_ratio": "0.70", "sell_retention": "0.20", "exit_multiple": "3"},
        "products": {"pack1000": {"price": "1000.00", "split": {"cost": "700.00", "pool": "300.00"}}}}


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Best wall seconds, the CPU seconds of that run, and the last result."""
    best = (float("inf"), 0.0)
    result = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = call()
        run = (time.perf_counter() - wall, time.process_time() - cpu)
        best = min(best, run)
    return best[0], best[1], result


def harness_events(n: int) -> np.ndarray:
    sys.path.insert(0, str(HARNESS))
    from sim_core import gen_amounts  # type: ignore[import-not-found]  # the harness's own seeded amounts

    cents = np.rint(gen_amounts(n) * 100).astype(np.int64)
    events = np.zeros((n, 5), dtype=np.int64)
    events[:, 0] = K_ORDER
    events[:, 1] = np.arange(n)
    events[:, 2] = cents
    events[:, 3] = cents * 3 // 10  # pool share, floored to the cent (as impl_plain.run_exact)
    return events


def exact_harness(n: int, repeat: int) -> dict[str, Any]:
    config = parse_tenant_config({"pool": PACK["pool"]})
    cfg, steps = pool_arrays(config.pool)
    events = harness_events(n)

    def once() -> np.ndarray:
        mem, heap, hkey, sc, exited = new_state(config.pool, n)
        _run(events, mem, heap, hkey, sc, cfg, steps, exited, NO_REFUSALS, NO_WITHDRAWALS)
        return sc

    once_small = harness_events(100)
    mem, heap, hkey, sc, exited = new_state(config.pool, 100)
    _run(once_small, mem, heap, hkey, sc, cfg, steps, exited, NO_REFUSALS, NO_WITHDRAWALS)  # load the kernel
    wall, cpu, sc = timed(once, repeat)
    return {"model": "harness", "kernel": "exact stream", "orders": n, "seconds": wall, "cpu_s": cpu,
            "orders_per_s": n / wall, "orders_per_cpu_s": n / cpu, "P_cents": int(sc[S_MONEY]),
            "N_units": int(sc[S_POINTS]), "exits": int(sc[S_EXITS])}


def check_against_harness(row: dict[str, Any], n: int) -> dict[str, Any]:
    """The harness's plain-Python exact model must end on the same P, N and exits."""
    sys.path.insert(0, str(HARNESS))
    import impl_plain  # type: ignore[import-not-found]
    from sim_core import gen_amounts

    ref = impl_plain.run_exact(gen_amounts(n))
    same = (round(ref["P"] * 100) == row["P_cents"] and round(ref["N"] * 10_000) == row["N_units"]
            and ref["exits"] == row["exits"])
    return {"checked_orders": n, "same_as_harness_exact": same, "harness_exits": ref["exits"]}


def behaviour_row(n: int, repeat: int, approx: bool) -> dict[str, Any]:
    config = parse_tenant_config(PACK)
    spec = Behaviour(orders=n, rate=100_000.0)
    run = simulate_approx if approx else simulate_exact
    run(config, Behaviour(orders=100, rate=10.0))
    wall, cpu, _ = timed(lambda: run(config, spec), repeat)
    return {"model": "behaviour", "kernel": "fast (approximate)" if approx else "exact", "orders": n,
            "seconds": wall, "cpu_s": cpu, "orders_per_s": n / wall, "orders_per_cpu_s": n / cpu}


def hundred_million(n: int) -> dict[str, Any]:
    """The fast kernel on n orders in a fresh process: wall time and peak RSS.

    The peak is the child's VmHWM: ``ru_maxrss`` survives ``exec`` on Linux, so a
    child of a big parent would report the parent's peak.
    """
    code = (
        "import time, resource, json\n"
        "from zengzhi.domain.config import parse_tenant_config\n"
        "from zengzhi.sim.approx import simulate_approx\n"
        "from zengzhi.sim.params import Behaviour\n"
        f"config = parse_tenant_config({PACK!r})\n"
        "simulate_approx(config, Behaviour(orders=100, rate=10.0))\n"
        "t, c = time.perf_counter(), time.process_time()\n"
        f"run = simulate_approx(config, Behaviour(orders={n}, rate=1_000_000.0))\n"
        "wall, cpu = time.perf_counter() - t, time.process_time() - c\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print(json.dumps({'seconds': wall, 'cpu_s': cpu, 'peak_rss_mb': int(hwm) / 1024, 'pool': run.pool()}))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    row = json.loads(out.stdout.strip().splitlines()[-1])
    return {"model": "behaviour", "kernel": "fast (approximate), fresh process", "orders": n, **row,
            "orders_per_s": n / row["seconds"], "orders_per_cpu_s": n / row["cpu_s"]}


def framework(python: str, impl: str, n: int) -> dict[str, Any]:
    out = subprocess.run([python, "run.py", impl, str(n)], cwd=HARNESS, capture_output=True, text=True,
                         check=True, timeout=900)
    row = json.loads(out.stdout.strip().splitlines()[-1])
    return {"model": "harness", "kernel": impl, "orders": n, "seconds": row["seconds"],
            "orders_per_s": row["orders_per_s"], "peak_rss_mb": row["maxrss_mb"],
            "exits": row["summary"]["exits"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--exact-orders", type=int, default=10_000_000)
    ap.add_argument("--fast-orders", type=int, default=10_000_000)
    ap.add_argument("--fast-100m", type=int, default=100_000_000, help="orders of the fresh-process run (0: skip)")
    ap.add_argument("--check-orders", type=int, default=100_000)
    ap.add_argument("--framework-orders", type=int, default=100_000)
    ap.add_argument("--framework-python", default="/tmp/simbench-venv/bin/python",
                    help="a Python with radcad and cadCAD (see the harness README)")
    ap.add_argument("--skip-frameworks", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    rows: list[dict[str, Any]] = []
    # the subprocesses first, while this process is small (their ru_maxrss starts at ours)
    if not a.skip_frameworks:
        for impl in ("radcad_fast", "cadcad_fast"):
            rows.append(framework(a.framework_python, impl, a.framework_orders))
    if a.fast_100m:
        rows.append(hundred_million(a.fast_100m))
    exact = exact_harness(a.exact_orders, a.repeat)
    small = exact_harness(a.check_orders, 1)
    exact.update(check_against_harness(small, a.check_orders))
    rows.append(exact)
    rows.append(behaviour_row(a.exact_orders, a.repeat, approx=False))
    rows.append(behaviour_row(a.fast_orders, a.repeat, approx=True))
    for row in rows:
        print(json.dumps(row))
    print("\n| model | kernel | orders | seconds | cpu s | orders/s (wall) | orders/s (cpu) | peak RSS MB |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['model']} | {r['kernel']} | {r['orders']:,} | {r['seconds']:.3f} | {r.get('cpu_s', 0):.3f} | "
              f"{r['orders_per_s']:,.0f} | {r.get('orders_per_cpu_s', 0):,.0f} | {r.get('peak_rss_mb', 0):,.0f} |")
    by = {r["kernel"]: r for r in rows}
    for impl in ("radcad_fast", "cadcad_fast"):
        if impl in by:
            print(f"exact kernel / {impl} on the harness model: "
                  f"{exact['orders_per_s'] / by[impl]['orders_per_s']:,.0f}x (wall, same run)")
    print(f"load (1/5/15 min) at the end: {Path('/proc/loadavg').read_text().split()[:3]}; "
          f"this process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
