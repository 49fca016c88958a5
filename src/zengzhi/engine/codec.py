"""Events to and from plain JSON-safe dicts (amounts as integers of minor units).

The dict form is what the event log stores and what idempotency compares:
``fingerprint`` is a digest of the canonical JSON, so the same content always
has the same fingerprint.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from zengzhi.domain import events as ev
from zengzhi.domain.money import Ratio
from zengzhi.domain.split import SplitPart

KINDS: dict[type, str] = {
    ev.Join: "join",
    ev.PayOrder: "order",
    ev.SettleOrder: "settle",
    ev.RefundOrder: "refund",
    ev.Sell: "sell",
    ev.Redeem: "redeem",
    ev.Inject: "inject",
    ev.Withdraw: "withdraw",
    ev.WithdrawApprove: "withdraw_approve",
    ev.WithdrawDone: "withdraw_done",
    ev.WithdrawFail: "withdraw_fail",
    ev.SetRank: "set_rank",
    ev.ClosePeriod: "close_period",
    ev.Tick: "tick",
}
TYPES: dict[str, type] = {kind: cls for cls, kind in KINDS.items()}
# field names per event type, in declaration order (compiled dataclasses have no ``__slots__`` to read)
FIELDS: dict[type, tuple[str, ...]] = {cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in KINDS}


def _split_to_json(split: tuple[SplitPart, ...]) -> list[list[Any]]:
    out: list[list[Any]] = []
    for part in split:
        if part.fixed_cents is not None:
            out.append([part.bucket, part.fixed_cents])
        else:
            assert part.percent is not None
            out.append([part.bucket, [part.percent.num, part.percent.den]])
    return out


def _split_from_json(data: list[list[Any]]) -> tuple[SplitPart, ...]:
    parts = []
    for bucket, value in data:
        if isinstance(value, list):
            parts.append(SplitPart(bucket, percent=Ratio(int(value[0]), int(value[1]))))
        else:
            parts.append(SplitPart(bucket, fixed_cents=int(value)))
    return tuple(parts)


def to_dict(event: ev.Event) -> dict[str, Any]:
    """``{"type": kind, ...fields}`` with only JSON types."""
    out: dict[str, Any] = {"type": KINDS[type(event)]}
    for name in FIELDS[type(event)]:
        value = getattr(event, name)
        if name == "split" and value is not None:
            value = _split_to_json(value)
        out[name] = value
    return out


def from_dict(data: Mapping[str, Any]) -> ev.Event:
    cls = TYPES[data["type"]]
    fields = {k: v for k, v in data.items() if k != "type"}
    if fields.get("split") is not None:
        fields["split"] = _split_from_json(fields["split"])
    event: ev.Event = cls(**fields)
    return event


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(data: Mapping[str, Any]) -> str:
    return _CANONICAL.encode(data)


def fingerprint_of(text: str) -> str:
    """Digest of a canonical JSON text."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def fingerprint(data: Mapping[str, Any]) -> str:
    return fingerprint_of(canonical_json(data))
