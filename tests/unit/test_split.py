"""split.py: fixed and percent parts, exact remainder allocation, errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zengzhi.domain.money import Ratio
from zengzhi.domain.split import SplitPart, allocate, split_error

SEED = (SplitPart("cost", 30_000), SplitPart("distribution", 30_000),
        SplitPart("platform", 10_000), SplitPart("pool", 30_000))


def pct(bucket: str, num: int, den: int = 100) -> SplitPart:
    return SplitPart(bucket, percent=Ratio(num, den))


def test_fixed_split_of_the_seed() -> None:
    assert split_error(100_000, SEED) is None
    assert allocate(100_000, SEED) == (("cost", 30_000), ("distribution", 30_000),
                                       ("platform", 10_000), ("pool", 30_000))


def test_percent_split_exact_when_it_divides() -> None:
    parts = (pct("cost", 30), pct("distribution", 30), pct("platform", 10), pct("pool", 30))
    assert split_error(100_000, parts) is None
    assert allocate(100_000, parts) == allocate(100_000, SEED)


def test_mixed_fixed_and_percent() -> None:
    parts = (SplitPart("cost", 2_000), pct("pool", 60))
    assert split_error(5_000, parts) is None
    assert allocate(5_000, parts) == (("cost", 2_000), ("pool", 3_000))


def test_remainder_cents_go_to_largest_remainders_then_first_listed() -> None:
    thirds = (pct("a", 1, 3), pct("b", 1, 3), pct("c", 1, 3))
    assert allocate(100, thirds) == (("a", 34), ("b", 33), ("c", 33))
    assert allocate(200, thirds) == (("a", 67), ("b", 67), ("c", 66))
    # 9.99 at 33.3/33.3/33.4 %: floors 332/332/333, remainders .667/.667/.666
    parts = (pct("cost", 333, 1000), pct("platform", 333, 1000), pct("pool", 334, 1000))
    assert split_error(999, parts) is None
    assert allocate(999, parts) == (("cost", 333), ("platform", 333), ("pool", 333))


def test_largest_remainder_wins_over_listing_order() -> None:
    # 101 cents: 10% -> 10.1, 90% -> 90.9; the 90% part gets the lost cent
    parts = (pct("small", 10), pct("big", 90))
    assert allocate(101, parts) == (("small", 10), ("big", 91))


@given(st.integers(min_value=1, max_value=10**9),
       st.lists(st.integers(min_value=1, max_value=97), min_size=1, max_size=6))
def test_percent_allocation_always_sums_exactly(amount: int, weights: list[int]) -> None:
    total = sum(weights)
    parts = tuple(pct(f"b{i}", w, total) for i, w in enumerate(weights))
    assert split_error(amount, parts) is None
    allocation = allocate(amount, parts)
    assert sum(c for _, c in allocation) == amount
    for (_, cents), w in zip(allocation, weights, strict=True):
        exact = amount * w / total
        assert exact - 1 < cents < exact + 1  # each part is its floor or its floor + 1


@pytest.mark.parametrize(
    ("amount", "parts", "message"),
    [
        (100_000, SEED[:3], "split sums to 700.00, not the price 1000.00"),
        (100_000, (*SEED, SplitPart("extra", 1)), "split sums to 1000.01, not the price 1000.00"),
        (100_000, (pct("a", 33), pct("b", 33), pct("c", 33)), "split sums to 990.00"),
        (101, (pct("a", 50), SplitPart("b", 50)), "split sums to 1.0050"),
        (100, (SplitPart("a", 50), SplitPart("a", 50)), "bucket 'a' appears twice"),
        (100, (SplitPart("a", 50), pct("a", 50)), "bucket 'a' appears twice"),
        (100, (SplitPart("a"),), "needs exactly one of an amount or a percentage"),
        (100, (SplitPart("a", 100, Ratio(1, 1)),), "needs exactly one"),
        (100, (SplitPart("a", -1), SplitPart("b", 101)), "bucket 'a' is negative"),
        (0, SEED, "amount must be positive"),
        (-5, SEED, "amount must be positive"),
        (100, (), "split is empty"),
    ],
)
def test_split_errors(amount: int, parts: tuple[SplitPart, ...], message: str) -> None:
    error = split_error(amount, parts)
    assert error is not None
    assert message in error
