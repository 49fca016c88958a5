"""The exit-price heap behind forced exit (强制出局).

A member's exit price is ``x = k * spent / cycle_points`` (cents per point
unit). It changes only when the member's own cycle changes, and the price
never falls, so a min-heap keyed by ``x`` with lazily skipped stale entries
finds every due member in O(log n) — never a scan of all members.

Heap keys are ``floor(x * 2**128)``: with denominators below 2**63 two
different exit prices always get different keys, so the key order is the
exact order of ``x``; ties (equal ``x``) go to the earlier cycle start. The
due test itself is exact and division-free: ``k*spent*N <= P*cycle_points``.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

from zengzhi.domain.money import Ratio

if TYPE_CHECKING:
    from zengzhi.domain.state import Member

KEY_SCALE_BITS = 128
DENOMINATOR_MAX = 1 << 63

# (key, cycle_seq, member_id, version)
Entry = tuple[int, int, str, int]


class ExitHeap:
    __slots__ = ("multiple", "entries")

    def __init__(self, multiple: Ratio | None) -> None:
        self.multiple = multiple
        self.entries: list[Entry] = []

    def push(self, member: Member) -> None:
        """Record the member's current exit price (call after its cycle changed)."""
        k = self.multiple
        if k is None or not member.cycle_active or member.cycle_units == 0:
            return
        den = k.den * member.cycle_units
        assert den < DENOMINATOR_MAX, "cycle too large for exact heap keys"
        key = ((k.num * member.spent_cents) << KEY_SCALE_BITS) // den
        heapq.heappush(self.entries, (key, member.cycle_seq, member.member_id, member.version))

    def pop_due(self, members: dict[str, Member], money_cents: int, points_units: int
                ) -> Member | None:
        """Pop and return the due member with the lowest exit price, if any."""
        k = self.multiple
        entries = self.entries
        if points_units == 0:
            return None  # no points circulate, so no cycle holds any
        while entries:
            _, _, member_id, version = entries[0]
            member = members[member_id]
            if member.version != version or not member.cycle_active:
                heapq.heappop(entries)
                continue
            assert k is not None
            if k.num * member.spent_cents * points_units <= k.den * money_cents * member.cycle_units:
                heapq.heappop(entries)
                return member
            return None
        return None

    def compact(self, members: dict[str, Member]) -> None:
        """Drop stale entries (bounded memory on long runs)."""
        self.entries = [
            e for e in self.entries
            if members[e[2]].version == e[3] and members[e[2]].cycle_active
        ]
        heapq.heapify(self.entries)


def is_due(member: Member, multiple: Ratio | None, money_cents: int, points_units: int) -> bool:
    """The exact due test for one member (used by the brute-force check)."""
    if multiple is None or not member.cycle_active or member.cycle_units == 0:
        return False
    lhs = multiple.num * member.spent_cents * points_units
    return lhs <= multiple.den * money_cents * member.cycle_units
