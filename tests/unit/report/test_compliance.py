"""The "compliance red flags" section: the audit's own findings on the report's config, in both languages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.unit.report.test_analysis import SEED, seed_events
from zengzhi.audit import audit
from zengzhi.domain.config import parse_tenant_config
from zengzhi.report.compliance import compliance_section
from zengzhi.report.i18n import TEXTS
from zengzhi.report.render import build, render_html
from zengzhi.report.source import Source, load
from zengzhi.scenario import load_file
from zengzhi.sim.params import Behaviour

ROOT = Path(__file__).resolve().parents[3]
CLEAN = {"pool": {k: v for k, v in SEED["pool"].items() if k != "exit_multiple"}, "products": SEED["products"]}


def section_of(html: str) -> str:
    start = html.index('<section id="compliance">')
    return html[start:html.index("</section>", start)]


def test_the_seed_has_one_high_flag_its_3x_exit() -> None:
    section = compliance_section(parse_tenant_config(SEED), SEED)
    assert [(f.code, f.severity, f.path) for f in section.findings] == [
        ("static_returns.exit_multiple", "high", "pool.exit_multiple"),
        ("static_returns.only_promise", "info", "pool")]
    assert section.counts == {"high": 1, "medium": 0, "info": 1} and section.red_flags
    assert [law.key for law in section.laws] == ["fundraising", "pool_promise"]


def test_without_forced_exit_only_the_info_line_is_left() -> None:
    section = compliance_section(parse_tenant_config(CLEAN), CLEAN)
    assert [f.code for f in section.findings] == ["static_returns.only_promise"]
    assert not section.red_flags


def test_the_findings_are_the_audits_own_and_each_rule_is_cited_once() -> None:
    raw: Any = load_file(ROOT / "examples" / "configs" / "plans-all.yaml")
    config = parse_tenant_config(raw)
    section = compliance_section(config, raw)
    assert section.findings == audit(config, raw)
    keys = [law.key for law in section.laws]
    assert len(keys) == len(set(keys)) == len({f.law.key for f in section.findings})
    assert keys[0] == section.findings[0].law.key  # first-mention order
    assert section.counts["high"] >= 1


def test_the_raw_config_is_scanned_for_wording(tmp_path: Path) -> None:
    raw = {**CLEAN, "products": {"稳赚pack": CLEAN["products"]["pack1000"]}}
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    report = build(load(path, Behaviour(orders=50, rate=10.0)))
    assert report.compliance is not None
    assert [f.code for f in report.compliance.findings if f.severity == "high"] == ["wording.promise"]
    assert report.compliance.findings[-1].path == "products.稳赚pack"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_section_renders_after_the_summary(lang: str) -> None:
    config = parse_tenant_config(SEED)
    html = render_html(build(Source(config, seed_events(), "seed.yaml", None)), lang)
    assert html.index('<section id="summary">') < html.index('<section id="compliance">') < html.index(
        '<section id="price">')
    section = section_of(html)
    finding = audit(config)[0]
    assert TEXTS["sec_compliance"][lang] in section
    assert finding.message(lang).replace("'", "&#39;") in section and finding.code in section
    assert finding.law.short(lang) in section and finding.law.cite(lang) in section
    assert TEXTS["severity_high"][lang] in section
    assert TEXTS["compliance_counts"][lang].format(high=1, medium=0, info=1) in section
    assert TEXTS["compliance_none"][lang] not in section
    assert "zengzhi audit seed.yaml" in section and "docs/audit.md" in section
    assert len(re.findall(r"<tr><td class=\"sev-", section)) == 2


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_clean_config_says_no_red_flags(lang: str) -> None:
    html = render_html(build(Source(parse_tenant_config(CLEAN), seed_events(), "clean", None)), lang)
    section = section_of(html)
    assert TEXTS["compliance_none"][lang] in section
    assert TEXTS["compliance_counts"][lang].format(high=0, medium=0, info=1) in section
