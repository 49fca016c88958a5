"""exit_heap.py: exact exit-price order, ties by cycle start, stale entries skipped."""

from __future__ import annotations

from zengzhi.domain.exit_heap import ExitHeap, is_due
from zengzhi.domain.money import Ratio
from zengzhi.domain.state import Member

K3 = Ratio(3, 1)


def member(member_id: str, spent_cents: int, cycle_units: int, cycle_seq: int) -> Member:
    m = Member(member_id, None, None, cycle_seq)
    m.cycle_active = True
    m.spent_cents = spent_cents
    m.cycle_units = cycle_units
    m.cycle_seq = cycle_seq
    return m


def heap_of(*members: Member, k: Ratio | None = K3) -> tuple[ExitHeap, dict[str, Member]]:
    heap = ExitHeap(k)
    for m in members:
        heap.push(m)
    return heap, {m.member_id: m for m in members}


def drain(heap: ExitHeap, members: dict[str, Member], money: int, points: int) -> list[str]:
    out = []
    while (m := heap.pop_due(members, money, points)) is not None:
        out.append(m.member_id)
    return out


def test_pops_in_exit_price_order_while_due() -> None:
    a = member("A", 100_000, 2_100_000, 1)  # x = 3000/210
    b = member("B", 100_000, 1_470_000, 2)  # x = 3000/147
    heap, members = heap_of(b, a)
    assert drain(heap, members, 299_999, 2_100_000) == []  # price just under A's x
    assert drain(heap, members, 300_000, 2_100_000) == ["A"]
    assert drain(heap, members, 10**9, 1) == ["B"]


def test_nearly_equal_exit_prices_are_ordered_exactly() -> None:
    # x_a = 3 * 1 / 3 = 1 and x_b = 3 * 333_333_333 / 999_999_998 = 1.000000003
    a = member("a", 1, 3, 2)
    b = member("b", 333_333_333, 999_999_998, 1)
    heap, members = heap_of(b, a)
    assert drain(heap, members, 10**12, 1) == ["a", "b"]


def test_equal_exit_prices_go_to_the_earlier_cycle_start() -> None:
    late = member("a", 100_000, 2_000_000, 7)
    early = member("z", 50_000, 1_000_000, 3)  # same x = 3000/200
    heap, members = heap_of(late, early)
    assert drain(heap, members, 10**9, 1) == ["z", "a"]


def test_stale_and_closed_entries_are_skipped() -> None:
    a = member("A", 100_000, 2_100_000, 1)
    b = member("B", 100_000, 1_470_000, 2)
    heap, members = heap_of(a, b)
    a.version += 1  # A's cycle changed without a new push: its entry is stale
    b.cycle_active = False
    assert drain(heap, members, 10**9, 1) == []
    assert heap.entries == []


def test_compact_drops_stale_entries() -> None:
    a = member("A", 100_000, 2_100_000, 1)
    heap, members = heap_of(a)
    a.version += 1
    heap.push(a)
    heap.compact(members)
    assert len(heap.entries) == 1
    assert drain(heap, members, 300_000, 2_100_000) == ["A"]


def test_nothing_is_pushed_without_a_multiple_points_or_an_active_cycle() -> None:
    heap, _ = heap_of(member("A", 100, 10, 1), k=None)
    assert heap.entries == []
    no_points = member("B", 100, 0, 1)
    closed = member("C", 100, 10, 2)
    closed.cycle_active = False
    heap, members = heap_of(no_points, closed)
    assert heap.entries == []
    assert heap.pop_due(members, 10**9, 1) is None


def test_no_exit_when_no_points_circulate() -> None:
    heap, members = heap_of(member("A", 100, 10, 1))
    assert heap.pop_due(members, 10**9, 0) is None


def test_is_due_is_the_division_free_comparison() -> None:
    a = member("A", 100_000, 2_100_000, 1)
    assert is_due(a, K3, 300_000, 2_100_000)  # exactly at x
    assert not is_due(a, K3, 299_999, 2_100_000)
    assert is_due(a, Ratio(6, 5), 120_000, 2_100_000)  # 1.2 x
    assert not is_due(a, None, 10**9, 1)
    a.cycle_active = False
    assert not is_due(a, K3, 10**9, 1)
    assert not is_due(member("B", 100, 0, 1), K3, 10**9, 1)
