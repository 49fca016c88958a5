"""128-bit-safe integer helpers for the exact kernels (numba, no Python ints).

Pool money × points overflows 63 bits long before the numbers are absurd
(10^9 yuan in the pool × 10^6 points is 10^11 × 10^10 = 10^21). The exact
kernels therefore never form such a product in an ``int64``: they take the
full 64×64→128-bit product from 32-bit halves (``mul``), compare two such
products (``le``/``lt``), and divide a 128-bit value by a 63-bit divisor when
the quotient fits (``divmod128``). Every helper takes non-negative ``int64``
operands below 2**63 and is tested against Python's big ints at the limits.

A result that cannot be represented returns ``-1`` (``muldiv``); callers turn
that into an overflow error instead of a wrong number.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from zengzhi.sim.jit import kernel

INT64_MAX = (1 << 63) - 1
Int = int | np.integer[Any]  # numba passes int64 / uint64 scalars; Python callers pass int
Words = tuple[np.uint64, np.uint64]
_M32 = np.uint64(0xFFFFFFFF)
_S32 = np.uint64(32)
_ONE = np.uint64(1)
_S63 = np.uint64(63)
_ZERO = np.uint64(0)


@kernel()
def mul(a: Int, b: Int) -> Words:
    """The exact product ``a * b`` of two non-negative int64 as ``(hi, lo)`` uint64 words."""
    x = np.uint64(a)
    y = np.uint64(b)
    x0 = x & _M32
    x1 = x >> _S32
    y0 = y & _M32
    y1 = y >> _S32
    p00 = x0 * y0
    p01 = x0 * y1
    p10 = x1 * y0
    p11 = x1 * y1
    # each partial product is < 2**64; the middle column sums three values < 2**32 each
    mid = (p00 >> _S32) + (p01 & _M32) + (p10 & _M32)
    lo = (p00 & _M32) | (mid << _S32)
    hi = p11 + (p01 >> _S32) + (p10 >> _S32) + (mid >> _S32)
    return hi, lo


@kernel()
def le(a: Int, b: Int, c: Int, d: Int) -> bool:
    """``a * b <= c * d`` exactly (all non-negative int64)."""
    h1, l1 = mul(a, b)
    h2, l2 = mul(c, d)
    return bool(h1 < h2 or (h1 == h2 and l1 <= l2))


@kernel()
def cmp(a: Int, b: Int, c: Int, d: Int) -> int:
    """-1, 0 or 1 as ``a * b`` is below, equal to or above ``c * d``."""
    h1, l1 = mul(a, b)
    h2, l2 = mul(c, d)
    if h1 != h2:
        return -1 if h1 < h2 else 1
    if l1 != l2:
        return -1 if l1 < l2 else 1
    return 0


@kernel()
def divmod128(hi: np.uint64, lo: np.uint64, d: Int) -> Words:
    """``divmod(hi * 2**64 + lo, d)`` for ``0 < d < 2**63`` and ``hi < d`` (so the quotient fits 64 bits)."""
    dd = np.uint64(d)
    if hi == _ZERO:
        return lo // dd, lo % dd
    r = hi
    q = _ZERO
    # restoring long division, one bit at a time: r < d < 2**63 so r << 1 never overflows
    for _ in range(64):
        r = (r << _ONE) | (lo >> _S63)
        lo = lo << _ONE
        q = q << _ONE
        if r >= dd:
            r -= dd
            q |= _ONE
    return q, r


@kernel()
def muldiv(a: Int, b: Int, d: Int) -> Int:
    """``floor(a * b / d)`` exactly, or -1 when the quotient does not fit an int64."""
    hi, lo = mul(a, b)
    if hi >= np.uint64(d):
        return -1
    q, _ = divmod128(hi, lo, d)
    if q > np.uint64(INT64_MAX):
        return -1
    return np.int64(q)


@kernel()
def scaled_share(q: Int, money: Int, points: Int, kept: Int, den: Int) -> Int:
    """``floor(kept * q * money / (den * points))`` for ``0 < q <= points`` and ``kept <= den``.

    The sale payout ``floor_cent((1 - r) * q * P / N)`` with ``1 - r = kept / den``.
    ``q * money`` is split as ``Q1 * points + R1`` (Q1 <= money, since q <= points),
    so the result is ``floor(kept*Q1/den) + [kept*R1 >= (den - kept*Q1 mod den) * points]``:
    the fractional rest is below 2, so one exact 128-bit comparison settles it.
    Returns -1 when ``kept * money`` does not fit an int64.
    """
    hi, lo = mul(q, money)
    q1u, r1u = divmod128(hi, lo, points)
    q1 = np.int64(q1u)
    r1 = np.int64(r1u)
    if q1 > 0 and kept > INT64_MAX // q1:
        return -1
    a = kept * q1
    qa = a // den
    ra = a - qa * den
    if le(den - ra, points, kept, r1):
        return qa + 1
    return qa
