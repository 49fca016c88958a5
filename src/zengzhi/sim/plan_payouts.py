"""What the reward plans paid, per plan, rule, member and rank (from the replayed postings).

**Paid** means money a plan moved from a tenant account (its split bucket, a
dividend pool) to a member's account: cash (零钱) or frozen (帮扶基金 holds).
Every posting carries the plan that made it and its rule, so the totals are
exact sums of postings:

* ``paid`` — plan → rule → cents to members;
* ``moved`` — plan → rule → cents to tenant accounts (a dividend pool's
  inflow, a quota burn to ``residual``): not yet, or never, a member's;
* ``released`` — plan → cents moved from members' frozen to their cash
  (already counted as paid when frozen);
* ``residual`` — bucket → the ``plan.residual`` postings: bucket money no plan paid.

Ranks come from each plan's ``member_view`` at the end of the run: 链动
``rank``, 级差 ``tier_rank``, a dividend ``class`` (or ``weight``), the
regional levels held; plans without ranks put every member in ``all``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from zengzhi.domain.ledger import Posting
from zengzhi.domain.plans.base import Plan
from zengzhi.domain.plans.regional import LEVELS
from zengzhi.domain.plans.runner import RESIDUAL_RULE
from zengzhi.domain.state import Member, State

NO_RANK = "none"  # a plan with ranks, a member without one
ALL = "all"  # a plan without ranks
TOP_SHARES = (("top_1pct", 0.01), ("top_10pct", 0.10))


def member_of(account: str) -> str | None:
    """``member:<id>:<kind>`` -> ``<id>`` (member ids never contain ``:``)."""
    if not account.startswith("member:"):
        return None
    return account[len("member:"):account.rindex(":")]


@dataclass(slots=True)
class PlanTally:
    paid: dict[str, dict[str, int]] = field(default_factory=dict)
    moved: dict[str, dict[str, int]] = field(default_factory=dict)
    released: dict[str, int] = field(default_factory=dict)
    # plan -> member account (cash or frozen) -> paid cents; accounts, not ids: no string slicing per posting
    by_account: dict[str, dict[str, int]] = field(default_factory=dict)
    residual: dict[str, int] = field(default_factory=dict)  # bucket -> cents no plan paid from it

    @property
    def residual_cents(self) -> int:
        return sum(self.residual.values())

    def add(self, postings: Iterable[Posting]) -> None:
        for posting in postings:
            plan = posting.plan
            if not plan:
                if posting.rule == RESIDUAL_RULE:
                    bucket = posting.from_account
                    self.residual[bucket] = self.residual.get(bucket, 0) + posting.amount
                continue
            to, amount, rule = posting.to_account, posting.amount, posting.rule
            if not to.startswith("member:"):
                rules = self.moved.get(plan) or self.moved.setdefault(plan, {})
                rules[rule] = rules.get(rule, 0) + amount
            elif posting.from_account.startswith("member:"):
                self.released[plan] = self.released.get(plan, 0) + amount
            else:
                rules = self.paid.get(plan) or self.paid.setdefault(plan, {})
                rules[rule] = rules.get(rule, 0) + amount
                accounts = self.by_account.get(plan) or self.by_account.setdefault(plan, {})
                accounts[to] = accounts.get(to, 0) + amount

    def plan_paid(self, plan: str) -> int:
        return sum(self.paid.get(plan, {}).values())

    def total_paid(self) -> int:
        return sum(sum(rules.values()) for rules in self.paid.values())

    def by_member(self, plan: str) -> dict[str, int]:
        """Member -> cents paid by ``plan`` (cash and frozen together)."""
        out: dict[str, int] = {}
        for account, cents in self.by_account.get(plan, {}).items():
            member = member_of(account)
            assert member is not None
            out[member] = out.get(member, 0) + cents
        return out

    def per_member(self) -> dict[str, int]:
        """Member -> cents paid by all plans together."""
        out: dict[str, int] = {}
        for plan in self.by_account:
            for member, cents in self.by_member(plan).items():
                out[member] = out.get(member, 0) + cents
        return out


def rank_of(plan: Plan, state: State, member: Member) -> str:
    """The member's rank-like key in ``plan`` (see the module doc)."""
    kind = plan.spec.kind
    if kind not in ("linkage", "differential", "dividend", "regional"):
        return ALL
    view = plan.member_view(state, member)
    if kind == "differential":
        return str(view.get("tier_rank") or NO_RANK)
    own = view.get(plan.name) or {}
    if kind == "linkage":
        return str(own.get("rank", NO_RANK))
    if kind == "dividend":
        if "class" in own:
            return str(own["class"])
        return f"weight {own['weight']}" if "weight" in own else NO_RANK
    held = {region.partition(":")[0] for region in own.get("regions", ())}
    return "+".join(level for level in LEVELS if level in held) or NO_RANK


@dataclass(frozen=True, slots=True)
class RankRow:
    plan: str
    rank: str
    members: int
    paid_cents: int
    share: float  # of the plan's payouts (display only)

    @property
    def mean_cents(self) -> int:
        return self.paid_cents // self.members if self.members else 0


def rank_rows(state: State, tally: PlanTally) -> list[RankRow]:
    """Per plan (config order) and rank: members, paid, share; ranks by mean paid, then name."""
    rows: list[RankRow] = []
    for plan in state.plans:
        counts: dict[str, list[int]] = {}
        paid = tally.by_member(plan.name)
        for member in state.members.values():
            cell = counts.setdefault(rank_of(plan, state, member), [0, 0])
            cell[0] += 1
            cell[1] += paid.get(member.member_id, 0)
        total = tally.plan_paid(plan.name)
        cells = sorted(counts.items(), key=lambda kv: (kv[1][1] / kv[1][0], kv[0]))
        rows += [RankRow(plan.name, rank, n, cents, cents / total if total else 0.0) for rank, (n, cents) in cells]
    return rows


def top_shares(per_member: dict[str, int], members_total: int) -> dict[str, float]:
    """The share of all plan payouts received by the top 1% / 10% of members (by what plans paid them)."""
    total = sum(per_member.values())
    ordered = sorted(per_member.values(), reverse=True)
    out = {}
    for name, fraction in TOP_SHARES:
        count = max(1, math.ceil(fraction * members_total)) if members_total else 0
        out[name] = sum(ordered[:count]) / total if total else 0.0
    return out
