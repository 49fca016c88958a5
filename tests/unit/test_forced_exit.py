"""forced_exit.py: forced exits (出局), lowest exit price first, cascades, ties."""

from __future__ import annotations

from tests.strategies import accept, local_life_config, make_state, seed_config
from zengzhi.domain.events import Inject, Join, PayOrder, Sell
from zengzhi.domain.exit_heap import is_due
from zengzhi.domain.ledger import CNY, EXTERNAL_POINTS, POOL, PTS, Posting
from zengzhi.domain.split import SplitPart
from zengzhi.domain.state import State
from zengzhi.engine.queries import member_view, pool_view


def three_orders(config: dict[str, object] | None = None, product: str = "pack1000") -> State:
    state = make_state(config)
    for member in "ABC":
        accept(state, Join(member))
    for i, member in enumerate("ABC"):
        accept(state, PayOrder(f"o{i}", member, product))
    return state


def due(state: State) -> list[str]:
    k, pool = state.config.pool.exit_multiple, state.pool
    return [m.member_id for m in state.members.values()
            if is_due(m, k, pool.money_cents, pool.points_units)]


def cash(state: State, member: str) -> str:
    return str(member_view(state, member)["cash"])


def test_subsidy_to_exactly_the_exit_price_exits_a() -> None:
    state = make_state()
    accept(state, Join("A"))
    accept(state, PayOrder("o1", "A", "pack1000"))
    # one cent short of 3000/210: not due
    assert accept(state, Inject(269_999)).exits == ()
    assert state.members["A"].cycle_active
    # P = 3000.00, N = 210: the price is exactly 3 * 1000 / 210 (14.2857..), so A is due
    outcome = accept(state, Inject(1))
    assert outcome.exits == ("A",)
    assert outcome.postings[1:] == (
        Posting("member:A:points", EXTERNAL_POINTS, PTS, 2_100_000, "exit.points"),
        Posting(POOL, "member:A:cash", CNY, 240_000, "exit.payout"),
    )
    assert cash(state, "A") == "2400.00"
    assert pool_view(state) == {"money": "600.00", "points": "0.0000", "price": "14.2857"}
    member = state.members["A"]
    assert (member.cycle_active, member.exits, state.exits_total) == (False, 1, 1)


def test_local_life_exit_at_k_1_2_sells_for_960() -> None:
    state = three_orders(local_life_config(), "store1000")
    # A's 112 points are worth 1200 at 1200/112 = 10.7143: P must reach 257.04 * 1200/112
    assert accept(state, Inject(227_399)).exits == ()
    outcome = accept(state, Inject(1))
    assert outcome.exits == ("A",)
    assert cash(state, "A") == "960.00"
    assert pool_view(state) == {"money": "1794.00", "points": "145.0400", "price": "12.3690"}
    assert due(state) == []


def test_local_life_single_member_exit() -> None:
    state = make_state(local_life_config())
    accept(state, Join("A"))
    accept(state, PayOrder("o1", "A", "store1000"))
    assert accept(state, Inject(104_000)).exits == ("A",)  # P = 1200.00, N = 112
    assert cash(state, "A") == "960.00"
    assert pool_view(state)["price"] == "10.7143"


def test_cascade_on_one_event_lowest_exit_price_first() -> None:
    state = three_orders()
    before_exits = (state.pool.money_cents + 761_989, state.pool.points_units)
    # before any exit only A is due; each exit lifts the price onto the next exit price
    k = state.config.pool.exit_multiple
    assert [m for m in "ABC" if is_due(state.members[m], k, *before_exits)] == ["A"]
    outcome = accept(state, Inject(761_989))
    assert outcome.exits == ("A", "B", "C")
    # B exits at exactly its exit price 3000/147 (P = 5550.00, N = 271.95): 2400.00
    assert [cash(state, m) for m in "ABC"] == ["2969.89", "2400.00", "2520.00"]
    assert pool_view(state) == {"money": "630.00", "points": "0.0000", "price": "25.2101"}
    assert state.exits_total == 3


def test_one_cent_less_and_the_cascade_stops_after_a() -> None:
    state = three_orders()
    assert accept(state, Inject(761_988)).exits == ("A",)
    assert due(state) == []
    assert state.members["B"].cycle_active


def test_lowest_exit_price_goes_first_not_the_earliest_member() -> None:
    state = make_state()
    accept(state, Join("A"))
    accept(state, Join("B"))
    accept(state, PayOrder("a1", "A", "pack1000"))  # x = 3000/210 = 14.29
    rich_split = (SplitPart("platform", 100), SplitPart("pool", 9_900))
    accept(state, PayOrder("b1", "B", amount_cents=10_000, split=rich_split))
    assert state.members["B"].cycle_units == 485_100  # 69.30 at 300/210: x = 300/48.51 = 6.18
    outcome = accept(state, Inject(500_000))
    assert outcome.exits == ("B", "A")


def tie_state(first: str, second: str) -> State:
    """Two cycles with the same exit price 1000/50 = 20 (k = 1, g = 0.5)."""
    state = make_state(seed_config(grant_ratio="0.50", exit_multiple="1"))
    accept(state, Join("amy"))
    accept(state, Join("zed"))
    # the first buyer gets 50 points at 1.00 for 100 into the pool; the second 50 at 2.00
    accept(state, PayOrder("o1", first, amount_cents=100_000,
                           split=(SplitPart("cost", 90_000), SplitPart("pool", 10_000))))
    accept(state, PayOrder("o2", second, amount_cents=100_000,
                           split=(SplitPart("cost", 80_000), SplitPart("pool", 20_000))))
    assert state.members["amy"].cycle_units == state.members["zed"].cycle_units == 500_000
    return state


def test_ties_go_to_the_earlier_cycle_start() -> None:
    for first, second in (("zed", "amy"), ("amy", "zed")):
        state = tie_state(first, second)
        assert accept(state, Inject(169_999)).exits == ()
        assert accept(state, Inject(1)).exits == (first, second)  # price exactly 20


def test_a_sale_can_trigger_another_members_exit() -> None:
    state = make_state()
    for member in "AB":
        accept(state, Join(member))
        accept(state, PayOrder(f"o{member}", member, "pack1000"))
    accept(state, Inject(449_999))  # P = 5099.99, N = 357: just below 3000/210
    assert due(state) == []
    outcome = accept(state, Sell("B", 10_000))
    assert outcome.exits == ("A",)
    assert state.members["B"].cycle_active


def test_an_order_can_trigger_exits_and_tags_them_with_the_order() -> None:
    state = make_state(seed_config(exit_multiple="1.2"))
    all_pool = (SplitPart("pool", 10_000),)
    for member in "ABC":
        accept(state, Join(member))
    accept(state, PayOrder("o1", "A", amount_cents=10_000, split=all_pool))  # 70 pts, x 1.714
    assert accept(state, PayOrder("o2", "B", amount_cents=10_000, split=all_pool)).exits == ()
    outcome = accept(state, PayOrder("o3", "C", amount_cents=10_000, split=all_pool))
    assert outcome.exits == ("A",)
    exit_postings = [p for p in outcome.postings if p.rule.startswith("exit.")]
    assert {p.order_id for p in exit_postings} == {"o3"}


def test_no_forced_exit_without_a_multiple() -> None:
    state = three_orders(seed_config(exit_multiple="0"))
    assert accept(state, Inject(100_000_000)).exits == ()
    assert all(m.cycle_active for m in state.members.values())
    assert state.exits_total == 0
