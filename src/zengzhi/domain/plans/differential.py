"""级差奖 tier differential, with 平级奖 peer bonus, on ranks v1…vN.

Each rank has a cumulative rate. Walking up the sponsor chain (推荐链) from
the buyer's sponsor, a member whose rank rate is above the highest rate
already paid on this order gets (its rate - that rate) × base (级差); the walk
stops once the top rate is paid. Peer bonus (平级奖): the first member above a
payee whose rank is not lower than the payee's gets ``peer_rate`` × the
payee's differential award when its rank is the *same* (one generation by
default; generation g+1 looks above generation g's receiver); a higher rank
there is the next differential payee and ends the peer search.

Ranks (levels 1…N, 0 = none) rise and never fall (current = achieved):

* ``volume``: umbrella volume (伞下累计业绩): settled order amounts of the
  member's proper descendants — its own orders do not count;
* ``directs``: effective direct recruits (有效直推): recruits with at least one
  settled order; with ``volume`` too, both must hold;
* ``pack``: buying that product;
* ``set_rank`` by an operator (never below the current rank).

An order pays at the ranks held *before* it: its volume, the recruit count it
completes and the pack it buys count from the next order on (升级次单生效).

No walk of the whole chain: ``RankIndex`` (ranks.py) finds each payee with a
search per path of its path decomposition; see there for the costs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from zengzhi.domain.config_fields import (
    ConfigError,
    boolean,
    cents,
    integer,
    mapping,
    no_unknown,
    text,
    unit_ratio,
)
from zengzhi.domain.events import SetRank
from zengzhi.domain.money import ZERO_RATIO, Ratio, format_cents, format_ratio
from zengzhi.domain.plans.base import Plan, PlanOf, SettleContext
from zengzhi.domain.plans.ranks import NONE, Gate, RankIndex
from zengzhi.domain.plans.spec import COMMON_FIELDS, PlanSpec, base_cents, common
from zengzhi.domain.results import Outcome, ResultCode, reject
from zengzhi.domain.split import Allocation
from zengzhi.domain.state import Member, State

KIND = "differential"
RANK_FIELDS = {"name", "rate", "volume", "directs", "pack"}


@dataclass(frozen=True, slots=True)
class RankSpec:
    name: str
    rate: Ratio  # cumulative rate of the rank
    volume_cents: int | None  # umbrella volume that reaches it
    directs: int | None  # effective direct recruits that reach it (with volume_cents, if set)
    pack: str | None  # a product whose purchase reaches it


@dataclass(frozen=True, slots=True)
class DifferentialSpec(PlanSpec):
    ranks: tuple[RankSpec, ...]  # low to high; level = position + 1
    base: str  # "amount" or "bucket"
    peer_rate: Ratio
    peer_generations: int

    @property
    def kind(self) -> str:
        return KIND

    def base_cents(self, price_cents: int, allocation: Allocation) -> int:
        return base_cents(self.base, self.bucket, price_cents, allocation)

    def max_payout_cents(self, price_cents: int, allocation: Allocation, product: str) -> int:
        del product
        top = self.ranks[-1].rate
        tier = self.base_cents(price_cents, allocation) * top.num // top.den
        # the differential awards telescope to at most the top rate; each peer generation
        # pays at most peer_rate of every award
        return tier + self.peer_generations * (tier * self.peer_rate.num // self.peer_rate.den)

    def level_of(self, name: str) -> int | None:
        for level, rank in enumerate(self.ranks, 1):
            if rank.name == name:
                return level
        return None

    def volume_levels(self) -> tuple[tuple[int, int], ...]:
        return tuple((level, r.volume_cents) for level, r in enumerate(self.ranks, 1)
                     if r.volume_cents is not None and r.directs is None)

    def gates(self) -> tuple[Gate, ...]:
        return tuple(Gate(level, r.volume_cents or 0) for level, r in enumerate(self.ranks, 1)
                     if r.directs is not None)

    def gate_directs(self) -> tuple[int, ...]:
        return tuple(r.directs for r in self.ranks if r.directs is not None)

    def pack_levels(self) -> dict[str, int]:
        levels: dict[str, int] = {}
        for level, rank in enumerate(self.ranks, 1):
            if rank.pack is not None:
                levels[rank.pack] = level  # ranks go low to high: the highest wins
        return levels

    def build(self) -> Plan:
        return Differential(self)


def parse(data: Mapping[str, object], path: str) -> DifferentialSpec:
    no_unknown(data, path, COMMON_FIELDS | {"ranks", "base", "peer_rate", "peer_generations", "fall"})
    name, bucket = common(data, path, KIND, needs_bucket=True)
    ranks = parse_ranks(data.get("ranks"), f"{path}.ranks")
    base = text(data.get("base", "amount"), f"{path}.base")
    if base not in ("amount", "bucket"):
        raise ConfigError(f"{path}.base", "must be 'amount' (the order amount) or 'bucket'")
    peer_rate = unit_ratio(data.get("peer_rate", "0"), f"{path}.peer_rate")
    peer_generations = integer(data.get("peer_generations", 1), f"{path}.peer_generations", 1)
    if boolean(data.get("fall", False), f"{path}.fall"):
        raise ConfigError(f"{path}.fall", "only false is supported: ranks never fall (current = achieved)")
    return DifferentialSpec(name, bucket, ranks, base, peer_rate, peer_generations)


def parse_ranks(raw: object, path: str) -> tuple[RankSpec, ...]:
    if not isinstance(raw, list) or not raw:
        raise ConfigError(path, 'is required: ranks low to high, e.g. [{name: v1, rate: "1%", volume: "10000.00"}]')
    ranks: list[RankSpec] = []
    for i, item in enumerate(raw):
        rank = parse_rank(item, f"{path}[{i}]")
        if any(r.name == rank.name for r in ranks):
            raise ConfigError(f"{path}[{i}].name", f"rank {rank.name!r} is defined twice")
        previous = ranks[-1].rate if ranks else ZERO_RATIO
        if rank.rate.num * previous.den <= previous.num * rank.rate.den:
            raise ConfigError(f"{path}[{i}].rate", "must be above the rate of the rank below (and above 0)")
        ranks.append(rank)
    return tuple(ranks)


def parse_rank(item: object, path: str) -> RankSpec:
    data = mapping(item, path)
    no_unknown(data, path, RANK_FIELDS)
    name = text(data.get("name"), f"{path}.name")
    if "rate" not in data:
        raise ConfigError(f"{path}.rate", 'is required: the cumulative rate of the rank, e.g. "1%"')
    rate = unit_ratio(data["rate"], f"{path}.rate")
    volume = cents(data["volume"], f"{path}.volume") if data.get("volume") is not None else None
    directs = integer(data["directs"], f"{path}.directs", 1) if data.get("directs") is not None else None
    pack = text(data["pack"], f"{path}.pack") if data.get("pack") is not None else None
    return RankSpec(name, rate, volume, directs, pack)


class Peer(NamedTuple):
    """A 平级 receiver found during the differential walk, paid after every differential."""

    node: int
    payee: int  # the differential payee it is the peer of
    level: int
    award: int  # the payee's differential award (cents)
    generation: int


def _percent(rate: Ratio) -> str:
    return format_ratio(Ratio(rate.num * 100, rate.den), 2).rstrip("0").rstrip(".") + "%"


def _gaps(ranks: tuple[RankSpec, ...]) -> tuple[tuple[tuple[int, int, str], ...], ...]:
    """``[paid level][level]``: the rate gap (num, den) and the start of its memo, made once, not per order."""
    table = []
    for below_level in range(len(ranks) + 1):
        below = ranks[below_level - 1].rate if below_level else ZERO_RATIO
        row = [(0, 1, "")]  # level 0 is never paid
        for rank in ranks:
            num, den = rank.rate.num * below.den - below.num * rank.rate.den, rank.rate.den * below.den
            row.append((max(num, 0), den, f"级差 tier differential: {rank.name} {_percent(rank.rate)} over"
                        f" {_percent(below)} already paid = {_percent(Ratio(max(num, 0), den))}"))
        table.append(tuple(row))
    return tuple(table)


class Differential(PlanOf[DifferentialSpec]):
    handles_ranks = True

    def __init__(self, spec: DifferentialSpec) -> None:
        super().__init__(spec)
        self.index = RankIndex(len(spec.ranks), spec.volume_levels(), spec.gates())
        self.gate_directs = spec.gate_directs()
        self.pack_levels = spec.pack_levels()
        self.gaps = _gaps(spec.ranks)
        self.peer_percent = _percent(spec.peer_rate)
        self.ids: list[str] = []  # join_seq -> member id
        self.directs: list[int] = []  # 有效直推: recruits with a settled order
        self.bought = bytearray()  # 1: has a settled order

    # ------------------------------------------------------------------ events

    def on_join(self, state: State, member: Member, at_ms: int) -> None:
        del at_ms
        sponsor = None if member.sponsor is None else state.members[member.sponsor].join_seq
        self.index.add_node(member.join_seq, sponsor)
        self.ids.append(member.member_id)
        self.directs.append(0)
        self.bought.append(0)

    def on_settle(self, ctx: SettleContext) -> None:
        order = ctx.order
        node = ctx.buyer.join_seq
        base = self.spec.base_cents(order.amount_cents, order.allocation)
        sponsor = self.index.parent(node)
        if base and sponsor != NONE:
            self._pay(ctx, sponsor, base)
        # after paying: this order's volume, recruit and pack count from the next order on
        self.index.add_volume(node, order.amount_cents)
        if not self.bought[node]:
            self.bought[node] = 1
            if sponsor != NONE:
                self._count_direct(sponsor)
        level = self.pack_levels.get(order.product or "")
        if level is not None:
            self.index.raise_explicit(node, level)

    def _count_direct(self, sponsor: int) -> None:
        self.directs[sponsor] += 1
        count = self.directs[sponsor]
        for gate, needed in enumerate(self.gate_directs):
            if count == needed:
                self.index.mark_gate(sponsor, gate)

    def handle(self, state: State, event: object, at_ms: int) -> Outcome | None:
        del at_ms
        if not isinstance(event, SetRank):
            return None
        ranks = self.spec.ranks
        level = self.spec.level_of(event.rank)
        if level is None:
            return reject(ResultCode.INVALID_RANK, "rank",
                          f"unknown rank {event.rank!r} (known: {', '.join(r.name for r in ranks)})")
        if event.region is not None:
            return reject(ResultCode.INVALID_FIELD, "region", f"plan {self.name!r} has no regional ranks")
        node = state.members[event.member].join_seq
        current = self.index.rank(node)
        if level < current:
            return reject(ResultCode.INVALID_RANK, "rank",
                          f"{event.member} is {ranks[current - 1].name}: ranks do not fall")
        self.index.raise_explicit(node, level)
        return Outcome()

    # ------------------------------------------------------------------ paying

    def _pay(self, ctx: SettleContext, start: int, base: int) -> None:
        """级差 up from ``start`` (the buyer's sponsor), then 平级 above each payee.

        One search serves both rules: above a payee of rank r, the first member
        not lower than r is either its peer (rank r) or the next payee (higher).
        Peers are paid after every differential, in payee order.
        """
        index, members, ids, gaps = self.index, ctx.state.members, self.ids, self.gaps
        rate, generations = self.spec.peer_rate, self.spec.peer_generations
        on_order = f" of {format_cents(base)} on {ctx.buyer.member_id}'s order"
        peers: list[Peer] = []
        paid_level = 0
        node = index.nearest(start, 0)
        while node != NONE:
            level = index.rank(node)
            num, den, memo = gaps[paid_level][level]
            got = ctx.pay(members[ids[node]], base * num // den, f"{KIND}.tier", memo + on_order)
            paid_level = level
            # no peer search when the bonus would be 0 (no peer rate, or a tiny award)
            node = self._next_payee(node, level, got, generations if got * rate.num // rate.den else 0, peers)
        for peer in peers:
            self._pay_peer(ctx, peer)

    def _next_payee(self, payee: int, level: int, award: int, generations: int, peers: list[Peer]) -> int:
        """The next differential payee above ``payee`` (``NONE``: none), noting up to ``generations`` peers."""
        index = self.index
        found = 0
        node = payee
        while found < generations:
            node = index.nearest(index.parent(node), level - 1)  # the first not lower than the payee
            if node == NONE:
                return NONE
            if index.rank(node) != level:
                return node  # higher: the next payee, and the end of the peer line
            found += 1
            peers.append(Peer(node, payee, level, award, found))
        if level == len(self.spec.ranks):
            return NONE  # the top rate is paid
        return index.nearest(index.parent(node), level)

    def _pay_peer(self, ctx: SettleContext, peer: Peer) -> None:
        rate = self.spec.peer_rate
        bonus = peer.award * rate.num // rate.den
        if not bonus:
            return
        ids = self.ids
        ctx.pay(ctx.state.members[ids[peer.node]], bonus, f"{KIND}.peer",
                f"平级 peer bonus (generation {peer.generation}): {self.peer_percent} of {ids[peer.payee]}'s"
                f" 级差 {format_cents(peer.award)} (both {self.spec.ranks[peer.level - 1].name})"
                f" on {ctx.buyer.member_id}'s order")

    # ------------------------------------------------------------------- views

    def rank_name(self, member: Member) -> str | None:
        level = self.index.rank(member.join_seq)
        return self.spec.ranks[level - 1].name if level else None

    def member_view(self, state: State, member: Member) -> dict[str, Any]:
        del state
        return {"tier_rank": self.rank_name(member),
                "umbrella": format_cents(self.index.umbrella(member.join_seq))}
