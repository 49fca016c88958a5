"""Property: random sponsor trees and random mixes of reward plans.

For every settled order and every bucket a plan pays from: the payouts never
exceed the bucket and bucket = payouts + residual to the cent (the bucket
account is back at zero). After every event the core ledger invariants hold
(every asset sums to zero, no tenant or member account is negative, the pool
account equals the pool's money, the price never falls), and a rejected
event changes nothing — the plans' own state included.
"""

from __future__ import annotations

from typing import Any

from hypothesis import event as tally
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import snapshot
from zengzhi.domain.config import parse_tenant_config
from zengzhi.domain.events import ClosePeriod, Event, Join, PayOrder, RefundOrder, Sell, SetRank, SettleOrder, Tick
from zengzhi.domain.ledger import CNY, POOL, RESIDUAL, asset_of, is_external
from zengzhi.domain.machine import apply
from zengzhi.domain.money import Ratio
from zengzhi.domain.state import State

#: one product set for every plan mix: plans sharing a bucket fit it together
PRODUCTS: dict[str, Any] = {
    "pack1000": {"price": "1000.00", "split": {
        "linkage": "330.00", "dividend": "40.00", "shareholder": "30.00", "tier": "30.00",
        "distribution": "50.00", "ref2": "5.00", "refer": "70.00", "ref3": "70.00", "regional": "10.00",
        "pool": "300.00", "cost": "45.00", "platform": "20.00"}},
    "odd": {"price": "9.99", "split": {"distribution": "33.3%", "tier": "33.3%", "pool": "33.4%"}},
}

#: plan configs by name; a mix is any subset (names are unique within the catalog)
CATALOG: dict[str, dict[str, Any]] = {
    "ref_two": {"type": "referral", "bucket": "distribution", "awards": ["3%", "1.5%"]},
    "ref_fixed": {"type": "referral", "bucket": "ref2", "awards": ["0.05"], "products": ["pack1000"]},
    "ref_compress": {"type": "referral", "bucket": "ref3", "awards": ["4%", "2%", "1%"],
                     "eligible": "bought", "compress": True, "base": "amount"},
    "regional": {"type": "regional", "bucket": "regional", "mode": "fixed",
                 "rates": {"district": "0.1%", "city": "0.05%", "province": "0.01%"}},
    "regional_diff": {"type": "regional", "bucket": "regional", "mode": "differential",
                      "rates": {"district": "0.1%", "city": "0.2%", "province": "0.3%"}},
    "refer_three": {"type": "refer_three", "bucket": "refer", "rates": ["1%", "2%", "7%"],
                    "products": ["pack1000"]},
    "div_class": {"type": "dividend", "bucket": "dividend", "inflow": "40.00", "products": ["pack1000"],
                  "by": "class", "classes": {"董事": "30%", "联创": "30%", "合伙人": "40%"}},
    "div_weight": {"type": "dividend", "bucket": "shareholder", "inflow": "3%", "by": "weight",
                   "weights": {"pack1000": "0.5"}},
    "quota": {"type": "quota", "grants": {"pack1000": "150.00"},
              "applies_to": ["ref_two", "ref_compress", "regional", "refer_three", "linkage", "tiers"]},
    "linkage": {"type": "linkage", "bucket": "linkage", "boss_at": 3, "spillover": True, "rotation_days": 7,
                "packs": {"pack1000": {"direct": "100.00", "see_point": "200.00"}}, "peer_rate": "10%"},
    "linkage_2plus1": {"type": "linkage", "bucket": "linkage", "boss_at": 2,
                       "packs": {"pack1000": {"direct": "100.00", "see_point": "200.00"}}, "peer_rate": "10%"},
    "help_fund": {"type": "help_fund", "share": "20%", "applies_to": ["linkage", "ref_two"],
                  "lines_from": "linkage", "release": {"min_rank": "agent", "team_orders_more_than": 2}},
    "tiers": {"type": "differential", "bucket": "tier", "base": "amount", "peer_rate": "10%", "ranks": [
        {"name": "v1", "rate": "0.5%", "volume": "1000.00"},
        {"name": "v2", "rate": "1%", "volume": "3000.00", "directs": 2},
        {"name": "v3", "rate": "2.7%", "volume": "6000.00"}]},
}

RANK_NAMES = ("v1", "v2", "v3", "agent", "district", "city", "province", "董事", "合伙人", "none")


def plan_mixes() -> st.SearchStrategy[list[dict[str, Any]]]:
    def named(names: list[str]) -> list[dict[str, Any]]:
        plans = [dict(CATALOG[n], name=n) for n in names]
        if "linkage" in names and "linkage_2plus1" in names:  # one linkage plan per bucket
            names = [n for n in names if n != "linkage_2plus1"]
            plans = [p for p in plans if p["name"] != "linkage_2plus1"]
        for plan in plans:  # a modifier names only plans of this mix; without any it is left out
            if "applies_to" in plan:
                plan["applies_to"] = [n for n in plan["applies_to"] if n in names]
            if "lines_from" in plan and plan["lines_from"] not in names:
                plan["applies_to"] = []
        kept = [plan for plan in plans if plan.get("applies_to", True)]
        return kept or [dict(CATALOG["ref_two"], name="ref_two")]
    # a random order of the catalog, cut at a random length: every plan is equally likely in a mix
    return st.tuples(st.permutations(sorted(CATALOG)), st.integers(3, len(CATALOG))).map(
        lambda drawn: named(list(drawn[0][:drawn[1]])))


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[Event]]:
    plans = draw(plan_mixes())
    members = draw(st.integers(3, 16))
    events: list[Event] = []
    for i in range(members):
        sponsor = draw(st.sampled_from((None, *range(i)))) if i else None  # mostly a sponsor
        events.append(Join(f"m{i}", None if sponsor is None else f"m{sponsor}",
                           draw(st.sampled_from(("440106", "440305", None)))))
    member = st.integers(0, members).map(lambda i: f"m{i}")  # m{members} is unknown: rejected
    order_ids = st.integers(0, 60).map(lambda i: f"o{i}")
    pay = st.builds(PayOrder, order_ids, member, st.sampled_from(("pack1000", "pack1000", "pack1000", "odd")),
                    settle=st.sampled_from((True, True, False)))
    steps = st.one_of(
        pay, pay, pay, pay, pay,
        st.builds(SettleOrder, order_ids),
        st.builds(RefundOrder, order_ids),
        st.builds(SetRank, member, st.sampled_from(RANK_NAMES),
                  st.none() | st.sampled_from([p["name"] for p in plans]),
                  st.none() | st.sampled_from(("440106", "440100", "440000"))),
        st.builds(ClosePeriod, st.none() | st.sampled_from([p["name"] for p in plans])),
        st.just(Tick()),
        st.builds(Sell, member, st.integers(1, 3_000_000)),
    )
    events.extend(draw(st.lists(steps, min_size=15, max_size=60)))
    return plans, events


def plan_buckets(state: State) -> set[str]:
    return {plan.spec.bucket for plan in state.plans if plan.spec.bucket is not None}


def check_order(state: State, event: Event, postings: tuple[Any, ...]) -> None:
    """Per settled order: each plan bucket is paid out exactly (payouts + residual)."""
    order_id = getattr(event, "order_id", "")
    order = state.orders.get(order_id)
    if order is None or order.status != "settled":
        return
    allocated = dict(order.allocation)
    for bucket in plan_buckets(state):
        into = sum(p.amount for p in postings if p.to_account == bucket and p.rule.startswith("split."))
        out = [p for p in postings if p.from_account == bucket]
        paid = sum(p.amount for p in out if p.to_account != RESIDUAL)
        residual = sum(p.amount for p in out if p.to_account == RESIDUAL)
        assert into == allocated.get(bucket, 0)
        assert paid <= into, (bucket, paid, into)
        assert paid + residual == into, (bucket, paid, residual, into)
        assert all(p.order_id == order_id and (p.plan or p.rule == "plan.residual") for p in out)


def check_ledger(state: State, price_before: Ratio) -> None:
    totals: dict[str, int] = {}
    for account, amount in state.ledger.balances.items():
        totals[asset_of(account)] = totals.get(asset_of(account), 0) + amount
        assert amount >= 0 or is_external(account), (account, amount)
    assert all(total == 0 for total in totals.values()), totals
    assert state.ledger.balance(POOL) == state.pool.money_cents
    for bucket in plan_buckets(state):
        assert state.ledger.balance(bucket) == 0, bucket
    price = state.pool.price()
    assert price.num * price_before.den >= price_before.num * price.den  # never falls


@given(scenarios())
def test_random_trees_and_plan_mixes_keep_every_bucket_and_the_ledger_exact(
        scenario: tuple[list[dict[str, Any]], list[Event]]) -> None:
    plans, events = scenario
    state = State(parse_tenant_config({"pool": {"exit_multiple": "2"}, "products": PRODUCTS, "plans": plans}))
    for event in events:
        before = snapshot(state)
        price_before = state.pool.price()
        outcome = apply(state, event, 0)
        if outcome.rejection is not None:
            assert snapshot(state) == before, event
            continue
        assert all(p.asset == asset_of(p.to_account) == asset_of(p.from_account) for p in outcome.postings)
        assert all(p.amount > 0 or p.asset != CNY for p in outcome.postings if p.plan)
        if not outcome.duplicate:  # a replayed order posts nothing
            check_order(state, event, outcome.postings)
        for rule in {p.rule.split(".")[0] for p in outcome.postings if p.plan}:
            tally(f"paid by {rule}")
        check_ledger(state, price_before)
