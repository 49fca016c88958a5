"""Plan events: ``set_rank``, ``close_period`` and ``tick``, handed to the plans.

A named plan must exist; without a name, every plan that handles the event
type gets it (``set_rank`` needs exactly one such plan). A plan answers
``None`` for events that are not for it.
"""

from __future__ import annotations

from zengzhi.domain.events import ClosePeriod, SetRank, Tick
from zengzhi.domain.ledger import Posting
from zengzhi.domain.plans.base import Plan
from zengzhi.domain.results import Outcome, ResultCode, reject
from zengzhi.domain.state import State


def _named(state: State, name: str | None) -> tuple[Plan, ...] | Outcome:
    if name is None:
        return state.plans
    for plan in state.plans:
        if plan.name == name:
            return (plan,)
    return reject(ResultCode.UNKNOWN_PLAN, "plan", f"no plan named {name!r}")


def set_rank(state: State, event: SetRank, at_ms: int) -> Outcome:
    if event.member not in state.members:
        return reject(ResultCode.UNKNOWN_MEMBER, "member", f"unknown member {event.member!r}")
    plans = _named(state, event.plan)
    if isinstance(plans, Outcome):
        return plans
    takers = [p for p in plans if p.handles_ranks]
    if not takers:
        return reject(ResultCode.UNKNOWN_PLAN, "plan", "no plan with ranks" + (
            f" named {event.plan!r}" if event.plan else ""))
    if len(takers) > 1:
        return reject(ResultCode.INVALID_FIELD, "plan",
                      f"several plans have ranks ({', '.join(p.name for p in takers)}): name one")
    outcome = takers[0].handle(state, event, at_ms)
    assert outcome is not None, f"{takers[0].name} has ranks but ignored set_rank"
    return outcome


def close_period(state: State, event: ClosePeriod, at_ms: int) -> Outcome:
    plans = _named(state, event.plan)
    if isinstance(plans, Outcome):
        return plans
    return _all(state, plans, event, at_ms, "close_period")


def tick(state: State, event: Tick, at_ms: int) -> Outcome:
    return _all(state, state.plans, event, at_ms, None)


def _all(state: State, plans: tuple[Plan, ...], event: object, at_ms: int,
         needed: str | None) -> Outcome:
    postings: list[Posting] = []
    handled = False
    for plan in plans:
        outcome = plan.handle(state, event, at_ms)
        if outcome is None:
            continue
        if outcome.rejection is not None:
            # plans only reject before changing anything; earlier plans must not have acted
            assert not postings, "a plan rejected after another acted"
            return outcome
        handled = True
        postings.extend(outcome.postings)
    if needed and not handled:
        return reject(ResultCode.UNKNOWN_PLAN, "plan", f"no plan handles {needed}")
    return Outcome(postings=tuple(postings))
