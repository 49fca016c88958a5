"""Subsidy (注资 / 消费补贴): external funding put straight into the pool.

The pool's money rises and its points do not, so the price rises; forced
exits follow. Admin-only at the API; audited like every event.
"""

from __future__ import annotations

from zengzhi.domain.events import Inject
from zengzhi.domain.forced_exit import run_forced_exits
from zengzhi.domain.ledger import CNY, EXTERNAL_FUNDING, POOL, Posting
from zengzhi.domain.results import Outcome, ResultCode, reject
from zengzhi.domain.state import State


def inject_subsidy(state: State, event: Inject, at_ms: int) -> Outcome:
    del at_ms
    if event.amount_cents <= 0:
        return reject(ResultCode.INVALID_AMOUNT, "amount", "must be positive")
    postings = [Posting(EXTERNAL_FUNDING, POOL, CNY, event.amount_cents, "subsidy")]
    assert state.ledger.apply(postings) is None
    state.pool.add(event.amount_cents, 0)
    exit_postings, exited = run_forced_exits(state)
    postings.extend(exit_postings)
    return Outcome(postings=tuple(postings), exits=tuple(exited))
