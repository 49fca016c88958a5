"""money.py: exact parsing and formatting of cents, points and ratios."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zengzhi.domain.money import (
    AmountError,
    Ratio,
    floor_mul,
    format_cents,
    format_points,
    format_ratio,
    parse_cents,
    parse_points,
    parse_ratio,
    price_from_yuan,
    price_per_point,
)


@pytest.mark.parametrize(
    ("text", "cents"),
    [("1000.00", 100_000), ("0.01", 1), ("12.5", 1250), (" 7 ", 700), (7, 700),
     (Decimal("3.10"), 310), ("0", 0), ("-1.50", -150)],
)
def test_parse_cents(text: object, cents: int) -> None:
    assert parse_cents(text) == cents


@pytest.mark.parametrize(
    ("text", "units"),
    [("210.0000", 2_100_000), ("0.0001", 1), ("124.95", 1_249_500), (3, 30_000)],
)
def test_parse_points(text: object, units: int) -> None:
    assert parse_points(text) == units


@pytest.mark.parametrize("bad", [0.1, 1.0, float("nan"), True, None, [1], {"a": 1}])
def test_floats_and_other_types_are_refused(bad: object) -> None:
    with pytest.raises(AmountError, match="must be a string or an integer"):
        parse_cents(bad)
    with pytest.raises(AmountError):
        parse_points(bad)
    with pytest.raises(AmountError):
        parse_ratio(bad)


@pytest.mark.parametrize("text", ["0.001", "1000.005", "1e-3"])
def test_cents_with_more_than_two_places_are_refused(text: str) -> None:
    with pytest.raises(AmountError, match="more than 2 decimal places"):
        parse_cents(text, "price")


@pytest.mark.parametrize("text", ["0.00001", "210.00005"])
def test_points_with_more_than_four_places_are_refused(text: str) -> None:
    with pytest.raises(AmountError, match="more than 4 decimal places"):
        parse_points(text)


@pytest.mark.parametrize("text", ["abc", "", "1,000.00", "NaN", "Infinity", "-inf"])
def test_non_numbers_are_refused(text: str) -> None:
    with pytest.raises(AmountError):
        parse_cents(text)


def test_error_names_what_was_parsed() -> None:
    with pytest.raises(AmountError, match=r"^amount has more than 2 decimal places"):
        parse_cents("1.001", "amount")


@pytest.mark.parametrize(
    ("text", "ratio"),
    [("0.70", Ratio(7, 10)), ("70%", Ratio(7, 10)), (" 70 % ", Ratio(7, 10)),
     ("6/5", Ratio(6, 5)), ("1.2", Ratio(6, 5)), ("3", Ratio(3, 1)), (3, Ratio(3, 1)),
     ("33.3%", Ratio(333, 1000)), ("0", Ratio(0, 1)), ("2/4", Ratio(1, 2)),
     (Decimal("0.20"), Ratio(1, 5))],
)
def test_parse_ratio(text: object, ratio: Ratio) -> None:
    assert parse_ratio(text) == ratio


@pytest.mark.parametrize("text", ["1/0", "a/b", "1/2/3", "x%", "%", "abc"])
def test_bad_ratios_are_refused(text: str) -> None:
    with pytest.raises(AmountError, match="grant_ratio"):
        parse_ratio(text, "grant_ratio")


def test_ratio_fraction_round_trip() -> None:
    assert Ratio(6, 5).as_fraction() == Ratio.of(Ratio(12, 10).as_fraction()).as_fraction()
    assert Ratio.of(Ratio(12, 10).as_fraction()) == Ratio(6, 5)


@pytest.mark.parametrize(
    ("cents", "text"),
    [(0, "0.00"), (1, "0.01"), (100_000, "1000.00"), (-150, "-1.50"), (-1, "-0.01")],
)
def test_format_cents(cents: int, text: str) -> None:
    assert format_cents(cents) == text
    assert parse_cents(text) == cents


@pytest.mark.parametrize(
    ("units", "text"),
    [(0, "0.0000"), (1, "0.0001"), (2_100_000, "210.0000"), (666_400, "66.6400"),
     (-5, "-0.0005")],
)
def test_format_points(units: int, text: str) -> None:
    assert format_points(units) == text
    assert parse_points(text) == units


@pytest.mark.parametrize(
    ("ratio", "text"),
    [(Ratio(300, 210), "1.4286"), (Ratio(3000, 210), "14.2857"), (Ratio(1, 2), "0.5000"),
     (Ratio(5, 100_000), "0.0001"),  # half-up: 0.00005 -> 0.0001
     (Ratio(4, 100_000), "0.0000"), (Ratio(7, 1), "7.0000")],
)
def test_format_ratio_rounds_half_up(ratio: Ratio, text: str) -> None:
    assert format_ratio(ratio) == text


def test_format_ratio_places() -> None:
    assert format_ratio(Ratio(2, 3), places=2) == "0.67"


def test_price_units_round_trip() -> None:
    # 1.00 yuan per point = 100 cents per 10_000 units
    engine_price = price_from_yuan(Ratio(1, 1))
    assert engine_price.as_fraction() == Ratio(1, 100).as_fraction()
    assert price_per_point(engine_price) == Ratio(1, 1)
    # P = 300.00, N = 210.0000 -> 300/210 yuan per point
    assert price_per_point(Ratio(30_000, 2_100_000)).as_fraction() == Ratio(10, 7).as_fraction()


@pytest.mark.parametrize(
    ("amount", "ratio", "floored"),
    [(30_000, Ratio(7, 10), 21_000), (1, Ratio(7, 10), 0), (10, Ratio(1, 3), 3),
     (16_000, Ratio(7, 10), 11_200), (99, Ratio(1, 1), 99)],
)
def test_floor_mul(amount: int, ratio: Ratio, floored: int) -> None:
    assert floor_mul(amount, ratio) == floored
