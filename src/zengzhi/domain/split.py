"""Product split (拨比): an order amount divided into named buckets.

A part is a fixed amount of cents or a percentage of the amount. Percent parts
are floored and the cents lost to flooring go, one each, to the percent parts
with the largest remainders (ties: the part listed first), so the buckets sum
to the amount exactly. A split whose parts cannot sum to the amount is an
error, never silently patched.
"""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

from zengzhi.domain.money import Ratio, format_cents, format_ratio

POOL_BUCKET = "pool"


class SplitPart(NamedTuple):
    bucket: str
    fixed_cents: int | None = None
    percent: Ratio | None = None  # a fraction of the amount, 0.30 for 30%


Allocation = tuple[tuple[str, int], ...]


def split_error(amount_cents: int, parts: tuple[SplitPart, ...]) -> str | None:
    """Why ``parts`` cannot split ``amount_cents`` exactly, or ``None``."""
    if amount_cents <= 0:
        return "amount must be positive"
    if not parts:
        return "split is empty"
    seen: set[str] = set()
    total = Fraction(0)
    for part in parts:
        if part.bucket in seen:
            return f"bucket {part.bucket!r} appears twice"
        seen.add(part.bucket)
        if (part.fixed_cents is None) == (part.percent is None):
            return f"bucket {part.bucket!r} needs exactly one of an amount or a percentage"
        if part.fixed_cents is not None:
            if part.fixed_cents < 0:
                return f"bucket {part.bucket!r} is negative"
            total += part.fixed_cents
        else:
            assert part.percent is not None
            total += Fraction(part.percent.num * amount_cents, part.percent.den)
    if total != amount_cents:
        shown = (format_cents(int(total)) if total.denominator == 1
                 else format_ratio(Ratio(total.numerator, total.denominator * 100), 4))
        return f"split sums to {shown}, not the price {format_cents(amount_cents)}"
    return None


def allocate(amount_cents: int, parts: tuple[SplitPart, ...]) -> Allocation:
    """Allocate an amount to buckets; ``split_error`` must have returned ``None``."""
    floors: list[int] = []
    remainders: list[tuple[Fraction, int]] = []  # (-remainder, index): largest first
    for i, part in enumerate(parts):
        if part.fixed_cents is not None:
            floors.append(part.fixed_cents)
            continue
        assert part.percent is not None
        whole, rem = divmod(part.percent.num * amount_cents, part.percent.den)
        floors.append(whole)
        remainders.append((-Fraction(rem, part.percent.den), i))
    short = amount_cents - sum(floors)
    assert 0 <= short <= len(remainders), "split_error must be checked first"
    for _, i in sorted(remainders)[:short]:
        floors[i] += 1
    return tuple((part.bucket, floors[i]) for i, part in enumerate(parts))
