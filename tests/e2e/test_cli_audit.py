"""End to end: ``zengzhi audit CONFIG`` — table, JSON, --text, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from zengzhi.audit import CHECKS
from zengzhi.bench_plans import ALL_PLANS_CONFIG
from zengzhi.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()
CLEAN: dict[str, Any] = {"pool": {"exit_multiple": "0"}, "products": {"tea": {"price": "100.00", "split": {
    "cost": "70.00", "pool": "30.00"}}}}


def invoke(*args: str) -> Any:
    return runner.invoke(app, ["audit", *args], catch_exceptions=False, env={"COLUMNS": "200"})


def write(tmp_path: Path, data: Any, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_all_plans_config_flags_every_category_as_json(tmp_path: Path) -> None:
    copy = tmp_path / "ad.txt"
    copy.write_text("买得越多赚得越多\n只涨不跌, 稳赚不赔\n", encoding="utf-8")
    result = invoke(str(write(tmp_path, ALL_PLANS_CONFIG)), "--json", "--text", str(copy), "--lang", "en")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    flagged = {f["check"] for f in out["findings"] if f["severity"] != "info"}
    assert flagged == set(CHECKS)
    assert out["red_flags"] is True
    assert out["counts"]["high"] == sum(f["severity"] == "high" for f in out["findings"])
    wording = [f for f in out["findings"] if f["check"] == "wording"]
    assert [f["path"] for f in wording] == [f"{copy}:2"]
    assert all(f["rule"] and f["message"] for f in out["findings"])


def test_table_in_chinese_by_default_exits_zero_with_red_flags() -> None:
    result = invoke(str(ROOT / "examples" / "plans" / "linkage-3plus1.yaml"))
    assert result.exit_code == 0, result.output
    assert "合规体检" in result.output and "chain_depth.linkage" in result.output
    assert "《禁止传销条例》第七条(一)" in result.output
    assert "未发现红旗" not in result.output


def test_clean_config_reports_no_red_flags_and_the_one_promise(tmp_path: Path) -> None:
    result = invoke(str(write(tmp_path, CLEAN)), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "no red flags" in result.output
    assert "static_returns.only_promise" in result.output and "never falls" in result.output


def test_scenario_file_uses_its_config_and_wording_in_it(tmp_path: Path) -> None:
    scenario = {"config": {**CLEAN, "products": {"稳赚礼包": CLEAN["products"]["tea"]}}, "events": []}
    result = invoke(str(write(tmp_path, scenario, "scenario.yaml")), "--json")
    out = json.loads(result.output)
    wording = [f for f in out["findings"] if f["check"] == "wording"]
    assert [f["path"] for f in wording] == ["products.稳赚礼包"]
    assert "《广告法》第二十五条" in wording[0]["rule"]


def test_bad_config_exits_2_with_the_field(tmp_path: Path) -> None:
    result = invoke(str(write(tmp_path, {"pool": {"grant_ratio": "2"}})))
    assert result.exit_code == 2
    assert "pool.grant_ratio" in result.output


def test_unreadable_inputs_exit_2(tmp_path: Path) -> None:
    assert invoke(str(tmp_path / "missing.yaml")).exit_code == 2
    config = write(tmp_path, CLEAN)
    assert invoke(str(config), "--text", str(tmp_path / "missing.txt")).exit_code == 2
    assert invoke(str(config), "--lang", "fr").exit_code == 2
