"""Fast, APPROXIMATE behaviour simulation (``zengzhi simulate --approx``).

The same day loop and the same random draws as ``zengzhi.sim.behaviour``, but
in float64 with no rounding to the cent or to 0.0001 points: the numbers drift
from the exact rules (pool.md) and may even take a different branch (an exit a
few orders earlier or later). Every result of this module is labelled
approximate; ``divergence`` measures the drift against the exact kernel on a
sample run. Memory is kept to ~28-30 bytes per member so 10^8 orders fit in a
few GB: a member is its points and spend (its cycle's points equal its points,
since behaviour members only ever sell everything), a selling type and flags
(only allocated when some member can sell or reinvest); a heap entry is its
float exit price and the member.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from zengzhi.domain.config import TenantConfig
from zengzhi.sim.behaviour import (
    F_CUM_BREAKEVEN,
    F_CUM_HOLD,
    F_CUM_MULTIPLE,
    F_IN_STACK,
    F_PANIC_BELOW,
    F_QUEUED,
    F_REINVEST,
    F_REPURCHASE,
    I_DAYS_MAX,
    I_GROWTH,
    I_MULT_DEN,
    I_MULT_NUM,
    I_ORDERS,
    I_SEED,
    I_STOP_DAY,
    arrivals_mean,
    pick_product,
    prepare,
)
from zengzhi.sim.jit import kernel
from zengzhi.sim.layout import Array, plain_pages
from zengzhi.sim.params import DAY_MS, T_BREAKEVEN, T_MULTIPLE, T_PANIC, Behaviour

# float scalars (fs)
A_MONEY, A_POINTS, A_LAST, A_PAID = range(4)
# int scalars (ai)
(A_DAY, A_ORDERS, A_MEMBERS, A_PREV_NEW, A_QUEUE, A_SELLS, A_REINVESTS, A_FINISHED, A_PANICS, A_STACK,
 A_SEEDED, A_EXITS, A_EXITED, A_SIZE0) = range(14)
A_INTS = A_SIZE0 + 3
# pool params (pp): exit multiple, paid-out share of a sale, grant ratio, pool share per product follows
P_K, P_KEPT, P_GRANT = range(3)
HEAP_SLACK = 1024


@dataclass(slots=True)
class Arrays:
    pts: Array
    spent: Array
    kind: Array
    flags: Array
    queue: Array
    stack: Array
    hkey: Array
    hmem: Array


@kernel(inline=True)
def _push(hkey: Array, hmem: Array, ai: Array, h: int, key: float, m: int,
          pts: Array, spent: Array, mult: float) -> None:
    size = ai[A_SIZE0 + h]
    if size == hkey.shape[1]:
        size = _compact(hkey, hmem, h, size, pts, spent, mult)
    j = size
    ai[A_SIZE0 + h] = size + 1
    while j > 0:
        parent = (j - 1) >> 1
        if hkey[h, parent] <= key:
            break
        hkey[h, j] = hkey[h, parent]
        hmem[h, j] = hmem[h, parent]
        j = parent
    hkey[h, j] = key
    hmem[h, j] = m


@kernel()
def _sift(hkey: Array, hmem: Array, h: int, size: int, j: int) -> None:
    key = hkey[h, j]
    m = hmem[h, j]
    while True:
        c = 2 * j + 1
        if c >= size:
            break
        if c + 1 < size and hkey[h, c + 1] < hkey[h, c]:
            c += 1
        if key <= hkey[h, c]:
            break
        hkey[h, j] = hkey[h, c]
        hmem[h, j] = hmem[h, c]
        j = c
    hkey[h, j] = key
    hmem[h, j] = m


@kernel(inline=True)
def _live(hkey: Array, hmem: Array, h: int, i: int, pts: Array, spent: Array,
          mult: float) -> bool:
    m = hmem[h, i]
    return bool(pts[m] > 0.0 and hkey[h, i] == mult * spent[m] / pts[m])


@kernel()
def _compact(hkey: Array, hmem: Array, h: int, size: int, pts: Array, spent: Array,
             mult: float) -> int:
    kept = 0
    for i in range(size):
        if _live(hkey, hmem, h, i, pts, spent, mult):
            hkey[h, kept] = hkey[h, i]
            hmem[h, kept] = hmem[h, i]
            kept += 1
    for j in range(kept // 2 - 1, -1, -1):
        _sift(hkey, hmem, h, kept, j)
    return kept


@kernel(inline=True)
def _pop_due(hkey: Array, hmem: Array, ai: Array, fs: Array, h: int, pts: Array,
             spent: Array, mult: float) -> int:
    if fs[A_POINTS] <= 0.0:
        return -1
    price = fs[A_MONEY] / fs[A_POINTS]
    while ai[A_SIZE0 + h] > 0:
        live = _live(hkey, hmem, h, 0, pts, spent, mult)
        if live and hkey[h, 0] > price:
            return -1
        m = hmem[h, 0]
        size = ai[A_SIZE0 + h] - 1
        ai[A_SIZE0 + h] = size
        if size > 0:
            hkey[h, 0] = hkey[h, size]
            hmem[h, 0] = hmem[h, size]
            _sift(hkey, hmem, h, size, 0)
        if live:
            return int(m)
    return -1


@kernel(inline=True)
def _sell(fs: Array, pp: Array, pts: Array, m: int) -> None:
    q = pts[m]
    price = fs[A_MONEY] / fs[A_POINTS]
    pay = pp[P_KEPT] * q * price
    if q >= fs[A_POINTS]:
        fs[A_LAST] = price
        fs[A_POINTS] = 0.0
    else:
        fs[A_POINTS] -= q
    fs[A_MONEY] -= pay
    fs[A_PAID] += pay
    pts[m] = 0.0


@kernel(inline=True)
def _reinvest(ai: Array, fp: Array, flags: Array, queue: Array, m: int) -> None:
    if fp[F_REINVEST] > 0.0 and np.random.random() < fp[F_REINVEST] and flags[m] & F_QUEUED == 0:
        flags[m] |= F_QUEUED
        queue[ai[A_QUEUE]] = m
        ai[A_QUEUE] += 1


@kernel(inline=True)
def _exits(fs: Array, ai: Array, pp: Array, fp: Array, pts: Array, spent: Array,
           hkey: Array, hmem: Array, flags: Array, queue: Array) -> None:
    if pp[P_K] <= 0.0:
        return
    while True:
        m = _pop_due(hkey, hmem, ai, fs, 0, pts, spent, pp[P_K])
        if m < 0:
            return
        _sell(fs, pp, pts, m)
        ai[A_EXITS] += 1
        _reinvest(ai, fp, flags, queue, m)


@kernel(inline=True)
def _triggers(fs: Array, ai: Array, pp: Array, fp: Array, mults: Array,
              pts: Array, spent: Array, hkey: Array, hmem: Array, flags: Array,
              queue: Array) -> None:
    while True:
        m = -1
        if hkey.shape[0] > 1:
            m = _pop_due(hkey, hmem, ai, fs, 1, pts, spent, mults[1])
            if m < 0:
                m = _pop_due(hkey, hmem, ai, fs, 2, pts, spent, mults[2])
        if m < 0:
            return
        _sell(fs, pp, pts, m)
        ai[A_SELLS] += 1
        _reinvest(ai, fp, flags, queue, m)
        _exits(fs, ai, pp, fp, pts, spent, hkey, hmem, flags, queue)


@kernel(inline=True)
def _order(fs: Array, ai: Array, pp: Array, fp: Array, mults: Array,
           prod: Array, pcum: Array, pts: Array, spent: Array, kind: Array,
           flags: Array, queue: Array, stack: Array, hkey: Array, hmem: Array,
           steps: Array, m: int) -> None:
    p = pick_product(pcum)
    contribution = prod[p, 1]
    price = fs[A_MONEY] / fs[A_POINTS] if fs[A_POINTS] > 0.0 else fs[A_LAST]
    grant = pp[P_GRANT]
    at_ms = ai[A_DAY] * DAY_MS
    for i in range(steps.shape[0]):  # 控盘: the last step whose conditions hold
        if fs[A_MONEY] >= steps[i, 1] and at_ms >= steps[i, 2]:
            grant = steps[i, 0]
    g = grant * contribution / price
    fs[A_MONEY] += contribution
    fs[A_POINTS] += g
    t = kind[m] if m < kind.shape[0] else 0
    if pts[m] <= 0.0:
        spent[m] = 0.0  # 复投: a new cycle
        if t == T_PANIC and flags[m] & F_IN_STACK == 0:
            flags[m] |= F_IN_STACK
            stack[ai[A_STACK]] = m
            ai[A_STACK] += 1
    spent[m] += prod[p, 0]
    pts[m] += g
    ai[A_ORDERS] += 1
    if pp[P_K] > 0.0:
        _push(hkey, hmem, ai, 0, pp[P_K] * spent[m] / pts[m], m, pts, spent, pp[P_K])
    _exits(fs, ai, pp, fp, pts, spent, hkey, hmem, flags, queue)
    if pts[m] > 0.0 and (t == T_BREAKEVEN or t == T_MULTIPLE):
        h = 1 if t == T_BREAKEVEN else 2
        _push(hkey, hmem, ai, h, mults[h] * spent[m] / pts[m], m, pts, spent, mults[h])
    _triggers(fs, ai, pp, fp, mults, pts, spent, hkey, hmem, flags, queue)


@kernel(inline=True)
def _join(ai: Array, fp: Array, kind: Array) -> int:
    m = ai[A_MEMBERS]
    ai[A_MEMBERS] = m + 1
    u = np.random.random()
    t = 0
    if u >= fp[F_CUM_HOLD]:
        t = T_BREAKEVEN if u < fp[F_CUM_BREAKEVEN] else (T_MULTIPLE if u < fp[F_CUM_MULTIPLE] else T_PANIC)
    if m < kind.shape[0]:  # sized 1 when every member holds (memory: 10^8 members)
        kind[m] = t
    return int(m)


@kernel()
def _panic(fs: Array, ai: Array, pp: Array, fp: Array, mults: Array,
           pts: Array, spent: Array, flags: Array, queue: Array, stack: Array,
           hkey: Array, hmem: Array) -> None:
    ai[A_PANICS] += 1
    for i in range(ai[A_STACK]):
        m = stack[i]
        flags[m] &= ~F_IN_STACK
        if pts[m] > 0.0:
            _sell(fs, pp, pts, m)
            ai[A_SELLS] += 1
            _reinvest(ai, fp, flags, queue, m)
            _exits(fs, ai, pp, fp, pts, spent, hkey, hmem, flags, queue)
            _triggers(fs, ai, pp, fp, mults, pts, spent, hkey, hmem, flags, queue)
    ai[A_STACK] = 0


@kernel()
def _orders_of_day(fs: Array, ai: Array, pp: Array, fp: Array, ip: Array,
                   mults: Array, prod: Array, pcum: Array, pts: Array, spent: Array,
                   kind: Array, flags: Array, queue: Array, stack: Array, hkey: Array,
                   hmem: Array, steps: Array, waiting: int, new: int) -> int:
    """``behaviour._orders_of_day`` in floats: the same orders, the same draws."""
    total = waiting + new
    again = -1
    i = 0
    while ai[A_ORDERS] < ip[I_ORDERS]:
        if i < waiting:
            m = queue[i]
            flags[m] &= ~F_QUEUED
            ai[A_REINVESTS] += 1
        elif i < waiting + new:
            m = _join(ai, fp, kind)
        else:
            if again < 0:
                again = 0
                if fp[F_REPURCHASE] > 0.0 and ai[A_MEMBERS] > 0:
                    again = np.random.binomial(ai[A_MEMBERS], fp[F_REPURCHASE])
                total += again
            if i >= total:
                break
            m = np.random.randint(0, ai[A_MEMBERS])
        _order(fs, ai, pp, fp, mults, prod, pcum, pts, spent, kind, flags, queue, stack, hkey, hmem, steps, m)
        if i == waiting - 1:
            _shift_queue(ai, queue, waiting)
        i += 1
    if i < waiting:
        _shift_queue(ai, queue, i)
    return max(again, 0)


@kernel()
def _shift_queue(ai: Array, queue: Array, done: int) -> None:
    left = ai[A_QUEUE] - done
    for j in range(left):
        queue[j] = queue[done + j]
    ai[A_QUEUE] = left


@kernel()
def run_days_approx(fs: Array, ai: Array, pp: Array, fp: Array, ip: Array,
                    mults: Array, prod: Array, pcum: Array, pts: Array, spent: Array,
                    kind: Array, flags: Array, queue: Array, stack: Array,
                    hkey: Array, hmem: Array, steps: Array, orders_until: int) -> None:
    """The float twin of ``behaviour.run_days`` (same draws in the same order)."""
    if ai[A_SEEDED] == 0:
        np.random.seed(ip[I_SEED])
        ai[A_SEEDED] = 1
    orders_max = ip[I_ORDERS]
    while ai[A_FINISHED] == 0 and ai[A_ORDERS] < orders_until:
        day = ai[A_DAY]
        joining = ip[I_STOP_DAY] < 0 or day < ip[I_STOP_DAY]
        mean = arrivals_mean(fp, ip[I_GROWTH], day, ai[A_MEMBERS]) if joining else 0.0
        new = np.random.poisson(mean) if mean > 0.0 else 0
        if day > 0 and ai[A_STACK] > 0 and new < fp[F_PANIC_BELOW] * ai[A_PREV_NEW]:
            _panic(fs, ai, pp, fp, mults, pts, spent, flags, queue, stack, hkey, hmem)
        ai[A_PREV_NEW] = new
        waiting = ai[A_QUEUE]
        again = _orders_of_day(fs, ai, pp, fp, ip, mults, prod, pcum, pts, spent, kind, flags, queue, stack, hkey,
                               hmem, steps, waiting, new)
        ai[A_DAY] = day + 1
        quiet = new == 0 and again == 0 and waiting == 0 and ai[A_QUEUE] == 0
        ended = (not joining or mean == 0.0) and fp[F_REPURCHASE] == 0.0
        if (quiet and ended) or ai[A_ORDERS] >= orders_max or day + 1 >= ip[I_DAYS_MAX]:
            ai[A_FINISHED] = 1


@dataclass(slots=True)
class ApproxRun:
    spec: Behaviour
    fs: Array  # money (cents), points (units), last price, paid out (cents) — floats
    ai: Array

    def pool(self) -> dict[str, str]:
        """Money, points and price as text, like the exact summary (floats, so approximate)."""
        money, points, last = float(self.fs[A_MONEY]), float(self.fs[A_POINTS]), float(self.fs[A_LAST])
        price = money / points if points > 0 else last
        # cents -> yuan; 0.0001 units -> points; cents per unit -> yuan per point (x 100)
        return {"money": f"{money / 100:.2f}", "points": f"{points / 10_000:.4f}", "price": f"{price * 100:.4f}"}


def _arrays(config: TenantConfig, spec: Behaviour) -> Arrays:
    n = max(spec.orders, 1)
    triggers = spec.breakeven > 0 or spec.multiple > 0
    heaps = 3 if triggers else 1
    capacity = n + max(HEAP_SLACK, n // 4) if config.pool.exit_multiple is not None or triggers else 1
    reinvest = n if spec.reinvest > 0 else 1
    panic = n if spec.panic > 0 else 1
    typed = n if spec.breakeven > 0 or spec.multiple > 0 or spec.panic > 0 else 1
    flagged = n if spec.reinvest > 0 or spec.panic > 0 else 1
    with plain_pages():
        return Arrays(np.zeros(n), np.zeros(n), np.zeros(typed, dtype=np.int8), np.zeros(flagged, dtype=np.int8),
                      np.zeros(reinvest, dtype=np.int32), np.zeros(panic, dtype=np.int32),
                      np.zeros((heaps, capacity)), np.zeros((heaps, capacity), dtype=np.int32))


CHUNK_ORDERS = 10_000_000


def simulate_approx(config: TenantConfig, spec: Behaviour,
                    progress: Callable[[int], None] | None = None) -> ApproxRun:
    """Run the behaviour model in float64 (approximate); ``progress`` as in ``simulate_exact``."""
    prepared = prepare(config, spec)
    pool = config.pool
    k = pool.exit_multiple
    sell = pool.sell_retention
    pp = np.array([k.num / k.den if k is not None else 0.0, (sell.den - sell.num) / sell.den,
                   pool.grant_ratio.num / pool.grant_ratio.den])
    mult = prepared.ip[I_MULT_NUM] / prepared.ip[I_MULT_DEN]
    mults = np.array([pp[P_K], 1.0, mult])
    fs = np.zeros(4)
    fs[A_LAST] = pool.initial_price.num / pool.initial_price.den
    ai = np.zeros(A_INTS, dtype=np.int64)
    a = _arrays(config, spec)
    prod = prepared.prod.astype(np.float64)
    steps = np.array([(s.grant_ratio.num / s.grant_ratio.den, s.pool_cents_min, s.from_ms)
                      for s in pool.grant_schedule], dtype=np.float64).reshape(-1, 3)
    while ai[A_FINISHED] == 0 and ai[A_ORDERS] < spec.orders:
        until = min(int(ai[A_ORDERS]) + CHUNK_ORDERS, spec.orders)
        run_days_approx(fs, ai, pp, prepared.fp, prepared.ip, mults, prod, prepared.pcum, a.pts, a.spent,
                        a.kind, a.flags, a.queue, a.stack, a.hkey, a.hmem, steps, until)
        if progress is not None:
            progress(int(ai[A_ORDERS]))
    return ApproxRun(spec, fs, ai)
