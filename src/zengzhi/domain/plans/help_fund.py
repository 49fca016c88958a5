"""帮扶基金 / 互助基金 — a share of commissions frozen until the member's lines grow.

A modifier: ``share`` (seed 002: 20%) of every member payout of the plans in
``applies_to`` goes to the payee's ``frozen`` account instead of its cash
(``help_fund.freeze``, same source bucket, so the order's bucket total is
unchanged); the floor goes to frozen and the odd cent stays in cash.

Release (``help_fund.release``, frozen → cash, everything this plan froze for
the member) when seed 002's conditions hold: the member's two handed-up lines
B1 and B2 (its first two recruits in the linkage plan ``lines_from``) both hold
at least ``min_rank`` and their teams (placement subtrees, B1/B2 included)
together have more than ``team_orders_more_than`` settled orders. Checked at
the member's next payout of a named plan and on every ``tick`` (a tick scans
the members that still hold frozen money: O(those members × log n)). Once a
member is released, its later payouts are not frozen at all — a freeze that
would be released at once nets to nothing, so no postings are made.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zengzhi.domain.config_fields import ConfigError, integer, mapping, no_unknown, text, text_list, unit_ratio
from zengzhi.domain.events import Tick
from zengzhi.domain.ledger import CNY, Posting
from zengzhi.domain.money import Ratio, floor_mul, format_cents
from zengzhi.domain.plans.base import Payout, Plan, PlanOf
from zengzhi.domain.plans.linkage import find_linkage
from zengzhi.domain.plans.linkage_team import AGENT, BOSS, RANK_NAMES, Team
from zengzhi.domain.plans.spec import COMMON_FIELDS, PlanReference, PlanSpec, common
from zengzhi.domain.results import Outcome
from zengzhi.domain.state import Member, Order, State

KIND = "help_fund"
MIN_RANKS = {"agent": AGENT, "boss": BOSS}


@dataclass(frozen=True, slots=True)
class HelpFundSpec(PlanSpec):
    share: Ratio
    applies_to: tuple[str, ...]  # plan names whose member payouts are partly frozen
    lines_from: str  # the linkage plan whose B1/B2 lines decide the release
    min_rank: int
    team_orders_more_than: int

    @property
    def kind(self) -> str:
        return KIND

    def build(self) -> Plan:
        return HelpFund(self)

    def references(self) -> tuple[PlanReference, ...]:
        return (*(PlanReference("applies_to", name) for name in self.applies_to),
                PlanReference("lines_from", self.lines_from, "linkage"))


def parse(data: Mapping[str, object], path: str) -> HelpFundSpec:
    no_unknown(data, path, COMMON_FIELDS | {"share", "applies_to", "lines_from", "release"})
    name, bucket = common(data, path, KIND, needs_bucket=False)
    if bucket is not None:
        raise ConfigError(f"{path}.bucket", "a help fund pays nothing itself: it has no bucket")
    if "share" not in data:
        raise ConfigError(f"{path}.share", 'is required, e.g. "20%"')
    share = unit_ratio(data["share"], f"{path}.share")
    applies_to = text_list(data.get("applies_to"), f"{path}.applies_to")
    if not applies_to:
        raise ConfigError(f"{path}.applies_to", "name the plans whose payouts are partly frozen")
    if "lines_from" not in data:
        raise ConfigError(f"{path}.lines_from", "is required: the linkage plan whose B1/B2 lines release the fund")
    lines_from = text(data["lines_from"], f"{path}.lines_from")
    release = mapping(data.get("release", {}), f"{path}.release")
    no_unknown(release, f"{path}.release", {"min_rank", "team_orders_more_than"})
    rank = text(release.get("min_rank", "agent"), f"{path}.release.min_rank")
    if rank not in MIN_RANKS:
        raise ConfigError(f"{path}.release.min_rank", "must be 'agent' or 'boss'")
    more_than = integer(release.get("team_orders_more_than", 20), f"{path}.release.team_orders_more_than")
    return HelpFundSpec(name, None, share, applies_to, lines_from, MIN_RANKS[rank], more_than)


class HelpFund(PlanOf[HelpFundSpec]):
    modifier = True

    def __init__(self, spec: HelpFundSpec) -> None:
        super().__init__(spec)
        self.held: dict[str, int] = {}  # member -> cents this plan froze and has not released
        self.released: set[str] = set()

    def _ready(self, state: State, member_id: str) -> str | None:
        """The release memo when the member's conditions hold, else None."""
        linkage = find_linkage(state, self.spec.lines_from)
        if linkage is None:
            return None  # no such linkage plan: nothing can ever release (see docs/plans/help-fund.md)
        return self._ready_in(linkage.team, member_id)

    def _ready_in(self, team: Team, member_id: str) -> str | None:
        lines = team.lines.get(member_id)
        spec = self.spec
        # B1 and B2 are the first two recruits; the cheap rank test first, the team order sums only then
        if lines is None or len(lines) < 2:
            return None
        b1, b2 = lines[0], lines[1]
        if team.rank_of(b1) < spec.min_rank or team.rank_of(b2) < spec.min_rank:
            return None
        orders = team.tree.subtree_weight(team.seq[b1]) + team.tree.subtree_weight(team.seq[b2])
        if orders <= spec.team_orders_more_than:
            return None
        return (f"帮扶基金 help fund released: B1 {b1} and B2 {b2} are at least "
                f"{RANK_NAMES[spec.min_rank]}s and their teams have {orders} settled orders "
                f"(more than {spec.team_orders_more_than})")

    def modify(self, state: State, order: Order, payouts: list[Payout]) -> list[Payout]:
        del order
        spec = self.spec
        result: list[Payout] = []
        releases: list[Payout] = []
        for payout in payouts:
            payee = payout.payee
            if payee is None or payout.plan not in spec.applies_to:
                result.append(payout)
                continue
            member = state.members[payee]
            if payout.to_account != member.cash:
                result.append(payout)  # only cash is partly frozen
                continue
            if payee not in self.released:
                releases.extend(self._release_payout(state, member))
            frozen = 0 if payee in self.released else floor_mul(payout.amount_cents, spec.share)
            if not frozen:
                result.append(payout)
                continue
            result.append(payout._replace(amount_cents=payout.amount_cents - frozen))
            self.held[payee] = self.held.get(payee, 0) + frozen
            result.append(Payout(payout.source, member.frozen, frozen, f"{KIND}.freeze",
                                 f"帮扶基金 help fund: {_show(spec.share)} of {payout.rule} "
                                 f"{format_cents(payout.amount_cents)} frozen until B1/B2 qualify",
                                 payee, self.name))
        return result + releases

    def _release_payout(self, state: State, member: Member) -> list[Payout]:
        memo = self._ready(state, member.member_id)
        if memo is None:
            return []
        self.released.add(member.member_id)
        held = self.held.pop(member.member_id, 0)
        if not held:
            return []
        return [Payout(member.frozen, member.cash, held, f"{KIND}.release", memo, member.member_id, self.name)]

    def handle(self, state: State, event: object, at_ms: int) -> Outcome | None:
        del at_ms
        if not isinstance(event, Tick):
            return None
        linkage = find_linkage(state, self.spec.lines_from)
        if linkage is None:
            return Outcome()
        # the conditions only ever turn true (ranks never fall, team orders only grow), so one pass
        # over the holders finds every release; only those released are sorted (by join order)
        ready = [(member_id, memo) for member_id in self.held
                 if (memo := self._ready_in(linkage.team, member_id)) is not None]
        ready.sort(key=lambda item: state.members[item[0]].join_seq)
        postings: list[Posting] = []
        for member_id, memo in ready:
            member = state.members[member_id]
            self.released.add(member_id)
            held = self.held.pop(member_id)
            postings.append(Posting(member.frozen, member.cash, CNY, held, f"{KIND}.release", "", self.name, memo))
        if postings:
            assert state.ledger.apply(postings) is None
        return Outcome(postings=tuple(postings))

    def member_view(self, state: State, member: Member) -> dict[str, Any]:
        del state
        member_id = member.member_id
        if member_id not in self.held and member_id not in self.released:
            return {}
        return {self.name: {"held": format_cents(self.held.get(member_id, 0)),
                            "released": member_id in self.released}}


def _show(rate: Ratio) -> str:
    whole, rest = divmod(rate.num * 100, rate.den)
    return f"{whole}%" if not rest else f"{rate.num}/{rate.den}"
