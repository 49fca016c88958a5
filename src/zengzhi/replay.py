"""``replay``: run a scenario through the engine and compare with ``expect``.

The scenario runs against a store (a throw-away SQLite file by default), in
batches committed together; each rejected event is reported with its index.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from zengzhi.domain.config import ConfigError
from zengzhi.engine.engine import Command, Engine
from zengzhi.engine.ports import Clock, EventStore
from zengzhi.engine.queries import state_view
from zengzhi.errors import ScenarioError
from zengzhi.scenario import Scenario

REPLAY_BATCH_SIZE = 2_000


@dataclass(slots=True)
class ReplayResult:
    view: dict[str, Any]
    rejected: list[dict[str, Any]] = field(default_factory=list)
    stopped_at: int | None = None  # with --strict: the index of the first rejection
    engine: Engine | None = None


def run_scenario(scenario: Scenario, store: EventStore, clock: Clock, *, tenant: str = "replay",
                 strict: bool = False) -> ReplayResult:
    try:
        engine = Engine.create(store, tenant, scenario.config, clock)
    except ConfigError as exc:
        raise ScenarioError(f"config.{exc.field}: {exc.reason}", field=exc.field) from None
    rejected: list[dict[str, Any]] = []
    batch: list[tuple[int, Command]] = []

    def flush() -> bool:
        """Commit the batch; False when --strict must stop."""
        receipts = _submit(engine, batch, rejected)
        batch.clear()
        return not (strict and receipts)

    for item in scenario.events:
        if item.error is not None or item.event is None:
            assert item.error is not None
            if not flush():
                break
            rejected.append({"index": item.index, "field": item.error.field,
                             "reason": str(item.error)})
            if strict:
                break
            continue
        batch.append((item.index, Command(item.key, item.event, item.at_ms)))
        if len(batch) >= REPLAY_BATCH_SIZE or strict:
            if not flush():
                break
    else:
        flush()
    view = state_view(engine.state)
    view["rejected"] = rejected
    stopped = rejected[0]["index"] if strict and rejected else None
    return ReplayResult(view, rejected, stopped, engine)


def _submit(engine: Engine, batch: list[tuple[int, Command]], rejected: list[dict[str, Any]]
            ) -> list[dict[str, Any]]:
    """Submit a batch; returns the rejections it produced (also appended to ``rejected``)."""
    if not batch:
        return []
    receipts = engine.submit_batch([c for _, c in batch])
    found = []
    for (index, _), receipt in zip(batch, receipts, strict=True):
        rejection = receipt.outcome.rejection
        if rejection is not None and (receipt.conflict or not receipt.replayed):
            found.append({"index": index, "field": rejection.field, "code": rejection.code.value,
                          "reason": rejection.message()})
    rejected.extend(found)
    return found


def compare(expect: Mapping[str, Any], actual: Mapping[str, Any], path: str = "") -> list[str]:
    """Every difference between ``expect`` and the matching part of ``actual``."""
    diffs: list[str] = []
    for key, want in expect.items():
        here = f"{path}.{key}" if path else str(key)
        if key not in actual:
            diffs.append(f"{here}: expected {want!r}, missing")
            continue
        got = actual[key]
        if isinstance(want, Mapping) and isinstance(got, Mapping):
            diffs.extend(compare(want, got, here))
        elif not _same(want, got):
            diffs.append(f"{here}: expected {want!r}, got {got!r}")
    return diffs


def _same(want: Any, got: Any) -> bool:
    if isinstance(want, list) or isinstance(got, list):
        return bool(want == got)
    if isinstance(want, bool) or isinstance(got, bool):
        return bool(want == got)
    try:
        return Decimal(str(want)) == Decimal(str(got))
    except InvalidOperation:
        return str(want) == str(got)
