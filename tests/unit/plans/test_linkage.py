"""linkage.py: 链动 3+1 / 2+1 with seed 002's numbers (100 直推, 200 见点, 10% 平级)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.strategies import accept, make_state, seed_config, snapshot
from zengzhi.domain.config import ConfigError, parse_tenant_config
from zengzhi.domain.events import Join, PayOrder, RefundOrder, Tick
from zengzhi.domain.ledger import Posting
from zengzhi.domain.plans.linkage import DAY_MS, Linkage
from zengzhi.domain.state import State
from zengzhi.engine.queries import member_view

SEED_002 = {"linkage": "330.00", "dividend": "40.00", "pool": "300.00", "cost": "200.00",
            "platform": "70.00", "tier": "30.00", "shareholder": "30.00"}
YUAN = 100


def config(**plan: Any) -> dict[str, Any]:
    data = seed_config()
    data["products"] = {
        "pack1000": {"price": "1000.00", "split": dict(SEED_002)},
        "tea": {"price": "100.00", "split": {"cost": "50.00", "platform": "20.00", "pool": "30.00"}},
    }
    data["plans"] = [{"type": "linkage", "bucket": "linkage", "boss_at": 3, "peer_rate": "10%",
                      "packs": {"pack1000": {"direct": "100.00", "see_point": "200.00"}}, **plan}]
    return data


def tree(edges: list[tuple[str, str | None]], **plan: Any) -> State:
    """Members joined in order: (member, sponsor)."""
    state = make_state(config(**plan))
    for member, sponsor in edges:
        accept(state, Join(member, sponsor=sponsor))
    return state


def buy(state: State, order_id: str, member: str, at_ms: int = 0) -> dict[tuple[str, str], int]:
    """Settle a pack; returns {(payee account owner, rule): cents} of the linkage postings."""
    outcome = accept(state, PayOrder(order_id, member, "pack1000"), at_ms)
    return paid(outcome.postings)


def paid(postings: tuple[Posting, ...]) -> dict[tuple[str, str], int]:
    got: dict[tuple[str, str], int] = {}
    for p in postings:
        if p.rule.startswith("linkage.") or p.rule == "plan.residual":
            who = p.to_account.split(":")[1] if p.to_account.startswith("member:") else p.to_account
            got[(who, p.rule)] = got.get((who, p.rule), 0) + p.amount
    return got


def plan(state: State) -> Linkage:
    found = state.plans[0]
    assert isinstance(found, Linkage)
    return found


def view(state: State, member: str) -> dict[str, Any]:
    got: dict[str, Any] = member_view(state, member)["linkage"]
    return got


SEED_TREE = [("A", None), ("B1", "A"), ("B2", "A"), ("C", "A"), ("C1", "C"), ("C2", "C"), ("C3", "C"),
             ("X", "C1")]


def test_seed_002_agent_direct_then_boss_at_third_recruit_gets_300() -> None:
    state = tree(SEED_TREE)
    assert buy(state, "a", "A") == {("residual", "plan.residual"): 330 * YUAN}  # nobody above A
    assert buy(state, "b1", "B1") == {("A", "linkage.direct"): 100 * YUAN, ("residual", "plan.residual"): 230 * YUAN}
    assert buy(state, "b2", "B2") == {("A", "linkage.direct"): 100 * YUAN, ("residual", "plan.residual"): 230 * YUAN}
    assert view(state, "A")["rank"] == "agent"
    # the third recruit promotes A before its own pack pays: 100 直推 + 200 见点
    assert buy(state, "c", "C") == {("A", "linkage.direct"): 100 * YUAN, ("A", "linkage.see_point"): 200 * YUAN,
                                    ("residual", "plan.residual"): 30 * YUAN}
    assert view(state, "A") | {"team_orders": 0} == {
        "rank": "boss", "recruits": 3, "placement": None, "team_boss": None, "team_size": 3, "team_orders": 0}


def test_seed_002_handed_up_lines_team_boss_and_peer() -> None:
    state = tree(SEED_TREE)
    for order_id, member in (("a", "A"), ("b1", "B1"), ("b2", "B2"), ("c", "C")):
        buy(state, order_id, member)
    # C's first two recruits are handed up to C's team boss A: 200 见点 each
    assert buy(state, "c1", "C1") == {("C", "linkage.direct"): 100 * YUAN, ("A", "linkage.see_point"): 200 * YUAN,
                                      ("residual", "plan.residual"): 30 * YUAN}
    assert buy(state, "c2", "C2")[("A", "linkage.see_point")] == 200 * YUAN
    # C3 makes C a boss: C gets 300 and A, C's sponsor and a boss, 平级 10% of each: 10 + 20
    assert buy(state, "c3", "C3") == {("C", "linkage.direct"): 100 * YUAN, ("C", "linkage.see_point"): 200 * YUAN,
                                      ("A", "linkage.peer"): 30 * YUAN}
    # X is in A's team at any depth (via C1, handed up by C)
    assert buy(state, "x", "X") == {("C1", "linkage.direct"): 100 * YUAN, ("A", "linkage.see_point"): 200 * YUAN,
                                    ("residual", "plan.residual"): 30 * YUAN}
    assert view(state, "X")["team_boss"] == "A"
    assert view(state, "C3")["team_boss"] == "C"
    assert view(state, "B1")["team_boss"] is None


def test_peer_on_the_direct_and_the_see_point_of_two_different_bosses() -> None:
    # T boss (recruits P1, P2, A); A boss (recruits B1, B2, C); C boss (C1..C3); D recruited by C, 4th
    edges = [("T", None), ("P1", "T"), ("P2", "T"), ("A", "T"), ("B1", "A"), ("B2", "A"), ("C", "A"),
             ("C1", "C"), ("C2", "C"), ("C3", "C"), ("D", "C"), ("E", "C1")]
    state = tree(edges)
    for member, _ in edges[:-2]:
        buy(state, member.lower(), member)
    # E: sponsor C1 (agent) 100; C1 is handed up by C, so E's team boss is C's team boss A: 200;
    # A's sponsor T is a boss: 平级 20 on A's 200; C1 is no boss, so no 平级 on the 100
    assert buy(state, "e", "E") == {("C1", "linkage.direct"): 100 * YUAN, ("A", "linkage.see_point"): 200 * YUAN,
                                    ("T", "linkage.peer"): 20 * YUAN, ("residual", "plan.residual"): 10 * YUAN}
    # D: C (boss) is sponsor and team boss: 300; A (C's sponsor) gets 10 + 20
    assert buy(state, "d", "D") == {("C", "linkage.direct"): 100 * YUAN, ("C", "linkage.see_point"): 200 * YUAN,
                                    ("A", "linkage.peer"): 30 * YUAN}


def test_upline_team_gets_the_handed_up_lines() -> None:
    # A is T's third recruit (T's team); A's B1 and B2 stay in T's team forever
    edges = [("T", None), ("P1", "T"), ("P2", "T"), ("A", "T"), ("B1", "A"), ("B2", "A"), ("C", "A"), ("B1x", "B1")]
    state = tree(edges)
    for member, _ in edges[:4]:
        buy(state, member.lower(), member)
    assert buy(state, "b1", "B1")[("T", "linkage.see_point")] == 200 * YUAN
    assert buy(state, "b2", "B2")[("T", "linkage.see_point")] == 200 * YUAN
    got = buy(state, "c", "C")  # A becomes a boss: C is A's own
    assert got[("A", "linkage.see_point")] == 200 * YUAN
    assert ("T", "linkage.peer") in got  # A's sponsor T is a boss
    assert buy(state, "b1x", "B1x")[("T", "linkage.see_point")] == 200 * YUAN  # still T's, after A's promotion
    assert [view(state, m)["team_boss"] for m in ("B1", "B2", "C", "B1x")] == ["T", "T", "A", "T"]


def test_two_plus_one_promotes_at_the_second_recruit() -> None:
    state = tree(SEED_TREE, boss_at=2)
    for order_id, member in (("a", "A"), ("b1", "B1")):
        buy(state, order_id, member)
    # B2 promotes A but is handed up (A has no upline): 100 only
    assert buy(state, "b2", "B2") == {("A", "linkage.direct"): 100 * YUAN, ("residual", "plan.residual"): 230 * YUAN}
    assert view(state, "A")["rank"] == "boss"
    assert buy(state, "c", "C")[("A", "linkage.see_point")] == 200 * YUAN
    buy(state, "c1", "C1")
    # C2 promotes C: C's 100 already pays A 平级 10; C2 is handed up to A (200)
    assert buy(state, "c2", "C2") == {("C", "linkage.direct"): 100 * YUAN, ("A", "linkage.see_point"): 200 * YUAN,
                                      ("A", "linkage.peer"): 10 * YUAN, ("residual", "plan.residual"): 20 * YUAN}


def test_repurchase_pays_again_and_is_no_new_recruit() -> None:
    state = tree(SEED_TREE)
    for order_id, member in (("a", "A"), ("b1", "B1")):
        buy(state, order_id, member)
    assert buy(state, "b1-again", "B1") == {("A", "linkage.direct"): 100 * YUAN,
                                            ("residual", "plan.residual"): 230 * YUAN}
    assert view(state, "A")["recruits"] == 1
    assert view(state, "A")["team_orders"] == 3


def test_other_products_pay_nothing_but_count_as_team_orders() -> None:
    state = tree(SEED_TREE)
    buy(state, "a", "A")
    outcome = accept(state, PayOrder("t", "A", "tea"))
    assert not [p for p in outcome.postings if p.rule.startswith("linkage.")]
    accept(state, PayOrder("t2", "B1", "tea"))  # B1 is a fan: no position, not counted
    assert view(state, "A")["team_orders"] == 2
    assert view(state, "B1") == {"rank": "member"}


def test_fan_sponsor_direct_goes_to_residual_and_position_under_nearest_agent() -> None:
    # F is a fan (never bought); G, sponsored by F, is placed under A, the nearest agent
    edges = [("T", None), ("P1", "T"), ("P2", "T"), ("A", "T"), ("F", "A"), ("G", "F")]
    state = tree(edges)
    for member in ("T", "P1", "P2", "A"):
        buy(state, member.lower(), member)
    got = buy(state, "g", "G")
    # no 直推 (F is a fan); G is nobody's recruit, placed under A (an agent, not a boss) -> T's team
    assert got == {("T", "linkage.see_point"): 200 * YUAN, ("residual", "plan.residual"): 130 * YUAN}
    assert view(state, "G")["placement"] == "A"
    assert view(state, "A")["recruits"] == 0
    assert state.members["G"].placement == "A"
    # F buys later: it is A's first recruit; G does not count for F (it became an agent first)
    buy(state, "f", "F")
    assert (view(state, "A")["recruits"], view(state, "F")["recruits"]) == (1, 0)


def test_spillover_places_4th_5th_in_the_wealth_line_6th_in_a_contribution_line() -> None:
    edges: list[tuple[str, str | None]] = [("A", None), ("B1", "A"), ("B2", "A"), ("C", "A")]
    edges += [(f"D{i}", "A") for i in range(4, 11)]
    state = tree(edges, spillover=True)
    for member, _ in edges:
        buy(state, member.lower(), member)
    placement = {m: view(state, m)["placement"] for m, _ in edges}
    assert placement == {"A": None, "B1": "A", "B2": "A", "C": "A", "D4": "C", "D5": "D4", "D6": "B1",
                         "D7": "D5", "D8": "D7", "D9": "B2", "D10": "D8"}
    assert all(state.members[m].sponsor == "A" for m, _ in edges[1:])  # 直推 stays A's
    assert view(state, "A")["team_size"] == 10
    assert (view(state, "D4")["team_boss"], view(state, "D6")["team_boss"]) == ("A", None)


def test_spillover_weakest_is_earliest_leaf_of_a_branching_line() -> None:
    # C (A's wealth line) has its own recruits C1, C2: the earliest leaf there is C1
    edges: list[tuple[str, str | None]] = [("A", None), ("B1", "A"), ("B2", "A"), ("C", "A"), ("C1", "C"),
                                           ("C2", "C"), ("D4", "A"), ("D5", "A")]
    state = tree(edges, spillover=True)
    for member, _ in edges:
        buy(state, member.lower(), member)
    assert (view(state, "D4")["placement"], view(state, "D5")["placement"]) == ("C1", "C2")


def test_rotation_moves_the_wealth_line_on_ticks() -> None:
    edges: list[tuple[str, str | None]] = [("A", None), ("B1", "A"), ("B2", "A"), ("C", "A")]
    edges += [(f"D{i}", "A") for i in range(4, 10)]
    state = tree(edges, spillover=True, rotation_days=7)
    for member, _ in edges[:4]:
        buy(state, member.lower(), member)
    accept(state, Tick(), 7 * DAY_MS - 1)
    assert plan(state).team.rotation == 0
    accept(state, Tick(), 7 * DAY_MS)  # one week after the first event: the wealth line is B1's
    buy(state, "d4", "D4")
    buy(state, "d5", "D5")
    buy(state, "d6", "D6")  # contribution lines are now B2 and C: B2 is the earlier leaf
    accept(state, Tick(), 14 * DAY_MS)  # wealth line: B2's
    buy(state, "d7", "D7")
    buy(state, "d8", "D8")
    buy(state, "d9", "D9")  # contribution lines: C and B1 (leaves C vs D5): C
    placement = {m: view(state, m)["placement"] for m, _ in edges[4:]}
    assert placement == {"D4": "B1", "D5": "D4", "D6": "B2", "D7": "D6", "D8": "D7", "D9": "C"}
    assert plan(state).view(state)["rotation"] == 2
    # rotation never changes team membership: B1's line stays handed up
    assert view(state, "D4")["team_boss"] is None


def test_tick_without_rotation_is_not_for_linkage() -> None:
    state = tree([("A", None)])
    assert plan(state).handle(state, Tick(), 10 * 7 * DAY_MS) is None


def test_refund_before_settlement_changes_nothing() -> None:
    state = tree(SEED_TREE)
    for order_id, member in (("a", "A"), ("b1", "B1"), ("b2", "B2")):
        buy(state, order_id, member)
    accept(state, PayOrder("c", "C", "pack1000", settle=False))
    before = snapshot(state)["plans"]
    accept(state, RefundOrder("c"))
    assert snapshot(state)["plans"] == before
    assert view(state, "A")["rank"] == "agent"
    assert view(state, "C") == {"rank": "member"}
    assert state.ledger.balance("member:A:cash") == 200 * YUAN


def test_memos_say_why() -> None:
    state = tree(SEED_TREE)
    for order_id, member in (("a", "A"), ("b1", "B1"), ("b2", "B2"), ("c", "C"), ("c1", "C1"), ("c2", "C2")):
        buy(state, order_id, member)
    outcome = accept(state, PayOrder("c3", "C3", "pack1000"))
    memos = {p.rule: p.memo for p in outcome.postings if p.rule.startswith("linkage.")}
    assert memos == {
        "linkage.direct": "直推 direct: sponsor of C3 (100.00 per pack1000)",
        "linkage.see_point": "见点 see-point: team boss of C3 (200.00 per pack1000)",
        "linkage.peer": "平级 peer: 10% of the 200.00 see-point award of boss C (sponsored by this boss)"
                        " on C3's pack1000",
    }
    assert all(p.plan == "linkage" for p in outcome.postings if p.rule.startswith("linkage."))


@pytest.mark.parametrize(("change", "field"), [
    ({"boss_at": 1}, "plans[0].boss_at"),
    ({"boss_at": 2, "spillover": True}, "plans[0].spillover"),
    ({"rotation_days": 7}, "plans[0].rotation_days"),
    ({"spillover": True, "rotation_days": 0}, "plans[0].rotation_days"),
    ({"peer_rate": "120%"}, "plans[0].peer_rate"),
    ({"packs": {}}, "plans[0].packs"),
    ({"packs": {"pack1000": {"direct": "100.00"}}}, "plans[0].packs.pack1000.see_point"),
    ({"packs": {"pack1000": {"direct": "100.00", "see_point": "200.00", "x": 1}}}, "plans[0].packs.pack1000.x"),
    ({"packs": {"pack1000": {"direct": "-1", "see_point": "200.00"}}}, "plans[0].packs.pack1000.direct"),
    ({"spillover": "yes"}, "plans[0].spillover"),
    ({"colour": "red"}, "plans[0].colour"),
    # 110 + 200 + 11 + 20 = 341 > 330
    ({"packs": {"pack1000": {"direct": "110.00", "see_point": "200.00"}}}, "plans[0].bucket"),
    ({"peer_rate": "11%"}, "plans[0].bucket"),  # 100 + 200 + 11 + 22 = 333
])
def test_config_is_validated(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_tenant_config(config(**change))
    assert err.value.field == field


def test_missing_packs_is_rejected() -> None:
    data = config()
    del data["plans"][0]["packs"]
    with pytest.raises(ConfigError) as err:
        parse_tenant_config(data)
    assert err.value.field == "plans[0].packs"


def test_max_payout_is_330_per_1000_pack() -> None:
    spec = parse_tenant_config(config()).plans[0]
    assert spec.max_payout_cents(100_000, (), "pack1000") == 330 * YUAN
    assert spec.max_payout_cents(10_000, (), "tea") == 0


def test_spilled_position_joins_its_placement_parents_team_when_that_parent_is_promoted() -> None:
    # D4 spills under C (A's wealth line head, an agent): in A's team, until C becomes a boss
    edges: list[tuple[str, str | None]] = [("A", None), ("B1", "A"), ("B2", "A"), ("C", "A"), ("D4", "A"),
                                           ("C1", "C"), ("C2", "C"), ("C3", "C"), ("E", "D4")]
    state = tree(edges, spillover=True)
    for member in ("A", "B1", "B2", "C", "D4", "C1", "C2"):
        buy(state, member.lower(), member)
    assert (view(state, "D4")["placement"], view(state, "D4")["team_boss"]) == ("C", "A")
    buy(state, "c3", "C3")  # C is promoted: D4 (not C's recruit) is now in C's team
    assert view(state, "D4")["team_boss"] == "C"
    assert buy(state, "e", "E")[("C", "linkage.see_point")] == 200 * YUAN  # E: D4's B1, handed up to C
