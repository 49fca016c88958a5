"""ledger.py: balanced postings, atomic apply, no negative internal account."""

from __future__ import annotations

from zengzhi.domain.ledger import (
    CNY,
    EXTERNAL_PAYMENTS,
    EXTERNAL_POINTS,
    POOL,
    PTS,
    Ledger,
    Posting,
    is_external,
    member_account,
)

CASH = member_account("A", "cash")
POINTS = member_account("A", "points")


def test_member_accounts_and_external() -> None:
    assert CASH == "member:A:cash"
    assert is_external(EXTERNAL_PAYMENTS)
    assert not is_external(POOL)
    assert not is_external(CASH)


def test_apply_moves_amounts_and_balances_per_asset() -> None:
    ledger = Ledger()
    assert ledger.apply([Posting(EXTERNAL_PAYMENTS, POOL, CNY, 30_000, "split.pool"),
                         Posting(EXTERNAL_POINTS, POINTS, PTS, 2_100_000, "pool.grant")]) is None
    assert ledger.balance(POOL) == 30_000
    assert ledger.balance(EXTERNAL_PAYMENTS) == -30_000  # external accounts may be negative
    assert ledger.balance(POINTS) == 2_100_000
    assert ledger.balance("nobody") == 0
    assert dict(ledger.totals_by_asset()) == {CNY: 0, PTS: 0}
    assert ledger.negative_accounts() == []


def test_overdraft_is_rejected_whole_and_changes_nothing() -> None:
    ledger = Ledger()
    assert ledger.apply([Posting(EXTERNAL_PAYMENTS, POOL, CNY, 100, "seed")]) is None
    before = dict(ledger.balances)
    made = [Posting(POOL, CASH, CNY, 60, "first"), Posting(POOL, CASH, CNY, 60, "second")]
    assert ledger.apply(made) == POOL
    assert {k: v for k, v in ledger.balances.items() if v} == {k: v for k, v in before.items() if v}
    assert ledger.negative_accounts() == []


def test_only_the_end_state_of_an_event_counts() -> None:
    ledger = Ledger()
    # the pool pays out first and is funded by a later posting of the same event
    made = [Posting(POOL, CASH, CNY, 50, "payout"), Posting(EXTERNAL_PAYMENTS, POOL, CNY, 50, "in")]
    assert ledger.apply(made) is None
    assert ledger.balance(POOL) == 0
    assert ledger.balance(CASH) == 50


def test_zero_amount_postings_are_allowed() -> None:
    ledger = Ledger()
    assert ledger.apply([Posting(POOL, CASH, CNY, 0, "payout")]) is None
    assert ledger.negative_accounts() == []


def test_negative_accounts_lists_internal_accounts_only() -> None:
    ledger = Ledger()
    ledger.balances[CASH] = -1  # only a broken rule could do this; the check must see it
    ledger.balances[EXTERNAL_PAYMENTS] = -5
    assert ledger.negative_accounts() == [CASH]


def test_copy_is_independent() -> None:
    ledger = Ledger()
    assert ledger.apply([Posting(EXTERNAL_PAYMENTS, POOL, CNY, 10, "in")]) is None
    other = ledger.copy()
    assert other.apply([Posting(EXTERNAL_PAYMENTS, POOL, CNY, 5, "in")]) is None
    assert (ledger.balance(POOL), other.balance(POOL)) == (10, 15)
