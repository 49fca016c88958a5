"""Property: a rejected event changes nothing, whatever the event and the state.

Events are drawn blindly from small pools of names, ids and amounts, so that
unknown members, reused order and withdrawal ids, overdrawn points and cash,
splits that do not sum and orders already decided all come up often.
"""

from __future__ import annotations

from typing import Any

from hypothesis import event as tally
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import snapshot, tenant_configs
from zengzhi.domain import events as ev
from zengzhi.domain.config import parse_tenant_config
from zengzhi.domain.machine import apply
from zengzhi.domain.money import Ratio
from zengzhi.domain.split import SplitPart
from zengzhi.domain.state import State
from zengzhi.engine.queries import state_view

# known names and ids most of the time, so that many events are accepted and the state moves
names = st.sampled_from(["A", "B", "C"] * 4 + ["ghost", "", "a:b"])
order_ids = st.sampled_from(["o1", "o2", "o3", "o4"] * 3 + [""])
withdrawal_ids = st.sampled_from(["w1", "w2"] * 3 + [""])
amounts = st.integers(-5, 400_000)
points = st.one_of(st.integers(-2, 5), st.integers(0, 5_000_000))
parts = st.one_of(
    st.builds(SplitPart, st.sampled_from(["pool", "cost", "platform"]),
              fixed_cents=st.integers(-1, 200_000), percent=st.none()),
    st.builds(SplitPart, st.sampled_from(["pool", "cost", "platform"]),
              fixed_cents=st.none(),
              percent=st.sampled_from([Ratio(3, 10), Ratio(7, 10), Ratio(1, 2), Ratio(1, 1)])),
)
splits = st.lists(parts, min_size=0, max_size=3).map(tuple)


def events(products: list[str]) -> st.SearchStrategy[ev.Event]:
    product_names = st.sampled_from([*products, "ghost"])
    return st.one_of(
        st.builds(ev.Join, names, st.none() | names),
        st.builds(ev.PayOrder, order_ids, names, product_names, st.none(), st.none(),
                  st.booleans()),
        st.builds(ev.PayOrder, order_ids, names, st.none(), st.none() | amounts,
                  st.none() | splits, st.booleans()),
        st.builds(lambda oid, who, cents, settle: ev.PayOrder(
            oid, who, amount_cents=cents, split=(SplitPart("pool", cents),), settle=settle),
            order_ids, names, st.integers(1, 400_000), st.booleans()),
        st.builds(ev.SettleOrder, order_ids),
        st.builds(ev.RefundOrder, order_ids),
        st.builds(ev.Sell, names, points),
        st.builds(ev.Redeem, names, points),
        st.builds(ev.Inject, amounts),
        st.builds(ev.Withdraw, withdrawal_ids, names, amounts),
        st.builds(ev.WithdrawDone, withdrawal_ids),
        st.builds(ev.WithdrawFail, withdrawal_ids),
    )


@given(st.data(), tenant_configs())
def test_a_rejected_event_changes_nothing(data: st.DataObject, config: dict[str, Any]) -> None:
    state = State(parse_tenant_config(config))
    first = sorted(config["products"])[0]
    for member in ("A", "B", "C"):
        apply(state, ev.Join(member))
        apply(state, ev.PayOrder(f"seed-{member}", member, first))
    stream = data.draw(st.lists(events(sorted(config["products"])), min_size=10, max_size=40))
    for at_ms, event in enumerate(stream):
        before, view, balances = snapshot(state), state_view(state), dict(state.ledger.balances)
        outcome = apply(state, event, at_ms)
        if outcome.rejection is None:
            tally("accepted")
            continue
        tally(f"rejected: {outcome.rejection.code.value}")
        assert outcome.rejection.field and outcome.rejection.reason
        assert (outcome.postings, outcome.exits, outcome.duplicate) == ((), (), False)
        assert state_view(state) == view
        assert state.ledger.balances == balances
        assert snapshot(state) == before
