"""subsidy.py: 注资 puts external money into the pool; N is unchanged."""

from __future__ import annotations

from tests.strategies import accept, assert_rejected, make_state
from zengzhi.domain.events import Inject, Join, PayOrder
from zengzhi.domain.ledger import CNY, EXTERNAL_FUNDING, POOL, Posting
from zengzhi.domain.results import ResultCode
from zengzhi.engine.queries import pool_view


def test_subsidy_raises_the_price() -> None:
    state = make_state()
    accept(state, Join("A"))
    accept(state, PayOrder("o1", "A", "pack1000"))
    outcome = accept(state, Inject(30_000))
    assert outcome.postings == (Posting(EXTERNAL_FUNDING, POOL, CNY, 30_000, "subsidy"),)
    assert pool_view(state) == {"money": "600.00", "points": "210.0000", "price": "2.8571"}
    assert state.ledger.balance(EXTERNAL_FUNDING) == -30_000


def test_subsidy_into_an_empty_pool_keeps_the_price() -> None:
    state = make_state()
    accept(state, Inject(50_000))
    assert pool_view(state) == {"money": "500.00", "points": "0.0000", "price": "1.0000"}
    # the next grant is at the (unchanged) initial price; the subsidy lifts the price after it
    accept(state, Join("A"))
    accept(state, PayOrder("o1", "A", "pack1000"))
    assert pool_view(state) == {"money": "800.00", "points": "210.0000", "price": "3.8095"}


def test_non_positive_subsidy_is_rejected() -> None:
    state = make_state()
    assert_rejected(state, Inject(0), ResultCode.INVALID_AMOUNT, "amount")
    assert_rejected(state, Inject(-100), ResultCode.INVALID_AMOUNT, "amount")
