"""The event stream of a plan-aware run: a behaviour run's events, plus what the plans need.

The exact kernel records joins, orders and sales. For the reward plans this
adds, in order and seeded:

* a sponsor (推荐人) for every join, drawn by the recruiting model
  (``zengzhi.sim.recruit``), and a region when the config has a regional plan;
* right after a join, the operator-set ranks of the first members
  (``zengzhi.sim.appoint``);
* every ``period_days`` simulated days a ``close_period`` (when a dividend plan
  exists: 分红结算) and a ``tick`` (time-driven rules: 帮扶基金 release, 点位轮值),
  at the first moment of the new period; one more of each at the end of the
  run, so the last, partial period is closed as well.

Orders and sales are passed on unchanged, so the pool sees exactly the
kernel's stream.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from zengzhi.domain import events as ev
from zengzhi.domain.config import TenantConfig
from zengzhi.domain.plans.dividend import DividendSpec
from zengzhi.domain.plans.regional import RegionalSpec
from zengzhi.sim.appoint import Appointer
from zengzhi.sim.params import DAY_MS
from zengzhi.sim.recruit import RECRUIT_MODELS, Recruiter, Regions

Timed = tuple[ev.Event, int]


@dataclass(frozen=True, slots=True)
class PlanOptions:
    """How a plan-aware run fills in what the behaviour model does not decide."""

    recruit: str = "uniform"  # see recruit.RECRUIT_MODELS
    period_days: int = 7  # close_period + tick every this many simulated days
    appoint: int = 10  # the first members to join get the operator-set ranks

    def problems(self) -> list[str]:
        found = []
        if self.recruit not in RECRUIT_MODELS:
            found.append(f"recruit must be one of {', '.join(RECRUIT_MODELS)}")
        if self.period_days < 1:
            found.append("period_days must be at least 1")
        if self.appoint < 0:
            found.append("appoint must not be negative")
        return found


class _Stream:
    def __init__(self, config: TenantConfig, options: PlanOptions, seed: int) -> None:
        self.recruiter = Recruiter(options.recruit, seed)
        self.regions = Regions(seed) if any(isinstance(p, RegionalSpec) for p in config.plans) else None
        self.appointer = Appointer(config, options.appoint)
        self.closes = any(isinstance(p, DividendSpec) for p in config.plans)
        self.period_days = options.period_days
        self.next_day = options.period_days  # the first day of the next period
        self.rows: list[str] = []  # join order -> member id

    def period_end(self, at_ms: int) -> list[Timed]:
        out: list[Timed] = [(ev.ClosePeriod(), at_ms)] if self.closes else []
        return [*out, (ev.Tick(), at_ms)]

    def before(self, at_ms: int) -> list[Timed]:
        """The period ends passed before an event at ``at_ms``."""
        out: list[Timed] = []
        while self.next_day * DAY_MS <= at_ms:
            out += self.period_end(self.next_day * DAY_MS)
            self.next_day += self.period_days
        return out

    def join(self, event: ev.Join, at_ms: int) -> list[Timed]:
        sponsor = self.recruiter.sponsor()
        region = self.regions.region() if self.regions is not None else None
        row = len(self.rows)
        self.rows.append(event.member)
        joined = ev.Join(event.member, None if sponsor is None else self.rows[sponsor], region)
        return [(joined, at_ms), *((rank, at_ms) for rank in self.appointer.ranks(row, event.member))]


def plan_events(config: TenantConfig, events: Iterable[Timed], options: PlanOptions, seed: int,
                end_ms: int) -> Iterator[Timed]:
    """``events`` (a behaviour run's joins, orders, sales) with sponsors, ranks and period events."""
    stream = _Stream(config, options, seed)
    for event, at_ms in events:
        yield from stream.before(at_ms)
        if isinstance(event, ev.Join):
            yield from stream.join(event, at_ms)
        else:
            yield event, at_ms
    yield from stream.period_end(max(end_ms, (stream.next_day - stream.period_days) * DAY_MS))
