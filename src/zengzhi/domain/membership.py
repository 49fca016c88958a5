"""Joining (入会): a member id, its sponsor (推荐人, fixed for life) and region."""

from __future__ import annotations

from zengzhi.domain.events import Join
from zengzhi.domain.results import Outcome, ResultCode, reject
from zengzhi.domain.state import Member, State

MEMBER_ID_LENGTH_MAX = 64


def join_member(state: State, event: Join, at_ms: int) -> Outcome:
    member_id = event.member
    if not member_id or len(member_id) > MEMBER_ID_LENGTH_MAX or ":" in member_id:
        return reject(ResultCode.INVALID_FIELD, "member",
                      f"member id must be 1-{MEMBER_ID_LENGTH_MAX} characters without ':'")
    if member_id in state.members:
        return reject(ResultCode.MEMBER_EXISTS, "member", f"member {member_id!r} already joined")
    sponsor = event.sponsor
    if sponsor is not None:
        # the sponsor must already exist, so only naming oneself can close a cycle
        if sponsor == member_id:
            return reject(ResultCode.SPONSOR_CYCLE, "sponsor", "a member cannot sponsor itself")
        if sponsor not in state.members:
            return reject(ResultCode.UNKNOWN_MEMBER, "sponsor", f"unknown sponsor {sponsor!r}")
    for plan in state.plans:
        refused = plan.check_join(state, event)
        if refused is not None:
            return Outcome(rejection=refused)
    member = Member(member_id, sponsor, event.region, len(state.members))
    state.members[member_id] = member
    for plan in state.plans:
        plan.on_join(state, member, at_ms)
    return Outcome()
