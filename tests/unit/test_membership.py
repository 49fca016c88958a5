"""membership.py: joining with an optional existing sponsor."""

from __future__ import annotations

from tests.strategies import accept, assert_rejected, make_state
from zengzhi.domain.events import Join
from zengzhi.domain.results import ResultCode
from zengzhi.engine.queries import member_view


def test_join_with_and_without_sponsor() -> None:
    state = make_state()
    assert accept(state, Join("A")).postings == ()
    accept(state, Join("B", sponsor="A", region="440106"))
    b = state.members["B"]
    assert (b.sponsor, b.region, b.join_seq) == ("A", "440106", 1)
    assert member_view(state, "B")["sponsor"] == "A"
    assert "sponsor" not in member_view(state, "A")
    assert member_view(state, "A") == {"points": "0.0000", "cash": "0.00", "frozen": "0.00",
                                       "pending": "0.00", "withdrawing": "0.00", "exits": 0,
                                       "spent": "0.00"}


def test_join_rejections_name_the_field() -> None:
    state = make_state()
    accept(state, Join("A"))
    assert_rejected(state, Join("B", sponsor="B"), ResultCode.SPONSOR_CYCLE, "sponsor")
    assert_rejected(state, Join("B", sponsor="X"), ResultCode.UNKNOWN_MEMBER, "sponsor")
    assert_rejected(state, Join("A"), ResultCode.MEMBER_EXISTS, "member")
    assert_rejected(state, Join("A", sponsor="A"), ResultCode.MEMBER_EXISTS, "member")
    assert_rejected(state, Join(""), ResultCode.INVALID_FIELD, "member")
    assert_rejected(state, Join("a:b"), ResultCode.INVALID_FIELD, "member")
    assert_rejected(state, Join("m" * 65), ResultCode.INVALID_FIELD, "member")
    accept(state, Join("m" * 64))
