"""Array layout shared by the exact kernels: column and slot numbers, allocation.

The simulator holds state in arrays, never in dicts of objects:

* ``mem`` — ``int64[members, MEMBER_COLUMNS]``, one row per member (by join
  order): points (0.0001 units), cash (cents), the current cycle (spent, points
  granted, start sequence, active flag), a version that stales heap entries,
  forced exits, pending order money, the behaviour type and money in flight
  to the bank (提现).
* ``heap`` — ``int64[capacity, HEAP_COLUMNS]`` plus ``hkey`` (float64): a binary
  min-heap of exit prices, each entry a snapshot of (spent, points, cycle seq,
  member, version). Entries whose version no longer matches are stale and skipped,
  exactly as in ``zengzhi.domain.exit_heap``.
* ``sc`` — ``int64[SCALARS]``: pool money ``P``, points ``N``, the last price
  (num/den, cents per 0.0001 unit), counters, the error code and heap sizes.
* ``cfg`` — ``int64[CONFIG]``: the pool config as integer ratios.
* ``steps`` — ``int64[steps, 4]``: the grant schedule (控盘) rows
  (grant num, grant den, pool money min, from ms).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import numpy.typing as npt

from zengzhi.domain.config import PoolConfig

# member columns
(M_POINTS, M_CASH, M_SPENT, M_UNITS, M_SEQ, M_VERSION, M_ACTIVE, M_EXITS, M_PENDING, M_TYPE,
 M_WITHDRAWING) = range(11)
MEMBER_COLUMNS = 11

# heap entry columns
H_SPENT, H_UNITS, H_SEQ, H_MEMBER, H_VERSION = range(5)
HEAP_COLUMNS = 5

# scalar slots
(S_MONEY, S_POINTS, S_LAST_NUM, S_LAST_DEN, S_CYCLES, S_EXITS, S_ERROR, S_MERCHANT, S_BIG_KEYS,
 S_EXITED, S_GRANTED_ANY, S_WITHDRAWN, S_HEAP_SIZE) = range(13)
HEAPS_MAX = 3  # forced exit + two voluntary sell triggers (break-even, multiple)
SCALARS = S_HEAP_SIZE + HEAPS_MAX

# config slots
(C_K_NUM, C_K_DEN, C_SELL_NUM, C_SELL_DEN, C_REDEEM_NUM, C_REDEEM_DEN, C_GRANT_NUM,
 C_GRANT_DEN) = range(8)
CONFIG = 8

# error codes (sc[S_ERROR]); the kernel stops at the first one
E_NONE, E_OVERFLOW, E_CAPACITY = 0, 1, 2
ERROR_TEXT = {
    E_OVERFLOW: "a value outgrew the exact int64/128-bit arithmetic (pool money, points or a product)",
    E_CAPACITY: "more members than the arrays were sized for",
}

HEAP_SLACK = 1024

Array = npt.NDArray[Any]  # kernel arguments (numba checks the dtypes at compile time)
Int64Array = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@contextmanager
def plain_pages() -> Iterator[None]:
    """Allocate without numpy's transparent-huge-page advice.

    The kernels touch their arrays once, in order. With ``madvise(HUGEPAGE)``
    the kernel compacts memory for 2 MB pages on first touch, which measured
    5.5-7.1 s against 4.1 s for 10^8 orders in a fresh process
    (docs/simulator.md). The switch is numpy's own (private, hence the guard)
    and is restored on exit.
    """
    core = getattr(np, "_core", None) or getattr(np, "core", None)
    switch = getattr(getattr(core, "multiarray", None), "_set_madvise_hugepage", None)
    if switch is None:
        yield
        return
    before = switch(False)
    try:
        yield
    finally:
        switch(before)


def pool_arrays(pool: PoolConfig) -> tuple[Int64Array, Int64Array]:
    """``(cfg, steps)`` for a pool config: every ratio as an exact integer pair."""
    k = pool.exit_multiple
    cfg = np.zeros(CONFIG, dtype=np.int64)
    cfg[C_K_NUM], cfg[C_K_DEN] = (k.num, k.den) if k is not None else (0, 1)
    sell = pool.sell_retention
    cfg[C_SELL_NUM], cfg[C_SELL_DEN] = sell.den - sell.num, sell.den  # the share paid out, 1 - r
    redeem = pool.redeem_retention
    cfg[C_REDEEM_NUM], cfg[C_REDEEM_DEN] = redeem.den - redeem.num, redeem.den
    cfg[C_GRANT_NUM], cfg[C_GRANT_DEN] = pool.grant_ratio.num, pool.grant_ratio.den
    steps = np.zeros((len(pool.grant_schedule), 4), dtype=np.int64)
    for i, step in enumerate(pool.grant_schedule):
        steps[i] = (step.grant_ratio.num, step.grant_ratio.den, step.pool_cents_min, step.from_ms)
    return cfg, steps


def new_state(pool: PoolConfig, members_max: int, heaps: int = 1
              ) -> tuple[Int64Array, Int64Array, FloatArray, Int64Array, Int64Array]:
    """Zeroed ``(mem, heap, hkey, sc, exited)`` arrays for up to ``members_max`` members.

    ``heap`` holds ``heaps`` heaps side by side (``heap[h]``); each has room for
    two entries per member plus slack before it is compacted.
    """
    capacity = 2 * members_max + HEAP_SLACK
    with plain_pages():
        mem = np.zeros((members_max, MEMBER_COLUMNS), dtype=np.int64)
        heap = np.zeros((heaps, capacity, HEAP_COLUMNS), dtype=np.int64)
        hkey = np.zeros((heaps, capacity), dtype=np.float64)
    sc = np.zeros(SCALARS, dtype=np.int64)
    price = pool.initial_price
    sc[S_LAST_NUM], sc[S_LAST_DEN] = price.num, price.den
    exited = np.zeros(max(members_max, 1), dtype=np.int64)
    return mem, heap, hkey, sc, exited
