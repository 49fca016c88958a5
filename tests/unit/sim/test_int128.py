"""The 128-bit helpers against Python's big ints, at and near the 63-bit limits."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from zengzhi.sim import int128

MAX = (1 << 63) - 1
EDGES = [0, 1, 2, (1 << 31) - 1, 1 << 31, (1 << 32) - 1, 1 << 32, (1 << 32) + 1, (1 << 53) + 1,
         (1 << 62), MAX - 1, MAX]
values = st.one_of(st.sampled_from(EDGES), st.integers(0, MAX))
positive = st.one_of(st.sampled_from([e for e in EDGES if e]), st.integers(1, MAX))


def as_int(words: tuple[np.uint64, np.uint64]) -> int:
    hi, lo = words
    return (int(hi) << 64) + int(lo)


def test_products_at_the_limits() -> None:
    for a in EDGES:
        for b in EDGES:
            assert as_int(int128.mul(a, b)) == a * b, (a, b)
            assert int128.le(a, b, b, a)
            assert int128.cmp(a, b, a, b) == 0


@settings(max_examples=400, deadline=None)
@given(values, values, values, values)
def test_compare_products(a: int, b: int, c: int, d: int) -> None:
    assert int128.le(a, b, c, d) == (a * b <= c * d)
    assert int128.cmp(a, b, c, d) == (a * b > c * d) - (a * b < c * d)


@settings(max_examples=400, deadline=None)
@given(values, values, positive)
def test_muldiv_is_exact_or_refuses(a: int, b: int, d: int) -> None:
    want = a * b // d
    assert int128.muldiv(a, b, d) == (want if want <= MAX else -1)


@settings(max_examples=400, deadline=None)
@given(positive, values, st.integers(1, MAX))
def test_divmod128(d: int, hi_seed: int, lo: int) -> None:
    hi = hi_seed % d  # the quotient must fit 64 bits
    lo = lo % (1 << 64)
    q, r = int128.divmod128(np.uint64(hi), np.uint64(lo), d)
    assert (int(q), int(r)) == divmod((hi << 64) + lo, d)


@settings(max_examples=600, deadline=None)
@given(positive, values, st.integers(1, 1 << 40), st.data())
def test_sale_payout_share(points: int, money: int, den: int, data: st.DataObject) -> None:
    """floor(kept*q*P / (den*N)) for every q <= N, kept <= den: the payout rule of pool.md."""
    q = data.draw(st.one_of(st.just(points), st.just(1), st.integers(1, points)))
    kept = data.draw(st.one_of(st.just(den), st.just(0), st.integers(0, den)))
    got = int128.scaled_share(q, money, points, kept, den)
    want = kept * q * money // (den * points)
    if kept * (q * money // points) <= MAX:
        assert got == want
    else:
        assert got == -1
