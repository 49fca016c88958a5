"""Hypothesis strategies and the small builders the unit and property tests share.

* ``seed_config`` / ``make_state``: the worked-example tenant of pool.md
  (split 1000 = cost 300 + distribution 300 + platform 100 + pool 300) with
  pool parameters overridable per test;
* ``snapshot``: everything a rejected event must leave untouched;
* strategies for tenant configs (a few pool parameter sets, products with fixed
  and percent splits) used by the property suite.
"""

from __future__ import annotations

import pickle
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from zengzhi.domain.config import parse_tenant_config
from zengzhi.domain.events import Event
from zengzhi.domain.machine import apply
from zengzhi.domain.results import Outcome, Rejection, ResultCode
from zengzhi.domain.state import State
from zengzhi.engine.queries import state_view

SEED_SPLIT = {"cost": "300.00", "distribution": "300.00", "platform": "100.00", "pool": "300.00"}
LOCAL_LIFE_SPLIT = {"store": "800.00", "platform": "20.00", "distribution": "20.00",
                    "pool": "160.00"}
PERCENT_SPLIT = {"cost": "30%", "distribution": "30%", "platform": "10%", "pool": "30%"}


def seed_config(**pool: Any) -> dict[str, Any]:
    """The seed tenant: ``pack1000`` with the worked-example split; ``pool`` overrides."""
    base: dict[str, Any] = {"initial_price": "1.00", "grant_ratio": "0.70",
                            "sell_retention": "0.20", "exit_multiple": "3"}
    base.update(pool)
    return {
        "pool": {k: v for k, v in base.items() if v is not None},
        "products": {"pack1000": {"price": "1000.00", "split": dict(SEED_SPLIT)}},
    }


def local_life_config(**pool: Any) -> dict[str, Any]:
    """Seed 004: a store order of 1000 with 160 into the pool; k = 1.2 by default."""
    config = seed_config(exit_multiple="1.2", **pool)
    config["products"] = {"store1000": {"price": "1000.00", "split": dict(LOCAL_LIFE_SPLIT)}}
    return config


def make_state(config: dict[str, Any] | None = None) -> State:
    return State(parse_tenant_config(seed_config() if config is None else config))


def snapshot(state: State) -> dict[str, Any]:
    """The observable state plus the internals a rejection must not touch either."""
    pool = state.pool
    return {
        "view": state_view(state),
        "balances": dict(state.ledger.balances),
        "pool": (pool.money_cents, pool.points_units, pool.last_price),
        "cycles": {
            m.member_id: (m.cycle_active, m.spent_cents, m.cycle_units, m.cycle_seq, m.version,
                          m.exits)
            for m in state.members.values()
        },
        "orders": {o.order_id: (o.status, o.granted_units) for o in state.orders.values()},
        "withdrawals": {w.withdrawal_id: w.status for w in state.withdrawals.values()},
        "heap": sorted(state.heap.entries),
        "counters": (state.cycles_started, state.exits_total),
        # the plans' own state (ranks, counters, indexes): byte-equal when nothing changed
        "plans": pickle.dumps(state.plans),
    }


# ---------------------------------------------------------------- strategies

#: exit multiples named by the brief: 3, 1.2, 2 and none (``"0"``)
EXIT_MULTIPLES = ("3", "1.2", "2", "0")
GRANT_RATIOS = ("0.70", "0.10")

SMALL_PRODUCTS: dict[str, dict[str, Any]] = {
    "pack1000": {"price": "1000.00", "split": dict(SEED_SPLIT)},
    # percent split whose floors lose cents: the remainder allocation must fix them
    "odd": {"price": "9.99", "split": {"cost": "33.3%", "platform": "33.3%", "pool": "33.4%"}},
    "small": {"price": "100.00", "split": dict(PERCENT_SPLIT)},
    "mixed": {"price": "50.00", "split": {"cost": "20.00", "pool": "60%"}},
}


@st.composite
def tenant_configs(draw: st.DrawFn) -> dict[str, Any]:
    """A tenant config from the small set of pool parameters and products above."""
    pool: dict[str, Any] = {
        "initial_price": draw(st.sampled_from(("1.00", "0.50", "3.00"))),
        "grant_ratio": draw(st.sampled_from(GRANT_RATIOS)),
        "sell_retention": draw(st.sampled_from(("0.20", "0.10"))),
        "exit_multiple": draw(st.sampled_from(EXIT_MULTIPLES)),
    }
    if draw(st.booleans()):
        pool["redeem_retention"] = "0.50"
    if draw(st.booleans()):
        pool["grant_schedule"] = [{"grant_ratio": "0.10", "pool_money_min": "2000.00"}]
    names = draw(st.lists(st.sampled_from(sorted(SMALL_PRODUCTS)), min_size=1, max_size=4,
                          unique=True))
    return {"pool": pool, "products": {n: SMALL_PRODUCTS[n] for n in names}}


member_ids = st.sampled_from(("A", "B", "C", "D", "E", "F"))
#: a fraction in (0, 1] with small denominators, for "sell some of what is held"
fractions = st.integers(1, 8).flatmap(lambda den: st.integers(1, den).map(
    lambda num: Fraction(num, den)))


# ---------------------------------------------------------------- event helpers


def accept(state: State, event: Event, at_ms: int = 0) -> Outcome:
    """Apply an event that must be accepted."""
    outcome = apply(state, event, at_ms)
    assert outcome.rejection is None, outcome.rejection
    return outcome


def assert_rejected(state: State, event: Event, code: ResultCode, field: str,
                    at_ms: int = 0) -> Rejection:
    """Apply an event that must be rejected with ``code`` naming ``field``, changing nothing."""
    before = snapshot(state)
    outcome = apply(state, event, at_ms)
    assert outcome.rejection is not None, f"{event} was accepted"
    assert (outcome.rejection.code, outcome.rejection.field) == (code, field), outcome.rejection
    assert outcome.rejection.reason
    assert (outcome.postings, outcome.exits, outcome.duplicate) == ((), (), False)
    assert snapshot(state) == before
    return outcome.rejection
