"""codec.py: events to JSON-safe dicts and back; fingerprints of canonical JSON."""

from __future__ import annotations

import json

import pytest

from zengzhi.domain import events as ev
from zengzhi.domain.money import Ratio
from zengzhi.domain.split import SplitPart
from zengzhi.engine import codec

EVENTS: list[ev.Event] = [
    ev.Join("A"),
    ev.Join("B", sponsor="A", region="440106"),
    ev.PayOrder("o1", "A", "pack1000"),
    ev.PayOrder("o2", "A", amount_cents=100, settle=False,
                split=(SplitPart("cost", 40), SplitPart("pool", percent=Ratio(3, 5)))),
    ev.SettleOrder("o2"),
    ev.RefundOrder("o2"),
    ev.Sell("A", 2_100_000),
    ev.Redeem("A", 1),
    ev.Inject(270_000),
    ev.Withdraw("w1", "A", 100),
    ev.WithdrawApprove("w1"),
    ev.WithdrawDone("w1"),
    ev.WithdrawFail("w1"),
    ev.SetRank("A", "v3"),
    ev.SetRank("A", "city", "regional", "440100"),
    ev.ClosePeriod("dividend"),
    ev.ClosePeriod(),
    ev.Tick(),
]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: type(e).__name__)
def test_round_trip_through_json(event: ev.Event) -> None:
    data = codec.to_dict(event)
    assert json.loads(codec.canonical_json(data)) == data
    assert codec.from_dict(json.loads(codec.canonical_json(data))) == event


def test_every_event_type_has_a_kind() -> None:
    assert {type(e) for e in EVENTS} == set(codec.KINDS)


def test_fingerprint_depends_on_content_only() -> None:
    a = codec.to_dict(ev.PayOrder("o1", "A", "pack1000"))
    b = dict(reversed(list(a.items())))
    assert codec.fingerprint(a) == codec.fingerprint(b)
    assert codec.fingerprint(a) != codec.fingerprint(codec.to_dict(ev.PayOrder("o1", "B",
                                                                               "pack1000")))
    assert codec.fingerprint(a) != codec.fingerprint(codec.to_dict(
        ev.PayOrder("o1", "A", "pack1000", settle=False)))
