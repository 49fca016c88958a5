"""Compliance audit (合规体检): red flags of a tenant config, each with the rule it relates to.

``audit(config, raw, texts)`` inspects the parsed config (its pool and
plans), the raw loaded mapping (for wording) and marketing texts; it reports
and never blocks. Uses only the domain: the caller loads the files. Not legal
advice — a finding says a config resembles what a rule describes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from zengzhi.audit import chain_depth, entry_fee, recruitment, static_returns, team_pay, wording
from zengzhi.audit.finding import SEVERITIES, Finding, Severity
from zengzhi.audit.laws import Law
from zengzhi.domain.config import TenantConfig

__all__ = ["CHECKS", "Finding", "Law", "Severity", "audit", "counts", "red_flags"]

# report order: the checks as the issue lists them
CHECKS = ("chain_depth", "recruitment", "entry_fee", "team_pay", "static_returns", "wording")


def audit(config: TenantConfig, raw: object = None, texts: Mapping[str, str] | None = None) -> list[Finding]:
    """Every finding, check by check in ``CHECKS`` order, each in config order."""
    return [
        *chain_depth.check(config),
        *recruitment.check(config),
        *entry_fee.check(config),
        *team_pay.check(config),
        *static_returns.check(config),
        *wording.check(raw, texts or {}),
    ]


def counts(findings: Sequence[Finding]) -> dict[Severity, int]:
    return {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}


def red_flags(findings: Sequence[Finding]) -> list[Finding]:
    """The findings that are not just information."""
    return [f for f in findings if f.severity != "info"]
