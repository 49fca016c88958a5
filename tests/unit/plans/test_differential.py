"""级差奖 tier differential + 平级奖 peer bonus: hand-computed seed-002 numbers.

Products: a 1000 pack with a 30.00 tier bucket (seed 002 part 5), a 10000
pack (the v7 pack) and a 10000 plain order, both with a 300.00 tier bucket.
Rates are cumulative, of the order amount: v1 0.5%, v2 1%, v3 1.5% … v7 2.7%.
"""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from tests.strategies import accept, assert_rejected, make_state
from zengzhi.domain.config import ConfigError, parse_tenant_config
from zengzhi.domain.events import Join, PayOrder, RefundOrder, SetRank
from zengzhi.domain.ledger import RESIDUAL, Posting
from zengzhi.domain.plans.differential import Differential
from zengzhi.domain.plans.ranks import NONE, Gate, RankIndex
from zengzhi.domain.results import ResultCode
from zengzhi.domain.state import State

RANKS: list[dict[str, Any]] = [
    {"name": "v1", "rate": "0.5%", "volume": "10000.00"},
    {"name": "v2", "rate": "1%", "volume": "2000.00", "directs": 2},
    {"name": "v3", "rate": "1.5%", "volume": "100000.00"},
    {"name": "v4", "rate": "1.8%"},
    {"name": "v5", "rate": "2.1%"},
    {"name": "v6", "rate": "2.4%"},
    {"name": "v7", "rate": "2.7%", "pack": "pack10000"},
]


def config(**plan: Any) -> dict[str, Any]:
    differential = {"type": "differential", "bucket": "tier", "ranks": RANKS, "peer_rate": "10%"}
    differential.update(plan)
    split1000 = {"tier": "30.00", "pool": "300.00", "cost": "670.00"}
    split10000 = {"tier": "300.00", "pool": "3000.00", "cost": "6700.00"}
    return {
        "pool": {"initial_price": "1.00", "grant_ratio": "0.70", "sell_retention": "0.20", "exit_multiple": "3"},
        "products": {"pack1000": {"price": "1000.00", "split": split1000},
                     "pack10000": {"price": "10000.00", "split": split10000},
                     "plain10000": {"price": "10000.00", "split": split10000}},
        "plans": [differential],
    }


def chain(*members: str, **plan: Any) -> State:
    """``members`` top to bottom: each sponsors the next."""
    state = make_state(config(**plan))
    sponsor = None
    for member in members:
        accept(state, Join(member, sponsor))
        sponsor = member
    return state


def ranks(state: State, **set_to: str) -> None:
    for member, rank in set_to.items():
        accept(state, SetRank(member, rank))


def paid(postings: tuple[Posting, ...]) -> list[tuple[str, int, str]]:
    return [(p.to_account.split(":")[1], p.amount, p.rule) for p in postings if p.plan == "differential"]


def residual(postings: tuple[Posting, ...]) -> int:
    return sum(p.amount for p in postings if p.to_account == RESIDUAL)


def plan_of(state: State) -> Differential:
    plan = state.plans[0]
    assert isinstance(plan, Differential)
    return plan


def rank_of(state: State, member: str) -> str | None:
    return plan_of(state).rank_name(state.members[member])


def test_v1_v2_v3_up_the_chain_each_get_the_difference() -> None:
    state = chain("A", "B", "C", "D")
    ranks(state, A="v3", B="v2", C="v1")
    outcome = accept(state, PayOrder("o1", "D", "pack1000"))
    # C 0.5% = 5.00; B 1% - 0.5% = 5.00; A 1.5% - 1% = 5.00; 15.00 of 30.00 left to residual
    assert paid(outcome.postings) == [("C", 500, "differential.tier"), ("B", 500, "differential.tier"),
                                      ("A", 500, "differential.tier")]
    assert residual(outcome.postings) == 1500
    memo = next(p.memo for p in outcome.postings if p.plan and p.to_account.endswith("B:cash"))
    assert memo == "级差 tier differential: v2 1% over 0.5% already paid = 0.5% of 1000.00 on D's order"


def test_a_lower_or_equal_rank_above_a_payee_gets_no_differential() -> None:
    state = chain("A", "B", "C", "D")
    ranks(state, A="v1", B="v3", C="v2")
    outcome = accept(state, PayOrder("o1", "D", "pack1000"))
    # C 1% = 10.00; B 1.5% - 1% = 5.00; A (v1) is below what was paid: nothing
    assert paid(outcome.postings) == [("C", 1000, "differential.tier"), ("B", 500, "differential.tier")]


def test_equal_rank_above_a_payee_gets_the_peer_bonus() -> None:
    state = chain("A", "B", "C", "D")
    ranks(state, A="v3", B="v1", C="v1")
    outcome = accept(state, PayOrder("o1", "D", "pack1000"))
    # C 5.00; B (v1) not above; A 10.00; 平级: B, the first not lower than C, is v1 too: 10% of 5.00
    assert paid(outcome.postings) == [("C", 500, "differential.tier"), ("A", 1000, "differential.tier"),
                                      ("B", 50, "differential.peer")]
    memo = next(p.memo for p in outcome.postings if p.rule == "differential.peer")
    assert memo == "平级 peer bonus (generation 1): 10% of C's 级差 5.00 (both v1) on D's order"


def test_a_higher_rank_first_above_the_payee_ends_the_peer_search() -> None:
    state = chain("A", "B", "C", "D")
    ranks(state, A="v1", B="v2", C="v1")
    outcome = accept(state, PayOrder("o1", "D", "pack1000"))
    # the first member above C not lower than v1 is B (v2): the next payee, not a peer; A is not asked
    assert paid(outcome.postings) == [("C", 500, "differential.tier"), ("B", 500, "differential.tier")]


def test_peer_generations_go_up_from_the_previous_peer() -> None:
    state = chain("A", "B", "X", "C", "D", peer_generations=2, peer_rate="5%")  # 27.00 + 2 x 1.35 fits
    ranks(state, A="v1", B="v1", C="v1")
    outcome = accept(state, PayOrder("o1", "D", "pack1000"))
    # X has no rank: skipped; B then A each get 5% of C's 5.00
    assert paid(outcome.postings) == [("C", 500, "differential.tier"), ("B", 25, "differential.peer"),
                                      ("A", 25, "differential.peer")]


def test_no_upline_pays_nothing_and_the_bucket_is_residual() -> None:
    state = chain("A")
    ranks(state, A="v7")
    outcome = accept(state, PayOrder("o1", "A", "pack1000"))  # one's own order never pays oneself
    assert paid(outcome.postings) == []
    assert residual(outcome.postings) == 3000


def test_the_walk_stops_once_the_top_rate_is_paid() -> None:
    state = chain("A", "B", "C", "D")
    ranks(state, A="v3", B="v7", C="v7")
    outcome = accept(state, PayOrder("o1", "D", "pack1000"))
    # C takes the whole 2.7% = 27.00 at once; B (v7 too) gets the peer bonus 2.70; A nothing
    assert paid(outcome.postings) == [("C", 2700, "differential.tier"), ("B", 270, "differential.peer")]
    assert residual(outcome.postings) == 30


def test_the_order_that_crosses_a_volume_threshold_pays_at_the_old_rank() -> None:
    state = chain("A", "B")
    first = accept(state, PayOrder("o1", "B", "plain10000"))
    assert paid(first.postings) == []  # A's umbrella was 0 before this order
    assert rank_of(state, "A") == "v1"  # 10000.00 umbrella from now on
    second = accept(state, PayOrder("o2", "B", "pack1000"))
    assert paid(second.postings) == [("A", 500, "differential.tier")]


def test_own_orders_are_not_umbrella_volume() -> None:
    state = chain("A", "B")
    accept(state, PayOrder("o1", "A", "plain10000"))
    assert rank_of(state, "A") is None
    assert plan_of(state).member_view(state, state.members["A"]) == {"tier_rank": None, "umbrella": "0.00"}
    assert plan_of(state).member_view(state, state.members["B"]) == {"tier_rank": None, "umbrella": "0.00"}


def test_directs_rank_needs_recruits_who_bought_and_the_volume() -> None:
    state = chain("A", "B")
    accept(state, Join("C", "A"))
    accept(state, Join("D", "C"))
    accept(state, PayOrder("o1", "B", "pack1000"))
    assert rank_of(state, "A") is None  # one effective direct (有效直推); C has not bought
    accept(state, PayOrder("o2", "D", "pack1000"))
    assert rank_of(state, "A") is None  # D's order is umbrella volume but D is not A's direct
    accept(state, PayOrder("o3", "C", "pack1000"))  # C's first order: A has 2 directs and 3000.00
    assert rank_of(state, "A") == "v2"
    outcome = accept(state, PayOrder("o4", "D", "pack1000"))
    assert paid(outcome.postings) == [("A", 1000, "differential.tier")]


def test_directs_without_the_volume_give_no_rank_until_the_volume_comes() -> None:
    gated = [{"name": "v1", "rate": "0.5%", "volume": "20000.00"},
             {"name": "v2", "rate": "1%", "volume": "5000.00", "directs": 2}]
    state = chain("A", ranks=gated)
    accept(state, Join("B", "A"))
    accept(state, Join("C", "A"))
    accept(state, PayOrder("o1", "B", "pack1000"))
    accept(state, PayOrder("o2", "C", "pack1000"))
    assert rank_of(state, "A") is None  # 2 effective directs, but 2000.00 < 5000.00
    accept(state, PayOrder("o3", "B", "plain10000"))
    assert rank_of(state, "A") == "v2"  # 12000.00: v2's gate and volume hold, v1's 20000.00 does not


def test_buying_the_pack_raises_the_rank_from_the_next_order_on() -> None:
    state = chain("A", "B", "C")
    first = accept(state, PayOrder("o1", "B", "pack10000"))
    # B bought it: B's rank changes, not A's; A has 10000.00 umbrella now (v1)
    assert paid(first.postings) == []
    assert (rank_of(state, "A"), rank_of(state, "B")) == ("v1", "v7")
    second = accept(state, PayOrder("o2", "C", "pack1000"))
    # B 2.7% = 27.00, the top: A (v1) gets no peer, being lower
    assert paid(second.postings) == [("B", 2700, "differential.tier")]


def test_set_rank_rejections_change_nothing() -> None:
    state = chain("A", "B")
    ranks(state, A="v3")
    assert_rejected(state, SetRank("A", "v2"), ResultCode.INVALID_RANK, "rank")  # ranks do not fall
    assert_rejected(state, SetRank("A", "v9"), ResultCode.INVALID_RANK, "rank")
    assert_rejected(state, SetRank("A", "v4", region="440100"), ResultCode.INVALID_FIELD, "region")
    assert_rejected(state, SetRank("Z", "v4"), ResultCode.UNKNOWN_MEMBER, "member")
    accept(state, SetRank("A", "v3"))  # the same rank again: accepted, nothing changes
    accept(state, SetRank("A", "v5"))
    assert rank_of(state, "A") == "v5"


def test_a_refund_before_settlement_leaves_the_plan_untouched() -> None:
    state = chain("A", "B")
    accept(state, PayOrder("o1", "B", "plain10000", settle=False))
    before = pickle.dumps(state.plans)
    accept(state, RefundOrder("o1"))
    assert pickle.dumps(state.plans) == before
    assert rank_of(state, "A") is None
    assert plan_of(state).index.umbrella(0) == 0


def test_base_bucket_applies_the_rates_to_the_bucket() -> None:
    bucket_ranks = [{"name": "v1", "rate": "50%"}, {"name": "v2", "rate": "90%"}]
    state = chain("A", "B", "C", base="bucket", ranks=bucket_ranks)
    ranks(state, A="v2", B="v1")
    outcome = accept(state, PayOrder("o1", "C", "pack1000"))
    # of the 30.00 bucket: B 50% = 15.00, A 40% = 12.00; peer 10% of B's 15.00 would need a v1 above
    assert paid(outcome.postings) == [("B", 1500, "differential.tier"), ("A", 1200, "differential.tier")]


@pytest.mark.parametrize(("plan", "field"), [
    ({"ranks": []}, "plans[0].ranks"),
    ({"ranks": [{"name": "v1"}]}, "plans[0].ranks[0].rate"),
    ({"ranks": [{"name": "v1", "rate": "1%"}, {"name": "v2", "rate": "1%"}]}, "plans[0].ranks[1].rate"),
    ({"ranks": [{"name": "v1", "rate": "0%"}]}, "plans[0].ranks[0].rate"),
    ({"ranks": [{"name": "v1", "rate": "1%"}, {"name": "v1", "rate": "2%"}]}, "plans[0].ranks[1].name"),
    ({"ranks": [{"name": "v1", "rate": "1%", "volume": "-1"}]}, "plans[0].ranks[0].volume"),
    ({"ranks": [{"name": "v1", "rate": "1%", "directs": 0}]}, "plans[0].ranks[0].directs"),
    ({"ranks": [{"name": "v1", "rate": "1%", "level": 3}]}, "plans[0].ranks[0].level"),
    ({"ranks": [{"name": "v1", "rate": "120%"}]}, "plans[0].ranks[0].rate"),
    ({"base": "price"}, "plans[0].base"),
    ({"peer_rate": "1.5"}, "plans[0].peer_rate"),
    ({"peer_generations": 0}, "plans[0].peer_generations"),
    ({"fall": True}, "plans[0].fall"),
    ({"fall": "no"}, "plans[0].fall"),
    ({"bucket": None}, "plans[0].bucket"),
])
def test_config_errors_name_the_field(plan: dict[str, Any], field: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_tenant_config(config(**plan))
    assert error.value.field == field


def test_the_peer_bonus_must_fit_the_bucket_with_the_top_rate() -> None:
    # 2.7% + 2 generations x 20% of it = 3.78% of 1000.00 = 37.80 > the 30.00 tier bucket
    with pytest.raises(ConfigError) as error:
        parse_tenant_config(config(peer_rate="20%", peer_generations=2))
    assert "tier" in str(error.value)
    parse_tenant_config(config(peer_rate="10%", peer_generations=1))  # 27.00 + 2.70 fits


def test_rank_index_answers_on_a_100k_chain_without_walking_it() -> None:
    index = RankIndex(3, ((1, 1000),), (Gate(2, 5000),))
    for node in range(100_000):
        index.add_node(node, node - 1 if node else None)
    index.add_volume(99_999, 1000)  # every ancestor of the last member: umbrella 10.00 -> v1
    assert (index.umbrella(0), index.umbrella(99_998), index.umbrella(99_999)) == (1000, 1000, 0)
    assert index.nearest(99_999, 0) == 99_998
    index.raise_explicit(7, 3)
    assert index.nearest(99_998, 1) == 7
    index.mark_gate(50_000, 0)  # its recruit count passed v2's, but 10.00 < 50.00: not v2 yet
    assert index.nearest(99_998, 1) == 7
    index.add_volume(60_000, 4000)
    assert index.rank(50_000) == 2
    assert index.nearest(99_998, 1) == 50_000
    assert index.nearest(6, 0) == 6 and index.nearest(0, 1) == NONE and index.parent(0) == NONE


def test_a_leaf_moved_to_a_path_of_its_own_keeps_its_rank_and_volume() -> None:
    index = RankIndex(2, (), ())
    for node, parent in ((0, None), (1, 0), (2, 1)):
        index.add_node(node, parent)
    index.raise_explicit(2, 2)  # the tail of the 0-1-2 line, a leaf
    index.add_node(3, 1)  # 1's next (2) is a leaf: 3 continues the line, 2 gets its own path
    index.add_node(4, 2)
    index.add_volume(4, 100)
    assert [index.umbrella(n) for n in range(5)] == [100, 100, 100, 0, 0]
    assert (index.parent(2), index.parent(3), index.parent(4)) == (1, 1, 2)
    assert index.nearest(4, 0) == 2 and index.nearest(3, 0) == NONE and index.rank(2) == 2
