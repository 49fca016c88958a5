"""Field parsers shared by the tenant config and the reward plans' configs.

Every error is a ``ConfigError`` naming the dotted field path and the reason,
so a bad YAML value is reported as ``plans[2].rates[0]: must be ...``.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from zengzhi.domain.money import AmountError, Ratio, parse_cents, parse_ratio


class ConfigError(ValueError):
    """An invalid config value; ``field`` is its dotted path."""

    def __init__(self, field_path: str, reason: str) -> None:
        super().__init__(f"{field_path}: {reason}")
        self.field = field_path
        self.reason = reason


def no_unknown(data: Mapping[str, object], path: str, known: set[str]) -> None:
    for key in data:
        if key not in known:
            raise ConfigError(f"{path}.{key}", f"unknown field (known: {', '.join(sorted(known))})")


def mapping(data: object, path: str) -> Mapping[str, object]:
    if not isinstance(data, Mapping):
        raise ConfigError(path, "must be a mapping")
    return data


def ratio(value: object, path: str) -> Ratio:
    """``"0.10"``, ``"10%"`` or ``"1/3"`` -> an exact ratio (never a float)."""
    try:
        return parse_ratio(value, path)
    except AmountError as exc:
        raise ConfigError(path, str(exc)) from None


def unit_ratio(value: object, path: str) -> Ratio:
    """A ratio between 0 and 1 inclusive (a rate or a share)."""
    got = ratio(value, path)
    if not 0 <= got.num <= got.den:
        raise ConfigError(path, f"must be between 0 and 1, got {Fraction(*got)}")
    return got


def cents(value: object, path: str) -> int:
    """A non-negative amount in yuan (string or integer) -> cents."""
    try:
        got = parse_cents(value, path)
    except AmountError as exc:
        raise ConfigError(path, str(exc)) from None
    if got < 0:
        raise ConfigError(path, "must not be negative")
    return got


def text(value: object, path: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)) or str(value) == "":
        raise ConfigError(path, "must be a non-empty string")
    return str(value)


def integer(value: object, path: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(path, f"must be an integer >= {minimum}")
    return value


def boolean(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(path, "must be true or false")
    return value


def text_list(value: object, path: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ConfigError(path, "must be a list of names")
    return tuple(text(item, f"{path}[{i}]") for i, item in enumerate(value))
