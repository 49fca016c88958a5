"""The report's analysis on small hand-checked event streams (the seed's three orders, a forced exit)."""

from __future__ import annotations

import pytest

from zengzhi.domain import events as ev
from zengzhi.domain.config import parse_tenant_config
from zengzhi.domain.money import Ratio
from zengzhi.report import analysis
from zengzhi.report.collect import PoolQueue, collect

SEED = {
    "pool": {"initial_price": "1.00", "grant_ratio": "0.70", "sell_retention": "0.20", "exit_multiple": "3"},
    "products": {"pack1000": {"price": "1000.00", "split": {"cost": "300.00", "distribution": "300.00",
                                                            "platform": "100.00", "pool": "300.00"}}},
}


def seed_events(*extra: ev.Event) -> list[tuple[ev.Event, int]]:
    base: list[ev.Event] = [ev.Join("A"), ev.Join("B"), ev.Join("C"), ev.PayOrder("o1", "A", "pack1000"),
                            ev.PayOrder("o2", "B", "pack1000"), ev.PayOrder("o3", "C", "pack1000")]
    return [(e, 0) for e in (*base, *extra)]


def test_the_seed_three_orders() -> None:
    run = collect(parse_tenant_config(SEED), seed_events())
    assert run.orders == 3 and run.spend_cents == 300_000 and run.pool_in_cents == 90_000
    last = run.series[-1]
    assert (last.money_cents, last.points_units) == (90_000, 4_819_500)
    a, b, c = (run.members[x] for x in "ABC")
    assert (a.first_order, a.first_units, b.first_units, c.first_units) == (1, 2_100_000, 1_470_000, 1_249_500)
    values = analysis.final_values(run)
    # 210 points at 900/481.95: floor(2100000 * 90000 / 4819500) cents
    assert values["A"] == 2_100_000 * 90_000 // 4_819_500 == 39_215
    groups = analysis.cohorts(run, 3)
    assert [g.members for g in groups] == [1, 1, 1]
    assert all(g.breakeven == 0 and g.exited == 0 for g in groups)


def test_a_forced_exit_paid_from_later_money_fifo() -> None:
    # B sells 47 points (70.21, all from A's o1 money); a 6000 subsidy forces A out for 2638.01 (quickstart)
    run = collect(parse_tenant_config(SEED), seed_events(ev.Sell("B", 470_000), ev.Inject(600_000)))
    a, b = run.members["A"], run.members["B"]
    assert (b.sale_cents, b.later_cents) == (7_021, 0)
    assert (a.exit_cents, a.exits) == (263_801, 1)
    # FIFO: 229.79 left of o1 (A's own), then o2 and o3 (later: 600.00), then 1808.22 of the subsidy (never later)
    assert a.later_cents == 60_000
    money = analysis.money(run)
    assert (money.cash_cents, money.later_cents, money.subsidy_cents) == (270_822, 60_000, 600_000)
    groups = analysis.cohorts(run, 3)
    assert groups[0].exited == 1 and groups[0].breakeven == 1


def test_refund_of_an_unsettled_order_changes_nothing() -> None:
    extra = (ev.PayOrder("o4", "C", "pack1000", settle=False), ev.RefundOrder("o4"))
    run = collect(parse_tenant_config(SEED), seed_events(*extra))
    assert run.orders == 3 and run.members["C"].spend_cents == 100_000 and run.rejected == 0


def test_pool_queue_takes_the_oldest_money_first() -> None:
    q = PoolQueue()
    q.add(100, 1)
    q.add(50, -1)
    q.add(200, 3)
    assert q.take(120, 0) == 100  # 100 of order 1 (later than 0) + 20 of the subsidy (never later)
    q2 = PoolQueue()
    q2.add(100, 1)
    q2.add(200, 3)
    assert q2.take(150, 1) == 50
    assert q2.take(150, 1) == 150
    assert q2.head == 2


def test_closed_form_matches_pool_md() -> None:
    model = analysis.Growth(Ratio(7, 10), Ratio(3, 10), Ratio(3, 1))
    assert model.breakeven_multiple == pytest.approx(181.66, abs=0.01)  # pool.md: about 181 × n_j
    assert model.exit_multiple == pytest.approx(7074.1, abs=0.1)  # about 7,000 × n_j for k = 3


def test_observed_break_even_on_a_series() -> None:
    run = collect(parse_tenant_config(SEED), seed_events(ev.Inject(400_000)))
    # A broke even (price ≥ 1000/210 = 4.7619) only after the subsidy: 4900/481.95 = 10.17; exit needs 14.2857
    assert analysis.orders_reaching(run.series, 100_000, 2_100_000, Ratio(1, 1)) == 3
    assert analysis.orders_reaching(run.series, 100_000, 2_100_000, Ratio(3, 1)) is None
    assert analysis.orders_reaching(run.series, 100_000, 0, Ratio(1, 1)) is None


def test_gini_with_losses_stays_in_range() -> None:
    assert analysis.gini([5, 5, 5]) == 0
    assert analysis.gini([0, 0, 10]) == pytest.approx(2 / 3)
    assert 0 <= analysis.gini([-100, -100, 300]) <= 1
    assert analysis.gini([]) == 0


def test_stress_test_sells_everything_exactly() -> None:
    run = collect(parse_tenant_config(SEED), seed_events())
    stress = analysis.stress_test(run.state, dict.fromkeys("ABC", 100000))
    assert stress.holders == stress.sellers == 3 and stress.spend_cents == 300_000
    assert stress.pool_before_cents == 90_000
    # paid + what the pool keeps = what it had (money only moves)
    assert stress.paid_cents + stress.pool_after_cents == 90_000
    assert stress.first_decile_share == pytest.approx(0.8, abs=1e-4)  # the first seller gets (1 − r) × paper
    half = analysis.stress_test(collect(parse_tenant_config(SEED), seed_events()).state, {}, Ratio(1, 2))
    assert half.sellers == 1


def test_split_even() -> None:
    run = collect(parse_tenant_config(SEED), seed_events())
    groups = analysis.split_even(analysis.buyers(run), 2)
    assert [len(g) for g in groups] == [2, 1]
    assert len(analysis.split_even(analysis.buyers(run), 10)) == 3
