"""One red flag of the audit, and the display helpers the checks share."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from zengzhi.audit.laws import Law
from zengzhi.domain.config import TenantConfig
from zengzhi.domain.money import Ratio, format_cents, format_ratio

Severity = Literal["high", "medium", "info"]
SEVERITIES: tuple[Severity, ...] = ("high", "medium", "info")
MAX_LEVELS = 3  # 层级在三级以上: the 2013 Opinions' threshold


@dataclass(frozen=True, slots=True)
class Finding:
    """``code``: ``<check>.<what>``; ``path``: the config field (``plans[1].awards``)."""

    code: str
    severity: Severity
    path: str
    zh: str
    en: str
    law: Law

    @property
    def check(self) -> str:
        return self.code.split(".", 1)[0]

    def message(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def to_json(self, lang: str) -> dict[str, str]:
        return {"code": self.code, "check": self.check, "severity": self.severity, "path": self.path,
                "message": self.message(lang), "rule": self.law.cite(lang), "rule_short": self.law.short(lang),
                "rule_key": self.law.key}


def number(value: Fraction) -> str:
    """``Fraction(5, 2)`` -> ``"2.5"``; up to two decimals, rounded half up (display only)."""
    return format_ratio(Ratio.of(value), 2).rstrip("0").rstrip(".")


def percent(rate: Ratio | Fraction) -> str:
    """``Ratio(1, 10)`` -> ``"10%"``."""
    value = Fraction(*rate) if isinstance(rate, Ratio) else rate
    return f"{number(value * 100)}%"


def price_of(config: TenantConfig, product: str) -> str:
    """``pack1000 (1000.00)``, or the bare name when the config has no such product."""
    item = config.products.get(product)
    return f"{product} ({format_cents(item.price_cents)})" if item is not None else product
