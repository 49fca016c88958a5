"""End to end: the ``zengzhi`` command on real files and a real SQLite store."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from zengzhi.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
SHARED_SCENARIOS = sorted((ROOT.parent / "shared" / "scenarios").glob("*.yaml"))
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "examples" / "plans").glob("*.yaml"))

runner = CliRunner()


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.mark.parametrize("path", SHARED_SCENARIOS + EXAMPLES, ids=lambda p: p.name)
def test_every_shared_and_example_scenario_checks(path: Path) -> None:
    result = invoke("replay", str(path), "--check")
    assert result.exit_code == 0, result.output
    assert "PASS" in result.output


def test_shared_scenarios_exist() -> None:
    # the checks above would pass vacuously without the shared folder
    assert len(SHARED_SCENARIOS) >= 4


def test_check_reports_each_difference(tmp_path: Path) -> None:
    data = yaml.safe_load(SHARED_SCENARIOS[0].read_text())
    data["expect"] = {"pool": {"money": "1.00", "points": "0.0000"}, "members": {"A": {"exits": 7}}}
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data))
    result = invoke("replay", str(bad), "--check")
    assert result.exit_code == 1
    assert "pool.money: expected '1.00'" in result.output
    assert "members.A.exits: expected 7, got 1" in result.output


def write(tmp_path: Path, events: list[dict[str, Any]], name: str = "s.yaml") -> Path:
    doc = {"config": {"products": {"p": {"price": "100.00",
                                         "split": {"cost": "70.00", "pool": "30.00"}}}},
           "events": events}
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc))
    return path


def test_json_output_and_rejections_with_index(tmp_path: Path) -> None:
    path = write(tmp_path, [
        {"type": "join", "member": "A"},
        {"type": "order", "id": "o1", "member": "Z", "product": "p"},
        {"type": "order", "id": "o1", "member": "A", "product": "p"},
        {"type": "sell", "member": "A", "points": 0.5},
        {"type": "order", "id": "o1", "member": "A", "amount": "50.00",
         "split": {"pool": "50.00"}},
    ])
    result = invoke("replay", str(path), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["pool"] == {"money": "30.00", "points": "21.0000", "price": "1.4286"}
    reasons = {r["index"]: r for r in out["rejected"]}
    assert sorted(reasons) == [1, 3, 4]
    assert reasons[1]["field"] == "member" and "unknown member 'Z'" in reasons[1]["reason"]
    assert reasons[3]["field"] == "points" and "float" in reasons[3]["reason"]
    assert reasons[4]["code"] == "order_conflict"


def test_strict_stops_at_first_rejection(tmp_path: Path) -> None:
    path = write(tmp_path, [
        {"type": "join", "member": "A"},
        {"type": "sell", "member": "A", "points": "1.0000"},
        {"type": "order", "id": "o1", "member": "A", "product": "p"},
    ])
    result = invoke("replay", str(path), "--strict", "--json")
    assert result.exit_code == 3
    out = json.loads(result.stdout)
    assert out["pool"]["money"] == "0.00"  # the order after the rejection never ran


def test_idempotency_key_in_scenario(tmp_path: Path) -> None:
    path = write(tmp_path, [
        {"type": "join", "member": "A"},
        {"type": "inject", "amount": "10.00", "key": "k1"},
        {"type": "inject", "amount": "10.00", "key": "k1"},
        {"type": "inject", "amount": "99.00", "key": "k1"},
    ])
    out = json.loads(invoke("replay", str(path), "--json").output)
    assert out["pool"]["money"] == "10.00"
    assert [(r["index"], r["code"]) for r in out["rejected"]] == [(3, "key_conflict")]


def test_bad_config_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump({"config": {"pool": {"grant_ratio": "1.5"}}, "events": []}))
    result = invoke("replay", str(path))
    assert result.exit_code == 2
    assert "pool.grant_ratio" in result.output


def sums_by_asset(out: dict[str, Any]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for name, value in out["accounts"].items():
        totals["PTS" if name.endswith("points") else "CNY"] += Decimal(value)
    for member in out["members"].values():
        totals["PTS"] += Decimal(member["points"])
        for kind in ("cash", "frozen", "pending", "withdrawing"):
            totals["CNY"] += Decimal(member[kind])
    return totals


@pytest.mark.slow
def test_random_100k_event_scenario_replays_and_balances(tmp_path: Path) -> None:
    path = tmp_path / "random.json"
    assert invoke("scenario", "random", "100000", "--seed", "3", "-o", str(path)).exit_code == 0
    assert len(json.loads(path.read_text())["events"]) == 100_000
    result = invoke("replay", str(path), "--json")
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert sums_by_asset(out) == {"CNY": 0, "PTS": 0}
    member_points = sum(Decimal(m["points"]) for m in out["members"].values())
    assert Decimal(out["pool"]["points"]) == member_points
    assert Decimal(out["pool"]["money"]) == Decimal(out["accounts"]["pool"])
    assert out["exits"] > 0 and len(out["members"]) > 20_000
    assert all(Decimal(v) >= 0 for k, v in out["accounts"].items() if not k.startswith("external:"))
