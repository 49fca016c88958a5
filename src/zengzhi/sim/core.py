"""Exact pool rules as numba kernels over the arrays of ``zengzhi.sim.layout``.

Each function here is the array twin of one domain rule and must stay
bit-identical to it (the differential test replays random streams through
both): ``settle`` ↔ ``domain.settlement._settle`` (grant at the price before
the contribution, ``floor_pt(floor_cent(g*c) / p)``, schedule 控盘 by pool size
and time), ``extend_cycle`` ↔ ``domain.cycle`` (复投: a new cycle when none is
active), ``spend`` ↔ ``domain.sale._spend`` (卖出 / 兑换 with retention, selling
everything closes the cycle), ``run_exits`` ↔ ``domain.forced_exit`` (出局 in
heap order, ties to the earlier cycle, cascades), ``inject`` ↔
``domain.subsidy`` (注资).

Every product of two 63-bit values goes through ``zengzhi.sim.int128``; a
value that would not fit sets ``sc[S_ERROR]`` and the caller stops.
"""

from __future__ import annotations

import numpy as np

from zengzhi.sim import int128
from zengzhi.sim.int128 import Int
from zengzhi.sim.jit import kernel
from zengzhi.sim.layout import (
    C_GRANT_DEN,
    C_GRANT_NUM,
    C_K_DEN,
    C_K_NUM,
    C_REDEEM_DEN,
    C_REDEEM_NUM,
    C_SELL_DEN,
    C_SELL_NUM,
    E_OVERFLOW,
    H_MEMBER,
    H_SEQ,
    H_SPENT,
    H_UNITS,
    H_VERSION,
    HEAP_COLUMNS,
    M_ACTIVE,
    M_CASH,
    M_EXITS,
    M_POINTS,
    M_SEQ,
    M_SPENT,
    M_UNITS,
    M_VERSION,
    S_BIG_KEYS,
    S_CYCLES,
    S_ERROR,
    S_EXITED,
    S_EXITS,
    S_GRANTED_ANY,
    S_HEAP_SIZE,
    S_LAST_DEN,
    S_LAST_NUM,
    S_MERCHANT,
    S_MONEY,
    S_POINTS,
    Array,
)

INT64_MAX = int128.INT64_MAX
FLOAT_EXACT_MAX = 1 << 53  # below this an int64 converts to float64 exactly


@kernel()
def overflowed(sc: Array) -> None:
    sc[S_ERROR] = E_OVERFLOW


@kernel(inline=True)
def grant_ratio(cfg: Array, steps: Array, money: int, at_ms: int) -> tuple[int, int]:
    """The grant ratio in force: the last schedule step whose conditions hold (控盘)."""
    num = cfg[C_GRANT_NUM]
    den = cfg[C_GRANT_DEN]
    for i in range(steps.shape[0]):
        if money >= steps[i, 2] and at_ms >= steps[i, 3]:
            num = steps[i, 0]
            den = steps[i, 1]
    return num, den


@kernel(inline=True)
def grant_units(sc: Array, value: Int) -> Int:
    """``floor_pt(value / price)`` at the current price (``Pool.grant_units``)."""
    if sc[S_POINTS] > 0:
        got = int128.muldiv(value, sc[S_POINTS], sc[S_MONEY])
    else:
        got = int128.muldiv(value, sc[S_LAST_DEN], sc[S_LAST_NUM])
    if got < 0:
        overflowed(sc)
        return 0
    return got


@kernel(inline=True)
def remove(sc: Array, money: Int, points: Int) -> None:
    """``Pool.remove``: remembers the price when the last points leave."""
    if points == sc[S_POINTS] and points > 0:
        sc[S_LAST_NUM] = sc[S_MONEY]
        sc[S_LAST_DEN] = sc[S_POINTS]
    sc[S_MONEY] -= money
    sc[S_POINTS] -= points


# ---------------------------------------------------------------- the exit-price heap


@kernel(inline=True)
def _before(heap: Array, hkey: Array, h: int, i: int, j: int, big: bool) -> bool:
    """Entry i sorts before entry j: lower ``spent/units``, ties to the earlier cycle.

    The float key decides when it can: both parts below 2**53 convert exactly and
    the division is correctly rounded, so ``x_i < x_j`` implies ``key_i <= key_j``;
    unequal keys therefore order exactly. Equal keys (or huge parts) compare the
    exact cross products ``spent_i * units_j`` vs ``spent_j * units_i``.
    """
    if not big:
        ki = hkey[h, i]
        kj = hkey[h, j]
        if ki < kj:
            return True
        if ki > kj:
            return False
    c = int128.cmp(heap[h, i, H_SPENT], heap[h, j, H_UNITS], heap[h, j, H_SPENT], heap[h, i, H_UNITS])
    if c != 0:
        return c < 0
    if heap[h, i, H_SEQ] != heap[h, j, H_SEQ]:
        return bool(heap[h, i, H_SEQ] < heap[h, j, H_SEQ])
    return bool(heap[h, i, H_VERSION] < heap[h, j, H_VERSION])


@kernel()
def _swap(heap: Array, hkey: Array, h: int, i: int, j: int) -> None:
    for c in range(HEAP_COLUMNS):
        t = heap[h, i, c]
        heap[h, i, c] = heap[h, j, c]
        heap[h, j, c] = t
    tk = hkey[h, i]
    hkey[h, i] = hkey[h, j]
    hkey[h, j] = tk


@kernel()
def _sift_down(heap: Array, hkey: Array, h: int, j: int, size: int, big: bool) -> None:
    while True:
        left = 2 * j + 1
        if left >= size:
            return
        best = left
        right = left + 1
        if right < size and _before(heap, hkey, h, right, left, big):
            best = right
        if not _before(heap, hkey, h, best, j, big):
            return
        _swap(heap, hkey, h, best, j)
        j = best


@kernel()
def _compact(heap: Array, hkey: Array, sc: Array, h: int, mem: Array) -> None:
    """Drop stale entries and re-heapify (bounded memory; never changes the order)."""
    size = sc[S_HEAP_SIZE + h]
    kept = 0
    for i in range(size):
        m = heap[h, i, H_MEMBER]
        if mem[m, M_VERSION] == heap[h, i, H_VERSION] and mem[m, M_ACTIVE] == 1:
            if kept != i:
                for c in range(HEAP_COLUMNS):
                    heap[h, kept, c] = heap[h, i, c]
                hkey[h, kept] = hkey[h, i]
            kept += 1
    sc[S_HEAP_SIZE + h] = kept
    big = sc[S_BIG_KEYS] != 0
    for j in range(kept // 2 - 1, -1, -1):
        _sift_down(heap, hkey, h, j, kept, big)


@kernel(inline=True)
def heap_push(heap: Array, hkey: Array, sc: Array, h: int, mem: Array, m: int) -> None:
    """Record member m's current exit key in heap h (``ExitHeap.push``)."""
    if sc[S_HEAP_SIZE + h] == heap.shape[1]:
        _compact(heap, hkey, sc, h, mem)
    spent = mem[m, M_SPENT]
    units = mem[m, M_UNITS]
    if spent >= FLOAT_EXACT_MAX or units >= FLOAT_EXACT_MAX:
        sc[S_BIG_KEYS] = 1
    j = sc[S_HEAP_SIZE + h]
    sc[S_HEAP_SIZE + h] = j + 1
    heap[h, j, H_SPENT] = spent
    heap[h, j, H_UNITS] = units
    heap[h, j, H_SEQ] = mem[m, M_SEQ]
    heap[h, j, H_MEMBER] = m
    heap[h, j, H_VERSION] = mem[m, M_VERSION]
    hkey[h, j] = np.float64(spent) / np.float64(units)
    big = sc[S_BIG_KEYS] != 0
    while j > 0:
        parent = (j - 1) >> 1
        if not _before(heap, hkey, h, j, parent, big):
            break
        _swap(heap, hkey, h, j, parent)
        j = parent


@kernel()
def _pop_top(heap: Array, hkey: Array, sc: Array, h: int) -> None:
    size = sc[S_HEAP_SIZE + h] - 1
    sc[S_HEAP_SIZE + h] = size
    if size > 0:
        for c in range(HEAP_COLUMNS):
            heap[h, 0, c] = heap[h, size, c]
        hkey[h, 0] = hkey[h, size]
        _sift_down(heap, hkey, h, 0, size, sc[S_BIG_KEYS] != 0)


@kernel(inline=True)
def is_due(mem: Array, sc: Array, m: int, mul_num: int, mul_den: int) -> bool:
    """``mul_num * spent * N <= mul_den * P * units``: the exact, division-free test."""
    spent = mem[m, M_SPENT]
    money = sc[S_MONEY]
    if (spent > 0 and mul_num > INT64_MAX // spent) or (money > 0 and mul_den > INT64_MAX // money):
        overflowed(sc)
        return False
    return int128.le(mul_num * spent, sc[S_POINTS], mul_den * money, mem[m, M_UNITS])


@kernel(inline=True)
def pop_due(heap: Array, hkey: Array, sc: Array, h: int, mem: Array,
            mul_num: int, mul_den: int) -> int:
    """Pop the due member with the lowest key from heap h, or -1 (``ExitHeap.pop_due``)."""
    if sc[S_POINTS] == 0:
        return -1  # no points circulate, so no cycle holds any
    while sc[S_HEAP_SIZE + h] > 0:
        m = heap[h, 0, H_MEMBER]
        if mem[m, M_VERSION] != heap[h, 0, H_VERSION] or mem[m, M_ACTIVE] == 0:
            _pop_top(heap, hkey, sc, h)
            continue
        if is_due(mem, sc, m, mul_num, mul_den):
            _pop_top(heap, hkey, sc, h)
            return int(m)
        return -1
    return -1


# ---------------------------------------------------------------- the rules


@kernel(inline=True)
def extend_cycle(mem: Array, heap: Array, hkey: Array, sc: Array, cfg: Array,
                 m: int, spent: Int, granted: Int) -> None:
    """``domain.cycle.extend_cycle``: open a cycle if none is active (复投), then extend it."""
    if mem[m, M_ACTIVE] == 0:
        sc[S_CYCLES] += 1
        mem[m, M_ACTIVE] = 1
        mem[m, M_SPENT] = 0
        mem[m, M_UNITS] = 0
        mem[m, M_SEQ] = sc[S_CYCLES]
    mem[m, M_SPENT] += spent
    mem[m, M_UNITS] += granted
    mem[m, M_VERSION] += 1
    if cfg[C_K_NUM] > 0 and mem[m, M_UNITS] != 0:
        heap_push(heap, hkey, sc, 0, mem, m)


@kernel(inline=True)
def close_cycle(mem: Array, m: int) -> None:
    mem[m, M_ACTIVE] = 0
    mem[m, M_VERSION] += 1


@kernel(inline=True)
def run_exits(mem: Array, heap: Array, hkey: Array, sc: Array, cfg: Array,
              exited: Array) -> None:
    """``domain.forced_exit.run_forced_exits``: exit every due member, cheapest first."""
    if cfg[C_K_NUM] == 0:
        return
    while sc[S_ERROR] == 0:
        m = pop_due(heap, hkey, sc, 0, mem, cfg[C_K_NUM], cfg[C_K_DEN])
        if m < 0:
            return
        held = mem[m, M_POINTS]
        payout = int128.scaled_share(held, sc[S_MONEY], sc[S_POINTS], cfg[C_SELL_NUM], cfg[C_SELL_DEN])
        if payout < 0:
            overflowed(sc)
            return
        mem[m, M_POINTS] = 0
        mem[m, M_CASH] += payout
        remove(sc, payout, held)
        close_cycle(mem, m)
        mem[m, M_EXITS] += 1
        sc[S_EXITS] += 1
        n = sc[S_EXITED]
        if n < exited.shape[0]:
            exited[n] = m
            sc[S_EXITED] = n + 1


@kernel(inline=True)
def settle(mem: Array, heap: Array, hkey: Array, sc: Array, cfg: Array,
           steps: Array, exited: Array, m: int, amount: int, contribution: int, at_ms: int) -> Int:
    """``domain.settlement._settle`` (pool part): grant, contribute, extend the cycle, exits."""
    num, den = grant_ratio(cfg, steps, sc[S_MONEY], at_ms)
    value = int128.muldiv(contribution, num, den)
    if value < 0:
        overflowed(sc)
        return 0
    granted = grant_units(sc, value)
    if sc[S_MONEY] > INT64_MAX - contribution or sc[S_POINTS] > INT64_MAX - granted:
        overflowed(sc)
        return 0
    sc[S_MONEY] += contribution
    sc[S_POINTS] += granted
    if granted > 0:
        sc[S_GRANTED_ANY] = 1
    mem[m, M_POINTS] += granted
    extend_cycle(mem, heap, hkey, sc, cfg, m, amount, granted)
    run_exits(mem, heap, hkey, sc, cfg, exited)
    return granted


@kernel(inline=True)
def spend(mem: Array, heap: Array, hkey: Array, sc: Array, cfg: Array,
          exited: Array, m: int, q: int, redeem: bool) -> bool:
    """``domain.sale._spend``: sell (卖出, to cash) or redeem (兑换, to the merchant); False = rejected."""
    held = mem[m, M_POINTS]
    if q <= 0 or q > held:
        return False
    if redeem:
        payout = int128.scaled_share(q, sc[S_MONEY], sc[S_POINTS], cfg[C_REDEEM_NUM], cfg[C_REDEEM_DEN])
    else:
        payout = int128.scaled_share(q, sc[S_MONEY], sc[S_POINTS], cfg[C_SELL_NUM], cfg[C_SELL_DEN])
    if payout < 0:
        overflowed(sc)
        return True
    mem[m, M_POINTS] = held - q
    if redeem:
        sc[S_MERCHANT] += payout
    else:
        mem[m, M_CASH] += payout
    remove(sc, payout, q)
    if q == held and mem[m, M_ACTIVE] == 1:
        close_cycle(mem, m)
    run_exits(mem, heap, hkey, sc, cfg, exited)
    return True


@kernel()
def inject(mem: Array, heap: Array, hkey: Array, sc: Array, cfg: Array,
           exited: Array, amount: int) -> None:
    """``domain.subsidy.inject_subsidy`` (注资): money in, no points; exits follow."""
    if sc[S_MONEY] > INT64_MAX - amount:
        overflowed(sc)
        return
    sc[S_MONEY] += amount
    run_exits(mem, heap, hkey, sc, cfg, exited)
