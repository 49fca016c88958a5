"""The truth report opened in a real browser (Debian's chromium, driven by Playwright).

Writes the report of a small behaviour run in English and in Chinese, and of
a run with every reward plan (``examples/configs/plans-all.yaml``), opens each
file, checks that every figure image decoded (``naturalWidth > 0``) and that
the tables are there (the compliance red flags too), and saves
``artifacts/report.png``, ``artifacts/report-zh.png`` and
``artifacts/report-plans.png``. Skips without a browser unless
``ZENGZHI_REQUIRE_BROWSER=1``, like the dashboard test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tests.browser.test_dashboard_browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    REQUIRED_ENV,
    TIMEOUT_MS,
    _missing_browser,
)
from zengzhi.cli.main import app

CONFIG = {
    "pool": {"initial_price": "1.00", "grant_ratio": "0.70", "sell_retention": "0.20", "exit_multiple": "3"},
    "products": {"pack1000": {"price": "1000.00", "split": {"cost": "300.00", "distribution": "300.00",
                                                            "platform": "100.00", "pool": "300.00"}}},
}
TABLES = ("summary-table", "compliance-table", "cohort-table", "growth-table", "stress-table", "later-table",
          "gini-table")


@pytest.fixture(scope="module")
def browser_ready() -> None:
    reason = _missing_browser()
    if reason is None:
        return
    if os.environ.get(REQUIRED_ENV) == "1":
        pytest.fail(f"a browser is required ({REQUIRED_ENV}=1) but {reason}")
    pytest.skip(reason)


PLANS_CONFIG = Path(__file__).resolve().parents[2] / "examples" / "configs" / "plans-all.yaml"


def write_report(tmp_path: Path, lang: str, plans: bool = False) -> Path:
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(CONFIG))
    out = tmp_path / f"report-{lang}{'-plans' if plans else ''}.html"
    result = CliRunner().invoke(app, ["report", str(PLANS_CONFIG if plans else config), "-o", str(out), "--lang",
                                      lang, "--orders", "2000", "--rate", "40"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def test_report_figures_and_tables_render(tmp_path: Path, browser_ready: None) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
            page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
            page.on("request", lambda r: problems.append(f"request {r.url}") if not r.url.startswith(
                ("file:", "data:")) else None)
            for lang, shot, heading, plans in (("en", "report.png", "Economics truth report", False),
                                               ("zh", "report-zh.png", "经济真相报告", False),
                                               ("en", "report-plans.png", "Economics truth report", True)):
                page.goto(write_report(tmp_path, lang, plans).as_uri())
                page.wait_for_load_state("load")
                images = page.evaluate("""() => Array.from(document.images).map(
                    img => ({complete: img.complete, width: img.naturalWidth, height: img.naturalHeight}))""")
                assert len(images) == (6 if plans else 5), images
                assert all(i["complete"] and i["width"] > 0 and i["height"] > 0 for i in images), images
                for table in (*TABLES, "plans-table") if plans else TABLES:
                    assert page.locator(f"#{table} tr").count() >= 2, table
                assert page.inner_text("h1") == heading
                page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
        finally:
            browser.close()
    assert not problems, problems
