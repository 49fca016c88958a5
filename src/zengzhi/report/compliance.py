"""The "compliance red flags" section (合规风险提示): the audit of the report's own config.

Runs ``zengzhi.audit.audit`` on the config the report ran (a scenario's
``config:``) and its raw mapping, so the wording check sees the same names.
The findings' texts and citations are the audit's own; this module only
groups them for the page. Like the audit, it reports and never blocks.
"""

from __future__ import annotations

from dataclasses import dataclass

from zengzhi.audit import Finding, Law, Severity, audit, counts, red_flags
from zengzhi.domain.config import TenantConfig


@dataclass(frozen=True, slots=True)
class ComplianceSection:
    findings: list[Finding]  # the audit's order: check by check, each in config order
    counts: dict[Severity, int]
    laws: list[Law]  # the rules the findings relate to, each once, in first-mention order

    @property
    def red_flags(self) -> bool:
        """Anything ``high`` or ``medium``; ``info`` lines are context, not flags."""
        return bool(red_flags(self.findings))


def compliance_section(config: TenantConfig, raw: object = None) -> ComplianceSection:
    findings = audit(config, raw)
    laws = list({f.law.key: f.law for f in findings}.values())  # dicts keep first-insertion order
    return ComplianceSection(findings, counts(findings), laws)
