"""Build the report from a source and render it to self-contained HTML (Jinja2, figures inlined)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from zengzhi.domain.money import Ratio, format_cents, format_points, format_ratio, price_per_point
from zengzhi.report import analysis, figures
from zengzhi.report.collect import Collected, collect
from zengzhi.report.compliance import ComplianceSection, compliance_section
from zengzhi.report.i18n import translator
from zengzhi.report.plans import PlanSection, plan_section
from zengzhi.report.source import Source


@dataclass(slots=True)
class Report:
    """Every section's numbers (exact where money) and the inputs of the figures."""

    source: Source
    run: Collected
    cohorts: list[analysis.Cohort]
    growth: analysis.Growth
    growth_rows: list[analysis.GrowthRow]
    money: analysis.Money
    concentration: analysis.Concentration
    gains: list[int]
    stress: analysis.Stress
    panic: Ratio
    end_price: Ratio  # the price at the end of the run, before the stress test
    end_exits: int  # forced exits (出局) in the run, before the stress test adds its own
    plans: PlanSection | None = None  # with reward plans: payouts by plan and rank
    compliance: ComplianceSection | None = None  # the audit's red flags for the config


def _check_kernel_pool(source: Source, run: Collected) -> None:
    """A plan-aware run: the domain replay must end on the pool the kernel ended on (same rules)."""
    if source.kernel_pool is None:
        return
    state = run.state
    replayed = (state.pool.money_cents, state.pool.points_units, state.exits_total)
    if replayed != source.kernel_pool:
        raise ValueError(f"the domain replay ended on (P, N, exits) {replayed}, the kernel on {source.kernel_pool}")


def build(source: Source, *, cohorts: int = 10, panic: Ratio = analysis.EVERYONE) -> Report:
    run = collect(source.config, source.events)
    _check_kernel_pool(source, run)
    plans = plan_section(run)  # before the stress test changes the state
    groups = analysis.cohorts(run, cohorts)
    model = analysis.growth_model(run)
    rows = analysis.growth_rows(run, groups, model)
    money, concentration, gains = analysis.money(run), analysis.concentration(run), analysis.net_gains(run)
    end_price, end_exits = run.state.pool.price(), run.state.exits_total
    spends = {m.member_id: m.spend_cents for m in run.members.values()}
    stress = analysis.stress_test(run.state, spends, panic)  # last: it sells on the final state
    return Report(source, run, groups, model, rows, money, concentration, gains, stress, panic, end_price,
                  end_exits, plans, compliance_section(source.config, source.raw))


def pct(share: float) -> str:
    return f"{100 * share:.1f}%"


def yuan(cents: int) -> str:
    return "¥" + format_cents(cents)


def multiple(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _figures(report: Report, lang: str) -> dict[str, str]:
    # figure labels follow the language only when a CJK font can draw them
    t = translator(lang if figures.cjk_font() else "en")
    return {
        "price": figures.price_and_pool(report.run.series, t),
        "cohorts": figures.cohort_bars(report.cohorts, t),
        "growth": figures.growth_lines(report.growth_rows, report.run.orders, t),
        "stress": figures.stress_curve(report.stress, t),
        "gains": figures.gain_curve(report.gains, t),
        **({"plans": figures.plan_bars(report.plans.rows, t)} if report.plans else {}),
    }


def _pool(report: Report) -> dict[str, str]:
    """The pool at the end of the run (the state itself was changed by the stress test)."""
    last = report.run.series[-1]
    price = Ratio(last.money_cents, last.points_units) if last.points_units else report.end_price
    return {"money": yuan(last.money_cents), "points": format_points(last.points_units),
            "price": format_ratio(price_per_point(price))}


def context(report: Report, lang: str) -> dict[str, Any]:
    t = translator(lang)
    people = analysis.buyers(report.run)
    breakeven = sum(c.breakeven for c in report.cohorts)
    money, stress, growth = report.money, report.stress, report.growth
    summary = {
        "paid_line": t("paid_line").format(
            members=len(people), breakeven=breakeven, breakeven_pct=pct(breakeven / len(people) if people else 0),
            cash_members=sum(1 for m in people if m.cash_cents), cash=yuan(money.cash_cents),
            spend=yuan(money.spend_cents), cash_pct=pct(money.cash_cents / money.spend_cents if money.spend_cents
                                                         else 0)),
        "later_line": t("later_line").format(later_pct=pct(money.later_share)),
        "stress_line": t("stress_line").format(
            sellers=stress.sellers, paid=yuan(stress.paid_cents), spend=yuan(stress.spend_cents),
            spend_pct=pct(stress.paid_of_spend), paper=yuan(stress.paper_cents), paid_pct=pct(stress.paid_share),
            first=pct(stress.first_decile_share), last=pct(stress.last_decile_share)),
    }
    notes = {
        "growth": t("sec_growth_note").format(
            g=format_ratio(growth.g, 2), s=format_ratio(growth.s, 4) if growth.s.den else "—",
            k=format_ratio(growth.k, 2) if growth.k else t("no_exit"), m1=multiple(growth.breakeven_multiple),
            mk=multiple(growth.exit_multiple)),
        "stress": t("sec_stress_note").format(share=pct(report.panic.num / report.panic.den),
                                              r=format_ratio(report.run.state.config.pool.sell_retention, 2)),
    }
    if report.compliance is not None:
        notes["compliance_counts"] = t("compliance_counts").format(**report.compliance.counts)
        notes["compliance"] = t("compliance_note").format(config=report.source.label)
    if report.plans is not None:
        plans = report.plans
        summary["plans_line"] = t("plans_line").format(
            paid=yuan(plans.paid_cents), members_paid=plans.members_paid, members=plans.members_total,
            top1=pct(plans.top_1pct_share), top10=pct(plans.top_10pct_share), residual=yuan(plans.residual_cents))
    return {"t": t, "lang": lang, "report": report, "summary": summary, "notes": notes, "pool": _pool(report),
            "figures": _figures(report, lang), "yuan": yuan, "pct": pct, "multiple": multiple,
            "members": len(people)}


def render_html(report: Report, lang: str) -> str:
    env = Environment(loader=PackageLoader("zengzhi.report", "templates"), autoescape=select_autoescape(["html"]))
    return env.get_template("report.html").render(**context(report, lang))
