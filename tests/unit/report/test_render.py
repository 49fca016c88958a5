"""Rendering: every section and figure in both languages, also for a run with nothing in it."""

from __future__ import annotations

import re

import pytest

from tests.unit.report.test_analysis import SEED, seed_events
from zengzhi.domain import events as ev
from zengzhi.domain.config import parse_tenant_config
from zengzhi.report.i18n import TEXTS, translator
from zengzhi.report.render import build, render_html
from zengzhi.report.source import Source


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
