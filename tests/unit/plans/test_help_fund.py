"""help_fund.py: 帮扶基金 — 20% of linkage payouts frozen until B1/B2 qualify (seed 002 part 五)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.strategies import accept, make_state, snapshot
from tests.unit.plans.test_linkage import config as linkage_config
from zengzhi.domain.config import ConfigError, parse_tenant_config
from zengzhi.domain.events import Join, PayOrder, RefundOrder, Tick
from zengzhi.domain.state import State

YUAN = 100
FUND = {"type": "help_fund", "share": "20%", "applies_to": ["linkage"], "lines_from": "linkage",
        "release": {"min_rank": "agent", "team_orders_more_than": 20}}


def config(**fund: Any) -> dict[str, Any]:
    data = linkage_config()
    data["plans"].append({**FUND, **fund})
    return data


def seeded(**fund: Any) -> State:
    """A with B1, B2, C (A boss), C1 — every pack settled but C1's."""
    state = make_state(config(**fund))
    for member, sponsor in (("A", None), ("B1", "A"), ("B2", "A"), ("C", "A"), ("C1", "C")):
        accept(state, Join(member, sponsor=sponsor))
    for member in ("A", "B1", "B2", "C"):
        accept(state, PayOrder(member.lower(), member, "pack1000"))
    return state


def balance(state: State, member: str, kind: str) -> int:
    return state.ledger.balance(f"member:{member}:{kind}")


def teas(state: State, member: str, count: int) -> None:
    for _ in range(count):
        accept(state, PayOrder(f"t{len(state.orders)}", member, "tea"))


def test_twenty_percent_is_frozen_from_the_same_bucket() -> None:
    state = seeded()
    # A: 100 + 100 + (100 + 200) -> 80% cash, 20% frozen
    assert (balance(state, "A", "cash"), balance(state, "A", "frozen")) == (400 * YUAN, 100 * YUAN)
    outcome = accept(state, PayOrder("c1", "C1", "pack1000"))
    freezes = [p for p in outcome.postings if p.rule == "help_fund.freeze"]
    assert {(p.to_account, p.amount, p.from_account) for p in freezes} == {
        ("member:C:frozen", 20 * YUAN, "linkage"), ("member:A:frozen", 40 * YUAN, "linkage")}
    assert freezes[0].plan == "help_fund"
    assert freezes[0].memo == "帮扶基金 help fund: 20% of linkage.direct 100.00 frozen until B1/B2 qualify"
    from_bucket = sum(p.amount for p in outcome.postings if p.from_account == "linkage")
    assert from_bucket == 330 * YUAN  # bucket = payouts (cash + frozen) + residual
    assert state.ledger.balance("linkage") == 0


def test_release_needs_more_than_twenty_team_orders_checked_on_tick() -> None:
    state = seeded()
    teas(state, "B1", 9)
    teas(state, "B2", 9)  # 2 packs + 18 teas = 20: not more than 20
    outcome = accept(state, Tick())
    assert not [p for p in outcome.postings if p.rule.startswith("help_fund")]
    assert balance(state, "A", "frozen") == 100 * YUAN
    teas(state, "B2", 1)
    outcome = accept(state, Tick())
    released = [p for p in outcome.postings if p.rule == "help_fund.release"]
    assert [(p.from_account, p.to_account, p.amount) for p in released] == [
        ("member:A:frozen", "member:A:cash", 100 * YUAN)]
    assert "21 settled orders (more than 20)" in released[0].memo
    assert (balance(state, "A", "cash"), balance(state, "A", "frozen")) == (500 * YUAN, 0)
    # released: A's later payouts are not frozen; C (no lines yet) still is
    accept(state, PayOrder("c1", "C1", "pack1000"))
    assert (balance(state, "A", "cash"), balance(state, "A", "frozen")) == (700 * YUAN, 0)
    assert (balance(state, "C", "cash"), balance(state, "C", "frozen")) == (80 * YUAN, 20 * YUAN)


def test_release_at_the_members_next_payout() -> None:
    state = seeded()
    teas(state, "B1", 10)
    teas(state, "B2", 9)  # 21 team orders, no tick
    outcome = accept(state, PayOrder("c1", "C1", "pack1000"))  # pays A 200 见点
    rules = [(p.rule, p.to_account, p.amount) for p in outcome.postings if p.rule.startswith("help_fund")]
    assert ("help_fund.release", "member:A:cash", 100 * YUAN) in rules
    assert ("help_fund.freeze", "member:A:frozen", 40 * YUAN) not in rules
    assert (balance(state, "A", "cash"), balance(state, "A", "frozen")) == (700 * YUAN, 0)


def test_min_rank_boss_needs_both_lines_to_be_bosses() -> None:
    state = seeded(release={"min_rank": "boss", "team_orders_more_than": 0})
    outcome = accept(state, Tick())
    assert outcome.postings == ()
    assert balance(state, "A", "frozen") == 100 * YUAN


def test_odd_cents_stay_in_cash() -> None:
    state = seeded(share="1/3")
    # 100 -> 33.33 frozen; 300 paid as 100 + 200 -> 33.33 + 66.66
    assert balance(state, "A", "frozen") == 3333 + 3333 + 3333 + 6666
    assert balance(state, "A", "cash") == 500 * YUAN - balance(state, "A", "frozen")


def test_refund_before_settlement_changes_nothing() -> None:
    state = seeded()
    accept(state, PayOrder("c1", "C1", "pack1000", settle=False))
    before = snapshot(state)
    accept(state, RefundOrder("c1"))
    after = snapshot(state)
    assert after["plans"] == before["plans"]
    assert {k: v for k, v in after["balances"].items() if ":frozen" in k or ":cash" in k} == {
        k: v for k, v in before["balances"].items() if ":frozen" in k or ":cash" in k}


def test_other_plans_payouts_are_untouched() -> None:
    data = config()
    data["plans"].insert(0, {"type": "referral", "name": "ref", "bucket": "dividend", "awards": ["10.00"]})
    state = make_state(data)
    accept(state, Join("A"))
    accept(state, Join("B", sponsor="A"))
    accept(state, PayOrder("a", "A", "pack1000"))
    outcome = accept(state, PayOrder("b", "B", "pack1000"))
    frozen = [p.amount for p in outcome.postings if p.rule == "help_fund.freeze"]
    assert frozen == [20 * YUAN]  # of the linkage 100, not of the referral 10
    assert balance(state, "A", "cash") == 80 * YUAN + 10 * YUAN


def test_member_view() -> None:
    from zengzhi.engine.queries import member_view

    state = seeded()
    assert member_view(state, "A")["help_fund"] == {"held": "100.00", "released": False}
    assert "help_fund" not in member_view(state, "B1")


@pytest.mark.parametrize(("change", "field"), [
    ({"share": "120%"}, "plans[1].share"),
    ({"share": None}, "plans[1].share"),
    ({"applies_to": []}, "plans[1].applies_to"),
    ({"applies_to": "linkage"}, "plans[1].applies_to"),
    ({"lines_from": None}, "plans[1].lines_from"),
    ({"lines_from": "nope"}, "plans[1].lines_from"),
    ({"applies_to": ["nope"]}, "plans[1].applies_to"),
    ({"bucket": "linkage"}, "plans[1].bucket"),
    ({"release": {"min_rank": "v3"}}, "plans[1].release.min_rank"),
    ({"release": {"team_orders_more_than": -1}}, "plans[1].release.team_orders_more_than"),
    ({"release": {"when": "always"}}, "plans[1].release.when"),
    ({"release": "soon"}, "plans[1].release"),
    ({"extra": 1}, "plans[1].extra"),
])
def test_config_is_validated(change: dict[str, Any], field: str) -> None:
    data = config(**change)
    for key, value in change.items():
        if value is None:
            del data["plans"][1][key]
    with pytest.raises(ConfigError) as err:
        parse_tenant_config(data)
    assert err.value.field == field
