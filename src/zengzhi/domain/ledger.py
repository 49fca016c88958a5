"""The double-entry ledger: accounts, postings and balances.

A ``Posting`` moves ``amount`` of one ``asset`` from one account to another,
so every posting balances by construction and the sum of all balances of an
asset is always zero. Money (asset ``CNY``, in cents) and points (asset
``PTS``, in 0.0001 units) are separate assets; an account holds one asset,
implied by its name (``asset_of``: accounts named ``...:points`` hold points).

Account names are plain strings:

* ``external:*`` — where money or points enter and leave (payments, funding,
  withdrawals, the points issuer). Only these may be negative.
* tenant accounts — ``pool``, ``platform``, ``residual``, one per split bucket
  (``cost``, ``distribution`` …), ``merchant`` for redemptions.
* member accounts — ``member:<id>:cash`` (零钱), ``:frozen``, ``:pending``,
  ``:withdrawing`` (in flight to the bank) and ``:points``.

Invariant: after ``apply`` returns ``None`` no non-external account is
negative; when it returns an account name, nothing changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

CNY = "CNY"
PTS = "PTS"

EXTERNAL_PREFIX = "external:"
EXTERNAL_PAYMENTS = "external:payments"
EXTERNAL_FUNDING = "external:funding"
EXTERNAL_WITHDRAWALS = "external:withdrawals"
EXTERNAL_POINTS = "external:points"

POOL = "pool"
PLATFORM = "platform"
RESIDUAL = "residual"
MERCHANT = "merchant"


class Posting(NamedTuple):
    """One balanced movement; ``rule`` says why, ``order_id`` for what.

    ``plan`` names the reward plan that paid it and ``memo`` says, in one
    line, why this payee got this amount (for ``zengzhi explain``).
    """

    from_account: str
    to_account: str
    asset: str
    amount: int
    rule: str
    order_id: str = ""
    plan: str = ""
    memo: str = ""


def member_account(member_id: str, kind: str) -> str:
    return f"member:{member_id}:{kind}"


ASSET_BY_KIND = {"points": PTS}


def asset_of(account: str) -> str:
    """The asset an account holds, from its name: ``...:points`` hold points."""
    return ASSET_BY_KIND.get(account.rpartition(":")[2], CNY)


def is_external(account: str) -> bool:
    return account.startswith(EXTERNAL_PREFIX)


class Ledger:
    """Balances per account, with the asset each account holds."""

    __slots__ = ("balances",)

    def __init__(self) -> None:
        self.balances: dict[str, int] = {}

    def balance(self, account: str) -> int:
        return self.balances.get(account, 0)

    def apply(self, postings: Sequence[Posting]) -> str | None:
        """Apply postings atomically.

        Returns:
            ``None`` on success, else the first non-external account that
            would end negative (and then no balance has changed).
        """
        balances = self.balances
        get = balances.get
        suspects: list[str] = []
        for p in postings:
            # the asset is implied by the account names (asset_of); the property
            # tests check every posting against it, the hot path does not
            source, target, amount = p[0], p[1], p[3]
            assert amount >= 0, p
            left = get(source, 0) - amount
            balances[source] = left
            balances[target] = get(target, 0) + amount
            if left < 0 and not source.startswith(EXTERNAL_PREFIX):
                suspects.append(source)
        for account in suspects:
            # an account may dip and recover inside one event: only the end state counts
            if balances[account] < 0:
                for p in postings:
                    balances[p.from_account] += p.amount
                    balances[p.to_account] -= p.amount
                return account
        return None

    def totals_by_asset(self) -> Mapping[str, int]:
        """Sum of all balances per asset; both are zero in a sound ledger."""
        totals: dict[str, int] = {}
        for account, amount in self.balances.items():
            asset = asset_of(account)
            totals[asset] = totals.get(asset, 0) + amount
        return totals

    def negative_accounts(self) -> list[str]:
        return sorted(
            a for a, v in self.balances.items() if v < 0 and not a.startswith(EXTERNAL_PREFIX)
        )

    def copy(self) -> Ledger:
        other = Ledger()
        other.balances = dict(self.balances)
        return other
