"""End to end: ``zengzhi simulate`` on files, against ``zengzhi replay`` where both apply."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from zengzhi.cli.main import app
from zengzhi.replay import compare
from zengzhi.workload import scenario_document

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args), catch_exceptions=False)


def write(tmp_path: Path, data: dict[str, Any], name: str) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def test_json_summary_of_a_behaviour_run(tmp_path: Path) -> None:
    config = write(tmp_path, scenario_document(1, 1)["config"], "config.yaml")
    result = invoke("simulate", str(config), "--orders", "2000", "--rate", "20", "--sell",
                    "hold=0.7,breakeven=0.2,multiple=0.1", "--reinvest", "0.5", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["mode"] == "exact" and out["orders"] == 2000
    assert out["orders_per_s"] > 0 and out["seconds"] > 0
    assert set(out["pool"]) == {"money", "points", "price"}


def test_a_scenario_file_is_accepted_as_config_and_matches_replay(tmp_path: Path) -> None:
    """The same events through replay (engine) and simulate --scenario (kernel): the same state."""
    path = write(tmp_path, scenario_document(400, 5), "random.yaml")
    simulated = invoke("simulate", str(path), "--scenario", str(path), "--json")
    assert simulated.exit_code == 0, simulated.output
    replayed = invoke("replay", str(path), "--json")
    sim, rep = json.loads(simulated.output), json.loads(replayed.output)
    for key in ("pool", "members", "accounts", "exits"):
        assert sim[key] == rep[key], key
    assert [r["index"] for r in sim["rejected"]] == [r["index"] for r in rep["rejected"]]


def test_the_quickstart_scenario_simulates_to_its_expected_state() -> None:
    """Orders, a sale, a refund, a withdrawal (提现) and a subsidy that forces an exit."""
    path = ROOT / "examples" / "quickstart.yaml"
    out = json.loads(invoke("simulate", str(path), "--scenario", str(path), "--json").output)
    expect = yaml.safe_load(path.read_text())["expect"]
    rejected = expect.pop("rejected")  # the simulator reports the index, not the engine's exact wording
    assert compare(expect, out) == []
    assert [r["index"] for r in out["rejected"]] == [r["index"] for r in rejected]


def test_approx_is_labelled(tmp_path: Path) -> None:
    config = write(tmp_path, scenario_document(1, 1)["config"], "config.yaml")
    result = invoke("simulate", str(config), "--orders", "3000", "--approx", "--sample", "1000", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["approximate"] is True and out["divergence"]["sample_orders"] == 1000
    table = invoke("simulate", str(config), "--orders", "3000", "--approx", "--sample", "0")
    assert "APPROXIMATE" in table.output


def test_bad_input_exits_2(tmp_path: Path) -> None:
    bad = write(tmp_path, {"pool": {"grant_ratio": "2"}}, "bad.yaml")
    assert invoke("simulate", str(bad)).exit_code == 2
    good = write(tmp_path, scenario_document(1, 1)["config"], "config.yaml")
    ticks = write(tmp_path, {"config": {}, "events": [{"type": "join", "member": "A"}, {"type": "tick"}]}, "t.yaml")
    result = invoke("simulate", str(good), "--scenario", str(ticks))
    assert result.exit_code == 2 and "not a pool event" in result.output
    assert invoke("simulate", str(good), "--sell", "greedy=1").exit_code == 2
