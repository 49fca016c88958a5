"""The plan-aware event stream: sponsors, operator-set ranks and period events around a run's events."""

from __future__ import annotations

from typing import Any

import pytest

from zengzhi.domain import events as ev
from zengzhi.domain.config import parse_tenant_config
from zengzhi.domain.machine import apply
from zengzhi.domain.state import State
from zengzhi.sim.appoint import AGENCIES, Appointer
from zengzhi.sim.params import DAY_MS
from zengzhi.sim.plan_stream import PlanOptions, plan_events
from zengzhi.sim.recruit import REGIONS, Recruiter

CONFIG: dict[str, Any] = {
    "pool": {"initial_price": "1.00", "grant_ratio": "0.70", "sell_retention": "0.20", "exit_multiple": "3"},
    "products": {"p": {"price": "100.00", "split": {"cost": "40.00", "pool": "30.00", "dist": "10.00",
                                                    "div": "10.00", "region": "10.00"}}},
    "plans": [
        {"type": "referral", "bucket": "dist", "awards": ["5%", "5%"]},
        {"type": "dividend", "name": "team", "bucket": "div", "inflow": "10.00", "by": "class",
         "classes": {"董事": "50%", "合伙人": "50%"}},
        {"type": "regional", "bucket": "region", "mode": "fixed", "rates": {"district": "1%", "city": "1%"}},
    ],
}
Timed = tuple[ev.Event, int]


def kernel_like(members: int, days: int) -> list[Timed]:
    """What ``ExactRun.events`` yields: joins without sponsors, product orders, one sale; ``members`` a day."""
    out: list[Timed] = []
    for day in range(days):
        for i in range(day * members, (day + 1) * members):
            out += [(ev.Join(f"m{i}"), day * DAY_MS), (ev.PayOrder(f"o{i}", f"m{i}", "p"), day * DAY_MS)]
    out.append((ev.Sell("m0", 10_000), (days - 1) * DAY_MS))
    return out


def stream(options: PlanOptions, members: int = 3, days: int = 16, config: dict[str, Any] = CONFIG) -> list[Timed]:
    return list(plan_events(parse_tenant_config(config), kernel_like(members, days), options, 5, days * DAY_MS))


def test_joins_get_the_recruiters_sponsors_and_a_region() -> None:
    joins = [e for e, _ in stream(PlanOptions(recruit="uniform")) if isinstance(e, ev.Join)]
    recruiter = Recruiter("uniform", 5)
    expected = [recruiter.sponsor() for _ in joins]
    assert [j.sponsor for j in joins] == [None if s is None else f"m{s}" for s in expected]
    assert {j.region for j in joins} <= set(REGIONS)


def test_without_a_regional_plan_nobody_gets_a_region() -> None:
    config = {**CONFIG, "plans": CONFIG["plans"][:1]}
    assert all(e.region is None for e, _ in stream(PlanOptions(), config=config) if isinstance(e, ev.Join))


def test_the_first_members_are_appointed_right_after_their_join() -> None:
    events = [e for e, _ in stream(PlanOptions(appoint=4))]
    ranks = [e for e in events if isinstance(e, ev.SetRank)]
    assert [(r.member, r.plan, r.rank) for r in ranks if r.plan == "team"] == [
        ("m0", "team", "董事"), ("m1", "team", "合伙人"), ("m2", "team", "董事"), ("m3", "team", "合伙人")]
    agencies = [a for a in AGENCIES if a[0] != "province"]  # the plan pays districts and cities only
    assert [(r.member, r.rank, r.region) for r in ranks if r.plan == "regional"] == [
        (f"m{i}", *agencies[i]) for i in range(4)]
    first = events.index(ranks[0])
    join = events[first - 1]
    assert isinstance(join, ev.Join) and join.member == "m0" and join.sponsor is None


def test_no_appointments_with_appoint_0() -> None:
    assert not any(isinstance(e, ev.SetRank) for e, _ in stream(PlanOptions(appoint=0)))
    assert Appointer(parse_tenant_config(CONFIG), 0).ranks(0, "m0") == []


def test_periods_close_at_the_first_moment_of_each_period_and_at_the_end() -> None:
    timed = stream(PlanOptions(period_days=7), days=16)
    closes = [at for e, at in timed if isinstance(e, ev.ClosePeriod)]
    ticks = [at for e, at in timed if isinstance(e, ev.Tick)]
    assert closes == ticks == [7 * DAY_MS, 14 * DAY_MS, 16 * DAY_MS]
    times = [at for _, at in timed]
    assert times == sorted(times)
    first_close = next(i for i, (e, _) in enumerate(timed) if isinstance(e, ev.ClosePeriod))
    assert timed[first_close - 1][1] == 6 * DAY_MS and timed[first_close + 2][1] == 7 * DAY_MS


def test_only_ticks_without_a_dividend_plan() -> None:
    config = {**CONFIG, "plans": CONFIG["plans"][:1]}
    timed = stream(PlanOptions(period_days=5), days=11, config=config)
    assert not any(isinstance(e, ev.ClosePeriod) for e, _ in timed)
    assert [at for e, at in timed if isinstance(e, ev.Tick)] == [5 * DAY_MS, 10 * DAY_MS, 11 * DAY_MS]


def test_orders_and_sales_pass_unchanged_and_the_domain_accepts_everything() -> None:
    timed = stream(PlanOptions(recruit="preferential", appoint=5))
    plain = [(e, at) for e, at in kernel_like(3, 16) if not isinstance(e, ev.Join)]
    assert [(e, at) for e, at in timed if isinstance(e, (ev.PayOrder, ev.Sell))] == plain
    state = State(parse_tenant_config(CONFIG))
    assert all(apply(state, e, at).accepted for e, at in timed)
    assert state.ledger.balance("dividend:team") == 0  # the last, partial period was closed too


@pytest.mark.parametrize(("options", "problem"), [(PlanOptions(recruit="x"), "recruit"),
                                                  (PlanOptions(period_days=0), "period_days"),
                                                  (PlanOptions(appoint=-1), "appoint")])
def test_bad_options_are_named(options: PlanOptions, problem: str) -> None:
    assert any(problem in p for p in options.problems())
