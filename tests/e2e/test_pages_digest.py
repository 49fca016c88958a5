"""The pages' log digest (price chart, payouts, referral tree) agrees with the engine's state.

A seeded random workload (joins with sponsors, orders, sales down to zero
points, subsidies, withdrawals, forced exits at k = 0.5) runs through a real
engine; after every few events the digest, read incrementally from the log,
must give the state's pool money, points and price exactly, the money paid
to members' cash, and each member's direct downline.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from tests.strategies import seed_config
from zengzhi.admin import digest as digest_module
from zengzhi.admin.digest import Digests, LogDigest
from zengzhi.domain import events as ev
from zengzhi.domain.ledger import EXTERNAL_WITHDRAWALS
from zengzhi.domain.money import format_ratio, price_per_point
from zengzhi.domain.state import State
from zengzhi.engine.engine import Engine
from zengzhi.engine.memory import FixedClock, InMemoryStore

FINISHERS: list[Callable[[str], ev.Event]] = [ev.WithdrawApprove, ev.WithdrawDone, ev.WithdrawFail]


def _check(digest: LogDigest, state: State) -> None:
    pool = state.pool
    assert (digest.pool.money_cents, digest.pool.points_units) == (pool.money_cents, pool.points_units)
    assert format_ratio(price_per_point(digest.price())) == format_ratio(price_per_point(pool.price()))
    balances = state.ledger.balances
    paid = sum(balances.get(m.cash, 0) + balances.get(m.withdrawing, 0) for m in state.members.values())
    assert digest.payouts_total_cents == paid + balances.get(EXTERNAL_WITHDRAWALS, 0)
    downline: dict[str, list[str]] = {}
    for member in state.members.values():
        if member.sponsor is not None:
            downline.setdefault(member.sponsor, []).append(member.member_id)
    assert digest.children == downline
    data = digest.chart_data()
    prices = [str(row[2]) for row in data]
    assert prices[-1] == format_ratio(price_per_point(pool.price()))
    assert [int(p.replace(".", "")) for p in prices] == sorted(int(p.replace(".", "")) for p in prices)
    assert len(data) <= digest_module.SERIES_POINTS_MAX + 1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_digest_follows_the_state(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(digest_module, "SERIES_POINTS_MAX", 40)  # thinning happens too
    rng = random.Random(seed)
    store = InMemoryStore()
    engine = Engine.create(store, "t", seed_config(exit_multiple="0.5"), FixedClock(1_700_000_000_000))
    digests = Digests()
    members: list[str] = []
    withdrawals: list[str] = []
    for step in range(1_500):
        roll = rng.random()
        if roll < 0.12 or not members:
            member = f"m{len(members)}"
            sponsor = rng.choice(members) if members and rng.random() < 0.8 else None
            event: ev.Event = ev.Join(member, sponsor=sponsor)
            members.append(member)
        elif roll < 0.55:
            event = ev.PayOrder(f"o{step}", rng.choice(members), "pack1000")
        elif roll < 0.75:
            member = rng.choice(members)
            held = engine.state.ledger.balances.get(f"member:{member}:points", 0)
            # often everything (the pool can run out of points), sometimes too much (rejected)
            amount = held if rng.random() < 0.5 else rng.randint(1, held + 10_000)
            event = ev.Sell(member, amount)
        elif roll < 0.8:
            event = ev.Inject(rng.randint(1, 50_000))
        elif roll < 0.9:
            withdrawal = f"w{step}"
            withdrawals.append(withdrawal)
            event = ev.Withdraw(withdrawal, rng.choice(members), rng.randint(1, 20_000))
        else:
            finish = rng.choice(FINISHERS)
            event = finish(rng.choice(withdrawals)) if withdrawals else ev.Inject(1)
        engine.submit(f"k{step}", event)
        if step % 37 == 0 or engine.state.pool.points_units == 0:  # the last-price case too
            _check(digests.get(engine.store, "t", engine.config.pool.initial_price), engine.state)
    digest = digests.get(engine.store, "t", engine.config.pool.initial_price)
    _check(digest, engine.state)
    assert engine.state.exits_total > 0 and digest.payouts_cents.get("exit.payout", 0) > 0
    assert digest.seq == engine.seq


def test_a_rejected_first_event_still_gives_a_chart() -> None:
    store = InMemoryStore()
    engine = Engine.create(store, "t", seed_config(), FixedClock(0))
    engine.submit("k1", ev.Sell("nobody", 1))
    digest = Digests().get(engine.store, "t", engine.config.pool.initial_price)
    assert digest.chart_data() == [[0, 0, "1.0000"]]
