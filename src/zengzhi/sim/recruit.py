"""Recruiting models: who sponsors (推荐人) each new member of a simulated run.

The behaviour kernels know nothing of sponsors: a plan-aware run gives each
recorded join a sponsor drawn here, seeded, in join order, always an earlier
member (the domain refuses anything else):

* ``uniform`` — a uniformly random earlier member (a random recursive tree,
  depth about ``ln n``);
* ``preferential`` — an earlier member with probability proportional to
  ``1 + recruits`` (Barabási–Albert-like: those who recruited recruit more);
* ``chain`` — the member who joined just before (one line, depth ``n − 1``).

The first member has no sponsor. Regions (for regional plans) come from a
small fixed list of GB/T 2260 district codes, drawn by a second generator so
that sponsors do not depend on whether the config has a regional plan.
"""

from __future__ import annotations

import random

RECRUIT_MODELS = ("uniform", "preferential", "chain")
#: districts of two cities in two provinces: 天河, 越秀 (广州 440100), 南山 (深圳 440300), 徐汇 (上海 310100)
REGIONS = ("440106", "440104", "440305", "310104")


class Recruiter:
    """Draws the sponsor row of each new member, in join order (rows 0, 1, 2 …)."""

    __slots__ = ("model", "joined", "rng", "tickets")

    def __init__(self, model: str, seed: int) -> None:
        if model not in RECRUIT_MODELS:
            raise ValueError(f"recruit must be one of {', '.join(RECRUIT_MODELS)}")
        self.model = model
        self.joined = 0
        self.rng = random.Random(seed)
        # preferential: row r appears 1 + (its recruits) times, so a uniform ticket is a weighted member
        self.tickets: list[int] = []

    def sponsor(self) -> int | None:
        """The sponsor row of the next member to join (``None`` for the first)."""
        row = self.joined
        self.joined += 1
        if row == 0:
            chosen = None
        elif self.model == "chain":
            chosen = row - 1
        elif self.model == "uniform":
            chosen = self.rng.randrange(row)
        else:
            chosen = self.tickets[self.rng.randrange(len(self.tickets))]
        if self.model == "preferential":
            self.tickets.append(row)
            if chosen is not None:
                self.tickets.append(chosen)
        return chosen


class Regions:
    """Draws each new member's region from ``REGIONS`` (uniform, seeded apart from the sponsors)."""

    __slots__ = ("rng",)

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"regions/{seed}")

    def region(self) -> str:
        return REGIONS[self.rng.randrange(len(REGIONS))]
