"""Every plan type zengzhi knows, registered in code (no dynamic imports).

``parse_plan`` reads the common fields (``type``, ``name``, ``bucket``) and
hands the mapping to the parser of its type, which returns a ``PlanSpec``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from zengzhi.domain.config_fields import ConfigError, mapping
from zengzhi.domain.plans import differential, dividend, help_fund, linkage, quota, refer_three, referral, regional
from zengzhi.domain.plans.spec import PlanSpec

Parser = Callable[[Mapping[str, object], str], PlanSpec]

PARSERS: dict[str, Parser] = {
    "linkage": linkage.parse,
    "help_fund": help_fund.parse,
    "referral": referral.parse,
    "regional": regional.parse,
    "refer_three": refer_three.parse,
    "dividend": dividend.parse,
    "quota": quota.parse,
    "differential": differential.parse,
}


def parse_plan(data: object, path: str) -> PlanSpec:
    plan = mapping(data, path)
    kind = plan.get("type")
    if not isinstance(kind, str) or kind not in PARSERS:
        raise ConfigError(f"{path}.type", f"unknown plan type {kind!r} (known: {', '.join(sorted(PARSERS))})")
    return PARSERS[kind](plan, path)
