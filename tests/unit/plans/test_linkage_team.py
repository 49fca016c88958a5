"""linkage_team.py: team bosses on deep chains stay cheap (handed-up links are skipped)."""

from __future__ import annotations

import time

from zengzhi.domain.plans.linkage_team import BOSS, Team
from zengzhi.domain.state import Member

CHAIN = 100_000


def chain_team(depth: int) -> tuple[Team, dict[str, Member]]:
    """T boss (recruits P1, P2, A); below A a chain where each agent is its sponsor's first recruit."""
    team = Team(boss_at=3, spillover=False)
    members: dict[str, Member] = {}

    def agent(member_id: str, sponsor: str | None) -> None:
        member = Member(member_id, sponsor, None, len(members))
        members[member_id] = member
        team.add_agent(member, members)

    agent("T", None)
    for name in ("P1", "P2", "A"):
        agent(name, "T")
    previous = "A"
    for i in range(depth):
        agent(f"n{i}", previous)
        previous = f"n{i}"
    return team, members


def test_hundred_thousand_deep_handed_up_chain_is_cheap() -> None:
    started = time.perf_counter()
    team, _ = chain_team(CHAIN)
    assert team.rank["T"] == BOSS
    # every chain member is its sponsor's first recruit (handed up), so all are in T's team
    assert team.team_boss(f"n{CHAIN - 1}") == "T"
    for i in range(0, CHAIN, 7):
        assert team.team_boss(f"n{i}") == "T"
    assert team.team_boss("A") == "T"
    assert time.perf_counter() - started < 20  # generous: 2 shared cores; typically ~1 s


def test_promotion_inside_the_chain_is_seen_below_it() -> None:
    team, members = chain_team(50)
    assert team.team_boss("n49") == "T"  # compresses every pointer to A

    def agent(member_id: str, sponsor: str) -> None:
        member = Member(member_id, sponsor, None, len(members))
        members[member_id] = member
        team.add_agent(member, members)

    # n10 gets three recruits: n11 (already its first), then two more -> boss at the 3rd
    agent("x1", "n10")
    agent("x2", "n10")
    assert team.rank["n10"] == BOSS
    assert team.team_boss("x2") == "n10"  # its third recruit: n10's own team
    assert team.team_boss("x1") == "T"  # second recruit: handed up
    assert team.team_boss("n49") == "T"  # n11 is n10's first recruit: handed up, still T's
