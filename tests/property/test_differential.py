"""Property: the indexed 级差 / 平级 search pays exactly what a naive full walk pays.

``NaiveDifferential`` re-implements the plan from the text with none of the
indices: explicit umbrella volumes (added to every ancestor on each order),
ranks recomputed from their conditions, and a walk of the whole sponsor
chain for every payee and every peer. On random small forests, random rank
configs and random orders / refunds / set_rank events, every posting of the
plan (payee, amount, rule, in order) and every member's rank and umbrella
volume must match after each event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import event as tally
from hypothesis import given
from hypothesis import strategies as st

from zengzhi.domain.config import parse_tenant_config
from zengzhi.domain.events import Event, Join, PayOrder, RefundOrder, SetRank, SettleOrder
from zengzhi.domain.machine import apply
from zengzhi.domain.plans.differential import Differential
from zengzhi.domain.state import State

#: tier is 10% of every product: the plan's max payout (top <= 5%, peer <= 50%, 2 generations) fits
PRODUCTS: dict[str, Any] = {
    "p1000": {"price": "1000.00", "split": {"tier": "100.00", "pool": "300.00", "cost": "600.00"}},
    "p300": {"price": "300.00", "split": {"tier": "30.00", "pool": "90.00", "cost": "180.00"}},
    "pk": {"price": "2000.00", "split": {"tier": "200.00", "pool": "600.00", "cost": "1200.00"}},
}
PRICES = {"p1000": 100_000, "p300": 30_000, "pk": 200_000}
TIER = {"p1000": 10_000, "p300": 3_000, "pk": 20_000}


@dataclass
class NaiveDifferential:
    """The plan straight from the text: O(depth) everything."""

    plan: dict[str, Any]
    sponsor: dict[str, str | None] = field(default_factory=dict)
    umbrella: dict[str, int] = field(default_factory=dict)
    explicit: dict[str, int] = field(default_factory=dict)
    directs: dict[str, int] = field(default_factory=dict)
    bought: set[str] = field(default_factory=set)

    def rates(self) -> list[tuple[int, int]]:
        return [(r["permille"], 1000) for r in self.plan["ranks_raw"]]

    def rank(self, member: str) -> int:
        best = self.explicit[member]
        for level, r in enumerate(self.plan["ranks_raw"], 1):
            volume, directs = r.get("volume_cents"), r.get("directs")
            if volume is None and directs is None:
                continue
            if (volume is None or self.umbrella[member] >= volume) and (
                    directs is None or self.directs[member] >= directs):
                best = max(best, level)
        return best

    def join(self, member: str, sponsor: str | None) -> None:
        self.sponsor[member] = sponsor
        self.umbrella[member] = 0
        self.explicit[member] = 0
        self.directs[member] = 0

    def ancestors(self, member: str) -> list[str]:
        up: list[str] = []
        s = self.sponsor[member]
        while s is not None:
            up.append(s)
            s = self.sponsor[s]
        return up

    def settle(self, member: str, product: str) -> list[tuple[str, int, str]]:
        paid = self.pay(member, PRICES[product] if self.plan["base"] == "amount" else TIER[product])
        for a in self.ancestors(member):
            self.umbrella[a] += PRICES[product]
        if member not in self.bought:
            self.bought.add(member)
            if self.sponsor[member] is not None:
                self.directs[self.sponsor[member]] += 1  # type: ignore[index]
        for level, r in enumerate(self.plan["ranks_raw"], 1):
            if r.get("pack") == product:
                self.explicit[member] = max(self.explicit[member], level)
        return paid

    def pay(self, member: str, base: int) -> list[tuple[str, int, str]]:
        rates = self.rates()
        out: list[tuple[str, int, str]] = []
        payees: list[tuple[str, int, int]] = []
        paid_level = 0
        for a in self.ancestors(member):
            level = self.rank(a)
            if level <= paid_level:
                continue
            num = rates[level - 1][0] - (rates[paid_level - 1][0] if paid_level else 0)
            award = base * num // 1000
            out.append((a, award, "differential.tier"))
            payees.append((a, level, award))
            paid_level = level
            if level == len(rates):
                break
        peer_num, peer_den = self.plan["peer"]
        for a, level, award in payees:
            bonus = award * peer_num // peer_den
            if not bonus:
                continue
            x = a
            for _ in range(self.plan["generations"]):
                above = [b for b in self.ancestors(x) if self.rank(b) >= level]
                if not above or self.rank(above[0]) != level:
                    break
                x = above[0]
                out.append((x, bonus, "differential.peer"))
        return [(m, c, rule) for m, c, rule in out if c]


VOLUMES = (0, 30_000, 100_000, 250_000, 600_000, 1_000_000)
PEERS = (("0", (0, 1)), ("10%", (1, 10)), ("50%", (1, 2)), ("50%", (1, 2)), ("1/3", (1, 3)))


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    levels = draw(st.integers(1, 4))
    permilles = sorted(draw(st.lists(st.integers(1, 50), min_size=levels, max_size=levels, unique=True)))
    ranks_raw: list[dict[str, Any]] = []
    for i, permille in enumerate(permilles):
        # by volume, by recruits (with or without volume), by pack only, or by set_rank only
        kind = draw(st.sampled_from(("volume", "directs", "both", "both", "pack", "operator")))
        volume = draw(st.sampled_from(VOLUMES)) if kind in ("volume", "both") else None
        directs = draw(st.integers(1, 2)) if kind in ("directs", "both") else None
        pack = "pk" if kind == "pack" else draw(st.sampled_from((None, None, "pk")))
        ranks_raw.append({"name": f"v{i + 1}", "permille": permille, "volume_cents": volume,
                          "directs": directs, "pack": pack})
    peer_text, peer = draw(st.sampled_from(PEERS))
    return {"ranks_raw": ranks_raw, "peer_text": peer_text, "peer": peer,
            "generations": draw(st.integers(1, 2)), "base": draw(st.sampled_from(("amount", "bucket")))}


def config_of(plan: dict[str, Any]) -> dict[str, Any]:
    ranks = []
    for r in plan["ranks_raw"]:
        rank: dict[str, Any] = {"name": r["name"], "rate": f"{r['permille']}/1000"}
        if r["volume_cents"] is not None:
            rank["volume"] = f"{r['volume_cents'] // 100}.{r['volume_cents'] % 100:02d}"
        if r["directs"] is not None:
            rank["directs"] = r["directs"]
        if r["pack"] is not None:
            rank["pack"] = r["pack"]
        ranks.append(rank)
    return {"pool": {"exit_multiple": "0"}, "products": PRODUCTS, "plans": [
        {"type": "differential", "bucket": "tier", "base": plan["base"], "ranks": ranks,
         "peer_rate": plan["peer_text"], "peer_generations": plan["generations"]}]}


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[dict[str, Any], list[Event]]:
    plan = draw(plans())
    members = draw(st.integers(2, 9))
    events: list[Event] = []
    for i in range(members):
        # mostly chains, so deep paths occur, and the grandparent (a new line next to a leaf: the
        # index moves that leaf to a path of its own) and anyone (path switches)
        how = draw(st.sampled_from(("parent", "parent", "grandparent", "root", "any"))) if i else "root"
        sponsor = {"parent": i - 1, "grandparent": i - 2, "root": None}.get(how, draw(st.integers(0, max(i - 1, 0))))
        events.append(Join(f"m{i}", None if sponsor is None or sponsor < 0 else f"m{sponsor}"))
    # the deepest members buy more often: long walks
    member = (st.integers(0, members - 1) | st.just(members - 1)).map(lambda i: f"m{i}")
    order_ids = st.integers(0, 30).map(lambda i: f"o{i}")
    names = [r["name"] for r in plan["ranks_raw"]]
    steps = st.one_of(
        st.builds(PayOrder, order_ids, member, st.sampled_from(("p1000", "p300", "pk")), settle=st.booleans()),
        st.builds(PayOrder, order_ids, member, st.sampled_from(("p1000", "p300", "pk"))),
        st.builds(PayOrder, order_ids, st.integers(0, members - 1).map(lambda i: f"m{i}"), st.just("p1000")),
        st.builds(SettleOrder, order_ids),
        st.builds(RefundOrder, order_ids),
        st.builds(SetRank, member, st.sampled_from(names)),
        st.builds(SetRank, member, st.just(names[0])),  # equal ranks: 平级
    )
    body: list[Event] = []
    for i in range(members):  # an operator ranks about half the members first: payees and peers abound
        if draw(st.booleans()):
            body.append(SetRank(f"m{i}", draw(st.sampled_from(names))))
    body.extend(draw(st.lists(steps, min_size=10, max_size=50)))
    # later members join between the other events (in order): a leaf with a rank or a recruit count
    # can then be moved to a path of its own; events naming a member not joined yet are rejected
    cuts = sorted(draw(st.lists(st.integers(0, len(body)), min_size=members - 1, max_size=members - 1)))
    joins = events[1:]
    del events[1:]
    for k, step in enumerate(body):
        while joins and cuts[0] <= k:
            events.append(joins.pop(0))
            cuts.pop(0)
        events.append(step)
    events.extend(joins)
    return plan, events


def naive_step(naive: NaiveDifferential, state: State, event: Event) -> list[tuple[str, int, str]] | None:
    """What the naive model pays for an accepted event (None: it has no effect on the plan)."""
    if isinstance(event, Join):
        naive.join(event.member, event.sponsor)
    elif isinstance(event, (PayOrder, SettleOrder)):
        order = state.orders[event.order_id]
        if order.status == "settled" and order.product is not None:
            return naive.settle(order.member, order.product)
    elif isinstance(event, SetRank):
        level = [r["name"] for r in naive.plan["ranks_raw"]].index(event.rank) + 1
        naive.explicit[event.member] = max(naive.explicit[event.member], level)
    return None


@given(scenarios())
def test_indexed_walk_pays_what_the_naive_full_walk_pays(scenario: tuple[dict[str, Any], list[Event]]) -> None:
    plan, events = scenario
    state = State(parse_tenant_config(config_of(plan)))
    naive = NaiveDifferential(plan)
    differential = state.plans[0]
    assert isinstance(differential, Differential)
    for event in events:
        expected_rejection = isinstance(event, SetRank) and (event.member not in naive.sponsor or (
            [r["name"] for r in plan["ranks_raw"]].index(event.rank) + 1 < naive.rank(event.member)))
        outcome = apply(state, event, 0)
        if outcome.rejection is not None:
            assert not isinstance(event, (Join, SetRank)) or expected_rejection, outcome.rejection
            continue
        assert not expected_rejection, event
        want = None if outcome.duplicate else naive_step(naive, state, event)
        got = [(p.to_account.split(":")[1], p.amount, p.rule) for p in outcome.postings
               if p.plan == "differential"]
        assert got == (want or []), (event, got, want)
        if got:
            tally(f"paid {len(got)} (peer: {any(rule.endswith('peer') for _, _, rule in got)})")
        for member_id, member in state.members.items():
            assert differential.index.rank(member.join_seq) == naive.rank(member_id), member_id
            assert differential.index.umbrella(member.join_seq) == naive.umbrella[member_id], member_id
