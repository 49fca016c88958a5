"""End to end: ``zengzhi report`` writes a self-contained HTML report, in both languages, with and without plans."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from zengzhi.cli.main import app
from zengzhi.report.i18n import TEXTS

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()
CONFIG = {
    "pool": {"initial_price": "1.00", "grant_ratio": "0.70", "sell_retention": "0.20", "exit_multiple": "3"},
    "products": {"pack1000": {"price": "1000.00", "split": {"cost": "300.00", "distribution": "300.00",
                                                            "platform": "100.00", "pool": "300.00"}}},
}
SECTIONS = ("summary", "compliance", "price", "cohorts", "growth", "stress", "later", "gini")


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args), catch_exceptions=False)


def check_html(text: str, plans: bool = False) -> None:
    for section in SECTIONS:
        assert f'<section id="{section}">' in text
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', text)) == (6 if plans else 5)
    assert "http://" not in text and "https://" not in text  # nothing reaches the network
    assert ('<section id="plans">' in text) is plans
    assert ('id="plans-note"' in text) is not plans


def test_report_of_a_behaviour_run_in_both_languages(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(CONFIG))
    for lang, words in (("en", "Economics truth report"), ("zh", "经济真相报告")):
        out = tmp_path / f"report-{lang}.html"
        result = invoke("report", str(config), "-o", str(out), "--lang", lang, "--orders", "1500", "--rate", "30",
                        "--cohorts", "5")
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        check_html(text)
        assert words in text
        assert text.count("<tr><td>") >= 10  # 5 cohorts + 5 growth rows


def test_report_of_a_scenario_replays_its_events(tmp_path: Path) -> None:
    out = tmp_path / "quickstart.html"
    result = invoke("report", str(ROOT / "examples" / "quickstart.yaml"), "-o", str(out), "--lang", "en")
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    check_html(text)
    assert "¥2708.22" in text  # cash from the pool: B's sale 70.21 + A's forced exit 2638.01
    assert "¥600.00 (22.2%)" in text  # of which from orders after the payee's first order (FIFO)


def plan_rows(text: str) -> list[tuple[str, str, int, int, int, str]]:
    """(plan, rank, members, paid cents, mean cents, share) of each row of the plans table."""
    table = text[text.index('<table id="plans-table">'):]
    table = table[:table.index("</table>")]
    cells = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>(\d+)</td><td>¥([\d.]+)</td>\s*"
                       r"<td>¥([\d.]+)</td><td>([\d.]+%)</td></tr>", table)
    return [(plan, rank, int(n), round(float(paid) * 100), round(float(mean) * 100), share)
            for plan, rank, n, paid, mean, share in cells]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_of_a_plans_config_shows_plan_payouts_by_rank(tmp_path: Path, lang: str) -> None:
    out = tmp_path / "plans.html"
    result = invoke("report", str(ROOT / "examples" / "configs" / "plans-all.yaml"), "-o", str(out), "--lang", lang,
                    "--orders", "1200", "--rate", "30", "--recruit", "preferential")
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    check_html(text, plans=True)
    rows = plan_rows(text)
    plans = {plan for plan, *_ in rows}
    assert plans == {"linkage", "referral", "differential", "regional", "team", "shareholder", "refer_three",
                     "quota", "help_fund"}
    assert {rank for plan, rank, *_ in rows if plan == "team"} == {"none", "董事", "联创", "合伙人"}
    for plan in plans:
        assert sum(n for p, _, n, *_ in rows if p == plan) == sum(n for p, _, n, *_ in rows if p == "referral")
    assert all(mean == (paid // n if n else 0) for _, _, n, paid, mean, _ in rows)
    total = sum(paid for _, _, _, paid, _, _ in rows)
    line = re.search(r"<p>(Reward plans paid|奖励计划共支出) ¥([\d.]+)", text)
    assert line is not None and round(float(line.group(2)) * 100) == total > 0
    assert re.search(r"<tr><th>[^<]+</th><td>\d+\.\d%</td></tr>", text[text.index('id="plans-top-table"'):])
    red_flags = compliance_of(text)
    for code in ("chain_depth.linkage", "recruitment.refer_three", "entry_fee.dividend", "team_pay.over_30_percent",
                 "static_returns.exit_multiple"):
        assert f'<span class="code">{code}</span>' in red_flags
    assert TEXTS["compliance_none"][lang] not in red_flags and "zengzhi audit plans-all.yaml" in red_flags


def compliance_of(text: str) -> str:
    start = text.index('<section id="compliance">')
    return text[start:text.index("</section>", start)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_config_without_red_flags_says_so(tmp_path: Path, lang: str) -> None:
    config = tmp_path / "clean.yaml"  # no forced exit (出局), no plans: only the audit's info line is left
    config.write_text(yaml.safe_dump({**CONFIG, "pool": {k: v for k, v in CONFIG["pool"].items()
                                                         if k != "exit_multiple"}}))
    out = tmp_path / "clean.html"
    result = invoke("report", str(config), "-o", str(out), "--lang", lang, "--orders", "300", "--rate", "30")
    assert result.exit_code == 0, result.output
    section = compliance_of(out.read_text(encoding="utf-8"))
    assert TEXTS["compliance_none"][lang] in section
    assert "static_returns.only_promise" in section and "static_returns.exit_multiple" not in section


def test_bad_input_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(CONFIG))
    assert invoke("report", str(config), "-o", str(tmp_path / "x.html"), "--lang", "fr").exit_code == 2
    assert invoke("report", str(config), "-o", str(tmp_path / "x.html"), "--panic", "2").exit_code == 2
    assert invoke("report", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "x.html")).exit_code == 2
    assert invoke("report", str(config), "-o", str(tmp_path / "x.html"), "--recruit", "random").exit_code == 2
