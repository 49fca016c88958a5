"""``zengzhi explain`` and ``replay --explain``: why each member got what on an order."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from zengzhi.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
REFERRAL = ROOT / "examples" / "plans" / "referral.yaml"

runner = CliRunner()


def test_replay_explain_prints_each_payout_with_its_reason() -> None:
    result = runner.invoke(app, ["replay", str(REFERRAL), "--explain", "o1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "referral.gen1: 10.00 from distribution to B's cash — 直推 generation 1: 1% of 1000.00" in result.output
    assert "referral.gen2: 5.00 from distribution to A's cash — 间推 generation 2: 0.5% of 1000.00" in result.output
    assert "plan.residual: 5.00 from distribution to residual" in result.output
    assert "paid by plans: A 5.00, B 10.00" in result.output


def test_replay_explain_json_lists_postings_and_totals() -> None:
    result = runner.invoke(app, ["replay", str(REFERRAL), "--json", "--explain", "*"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    stories = {s["order"]: s for s in json.loads(result.output)["explain"]}
    assert set(stories) == {"o1", "o2", "o3"}
    assert stories["o1"]["paid_by_plans"] == {"A": "5.00", "B": "10.00"}
    assert stories["o2"]["paid_by_plans"] == {}  # D has no sponsor: all residual
    rules = [p["rule"] for p in stories["o3"]["postings"]]
    assert rules == ["order.paid", "order.refund"]  # refunded before settlement: no plan paid


def test_explain_reads_a_stored_tenant(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'z.db'}"
    replayed = runner.invoke(app, ["replay", str(REFERRAL), "--db", url, "--tenant", "shop"],
                             catch_exceptions=False)
    assert replayed.exit_code == 0, replayed.output
    result = runner.invoke(app, ["explain", "o1", "--db", url, "--tenant", "shop", "--json"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    story = json.loads(result.output)
    assert story["paid_by_plans"] == {"A": "5.00", "B": "10.00"}
    assert any(p["plan"] == "referral" and p["memo"].startswith("直推") for p in story["postings"])
    missing = runner.invoke(app, ["explain", "nope", "--db", url, "--tenant", "shop"])
    assert missing.exit_code == 2
