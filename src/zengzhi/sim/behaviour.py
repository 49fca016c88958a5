"""Exact behaviour simulation: seeded members acting on the pool (``zengzhi simulate``).

The day loop of ``zengzhi.sim.params`` runs inside one numba kernel over the
exact pool rules of ``zengzhi.sim.core`` (integer cents and 0.0001 points,
128-bit-safe products), in chunks of days so the CLI can show progress. With
``record=True`` the kernel also writes every event it generated (join, order,
sell) so the domain can replay the run — the differential test does — and
``ExactRun.view`` gives the replay-shaped final state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from zengzhi.domain import events as ev
from zengzhi.domain.config import TenantConfig
from zengzhi.domain.money import parse_ratio
from zengzhi.domain.split import POOL_BUCKET, allocate
from zengzhi.sim import core
from zengzhi.sim.jit import kernel
from zengzhi.sim.layout import (
    E_CAPACITY,
    E_NONE,
    ERROR_TEXT,
    M_ACTIVE,
    M_POINTS,
    M_TYPE,
    M_UNITS,
    S_ERROR,
    S_EXITED,
    Array,
    FloatArray,
    Int64Array,
    new_state,
    pool_arrays,
)
from zengzhi.sim.params import (
    DAY_MS,
    G_EXPONENTIAL,
    G_LOGISTIC,
    GROWTH_MODELS,
    T_BREAKEVEN,
    T_MULTIPLE,
    T_PANIC,
    Behaviour,
)
from zengzhi.sim.stream import K_ORDER, K_SELL, Encoded, StreamResult, check_config

# behaviour scalars (bs)
(B_DAY, B_ORDERS, B_MEMBERS, B_PREV_NEW, B_QUEUE, B_SELLS, B_REINVESTS, B_FINISHED, B_PANICS, B_RECORDS,
 B_STACK, B_SEEDED) = range(12)
BEHAVIOUR_SCALARS = 12
# float params (fp)
F_RATE, F_GROWTH, F_CAPACITY, F_REPURCHASE, F_REINVEST, F_CUM_HOLD, F_CUM_BREAKEVEN, F_CUM_MULTIPLE, \
    F_PANIC_BELOW = range(9)
# int params (ip)
I_ORDERS, I_STOP_DAY, I_DAYS_MAX, I_GROWTH, I_SEED, I_MULT_NUM, I_MULT_DEN, I_RECORD = range(8)
# recorded event kinds: rec[i] = (kind, member, product or points, at_ms)
R_JOIN, R_ORDER, R_SELL = 1, 2, 3
# member flags
F_IN_STACK, F_QUEUED = 1, 2


@kernel(inline=True)
def arrivals_mean(fp: Array, growth: int, day: int, members: int) -> float:
    if growth == G_EXPONENTIAL:
        return float(fp[F_RATE] * (1.0 + fp[F_GROWTH]) ** day)
    if growth == G_LOGISTIC:
        room = 1.0 - members / fp[F_CAPACITY]
        return float(max(0.0, (fp[F_RATE] + fp[F_GROWTH] * members) * room))
    return float(fp[F_RATE])


@kernel(inline=True)
def pick_product(pcum: Array) -> int:
    u = np.random.random()
    for i in range(pcum.shape[0] - 1):
        if u < pcum[i]:
            return i
    return int(pcum.shape[0] - 1)


@kernel(inline=True)
def _record(bs: Array, rec: Array, ip: Array, kind: int, m: int, x: int, at_ms: int) -> None:
    if ip[I_RECORD] == 0:
        return
    i = bs[B_RECORDS]
    rec[i, 0] = kind
    rec[i, 1] = m
    rec[i, 2] = x
    rec[i, 3] = at_ms
    bs[B_RECORDS] = i + 1


@kernel(inline=True)
def _maybe_reinvest(bs: Array, fp: Array, flags: Array, queue: Array, m: int) -> None:
    """复投: an exited member orders again the next day with probability ``reinvest``."""
    if fp[F_REINVEST] > 0.0 and np.random.random() < fp[F_REINVEST] and flags[m] & F_QUEUED == 0:
        flags[m] |= F_QUEUED
        queue[bs[B_QUEUE]] = m
        bs[B_QUEUE] += 1


@kernel(inline=True)
def _drain_exits(sc: Array, exited: Array, bs: Array, fp: Array, flags: Array,
                 queue: Array) -> None:
    for i in range(sc[S_EXITED]):
        _maybe_reinvest(bs, fp, flags, queue, exited[i])
    sc[S_EXITED] = 0


@kernel(inline=True)
def _sell_all(mem: Array, heap: Array, hkey: Array, sc: Array, cfg: Array,
              exited: Array, bs: Array, fp: Array, ip: Array, flags: Array,
              queue: Array, rec: Array, m: int, at_ms: int) -> None:
    """A voluntary sale of everything: closes the cycle (not a forced exit), may reinvest."""
    q = mem[m, M_POINTS]
    if q <= 0:
        return
    core.spend(mem, heap, hkey, sc, cfg, exited, m, q, False)
    _record(bs, rec, ip, R_SELL, m, q, at_ms)
    bs[B_SELLS] += 1
    _maybe_reinvest(bs, fp, flags, queue, m)
    _drain_exits(sc, exited, bs, fp, flags, queue)


@kernel(inline=True)
def _triggers(mem: Array, heap: Array, hkey: Array, sc: Array, cfg: Array,
              exited: Array, bs: Array, fp: Array, ip: Array, flags: Array,
              queue: Array, rec: Array, at_ms: int) -> None:
    """Sell for every member whose selling price (回本 or the multiple) has been reached."""
    while sc[S_ERROR] == E_NONE:
        m = core.pop_due(heap, hkey, sc, 1, mem, 1, 1)
        if m < 0:
            m = core.pop_due(heap, hkey, sc, 2, mem, ip[I_MULT_NUM], ip[I_MULT_DEN])
        if m < 0:
            return
        _sell_all(mem, heap, hkey, sc, cfg, exited, bs, fp, ip, flags, queue, rec, m, at_ms)


@kernel(inline=True)
def _order(mem: Array, heap: Array, hkey: Array, sc: Array, cfg: Array,
           steps: Array, exited: Array, bs: Array, fp: Array, ip: Array,
           prod: Array, pcum: Array, flags: Array, queue: Array, stack: Array,
           rec: Array, m: int, at_ms: int) -> None:
    p = pick_product(pcum)
    core.settle(mem, heap, hkey, sc, cfg, steps, exited, m, prod[p, 0], prod[p, 1], at_ms)
    _record(bs, rec, ip, R_ORDER, m, p, at_ms)
    bs[B_ORDERS] += 1
    _drain_exits(sc, exited, bs, fp, flags, queue)
    kind = mem[m, M_TYPE]
    if mem[m, M_ACTIVE] == 1 and mem[m, M_UNITS] != 0:
        if kind == T_BREAKEVEN:
            core.heap_push(heap, hkey, sc, 1, mem, m)
        elif kind == T_MULTIPLE:
            core.heap_push(heap, hkey, sc, 2, mem, m)
        elif kind == T_PANIC and flags[m] & F_IN_STACK == 0:
            flags[m] |= F_IN_STACK
            stack[bs[B_STACK]] = m
            bs[B_STACK] += 1
    _triggers(mem, heap, hkey, sc, cfg, exited, bs, fp, ip, flags, queue, rec, at_ms)


@kernel()
def _panic(mem: Array, heap: Array, hkey: Array, sc: Array, cfg: Array,
           exited: Array, bs: Array, fp: Array, ip: Array, flags: Array,
           queue: Array, stack: Array, rec: Array, at_ms: int) -> None:
    """Growth slowed: every panic member with an open cycle sells everything (恐慌抛售)."""
    bs[B_PANICS] += 1
    for i in range(bs[B_STACK]):
        m = stack[i]
        flags[m] &= ~F_IN_STACK
        if mem[m, M_ACTIVE] == 1:
            _sell_all(mem, heap, hkey, sc, cfg, exited, bs, fp, ip, flags, queue, rec, m, at_ms)
            _triggers(mem, heap, hkey, sc, cfg, exited, bs, fp, ip, flags, queue, rec, at_ms)
    bs[B_STACK] = 0


@kernel(inline=True)
def _join(mem: Array, sc: Array, bs: Array, fp: Array, ip: Array, rec: Array,
          at_ms: int) -> int:
    m = bs[B_MEMBERS]
    if m == mem.shape[0]:
        sc[S_ERROR] = E_CAPACITY
        return -1
    bs[B_MEMBERS] = m + 1
    u = np.random.random()
    kind = 0
    if u >= fp[F_CUM_HOLD]:
        kind = T_BREAKEVEN if u < fp[F_CUM_BREAKEVEN] else (T_MULTIPLE if u < fp[F_CUM_MULTIPLE] else T_PANIC)
    mem[m, M_TYPE] = kind
    _record(bs, rec, ip, R_JOIN, m, 0, at_ms)
    return int(m)


@kernel()
def _orders_of_day(mem: Array, heap: Array, hkey: Array, sc: Array, cfg: Array,
                   steps: Array, exited: Array, bs: Array, fp: Array, ip: Array,
                   prod: Array, pcum: Array, flags: Array, queue: Array, stack: Array,
                   rec: Array, waiting: int, new: int, at_ms: int) -> int:
    """Reinvestment orders, then new members, then repurchases; returns the repurchase count.

    One call site for ``_order`` (it is inlined, and inlining three copies
    triples the compile time).
    """
    total = waiting + new
    again = -1
    i = 0
    while bs[B_ORDERS] < ip[I_ORDERS] and sc[S_ERROR] == E_NONE:
        if i < waiting:
            m = queue[i]
            flags[m] &= ~F_QUEUED
            bs[B_REINVESTS] += 1
        elif i < waiting + new:
            m = _join(mem, sc, bs, fp, ip, rec, at_ms)
            if m < 0:
                break
        else:
            if again < 0:
                again = 0
                if fp[F_REPURCHASE] > 0.0 and bs[B_MEMBERS] > 0:
                    again = np.random.binomial(bs[B_MEMBERS], fp[F_REPURCHASE])
                total += again
            if i >= total:
                break
            m = np.random.randint(0, bs[B_MEMBERS])
        _order(mem, heap, hkey, sc, cfg, steps, exited, bs, fp, ip, prod, pcum, flags, queue, stack, rec, m, at_ms)
        if i == waiting - 1:
            _shift_queue(bs, queue, waiting)
        i += 1
    if i < waiting:
        _shift_queue(bs, queue, i)  # stopped early: keep the rest queued
    return max(again, 0)


@kernel()
def _shift_queue(bs: Array, queue: Array, done: int) -> None:
    """Drop the first ``done`` queued members (entries added since stay, for the next day)."""
    left = bs[B_QUEUE] - done
    for j in range(left):
        queue[j] = queue[done + j]
    bs[B_QUEUE] = left


@kernel()
def run_days(mem: Array, heap: Array, hkey: Array, sc: Array, cfg: Array,
             steps: Array, exited: Array, bs: Array, fp: Array, ip: Array,
             prod: Array, pcum: Array, flags: Array, queue: Array, stack: Array,
             rec: Array, orders_until: int) -> None:
    """Run whole days until ``orders_until`` orders are done (or the run ends)."""
    if bs[B_SEEDED] == 0:
        np.random.seed(ip[I_SEED])
        bs[B_SEEDED] = 1
    orders_max = ip[I_ORDERS]
    while bs[B_FINISHED] == 0 and bs[B_ORDERS] < orders_until:
        day = bs[B_DAY]
        at_ms = day * DAY_MS
        joining = ip[I_STOP_DAY] < 0 or day < ip[I_STOP_DAY]
        mean = arrivals_mean(fp, ip[I_GROWTH], day, bs[B_MEMBERS]) if joining else 0.0
        new = np.random.poisson(mean) if mean > 0.0 else 0
        if day > 0 and bs[B_STACK] > 0 and new < fp[F_PANIC_BELOW] * bs[B_PREV_NEW]:
            _panic(mem, heap, hkey, sc, cfg, exited, bs, fp, ip, flags, queue, stack, rec, at_ms)
        bs[B_PREV_NEW] = new
        waiting = bs[B_QUEUE]
        again = _orders_of_day(mem, heap, hkey, sc, cfg, steps, exited, bs, fp, ip, prod, pcum, flags, queue,
                               stack, rec, waiting, new, at_ms)
        bs[B_DAY] = day + 1
        quiet = new == 0 and again == 0 and waiting == 0 and bs[B_QUEUE] == 0
        ended = (not joining or mean == 0.0) and fp[F_REPURCHASE] == 0.0
        if (quiet and ended) or bs[B_ORDERS] >= orders_max or sc[S_ERROR] != E_NONE or day + 1 >= ip[I_DAYS_MAX]:
            bs[B_FINISHED] = 1


@dataclass(slots=True)
class Prepared:
    """The kernel's inputs for one config and behaviour."""

    products: list[str]
    prod: Int64Array  # (amount cents, pool contribution cents)
    pcum: FloatArray
    fp: FloatArray
    ip: Int64Array
    allocations: list[tuple[tuple[str, int], ...]]


def prepare(config: TenantConfig, spec: Behaviour) -> Prepared:
    check_config(config)
    problems = spec.problems()
    names = [name for name, _ in spec.mix] if spec.mix else sorted(config.products)
    weights = [w for _, w in spec.mix] if spec.mix else [1.0] * len(names)
    unknown = [n for n in names if n not in config.products]
    if unknown:
        problems.append(f"mix names unknown products: {', '.join(unknown)}")
    if not names:
        problems.append("the config has no products to order")
    if problems:
        raise ValueError("; ".join(problems))
    allocations = [allocate(config.products[n].price_cents, config.products[n].split) for n in names]
    prod = np.array([(config.products[n].price_cents, dict(a).get(POOL_BUCKET, 0))
                     for n, a in zip(names, allocations, strict=True)], dtype=np.int64)
    pcum = np.cumsum(np.array(weights, dtype=np.float64)) / sum(weights)
    fp = np.array([spec.rate, spec.growth_rate, float(spec.capacity), spec.repurchase, spec.reinvest,
                   *spec.type_cumulative(), spec.panic_below], dtype=np.float64)
    multiple = parse_ratio(spec.sell_multiple, "sell_multiple")
    ip = np.array([spec.orders, -1 if spec.stop_day is None else spec.stop_day, spec.days_max,
                   GROWTH_MODELS.index(spec.growth), spec.seed, multiple.num, multiple.den, 0], dtype=np.int64)
    return Prepared(names, prod, pcum, fp, ip, allocations)


@dataclass(slots=True)
class ExactRun:
    config: TenantConfig
    spec: Behaviour
    prepared: Prepared
    mem: Int64Array
    sc: Int64Array
    bs: Int64Array
    rec: Int64Array

    def error(self) -> str | None:
        code = int(self.sc[S_ERROR])
        return ERROR_TEXT[code] if code != E_NONE else None

    def events(self) -> Iterator[tuple[ev.Event, int]]:
        """The recorded events as domain events (members ``m<row>``, orders ``o<n>``)."""
        names = self.prepared.products
        for n, (kind, m, x, at_ms) in enumerate(self.rec[: self.bs[B_RECORDS]].tolist()):
            if kind == R_JOIN:
                yield ev.Join(f"m{m}"), at_ms
            elif kind == R_ORDER:
                yield ev.PayOrder(f"o{n}", f"m{m}", names[x]), at_ms
            else:
                yield ev.Sell(f"m{m}", x), at_ms

    def view(self) -> dict[str, Any]:
        """The replay-shaped final state (needs ``record=True``: it knows the orders)."""
        from zengzhi.sim.view import stream_view

        rec = self.rec[: self.bs[B_RECORDS]]
        members = int(self.bs[B_MEMBERS])
        encoded = Encoded(np.zeros((len(rec), 5), dtype=np.int64), [f"m{i}" for i in range(members)])
        for kind, _, x, _ in rec.tolist():
            if kind == R_ORDER:
                for bucket, cents in self.prepared.allocations[x]:
                    if cents:
                        encoded.touched.add(bucket)
                        if bucket != POOL_BUCKET:
                            encoded.buckets[bucket] = encoded.buckets.get(bucket, 0) + cents
                encoded.payments_cents += int(self.prepared.prod[x, 0])
                encoded.touched.add("external:payments")
        encoded.events[:, 0] = np.where(rec[:, 0] == R_SELL, K_SELL, np.where(rec[:, 0] == R_ORDER, K_ORDER, 0))
        result = StreamResult(encoded, self.mem[:members], self.sc, np.zeros(len(rec), dtype=np.int64), len(rec))
        return stream_view(result)


CHUNK_ORDERS = 1_000_000


def simulate_exact(config: TenantConfig, spec: Behaviour, *, record: bool = False,
                   progress: Callable[[int], None] | None = None) -> ExactRun:
    """Run the behaviour model exactly; ``progress(orders_done)`` after each chunk of days."""
    prepared = prepare(config, spec)
    prepared.ip[I_RECORD] = 1 if record else 0
    members_max = max(spec.orders, 1)
    mem, heap, hkey, sc, exited = new_state(config.pool, members_max, heaps=3)
    cfg, steps = pool_arrays(config.pool)
    bs = np.zeros(BEHAVIOUR_SCALARS, dtype=np.int64)
    flags = np.zeros(members_max, dtype=np.int64)
    queue = np.zeros(members_max, dtype=np.int64)
    stack = np.zeros(members_max, dtype=np.int64)
    rec = np.zeros((3 * members_max if record else 1, 4), dtype=np.int64)
    while bs[B_FINISHED] == 0 and bs[B_ORDERS] < spec.orders:
        until = min(int(bs[B_ORDERS]) + CHUNK_ORDERS, spec.orders)
        run_days(mem, heap, hkey, sc, cfg, steps, exited, bs, prepared.fp, prepared.ip, prepared.prod,
                 prepared.pcum, flags, queue, stack, rec, until)
        if progress is not None:
            progress(int(bs[B_ORDERS]))
    return ExactRun(config, spec, prepared, mem, sc, bs, rec)
