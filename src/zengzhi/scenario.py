"""Scenario files (YAML or JSON): a tenant config plus events, for ``replay``.

Parsing turns each event mapping into a domain event; a malformed event
becomes a ``ScenarioEventError`` naming the field, which ``replay`` reports
as a rejection at that index (nothing is applied). The format is the
contract in shared/spec/scenario-format.md; keep it compatible.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from zengzhi.domain import events as ev
from zengzhi.domain.config import ConfigError, parse_split
from zengzhi.domain.money import AmountError, parse_cents, parse_points
from zengzhi.errors import ScenarioError

EVENT_FIELDS: dict[str, set[str]] = {
    "join": {"member", "sponsor", "region"},
    "order": {"id", "member", "product", "amount", "split", "settle"},
    "settle": {"id"},
    "refund": {"id"},
    "sell": {"member", "points"},
    "redeem": {"member", "points"},
    "inject": {"amount"},
    "withdraw": {"id", "member", "amount"},
    "withdraw_approve": {"id"},
    "withdraw_done": {"id"},
    "withdraw_fail": {"id"},
    "set_rank": {"member", "rank", "plan", "region"},
    "close_period": {"plan"},
    "tick": set(),
}
COMMON_FIELDS = {"type", "key", "at"}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class ScenarioEventError(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ParsedEvent:
    index: int
    key: str
    event: ev.Event | None
    at_ms: int
    error: ScenarioEventError | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    config: dict[str, Any]
    events: list[ParsedEvent]
    expect: dict[str, Any] | None


def load_file(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ScenarioError(f"{path}: not valid {path.suffix[1:] or 'YAML'}: {exc}") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: a scenario is a mapping with config and events")
    return data


def _text(data: Mapping[str, Any], name: str, required: bool = True) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise ScenarioEventError(name, "is required")
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ScenarioEventError(name, "must be a string")
    return str(value)


def _req(data: Mapping[str, Any], name: str) -> str:
    value = _text(data, name)
    assert value is not None
    return value


def _amount(data: Mapping[str, Any], name: str, parse: Callable[[object, str], int]) -> int:
    if data.get(name) is None:
        raise ScenarioEventError(name, "is required")
    try:
        return parse(data[name], name)
    except AmountError as exc:
        raise ScenarioEventError(name, str(exc)) from None


def _money(data: Mapping[str, Any], name: str) -> int:
    return _amount(data, name, parse_cents)


def _points(data: Mapping[str, Any], name: str) -> int:
    return _amount(data, name, parse_points)


def _order(data: Mapping[str, Any]) -> ev.PayOrder:
    settle = data.get("settle", True)
    if not isinstance(settle, bool):
        raise ScenarioEventError("settle", "must be true or false")
    split = None
    if data.get("split") is not None:
        try:
            split = parse_split(data["split"], "split")
        except ConfigError as exc:
            raise ScenarioEventError(exc.field, exc.reason) from None
    amount = _money(data, "amount") if data.get("amount") is not None else None
    return ev.PayOrder(_req(data, "id"), _req(data, "member"), _text(data, "product", False),
                       amount, split, settle)


def parse_event(data: Mapping[str, Any]) -> ev.Event:
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in EVENT_FIELDS:
        raise ScenarioEventError("type", f"unknown event type {kind!r} (known: {', '.join(EVENT_FIELDS)})")
    for name in data:
        if name not in EVENT_FIELDS[kind] and name not in COMMON_FIELDS:
            raise ScenarioEventError(str(name), f"unknown field for {kind}")
    if kind == "join":
        return ev.Join(_req(data, "member"), _text(data, "sponsor", False), _text(data, "region", False))
    if kind == "order":
        return _order(data)
    if kind in ("sell", "redeem"):
        cls = ev.Sell if kind == "sell" else ev.Redeem
        return cls(_req(data, "member"), _points(data, "points"))
    if kind == "inject":
        return ev.Inject(_money(data, "amount"))
    if kind == "set_rank":
        return ev.SetRank(_req(data, "member"), _req(data, "rank"), _text(data, "plan", False),
                          _text(data, "region", False))
    if kind == "close_period":
        return ev.ClosePeriod(_text(data, "plan", False))
    if kind == "tick":
        return ev.Tick()
    if kind == "withdraw":
        return ev.Withdraw(_req(data, "id"), _req(data, "member"), _money(data, "amount"))
    simple: dict[str, type[ev.SettleOrder | ev.RefundOrder | ev.WithdrawApprove | ev.WithdrawDone
                           | ev.WithdrawFail]] = {
        "settle": ev.SettleOrder, "refund": ev.RefundOrder, "withdraw_approve": ev.WithdrawApprove,
        "withdraw_done": ev.WithdrawDone, "withdraw_fail": ev.WithdrawFail}
    return simple[kind](_req(data, "id"))


def _at_ms(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ScenarioEventError("at", f"not an ISO date-time: {value!r}") from None
    else:
        raise ScenarioEventError("at", "must be an ISO date-time or ms since the epoch")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - EPOCH) // timedelta(milliseconds=1)


def parse_scenario(data: Mapping[str, Any], source: str = "scenario") -> Scenario:
    for name in data:
        if name not in ("config", "events", "expect", "name", "description"):
            raise ScenarioError(f"{source}: unknown top-level field {name!r}", field=str(name))
    events_data = data.get("events") or []
    if not isinstance(events_data, list):
        raise ScenarioError(f"{source}: events must be a list", field="events")
    parsed = []
    for index, item in enumerate(events_data):
        key = f"replay:{index}"
        try:
            if not isinstance(item, Mapping):
                raise ScenarioEventError("type", "an event is a mapping")
            if item.get("key") is not None:
                key = str(item["key"])
            parsed.append(ParsedEvent(index, key, parse_event(item), _at_ms(item.get("at"))))
        except ScenarioEventError as exc:
            parsed.append(ParsedEvent(index, key, None, 0, exc))
    config = data.get("config") or {}
    expect = data.get("expect")
    if expect is not None and not isinstance(expect, dict):
        raise ScenarioError(f"{source}: expect must be a mapping", field="expect")
    return Scenario(dict(config), parsed, expect)
