"""Rendering: every section and figure in both languages, also for a run with nothing in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.unit.report.test_analysis import SEED, seed_events
from zengzhi.domain import events as ev
from zengzhi.domain.config import parse_tenant_config
from zengzhi.report.i18n import TEXTS, translator
from zengzhi.report.render import build, render_html
from zengzhi.report.source import Source, load
from zengzhi.sim.params import Behaviour


def figures_in(html: str) -> int:
    return len(re.findall(r'src="data:image/png;base64,[A-Za-z0-9+/=]{100,}"', html))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_seed_report_renders(lang: str) -> None:
    source = Source(parse_tenant_config(SEED), seed_events(ev.Sell("B", 470_000), ev.Inject(600_000)), "seed", None)
    report = build(source, cohorts=3)
    assert report.end_exits == 1  # A's exit in the run; the stress test's own exits are not counted here
    html = render_html(report, lang)
    assert figures_in(html) == 5
    assert TEXTS["sec_stress"][lang] in html and TEXTS["plans_note"][lang] in html
    assert "¥2708.22" in html  # 70.21 (B's sale) + 2638.01 (A's forced exit)


def test_an_empty_run_still_renders() -> None:
    source = Source(parse_tenant_config(SEED), [(ev.Join("A"), 0)], "empty", None)
    report = build(source)
    assert report.cohorts == [] and report.stress.sellers == 0
    assert figures_in(render_html(report, "en")) == 5


def test_every_text_has_both_languages_and_bad_languages_are_refused() -> None:
    assert all(set(v) == {"en", "zh"} for v in TEXTS.values())
    for key, value in TEXTS.items():  # the same placeholders in both languages
        assert set(re.findall(r"\{\w+\}", value["en"])) == set(re.findall(r"\{\w+\}", value["zh"])), key
    with pytest.raises(ValueError):
        translator("fr")


PLANS_SCENARIO = Path(__file__).resolve().parents[3] / "examples" / "plans" / "dividend.yaml"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_scenario_with_plans_gets_the_plan_section(lang: str) -> None:
    report = build(load(PLANS_SCENARIO, Behaviour()))
    assert report.plans is not None
    rows = {(r.plan, r.rank): r for r in report.plans.rows}
    # the scenario's two periods: 董事 18.00 + 6.00 each (D1, D2); 合伙人 16.00 + 5.33 each (H1-H3);
    # 联创 L 12.00 + 36.00 carried; the shareholder pool 180.00 (D1) + 360.00 (H1)
    assert (rows[("team", "董事")].members, rows[("team", "董事")].paid_cents) == (2, 4800)
    assert (rows[("team", "合伙人")].members, rows[("team", "合伙人")].paid_cents) == (3, 6399)
    assert (rows[("team", "联创")].members, rows[("team", "联创")].paid_cents) == (1, 4800)
    assert sum(r.paid_cents for r in report.plans.rows if r.plan == "shareholder") == 54000
    assert report.plans.paid_cents == sum(r.paid_cents for r in report.plans.rows)
    html = render_html(report, lang)
    assert figures_in(html) == 6
    assert TEXTS["sec_plans"][lang] in html and TEXTS["plans_note"][lang] not in html
    assert 'id="plans-table"' in html and "¥63.99" in html


def test_a_replay_that_misses_the_kernels_pool_is_refused() -> None:
    source = Source(parse_tenant_config(SEED), seed_events(), "seed", None, kernel_pool=(1, 2, 3))
    with pytest.raises(ValueError, match="the kernel on"):
        build(source)
