"""链动 2+1 / 3+1 — direct (直推), see-point (见点) and peer (平级) awards on packs.

A member becomes an agent (代理) by a settled qualifying pack (``packs``).
On every settled pack (the first one and repurchases, 复购, alike):

* the buyer's sponsor, if an agent or boss, gets the pack's ``direct``
  (``linkage.direct``); a fan sponsor's share goes to residual;
* the buyer's team boss gets ``see_point`` (``linkage.see_point``, any depth);
* for each boss paid above, that boss's own sponsor, if a boss, gets
  ``peer_rate`` of what the boss got (``linkage.peer``, 平级).

A recruit's pack promotes its recruiter before paying (3+1: the third recruit
already pays 100 + 200 = 300). Teams, placement (三三滑落) and the team-boss
walk are in ``linkage_team``; rotation (点位轮值) turns on ``tick`` events,
every ``rotation_days`` after the first event the plan sees. Every settled
order of a position (any product) adds 1 to its team order count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zengzhi.domain.config_fields import ConfigError, boolean, cents, integer, mapping, no_unknown, unit_ratio
from zengzhi.domain.events import Tick
from zengzhi.domain.money import Ratio, floor_mul, format_cents
from zengzhi.domain.plans.base import Plan, PlanOf, SettleContext
from zengzhi.domain.plans.linkage_team import AGENT, BOSS, RANK_NAMES, Team
from zengzhi.domain.plans.spec import COMMON_FIELDS, PlanSpec, common
from zengzhi.domain.results import Outcome
from zengzhi.domain.split import Allocation
from zengzhi.domain.state import Member, State

KIND = "linkage"
DAY_MS = 86_400_000


@dataclass(frozen=True, slots=True)
class Pack:
    direct_cents: int  # 直推
    see_point_cents: int  # 见点


@dataclass(frozen=True, slots=True)
class LinkageSpec(PlanSpec):
    boss_at: int  # 3: 3+1, 2: 2+1
    packs: Mapping[str, Pack]
    peer_rate: Ratio
    spillover: bool  # 三三滑落
    rotation_days: int | None  # 点位轮值 period; None: no rotation

    @property
    def kind(self) -> str:
        return KIND

    def max_payout_cents(self, price_cents: int, allocation: Allocation, product: str) -> int:
        del price_cents, allocation
        pack = self.packs.get(product)
        if pack is None:
            return 0
        # 平级 pays on each of the two boss awards: at most direct + see + rate × both
        return (pack.direct_cents + pack.see_point_cents + floor_mul(pack.direct_cents, self.peer_rate)
                + floor_mul(pack.see_point_cents, self.peer_rate))

    def build(self) -> Plan:
        return Linkage(self)


def _packs(value: object, path: str) -> dict[str, Pack]:
    raw = mapping(value, path)
    if not raw:
        raise ConfigError(path, "name at least one qualifying pack: {product: {direct, see_point}}")
    packs: dict[str, Pack] = {}
    for product, awards in raw.items():
        here = f"{path}.{product}"
        fields = mapping(awards, here)
        no_unknown(fields, here, {"direct", "see_point"})
        for field in ("direct", "see_point"):
            if field not in fields:
                raise ConfigError(f"{here}.{field}", "is required (an amount in yuan)")
        packs[str(product)] = Pack(cents(fields["direct"], f"{here}.direct"),
                                   cents(fields["see_point"], f"{here}.see_point"))
    return packs


def parse(data: Mapping[str, object], path: str) -> LinkageSpec:
    no_unknown(data, path, COMMON_FIELDS | {"boss_at", "packs", "peer_rate", "spillover", "rotation_days"})
    name, bucket = common(data, path, KIND, needs_bucket=True)
    boss_at = integer(data.get("boss_at", 3), f"{path}.boss_at", minimum=2)
    if "packs" not in data:
        raise ConfigError(f"{path}.packs", "is required: {product: {direct, see_point}}")
    packs = _packs(data["packs"], f"{path}.packs")
    peer_rate = unit_ratio(data.get("peer_rate", "0"), f"{path}.peer_rate")
    spillover = boolean(data.get("spillover", False), f"{path}.spillover")
    if spillover and boss_at != 3:
        raise ConfigError(f"{path}.spillover", "三三滑落 needs three lines: only with boss_at: 3")
    rotation_days: int | None = None
    if data.get("rotation_days") is not None:
        rotation_days = integer(data["rotation_days"], f"{path}.rotation_days", minimum=1)
        if not spillover:
            raise ConfigError(f"{path}.rotation_days", "点位轮值 rotates the spillover lines: needs spillover: true")
    return LinkageSpec(name, bucket, boss_at, packs, peer_rate, spillover, rotation_days)


class Linkage(PlanOf[LinkageSpec]):

    def __init__(self, spec: LinkageSpec) -> None:
        super().__init__(spec)
        self.team = Team(spec.boss_at, spec.spillover)
        self.epoch_ms: int | None = None  # the first event's time: rotation periods count from it

    def _seen(self, at_ms: int) -> None:
        if self.epoch_ms is None:
            self.epoch_ms = at_ms

    def on_join(self, state: State, member: Member, at_ms: int) -> None:
        del state, member
        self._seen(at_ms)

    def on_settle(self, ctx: SettleContext) -> None:
        self._seen(ctx.at_ms)
        team = self.team
        buyer = ctx.buyer
        product = ctx.order.product
        pack = self.spec.packs.get(product) if product is not None else None
        if pack is not None and buyer.member_id not in team.rank:
            team.add_agent(buyer, ctx.state.members)  # promotion first, then the payouts
        if buyer.member_id in team.rank:
            team.tree.add_weight(buyer.join_seq, 1)  # one more settled team order
        if pack is not None:
            assert product is not None
            self._pay(ctx, pack, product)

    def _pay(self, ctx: SettleContext, pack: Pack, product: str) -> None:
        members = ctx.state.members
        team = self.team
        buyer = ctx.buyer.member_id
        bosses: list[tuple[Member, int, str]] = []  # (boss paid, cents, award name) for 平级
        if ctx.buyer.sponsor is not None and team.rank_of(ctx.buyer.sponsor) >= AGENT:
            sponsor = members[ctx.buyer.sponsor]
            paid = ctx.pay(sponsor, pack.direct_cents, f"{KIND}.direct",
                           f"直推 direct: sponsor of {buyer} ({format_cents(pack.direct_cents)} per {product})")
            if team.rank_of(sponsor.member_id) == BOSS:
                bosses.append((sponsor, paid, "direct"))
        boss_id = team.team_boss(buyer)
        if boss_id is not None:
            boss = members[boss_id]
            paid = ctx.pay(boss, pack.see_point_cents, f"{KIND}.see_point",
                           f"见点 see-point: team boss of {buyer} ({format_cents(pack.see_point_cents)} per {product})")
            bosses.append((boss, paid, "see-point"))
        for boss, paid, award in bosses:
            self._pay_peer(ctx, boss, paid, award, product)

    def _pay_peer(self, ctx: SettleContext, boss: Member, paid: int, award: str, product: str) -> None:
        above = boss.sponsor
        if above is None or self.team.rank_of(above) != BOSS or not paid:
            return
        rate = self.spec.peer_rate
        ctx.pay(ctx.state.members[above], floor_mul(paid, rate), f"{KIND}.peer",
                f"平级 peer: {_percent(rate)} of the {format_cents(paid)} {award} award of boss {boss.member_id}"
                f" (sponsored by this boss) on {ctx.buyer.member_id}'s {product}")

    def handle(self, state: State, event: object, at_ms: int) -> Outcome | None:
        del state
        if not isinstance(event, Tick) or self.spec.rotation_days is None:
            return None
        self._seen(at_ms)
        assert self.epoch_ms is not None
        # 点位轮值: the number of whole periods since the first event; never turns back
        turns = max(0, at_ms - self.epoch_ms) // (self.spec.rotation_days * DAY_MS)
        self.team.rotation = max(self.team.rotation, turns)
        return Outcome()

    def member_view(self, state: State, member: Member) -> dict[str, Any]:
        del state
        team = self.team
        member_id = member.member_id
        rank = team.rank_of(member_id)
        if rank < AGENT:
            return {self.name: {"rank": RANK_NAMES[rank]}}
        seq = member.join_seq
        return {self.name: {
            "rank": RANK_NAMES[rank],
            "recruits": team.recruits[member_id],
            "placement": team.parent[member_id],
            "team_boss": team.team_boss(member_id),
            "team_size": team.tree.subtree_size(seq) - 1,
            "team_orders": team.tree.subtree_weight(seq),
        }}

    def view(self, state: State) -> dict[str, Any]:
        del state
        ranks = list(self.team.rank.values())
        return {"agents": len(ranks), "bosses": ranks.count(BOSS), "rotation": self.team.rotation}


def _percent(rate: Ratio) -> str:
    whole, rest = divmod(rate.num * 100, rate.den)
    return f"{whole}%" if not rest else f"{rate.num}/{rate.den}"


def find_linkage(state: State, name: str) -> Linkage | None:
    """The linkage plan named ``name`` in this state (the help fund reads its lines)."""
    for plan in state.plans:
        if plan.name == name and isinstance(plan, Linkage):
            return plan
    return None
