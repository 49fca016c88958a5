"""Property: random sponsor trees and random pack / tea orders under 链动 (+ help fund).

For every settled order: the linkage bucket pays out at most 330 and
bucket = payouts + residual (the bucket account is back at zero). After every
event: the memoized team boss equals the naive recursive definition, the
placement is the member's, and a spilled recruit sits under the earliest leaf
of the right line (a naive scan). A refunded order never touches plan state.
"""

from __future__ import annotations

from typing import Any

from hypothesis import event as tally
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import snapshot
from tests.unit.plans.test_help_fund import FUND
from tests.unit.plans.test_linkage import config
from zengzhi.domain.config import parse_tenant_config
from zengzhi.domain.events import Event, Join, PayOrder, RefundOrder, SettleOrder, Tick
from zengzhi.domain.machine import apply
from zengzhi.domain.plans.linkage import DAY_MS, Linkage
from zengzhi.domain.plans.linkage_team import BOSS, LINES, Team
from zengzhi.domain.state import State

BUCKET_CENTS = 33_000


def naive_team_boss(team: Team, member: str) -> str | None:
    """plans.md's definition over placement, without any memo."""
    while True:
        parent = team.parent[member]
        if parent is None:
            return None
        if team.rank[parent] == BOSS and member not in team.lines[parent][:2]:
            return parent
        member = parent


def naive_earliest_leaf(team: Team, heads: list[str], new: str) -> str:
    """The earliest leaf of the lines ``heads`` in the tree as it was before ``new`` was placed."""
    children: dict[str, list[str]] = {}
    for member, parent in team.parent.items():
        if parent is not None and member != new:
            children.setdefault(parent, []).append(member)
    leaves: list[str] = []
    stack = list(heads)
    while stack:
        node = stack.pop()
        below = children.get(node, [])
        if not below:
            leaves.append(node)
        stack.extend(below)
    return min(leaves, key=lambda m: team.seq[m])


def check_new_agent(state: State, team: Team, member: str, before: set[str], spillover: bool) -> None:
    sponsor = state.members[member].sponsor
    placement = team.parent[member]
    if sponsor is None or sponsor not in before:
        return  # nobody's recruit
    number = team.recruits[sponsor]
    if not spillover or number <= LINES:
        assert placement == sponsor
        return
    lines = team.lines[sponsor]
    wealth = (LINES - 1 + team.rotation) % LINES
    if (number - LINES - 1) % LINES < 2:
        heads = [lines[wealth]]
    else:
        heads = [lines[i] for i in range(LINES) if i != wealth]
    assert placement == naive_earliest_leaf(team, heads, member)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[dict[str, Any], list[Event], list[int]]:
    boss_at = draw(st.sampled_from([2, 3, 3]))
    plan: dict[str, Any] = {"boss_at": boss_at}
    if boss_at == 3 and draw(st.sampled_from([True, True, False])):
        plan["spillover"] = True
        if draw(st.booleans()):
            plan["rotation_days"] = 1
    data = config(**plan)
    if draw(st.booleans()):
        data["plans"].append(dict(FUND, release={"team_orders_more_than": draw(st.integers(0, 4))}))
    size = draw(st.integers(1, 24))
    events: list[Event] = []
    for i in range(size):
        # sponsors concentrate on the first few members, so recruits pass the third (三三滑落)
        top = draw(st.sampled_from([i - 1, min(i - 1, 1), 0, 0])) if i else 0
        sponsor = None if i == 0 or draw(st.integers(0, 9)) == 0 else f"m{draw(st.integers(0, top))}"
        events.append(Join(f"m{i}", sponsor=sponsor))
    orders = 0
    if draw(st.booleans()):  # most members become agents early: deep teams, spillover, promotions
        for i in draw(st.lists(st.integers(0, size - 1), unique=True, min_size=size // 2)):
            events.append(PayOrder(f"o{orders}", f"m{i}", "pack1000"))
            orders += 1
    for _ in range(draw(st.integers(1, 45))):
        kind = draw(st.sampled_from(["pack", "pack", "pack", "tea", "unsettled", "settle", "refund", "tick"]))
        member = f"m{draw(st.integers(0, size - 1))}"
        if kind in ("pack", "tea", "unsettled"):
            product = "tea" if kind == "tea" else "pack1000"
            events.append(PayOrder(f"o{orders}", member, product, settle=kind != "unsettled"))
            orders += 1
        elif kind in ("settle", "refund") and orders:
            order_id = f"o{draw(st.integers(0, orders - 1))}"
            events.append(SettleOrder(order_id) if kind == "settle" else RefundOrder(order_id))
        elif kind == "tick":
            events.append(Tick())
    times = sorted(draw(st.lists(st.integers(0, 5 * DAY_MS), min_size=len(events), max_size=len(events))))
    return data, events, times


@settings(deadline=None)
@given(scenarios())
def test_bucket_and_team_boss_invariants(scenario: tuple[dict[str, Any], list[Event], list[int]]) -> None:
    data, events, times = scenario
    state = State(parse_tenant_config(data))
    linkage = state.plans[0]
    assert isinstance(linkage, Linkage)
    team = linkage.team
    spillover = linkage.spec.spillover
    for event, at_ms in zip(events, times, strict=True):
        before_agents = set(team.rank)
        plans_before = snapshot(state)["plans"] if isinstance(event, RefundOrder) else None
        outcome = apply(state, event, at_ms)
        if outcome.rejection is not None:
            continue
        if plans_before is not None:
            assert snapshot(state)["plans"] == plans_before  # a refund never reaches the plans
        from_bucket = [p for p in outcome.postings if p.from_account == "linkage"]
        if from_bucket:
            assert sum(p.amount for p in from_bucket) == BUCKET_CENTS
            payouts = sum(p.amount for p in from_bucket if p.rule != "plan.residual")
            assert payouts <= BUCKET_CENTS
        assert state.ledger.balance("linkage") == 0
        for member in set(team.rank) - before_agents:
            check_new_agent(state, team, member, before_agents, spillover)
            if team.recruits.get(state.members[member].sponsor or "", 0) > LINES:
                tally(f"spilled (spillover={spillover})")
        for member in team.rank:
            assert team.team_boss(member) == naive_team_boss(team, member)
            assert state.members[member].placement == team.parent[member]
