"""The "plan payouts by rank" section (按等级的奖励计划支出), from the replayed run's plan postings.

Per plan (config order) and rank: members, what the plan paid them, the mean
per member and the share of the plan's payouts (``zengzhi.sim.plan_payouts``:
paid = plan money that reached a member's cash or frozen account). Then the
share of all plan payouts that went to the top 1 % and 10 % of members, ranked
by what the plans paid them. Money is exact cents; shares are display floats.
Computed before the stress test, which changes the state.
"""

from __future__ import annotations

from dataclasses import dataclass

from zengzhi.report.collect import Collected
from zengzhi.sim.plan_payouts import RankRow, rank_rows, top_shares


@dataclass(frozen=True, slots=True)
class PlanSection:
    rows: list[RankRow]
    paid_cents: int  # all plans, to members
    residual_cents: int  # plan bucket money no plan paid (plan.residual)
    members_paid: int
    members_total: int
    top_1pct_share: float
    top_10pct_share: float


def plan_section(run: Collected) -> PlanSection | None:
    """``None`` when the config has no reward plans."""
    state, tally = run.state, run.plans
    if not state.plans:
        return None
    per_member = tally.per_member()
    members_total = len(state.members)
    shares = top_shares(per_member, members_total)
    return PlanSection(rank_rows(state, tally), tally.total_paid(), tally.residual_cents,
                       sum(1 for cents in per_member.values() if cents), members_total,
                       shares["top_1pct"], shares["top_10pct"])
