"""Parameter sweeps: a grid of pool and behaviour parameters, one whole simulation per combination.

``parse_grid`` reads the ``--grid`` texts into parameters with their values
(ranges ``a:b:step`` expand exactly, in ``Decimal``, never by adding floats);
``plan_runs`` builds the Cartesian product and validates every combination's
config with the domain's ``parse_tenant_config`` (and the behaviour with the
kernel's own checks) before anything runs (a config with reward plans runs
each combination plan-aware, as ``simulate`` does: slower, exact only); ``run_sweep`` runs them in a local
process pool or on a Dask cluster and returns one tidy row per run;
``write_table`` writes the rows as CSV or Parquet. See docs/simulator.md, "Sweeps".
"""

from __future__ import annotations

import copy
import csv
import importlib.util
import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from decimal import Decimal, Inexact, InvalidOperation, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

from zengzhi.domain.config import ConfigError, parse_tenant_config
from zengzhi.sim.params import Behaviour
from zengzhi.sim.plan_stream import PlanOptions
from zengzhi.sim.run import SAMPLE_ORDERS, SimulationError, run_behaviour

POOL_FIELDS = ("initial_price", "grant_ratio", "sell_retention", "exit_multiple", "redeem_retention")
INT_FIELDS = ("orders", "seed", "capacity", "stop_day", "days_max")
FLOAT_FIELDS = ("rate", "growth_rate", "repurchase", "reinvest", "hold", "breakeven", "multiple", "panic",
                "panic_below")
TEXT_FIELDS = ("growth", "sell_multiple")
MIX_PREFIX = "mix."  # ``mix.pack1000=0.7``: that product's order weight
MAX_VALUES = 10_000  # per parameter: a range with a tiny step is almost surely a typo
MAX_RUNS = 100_000
Row = dict[str, Any]


class GridError(ValueError):
    """A grid text or one of its combinations cannot run; the message names the parameter."""


@dataclass(frozen=True, slots=True)
class Param:
    """One grid parameter: its name and its values (typed as the run uses them)."""

    name: str
    values: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class RunSpec:
    """One combination: everything a worker needs (plain, picklable data)."""

    index: int
    params: tuple[tuple[str, Any], ...]
    config: Mapping[str, Any]  # the raw tenant config of this run; parsed again in the worker
    behaviour: Behaviour
    approx: bool = False
    sample_orders: int = SAMPLE_ORDERS
    plans: PlanOptions = PlanOptions()  # a config with reward plans: the plan-aware run's options


# --- grid texts ---------------------------------------------------------------------------------------


def known_names() -> tuple[str, ...]:
    return (*POOL_FIELDS, *INT_FIELDS, *FLOAT_FIELDS, *TEXT_FIELDS, MIX_PREFIX + "<product>")


def parse_grid(texts: Iterable[str]) -> tuple[Param, ...]:
    """``["grant_ratio=0.1:0.9:0.1,exit_multiple=1.2,2,3", "seed=1;2"]`` -> parameters.

    Parameters are separated by ``;``, by repeating ``--grid``, or by a ``,``
    whose next item holds ``=``: a ``name=`` always starts a new parameter, so
    the values of a list (``1.2,2,3``) never contain ``=``.
    """
    raw: list[tuple[str, list[str]]] = []
    for text in texts:
        for chunk in text.split(";"):
            if chunk.strip():
                raw.extend(_chunk(chunk))
    params = tuple(_param(name, items) for name, items in raw)
    names = [p.name for p in params]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise GridError(f"grid: {', '.join(repeated)} given more than once")
    return params


def _chunk(chunk: str) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for token in (t.strip() for t in chunk.split(",")):
        if "=" in token:
            name, _, token = (part.strip() for part in token.partition("="))
            if not name:
                raise GridError(f"grid: {chunk.strip()!r}: a parameter without a name")
            out.append((name, []))
        elif not out:
            raise GridError(f"grid: {chunk.strip()!r}: values must follow name=")
        if not token:
            raise GridError(f"grid: {out[-1][0]}: an empty value")
        out[-1][1].append(token)
    return out


def _param(name: str, items: list[str]) -> Param:
    if name not in known_names()[:-1] and not (name.startswith(MIX_PREFIX) and len(name) > len(MIX_PREFIX)):
        raise GridError(f"grid: unknown parameter {name!r} (known: {', '.join(known_names())})")
    texts = [value for item in items for value in (_expand(name, item) if ":" in item else [item])]
    if len(set(texts)) < len(texts):
        raise GridError(f"grid: {name}: a value is repeated")
    if len(texts) > MAX_VALUES:
        raise GridError(f"grid: {name}: {len(texts)} values, more than {MAX_VALUES}")
    return Param(name, tuple(_typed(name, text) for text in texts))


def _decimal(name: str, text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise GridError(f"grid: {name}: {text!r} is not a number") from None
    if not value.is_finite():
        raise GridError(f"grid: {name}: {text!r} is not a finite number")
    return value


def _expand(name: str, item: str) -> list[str]:
    """``"0.1:0.9:0.1"`` -> ``["0.1", …, "0.9"]``: inclusive, each value ``start + i·step`` exactly."""
    parts = item.split(":")
    if len(parts) != 3:
        raise GridError(f"grid: {name}: {item!r} is not a range start:stop:step")
    start, stop, step = (_decimal(name, part.strip()) for part in parts)
    if step <= 0 or stop < start:
        raise GridError(f"grid: {name}: {item!r} needs step > 0 and start <= stop")
    count = int((Fraction(stop) - Fraction(start)) / Fraction(step)) + 1  # floor: stop itself only if on the grid
    if count > MAX_VALUES:
        raise GridError(f"grid: {name}: {item!r} gives {count} values, more than {MAX_VALUES}")
    with localcontext() as ctx:
        ctx.prec = 200
        ctx.traps[Inexact] = True  # decimal sums of decimals are exact; a trap here would be a bug, not rounding
        return [format(start + step * i, "f") for i in range(count)]


def _typed(name: str, text: str) -> Any:
    """The value as the run uses it: pool ratios stay exact text, behaviour options get the option's type."""
    if name in POOL_FIELDS or name in TEXT_FIELDS:
        return text
    if name == "stop_day" and text.lower() == "none":
        return None
    value = _decimal(name, text)
    if name in INT_FIELDS:
        if value != value.to_integral_value():
            raise GridError(f"grid: {name}: {text!r} is not a whole number")
        return int(value)
    return float(text)


# --- combinations -------------------------------------------------------------------------------------


def plan_runs(config: Mapping[str, Any], base: Behaviour, grid: Sequence[Param], *, approx: bool = False,
              sample_orders: int = SAMPLE_ORDERS, plans: PlanOptions | None = None) -> list[RunSpec]:
    """Every combination of the grid as a run, each validated; ``GridError`` names the first bad one."""
    total = 1
    for param in grid:
        total *= len(param.values)
    if total > MAX_RUNS:
        raise GridError(f"grid: {total:,} combinations, more than {MAX_RUNS:,}")
    runs = []
    for index, values in enumerate(itertools.product(*(p.values for p in grid))):
        params = tuple(zip((p.name for p in grid), values, strict=True))
        run = RunSpec(index, params, _config(config, params), _behaviour(base, params), approx, sample_orders,
                      plans or PlanOptions())
        _validate(run)
        runs.append(run)
    return runs


def _config(config: Mapping[str, Any], params: Sequence[tuple[str, Any]]) -> dict[str, Any]:
    raw = copy.deepcopy(dict(config))
    pool = dict(raw.get("pool") or {})
    pool.update((name, value) for name, value in params if name in POOL_FIELDS)
    raw["pool"] = pool
    return raw


def _behaviour(base: Behaviour, params: Sequence[tuple[str, Any]]) -> Behaviour:
    fields = {name: value for name, value in params if name in (*INT_FIELDS, *FLOAT_FIELDS, *TEXT_FIELDS)}
    mix = {name[len(MIX_PREFIX):]: value for name, value in params if name.startswith(MIX_PREFIX)}
    if mix:  # a grid weight replaces that product's base weight; other base weights stay
        fields["mix"] = tuple({**dict(base.mix), **mix}.items())
    return replace(base, **fields)


def label(params: Sequence[tuple[str, Any]]) -> str:
    return ", ".join(f"{name}={value}" for name, value in params) or "(no grid parameters)"


def _validate(run: RunSpec) -> None:
    from zengzhi.sim.behaviour import prepare  # the kernel's own checks: products, mix, shares
    from zengzhi.sim.plans_run import without_plans

    where = f"run {run.index} ({label(run.params)})"
    try:
        tenant = parse_tenant_config(run.config)
    except ConfigError as exc:
        raise GridError(f"{where}: config.{exc.field}: {exc.reason}") from None
    try:
        if tenant.plans and run.approx:
            raise ValueError("--approx (fast mode) covers the pool only; a config with reward plans runs exactly")
        problems = run.plans.problems() if tenant.plans else []
        if problems:
            raise ValueError("; ".join(problems))
        prepare(without_plans(tenant), run.behaviour)  # plans run on the domain replay of the same events
    except ValueError as exc:  # includes stream.Unsupported
        raise GridError(f"{where}: {exc}") from None


# --- running ------------------------------------------------------------------------------------------


def run_one(run: RunSpec) -> Row:
    """One whole run as a row: ``run``, the grid parameters, ``seed``, then the flat ``simulate --json`` summary."""
    tenant = parse_tenant_config(run.config)
    try:
        summary = run_behaviour(tenant, run.behaviour, approx=run.approx, sample_orders=run.sample_orders,
                                plans=run.plans)
    except SimulationError as exc:  # an overflow ends this run only; the sweep goes on and reports it
        summary = {"error": str(exc)}
    row: Row = {"run": run.index, **dict(run.params), "seed": run.behaviour.seed}
    row.update(flatten(summary))
    return row


def flatten(summary: Mapping[str, Any], prefix: str = "") -> Row:
    """Nested dicts become ``outer_inner`` columns; lists are left out (a row holds scalars only)."""
    out: Row = {}
    for key, value in summary.items():
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{prefix}{key}_"))
        elif not isinstance(value, list | tuple):
            out[f"{prefix}{key}"] = value
    return out


def warm_kernels(run: RunSpec) -> None:
    """Compile (or load) the kernels in this process, so that pool workers find numba's disk cache warm."""
    tenant = parse_tenant_config(run.config)
    tiny = replace(run.behaviour, orders=min(run.behaviour.orders, 10))
    run_behaviour(tenant, tiny, approx=run.approx, sample_orders=min(run.sample_orders, 10), plans=run.plans)


def require(module: str, what: str) -> None:
    """Refuse early (before any run) when an optional dependency of the ``sweep`` extra is missing."""
    if importlib.util.find_spec(module) is None:
        raise ValueError(f"{what} needs {module}: pip install 'zengzhi[sweep]'")


def run_sweep(runs: Sequence[RunSpec], *, workers: int | None = None, scheduler: str | None = None,
              on_row: Callable[[Row], None] | None = None) -> list[Row]:
    """Run every combination; rows in run order, all with the same columns (missing ones ``None``)."""
    done = on_row or (lambda _row: None)
    if scheduler is not None:
        require("distributed", "--scheduler (Dask)")
        rows = _on_dask(runs, scheduler, done)
    elif (workers or os.cpu_count() or 1) <= 1 or len(runs) <= 1:
        rows = []
        for run in runs:
            rows.append(run_one(run))
            done(rows[-1])
    else:
        rows = _on_pool(runs, workers or os.cpu_count() or 1, done)
    return tidy(sorted(rows, key=lambda row: int(row["run"])))


def _on_pool(runs: Sequence[RunSpec], workers: int, done: Callable[[Row], None]) -> list[Row]:
    warm_kernels(runs[0])  # else every worker would compile the same kernels at once (~20 s CPU each)
    # spawn: workers start clean (no forked threads or numba state); they load the cached kernels
    context = multiprocessing.get_context("spawn")
    rows = []
    with ProcessPoolExecutor(max_workers=min(workers, len(runs)), mp_context=context) as pool:
        for future in as_completed([pool.submit(run_one, run) for run in runs]):
            rows.append(future.result())
            done(rows[-1])
    return rows


def _on_dask(runs: Sequence[RunSpec], address: str, done: Callable[[Row], None]) -> list[Row]:
    from dask.distributed import Client
    from dask.distributed import as_completed as dask_completed

    rows = []
    with Client(address, set_as_default=False) as client:  # type: ignore[no-untyped-call]
        futures = client.map(run_one, list(runs), pure=False)
        for future in dask_completed(futures, loop=client.loop):  # type: ignore[no-untyped-call]
            rows.append(future.result())
            done(rows[-1])
    return rows


def columns(rows: Iterable[Row]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def tidy(rows: Sequence[Row]) -> list[Row]:
    """The same columns, in first-seen order, for every row (a failed run has no pool columns)."""
    names = columns(rows)
    return [{name: row.get(name) for name in names} for row in rows]


# --- output -------------------------------------------------------------------------------------------


def write_table(rows: Sequence[Row], path: Path) -> None:
    """``.csv`` (text, empty for None) or ``.parquet`` (typed columns, via pyarrow)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns(rows))
            writer.writeheader()
            writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
    elif suffix in (".parquet", ".pq"):
        require("pyarrow", "writing Parquet")
        import pyarrow as pa  # type: ignore[import-untyped]
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        pq.write_table(pa.Table.from_pylist(list(rows)), path)
    else:
        raise ValueError(f"{path}: write .csv or .parquet")


def read_table(path: Path) -> list[Row]:
    """Rows back from ``write_table``: Parquet typed as written, CSV as text (empty for None)."""
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    import pyarrow.parquet as pq

    rows: list[Row] = pq.read_table(path).to_pylist()
    return rows

