"""Exact money, points and ratio arithmetic.

Owns the units every other module uses:

* money is an ``int`` of cents (分);
* points are an ``int`` of 0.0001 point units (``POINT_UNITS`` per point);
* a price is an exact ``Ratio`` of cents per point unit, never a rounded number;
* a rate (grant ratio, retention, exit multiple) is an exact ``Ratio``.

Invariant: nothing here produces or accepts a ``float``. Rounding is always
down (toward the pool), done by integer floor division.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import NamedTuple

CENTS_PER_YUAN = 100
POINT_UNITS = 10_000  # 1 point = 10_000 units of 0.0001


class Ratio(NamedTuple):
    """An exact non-negative fraction ``num / den`` with ``den > 0``."""

    num: int
    den: int

    @staticmethod
    def of(value: Fraction) -> Ratio:
        return Ratio(value.numerator, value.denominator)

    def as_fraction(self) -> Fraction:
        return Fraction(self.num, self.den)


ZERO_RATIO = Ratio(0, 1)
ONE = Ratio(1, 1)


class AmountError(ValueError):
    """A textual amount that is not an exact number of the required precision."""


def _decimal(text: object, what: str) -> Decimal:
    if isinstance(text, bool) or not isinstance(text, (str, int, Decimal)):
        # floats are refused on purpose: 0.1 + 0.2 is not money.
        raise AmountError(f"{what} must be a string or an integer, not {type(text).__name__}")
    try:
        value = Decimal(text.strip() if isinstance(text, str) else text)
    except InvalidOperation:
        raise AmountError(f"{what} is not a number: {text!r}") from None
    if not value.is_finite():
        raise AmountError(f"{what} is not a finite number: {text!r}")
    return value


def _scaled(text: object, scale: int, places: int, what: str) -> int:
    value = _decimal(text, what) * scale
    if value != value.to_integral_value():
        raise AmountError(f"{what} has more than {places} decimal places: {text!r}")
    return int(value)


def parse_cents(text: object, what: str = "amount") -> int:
    """Parse ``"1000.00"`` (or an int of yuan) into cents; more than 2 dp is an error."""
    return _scaled(text, CENTS_PER_YUAN, 2, what)


def parse_points(text: object, what: str = "points") -> int:
    """Parse ``"210.0000"`` into 0.0001 units; more than 4 dp is an error."""
    return _scaled(text, POINT_UNITS, 4, what)


def parse_ratio(text: object, what: str = "ratio") -> Ratio:
    """Parse ``"0.70"``, ``"70%"`` or ``"6/5"`` into an exact ``Ratio``."""
    if isinstance(text, str) and text.strip().endswith("%"):
        return Ratio.of(Fraction(_decimal(text.strip()[:-1], what)) / 100)
    if isinstance(text, str) and "/" in text:
        try:
            return Ratio.of(Fraction(text.strip()))
        except (ValueError, ZeroDivisionError):
            raise AmountError(f"{what} is not a fraction: {text!r}") from None
    return Ratio.of(Fraction(_decimal(text, what)))


#: texts of amounts already shown: payout memos repeat the same few amounts (100.00, 5.00 …)
_CENTS_TEXT: dict[int, str] = {}
_CENTS_TEXT_MAX = 1 << 16


def format_cents(cents: int) -> str:
    """``123456`` -> ``"1234.56"`` (exact, sign kept)."""
    text = _CENTS_TEXT.get(cents)
    if text is None:
        sign = "-" if cents < 0 else ""
        whole, frac = divmod(abs(cents), CENTS_PER_YUAN)
        text = f"{sign}{whole}.{frac:02d}"
        if len(_CENTS_TEXT) < _CENTS_TEXT_MAX:  # bounded: a pure function's memo, never evicted
            _CENTS_TEXT[cents] = text
    return text


def format_points(units: int) -> str:
    """``2100000`` -> ``"210.0000"`` (exact, sign kept)."""
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(units), POINT_UNITS)
    return f"{sign}{whole}.{frac:04d}"


def format_ratio(value: Ratio, places: int = 4) -> str:
    """Show a ratio rounded half-up to ``places`` decimals (display only)."""
    scale = 10**places
    rounded = (2 * value.num * scale + value.den) // (2 * value.den)
    whole, frac = divmod(rounded, scale)
    return f"{whole}.{frac:0{places}d}"


def price_per_point(price: Ratio) -> Ratio:
    """A price in cents per point unit as yuan per point (for display)."""
    return Ratio.of(Fraction(price.num * POINT_UNITS, price.den * CENTS_PER_YUAN))


def price_from_yuan(price: Ratio) -> Ratio:
    """Yuan per point (config) -> cents per point unit (engine)."""
    return Ratio.of(Fraction(price.num * CENTS_PER_YUAN, price.den * POINT_UNITS))


def floor_mul(amount: int, ratio: Ratio) -> int:
    """``floor(amount * ratio)`` exactly."""
    return amount * ratio.num // ratio.den
