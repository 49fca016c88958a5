"""Behaviour models of a simulation run (frozen, radCAD-style params).

A run is a sequence of days. Each day:

1. **arrivals** — new members join, a Poisson number with mean
   ``constant``: ``rate``; ``exponential``: ``rate * (1 + growth_rate) ** day``;
   ``logistic``: ``(rate + growth_rate * members) * (1 - members / capacity)``.
   From ``stop_day`` on (if set) nobody joins.
2. **panic** — when today's arrivals fall below ``panic_below`` × yesterday's
   (growth slows), every panic-type member sells all its points.
3. **reinvestment** (复投) — members queued yesterday after an exit order again.
4. each new member places its first order; then **repurchase**: a binomial
   number (``members``, ``repurchase``) of random members order again.

Orders pick a product by the ``mix`` weights. Each member gets a **selling
type** at joining, drawn by the shares ``hold`` / ``breakeven`` / ``multiple`` /
``panic``: hold never sells; break-even sells everything as soon as its cycle's
points are worth what it spent (price ≥ spent/points, 回本); multiple sells
everything at ``sell_multiple`` × that price; panic sells on panic days. A
member whose cycle closed (forced exit 出局 or selling everything) reinvests
the next day with probability ``reinvest``. The run ends after ``orders``
orders, when nothing can happen any more, or after ``days_max`` days.

Randomness comes only from ``seed`` (numba's generator inside the kernel), so
a run is reproducible; the exact and the approximate kernels draw the same
numbers as long as they take the same decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zengzhi.domain.money import AmountError, parse_ratio

GROWTH_MODELS = ("constant", "exponential", "logistic")
G_CONSTANT, G_EXPONENTIAL, G_LOGISTIC = range(3)
T_HOLD, T_BREAKEVEN, T_MULTIPLE, T_PANIC = range(4)
DAY_MS = 86_400_000


@dataclass(frozen=True, slots=True)
class Behaviour:
    orders: int = 100_000
    seed: int = 1
    growth: str = "constant"
    rate: float = 100.0
    growth_rate: float = 0.01
    capacity: int = 1_000_000
    stop_day: int | None = None
    mix: tuple[tuple[str, float], ...] = ()  # (product, weight); empty: every product alike
    repurchase: float = 0.0
    reinvest: float = 0.0
    hold: float = 1.0
    breakeven: float = 0.0
    multiple: float = 0.0
    panic: float = 0.0
    sell_multiple: str = "2"
    panic_below: float = 0.5
    days_max: int = 10_000_000
    extra: dict[str, str] = field(default_factory=dict)  # free-form labels echoed in the summary

    def problems(self) -> list[str]:
        """Why these parameters cannot run (empty when they can)."""
        found = []
        if self.orders < 0:
            found.append("orders must not be negative")
        if self.growth not in GROWTH_MODELS:
            found.append(f"growth must be one of {', '.join(GROWTH_MODELS)}")
        if self.rate < 0 or self.growth_rate < 0 or self.capacity < 1:
            found.append("rate and growth_rate must be >= 0, capacity >= 1")
        for name in ("repurchase", "reinvest"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                found.append(f"{name} must be a probability (0..1)")
        shares = (self.hold, self.breakeven, self.multiple, self.panic)
        if min(shares) < 0 or sum(shares) <= 0:
            found.append("the selling shares (hold, breakeven, multiple, panic) must be >= 0, not all 0")
        try:
            if parse_ratio(self.sell_multiple, "sell_multiple").num <= 0:
                found.append("sell_multiple must be positive")
        except AmountError as exc:
            found.append(str(exc))
        if any(w < 0 for _, w in self.mix) or (self.mix and sum(w for _, w in self.mix) <= 0):
            found.append("mix weights must be >= 0, not all 0")
        return found

    def type_cumulative(self) -> tuple[float, float, float]:
        """Cumulative shares of the first three selling types (the fourth takes the rest)."""
        total = self.hold + self.breakeven + self.multiple + self.panic
        a = self.hold / total
        b = a + self.breakeven / total
        return a, b, b + self.multiple / total
