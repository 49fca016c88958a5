"""End to end: ``zengzhi report`` writes a self-contained HTML report, in both languages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from zengzhi.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()
CONFIG = {
    "pool": {"initial_price": "1.00", "grant_ratio": "0.70", "sell_retention": "0.20", "exit_multiple": "3"},
    "products": {"pack1000": {"price": "1000.00", "split": {"cost": "300.00", "distribution": "300.00",
                                                            "platform": "100.00", "pool": "300.00"}}},
}
SECTIONS = ("summary", "price", "cohorts", "growth", "stress", "later", "gini")


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args), catch_exceptions=False)


def check_html(text: str) -> None:
    for section in SECTIONS:
        assert f'<section id="{section}">' in text
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', text)) == 5
    assert "http://" not in text and "https://" not in text  # nothing reaches the network
    assert 'id="plans-note"' in text


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


def test_bad_input_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(CONFIG))
    assert invoke("report", str(config), "-o", str(tmp_path / "x.html"), "--lang", "fr").exit_code == 2
    assert invoke("report", str(config), "-o", str(tmp_path / "x.html"), "--panic", "2").exit_code == 2
    assert invoke("report", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "x.html")).exit_code == 2
