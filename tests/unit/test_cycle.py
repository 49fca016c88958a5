"""cycle.py: reinvestment cycles (复投): open, extend, close, open again."""

from __future__ import annotations

from tests.strategies import accept, make_state
from zengzhi.domain.events import Inject, Join, PayOrder
from zengzhi.engine.queries import member_view, pool_view


def test_orders_extend_the_active_cycle() -> None:
    state = make_state()
    accept(state, Join("A"))
    accept(state, PayOrder("o1", "A", "pack1000"))
    accept(state, PayOrder("o2", "A", "pack1000"))
    member = state.members["A"]
    assert (member.cycle_seq, state.cycles_started) == (1, 1)
    assert member.spent_cents == 200_000
    assert member.cycle_units == 2_100_000 + 1_470_000


def test_an_exited_member_reinvests_into_a_new_cycle() -> None:
    state = make_state()
    accept(state, Join("A"))
    accept(state, PayOrder("o1", "A", "pack1000"))
    assert accept(state, Inject(270_000)).exits == ("A",)
    assert member_view(state, "A")["spent"] == "0.00"

    # 复投: the next order starts a new cycle, granted at the last price 3000/210
    accept(state, PayOrder("o2", "A", "pack1000"))
    member = state.members["A"]
    assert member.cycle_active
    assert (member.cycle_seq, state.cycles_started, member.exits) == (2, 2, 1)
    assert (member.spent_cents, member.cycle_units) == (100_000, 147_000)  # 210 / 14.2857 = 14.7
    assert member_view(state, "A")["spent"] == "1000.00"
    assert pool_view(state) == {"money": "900.00", "points": "14.7000", "price": "61.2245"}

    # the new exit price is 3 * 1000 / 14.7 = 204.08: P must reach 3000.00 again
    assert accept(state, Inject(209_999)).exits == ()
    assert accept(state, Inject(1)).exits == ("A",)
    assert member_view(state, "A")["cash"] == "4800.00"
    assert (member.exits, state.exits_total) == (2, 2)


def test_stale_heap_entries_do_not_exit_anyone() -> None:
    state = make_state()
    accept(state, Join("A"))
    accept(state, PayOrder("o1", "A", "pack1000"))  # x = 3000/210
    accept(state, PayOrder("o2", "A", "pack1000"))  # x = 6000/357 now: the old entry is stale
    # P = 600 + 4399.99, N = 357: beyond the stale 14.29, below 16.81 (6000/357)
    assert accept(state, Inject(539_999)).exits == ()
    assert accept(state, Inject(1)).exits == ("A",)
