"""Reinvestment cycles (复投): how an order opens or extends a member's cycle,
and how a sale of everything or a forced exit closes it."""

from __future__ import annotations

from zengzhi.domain.state import Member, State


def extend_cycle(state: State, member: Member, spent_cents: int, granted_units: int) -> None:
    if not member.cycle_active:
        state.cycles_started += 1
        member.cycle_active = True
        member.spent_cents = 0
        member.cycle_units = 0
        member.cycle_seq = state.cycles_started
    member.spent_cents += spent_cents
    member.cycle_units += granted_units
    member.version += 1
    state.heap.push(member)
    # stale heap entries are dropped now and then, keeping memory O(members)
    if len(state.heap.entries) > 2 * len(state.members) + 1024:
        state.heap.compact(state.members)


def close_cycle(member: Member) -> None:
    member.cycle_active = False
    member.version += 1
