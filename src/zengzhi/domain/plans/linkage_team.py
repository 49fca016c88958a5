"""链动 team structure: positions (点位), ranks, placement (安置/滑落) and team bosses.

Only agents hold a position: a member enters the placement tree when its
first qualifying pack settles (it becomes an agent, 代理). Fans (plain
members who never bought a pack) have no position and are never placed.

* **Recruits** of an agent are its direct recruits (sponsored members) that
  became agents while it was an agent, counted in the order they became
  agents. Recruits 1 and 2 (B1, B2) are *handed up* (交给上级): their link to
  the recruiter never makes the recruiter their team boss. Recruit
  ``boss_at`` promotes the recruiter to boss (老板) before that order pays.
* **Placement.** Recruits are placed under the recruiter, except under
  三三滑落 (spillover, 3+1 only) where recruits 4, 5 go to the weakest position
  of the wealth line (财富线) and 6 to the weakest position of the two
  contribution lines (贡献线), repeating. The three lines are the subtrees of
  recruits 1, 2, 3; the wealth line is recruit 3's until a rotation (点位轮值)
  moves the role (``rotation``: line ``(2 + rotation) % 3``). The weakest
  position is the earliest (smallest join_seq) leaf of the line: a leaf has no
  team members, so it is always among the positions with the fewest.
* A new agent whose sponsor is a fan is nobody's recruit; it is placed under
  the nearest agent up its sponsor chain (a root position when there is none).

``team_boss(m)``: with ``p`` m's placement parent, ``p`` if p is a boss and m
is not handed up to p, else ``team_boss(p)``; None above a root.

Cost. Handed-up links never change, so a union-find (path compression) skips
chains of them in amortized O(log n). What remains is a walk over *pending*
links — a position placed under a non-boss agent that is not one of its first
two recruits (a spilled position, or one placed past fans) — one step each,
since such a link settles when that agent is promoted. Every answer is memoized
for every position the walk passed, stamped with an epoch; the epoch turns only
when a promotion settles a pending link (the promoted agent already had a child
that was not handed up to it) — new positions and other promotions change no
existing answer. So between such promotions a query is O(1) after the first
walk, and a walk stops at the first memoized position. The walk over fans when
a new agent's sponsor is a fan happens once per agent.
"""

from __future__ import annotations

from collections.abc import Mapping

from zengzhi.domain.state import Member
from zengzhi.domain.trees import SubtreeIndex

FAN, AGENT, BOSS = 0, 1, 2
RANK_NAMES = ("member", "agent", "boss")
HANDED_UP = 2  # recruits 1 and 2 (B1, B2) go to the recruiter's upline team
LINES = 3  # 三三滑落: at most three direct lines


class Joined:
    """What making a member an agent did (for memos and tests)."""

    __slots__ = ("recruiter", "recruit_no", "placement", "promoted")

    def __init__(self, recruiter: str | None, recruit_no: int, placement: str | None, promoted: bool) -> None:
        self.recruiter = recruiter  # the sponsor when it is an agent, else None
        self.recruit_no = recruit_no  # 1-based among the recruiter's recruits; 0: nobody's recruit
        self.placement = placement
        self.promoted = promoted  # the recruiter became a boss with this recruit


class Team:
    """The positions of one linkage plan (one per tenant state)."""

    def __init__(self, boss_at: int, spillover: bool) -> None:
        self.boss_at = boss_at
        self.spillover = spillover
        self.rank: dict[str, int] = {}  # positions only: AGENT or BOSS
        self.parent: dict[str, str | None] = {}  # placement parent (a position) or None
        self.seq: dict[str, int] = {}  # member -> join_seq (tree node id)
        self.by_seq: dict[int, str] = {}
        self.recruits: dict[str, int] = {}  # number of recruits
        self.lines: dict[str, list[str]] = {}  # recruits 1..3: the heads of the three lines
        self.rotation = 0  # 点位轮值 count: the wealth line is lines[(2 + rotation) % 3]
        self.tree = SubtreeIndex()  # the placement tree; weight: settled orders of the position
        self.children: dict[str, int] = {}  # placement children per position
        self._up: dict[str, str] = {}  # union-find over handed-up links (x -> an ancestor)
        # team boss answers of the current epoch; the epoch turns when a pending link settles
        self._memo: dict[str, tuple[int, str | None]] = {}
        self._epoch = 0

    def rank_of(self, member_id: str) -> int:
        return self.rank.get(member_id, FAN)

    def add_agent(self, member: Member, members: Mapping[str, Member]) -> Joined:
        """Make a fan an agent: count it as a recruit, promote, place it. Call before paying."""
        member_id = member.member_id
        assert member_id not in self.rank, member_id
        sponsor = member.sponsor
        if sponsor is not None and sponsor in self.rank:
            number = self.recruits[sponsor] + 1
            self.recruits[sponsor] = number
            placement: str | None = self._placement(sponsor, number)
            if number <= LINES:
                self.lines[sponsor].append(member_id)
            promoted = number == self.boss_at
            if promoted:
                if self.children[sponsor] > min(number - 1, HANDED_UP):
                    self._epoch += 1  # a child that was not handed up now has the sponsor as its boss
                self.rank[sponsor] = BOSS  # before the order pays (plans.md)
            joined = Joined(sponsor, number, placement, promoted)
        else:
            joined = Joined(None, 0, self._nearest_agent(sponsor, members), False)
        self._insert(member, joined)
        return joined

    def _insert(self, member: Member, joined: Joined) -> None:
        member_id = member.member_id
        placement = joined.placement
        self.rank[member_id] = AGENT
        self.parent[member_id] = placement
        self.seq[member_id] = member.join_seq
        self.by_seq[member.join_seq] = member_id
        self.recruits[member_id] = 0
        self.children[member_id] = 0
        if placement is not None:
            self.children[placement] += 1
        self.lines[member_id] = []
        handed = 1 <= joined.recruit_no <= HANDED_UP
        assert not handed or placement == joined.recruiter  # B1, B2 always sit under the recruiter
        self._up[member_id] = placement if handed and placement is not None else member_id
        self.tree.add_node(member.join_seq, None if placement is None else self.seq[placement])
        member.placement = placement

    def _placement(self, recruiter: str, number: int) -> str:
        """Where recruit ``number`` of ``recruiter`` sits (三三滑落 from the 4th on)."""
        if not self.spillover or number <= LINES:
            return recruiter
        lines = self.lines[recruiter]
        wealth = (LINES - 1 + self.rotation) % LINES
        if (number - LINES - 1) % LINES < 2:  # 4th, 5th, 7th, 8th …: the wealth line
            leaf = self.tree.first_leaf(self.seq[lines[wealth]])
        else:  # 6th, 9th …: the weaker (earliest leaf) of the two contribution lines
            leaf = min(self.tree.first_leaf(self.seq[lines[i]]) for i in range(LINES) if i != wealth)
        return self.by_seq[leaf]

    def _nearest_agent(self, sponsor: str | None, members: Mapping[str, Member]) -> str | None:
        # a walk over fans, once per new agent (see the module docstring)
        while sponsor is not None and sponsor not in self.rank:
            sponsor = members[sponsor].sponsor
        return sponsor

    def _top(self, member_id: str) -> str:
        """The highest position reached from ``member_id`` over handed-up links only."""
        up = self._up
        top = member_id
        while up[top] != top:
            top = up[top]
        # full path compression (handed-up links never change, so skipping them is safe);
        # a second query changes nothing, so reading views twice leaves the state byte-equal
        node = member_id
        while up[node] != top and node != top:
            up[node], node = top, up[node]
        return top

    def team_boss(self, member_id: str) -> str | None:
        """The boss whose team ``member_id`` (a position) is in; None: no team above."""
        memo = self._memo
        epoch = self._epoch
        hit = memo.get(member_id)
        if hit is not None and hit[0] == epoch:
            return hit[1]
        visited: list[str] = []  # every position walked through has the same team boss
        node = member_id
        while True:
            node = self._top(node)
            hit = memo.get(node)
            if hit is not None and hit[0] == epoch:
                answer = hit[1]
                break
            visited.append(node)
            parent = self.parent[node]
            if parent is None:
                answer = None
                break
            if self.rank[parent] == BOSS:  # not handed up, so this link is settled for good
                answer = parent
                break
            node = parent  # a pending link: the parent is not a boss (yet)
        entry = (epoch, answer)
        memo[member_id] = entry
        for node in visited:
            memo[node] = entry
        return answer
