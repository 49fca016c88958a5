"""Operator-set ranks of a simulated run: dividend classes and regional agencies (任命).

Some plans pay only members an operator appointed: a class dividend (团队身份
分红: 董事, 联创, 合伙人 …) and the regional agents (区代 / 市代 / 省代, 卖地图).
Nothing in the behaviour model earns those ranks, so a plan-aware run appoints
**the first ``appoint`` members to join** (the founders and early insiders an
operator usually appoints), each right after its join:

* every class dividend plan: member ``i`` gets class ``i mod (number of classes)``,
  in the order the config lists them;
* every regional plan: member ``i`` holds the ``i``-th agency of ``AGENCIES``
  that the plan has a rate for (one holder per region and level).

Ranks that plans earn by rules (级差 volume ranks, 链动 agent/boss) are never set.
"""

from __future__ import annotations

from zengzhi.domain import events as ev
from zengzhi.domain.config import TenantConfig
from zengzhi.domain.plans.dividend import DividendSpec
from zengzhi.domain.plans.regional import RegionalSpec

#: the regions of ``recruit.REGIONS`` and the cities and provinces around them, top levels first
AGENCIES = (("province", "440000"), ("city", "440100"), ("district", "440106"), ("province", "310000"),
            ("city", "440300"), ("city", "310100"), ("district", "440104"), ("district", "440305"),
            ("district", "310104"))


class Appointer:
    """The ``set_rank`` events for each member at its join (row = join order, from 0)."""

    __slots__ = ("appoint", "classes", "agencies")

    def __init__(self, config: TenantConfig, appoint: int) -> None:
        self.appoint = appoint
        self.classes: list[tuple[str, tuple[str, ...]]] = []  # (plan, its classes)
        self.agencies: list[tuple[str, tuple[tuple[str, str], ...]]] = []  # (plan, its agencies)
        for spec in config.plans:
            if isinstance(spec, DividendSpec) and spec.by == "class":
                self.classes.append((spec.name, tuple(name for name, _ in spec.classes)))
            elif isinstance(spec, RegionalSpec):
                levels = {level for level, _ in spec.rates}
                self.agencies.append((spec.name, tuple(a for a in AGENCIES if a[0] in levels)))

    def ranks(self, row: int, member: str) -> list[ev.SetRank]:
        if row >= self.appoint:
            return []
        out = [ev.SetRank(member, classes[row % len(classes)], plan)
               for plan, classes in self.classes if classes]
        out += [ev.SetRank(member, agencies[row][0], plan, agencies[row][1])
                for plan, agencies in self.agencies if row < len(agencies)]
        return out
