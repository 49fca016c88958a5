"""Plan payouts from postings: paid / moved / released / residual, ranks per plan type, top shares."""

from __future__ import annotations

import pytest

from zengzhi.bench_plans import ALL_PLANS_CONFIG
from zengzhi.domain import events as ev
from zengzhi.domain.config import parse_tenant_config
from zengzhi.domain.ledger import CNY, Posting
from zengzhi.domain.machine import apply
from zengzhi.domain.state import State
from zengzhi.sim.plan_payouts import PlanTally, member_of, rank_of, rank_rows, top_shares


def posting(source: str, to: str, cents: int, rule: str, plan: str) -> Posting:
    return Posting(source, to, CNY, cents, rule, "o1", plan, "")


def test_member_of_reads_member_accounts_only() -> None:
    assert member_of("member:m12:cash") == "m12"
    assert member_of("member:A:frozen") == "A"
    assert member_of("dividend:team") is None and member_of("residual") is None


def test_postings_are_sorted_into_paid_moved_released_and_residual() -> None:
    tally = PlanTally()
    tally.add([
        posting("linkage", "member:A:cash", 800, "linkage.direct", "linkage"),
        posting("linkage", "member:A:frozen", 200, "help_fund.freeze", "help_fund"),
        posting("linkage", "residual", 500, "quota.burn", "quota"),
        posting("dividend", "dividend:team", 400, "dividend.inflow", "team"),
        posting("dividend:team", "member:B:cash", 300, "dividend.share", "team"),
        posting("member:A:frozen", "member:A:cash", 200, "help_fund.release", "help_fund"),
        posting("linkage", "residual", 70, "plan.residual", ""),
        posting("external:payments", "pool", 3000, "split.pool", ""),  # not a plan's
    ])
    assert tally.paid == {"linkage": {"linkage.direct": 800}, "help_fund": {"help_fund.freeze": 200},
                          "team": {"dividend.share": 300}}
    assert tally.moved == {"quota": {"quota.burn": 500}, "team": {"dividend.inflow": 400}}
    assert tally.released == {"help_fund": 200}
    assert tally.residual == {"linkage": 70} and tally.residual_cents == 70
    assert tally.total_paid() == 1300 and tally.plan_paid("team") == 300
    assert tally.per_member() == {"A": 1000, "B": 300}


@pytest.fixture(scope="module")
def small_run() -> tuple[State, PlanTally]:
    """Two members: m0 a district agent who never buys, m1 (recruited by m0) a 董事 buying two 10000 packs."""
    state, tally = State(parse_tenant_config(ALL_PLANS_CONFIG)), PlanTally()
    for event in (ev.Join("m0", None, "440106"), ev.Join("m1", "m0", "440106"),
                  ev.SetRank("m0", "district", "regional", "440106"), ev.SetRank("m1", "董事", "team"),
                  ev.PayOrder("o1", "m1", "pack10000"), ev.PayOrder("o2", "m1", "pack10000"), ev.ClosePeriod()):
        outcome = apply(state, event, 0)
        assert outcome.accepted, outcome
        tally.add(outcome.postings)
    return state, tally


def test_each_plan_types_rank_key(small_run: tuple[State, PlanTally]) -> None:
    state, _ = small_run
    ranks = {plan.name: [rank_of(plan, state, m) for m in state.members.values()] for plan in state.plans}
    assert ranks["linkage"] == ["member", "agent"]  # 链动: m0 never bought
    assert ranks["differential"] == ["v1", "none"]  # 级差: m0's umbrella volume 20000.00 reaches v1
    assert ranks["regional"] == ["district", "none"]
    assert ranks["team"] == ["none", "董事"]  # a class dividend: the class
    assert ranks["shareholder"] == ["none", "weight 2"]  # a weighted dividend: the rights held
    assert ranks["referral"] == ranks["quota"] == ["all", "all"]  # plans without ranks


def test_rank_rows_add_up_to_each_plans_payouts(small_run: tuple[State, PlanTally]) -> None:
    state, tally = small_run
    rows = rank_rows(state, tally)
    assert [r.plan for r in rows[:2]] == ["linkage", "linkage"]  # config order, every plan
    for plan in state.plans:
        mine = [r for r in rows if r.plan == plan.name]
        assert sum(r.members for r in mine) == 2
        assert sum(r.paid_cents for r in mine) == tally.plan_paid(plan.name)
    team = {r.rank: r for r in rows if r.plan == "team"}
    assert team["董事"].paid_cents == 2 * 1200 and team["董事"].share == 1.0 and team["none"].paid_cents == 0
    regional = [r.rank for r in rows if r.plan == "regional"]
    assert regional == ["none", "district"]  # by mean paid


def test_top_shares_take_the_top_members_of_all_members() -> None:
    paid = {f"m{i}": 1 for i in range(190)} | {"big1": 500, "big2": 300}
    shares = top_shares(paid, 200)  # 1% of 200 = 2 members, 10% = 20
    assert shares["top_1pct"] == pytest.approx(800 / 990)
    assert shares["top_10pct"] == pytest.approx(818 / 990)
    assert top_shares({"a": 5}, 10) == {"top_1pct": 1.0, "top_10pct": 1.0}  # at least one member
    assert top_shares({}, 0) == {"top_1pct": 0.0, "top_10pct": 0.0}
