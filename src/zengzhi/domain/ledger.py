"""The double-entry ledger: accounts, postings and balances.

A ``Posting`` moves ``amount`` of one ``asset`` from one account to another,
so every posting balances by construction and the sum of all balances of an
asset is always zero. Money (asset ``CNY``, in cents) and points (asset
``PTS``, in 0.0001 units) are separate assets; an account holds one asset.

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

from collections.abc import Iterable, Mapping
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
    """One balanced movement; ``rule`` says why, ``order_id`` for what."""

    from_account: str
    to_account: str
    asset: str
    amount: int
    rule: str
    order_id: str = ""
    plan: str = ""


def member_account(member_id: str, kind: str) -> str:
    return f"member:{member_id}:{kind}"


def is_external(account: str) -> bool:
    return account.startswith(EXTERNAL_PREFIX)


class Ledger:
    """Balances per account, with the asset each account holds."""

    __slots__ = ("balances", "assets")

    def __init__(self) -> None:
        self.balances: dict[str, int] = {}
        self.assets: dict[str, str] = {}

    def balance(self, account: str) -> int:
        return self.balances.get(account, 0)

    def apply(self, postings: Iterable[Posting]) -> str | None:
        """Apply postings atomically.

        Returns:
            ``None`` on success, else the first non-external account that
            would go negative (and then no balance has changed).
        """
        done: list[Posting] = []
        balances = self.balances
        for p in postings:
            assert p.amount >= 0, p
            self._check_asset(p.from_account, p.asset)
            self._check_asset(p.to_account, p.asset)
            balances[p.from_account] = balances.get(p.from_account, 0) - p.amount
            balances[p.to_account] = balances.get(p.to_account, 0) + p.amount
            done.append(p)
        for p in done:
            if balances[p.from_account] < 0 and not p.from_account.startswith(EXTERNAL_PREFIX):
                self._revert(done)
                return p.from_account
        return None

    def _revert(self, done: list[Posting]) -> None:
        for p in done:
            self.balances[p.from_account] += p.amount
            self.balances[p.to_account] -= p.amount

    def _check_asset(self, account: str, asset: str) -> None:
        known = self.assets.setdefault(account, asset)
        assert known == asset, f"account {account} holds {known}, not {asset}"

    def totals_by_asset(self) -> Mapping[str, int]:
        """Sum of all balances per asset; both are zero in a sound ledger."""
        totals: dict[str, int] = {}
        for account, amount in self.balances.items():
            asset = self.assets[account]
            totals[asset] = totals.get(asset, 0) + amount
        return totals

    def negative_accounts(self) -> list[str]:
        return sorted(
            a for a, v in self.balances.items() if v < 0 and not a.startswith(EXTERNAL_PREFIX)
        )

    def copy(self) -> Ledger:
        other = Ledger()
        other.balances = dict(self.balances)
        other.assets = dict(self.assets)
        return other
