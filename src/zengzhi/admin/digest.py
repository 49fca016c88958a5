"""What the pages need from a tenant's event log, kept up to date incrementally.

``LogDigest`` reads the log once, then only the records appended since its
last read (``store.load(tenant, after_seq)``), and keeps:

* the price series for the chart: one point per event that changed the
  price, thinned to at most ``SERIES_POINTS_MAX`` (every other point dropped
  when full; the newest is always kept);
* the money paid out to members' cash (零钱) by sales and forced exits (and
  any other rule that pays a member's cash from outside the member);
* the sponsor tree (推荐关系): each member's direct downline, from the
  accepted ``join`` events.

The pool is followed through the postings (``domain.pool.follow_postings``,
the same rule the API's read model uses). Exact integers throughout; the
chart's price is a display string.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from zengzhi.domain.ledger import CNY
from zengzhi.domain.money import Ratio, format_ratio, price_per_point
from zengzhi.domain.pool import Pool, follow_postings
from zengzhi.engine.ports import EventRecord, EventStore

SERIES_POINTS_MAX = 1_000
MEMBER_PREFIX = "member:"


@dataclass(frozen=True, slots=True)
class PricePoint:
    seq: int
    at_ms: int
    price: str  # yuan per point, 4 decimals (display)


@dataclass(slots=True)
class LogDigest:
    initial_price: Ratio  # cents per point unit
    seq: int = 0
    pool: Pool = field(init=False)  # the pool followed through the postings
    series: list[PricePoint] = field(default_factory=list)
    payouts_cents: dict[str, int] = field(default_factory=dict)  # rule -> cents to members' cash
    children: dict[str, list[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.pool = Pool(self.initial_price)

    def price(self) -> Ratio:
        return self.pool.price()

    @property
    def payouts_total_cents(self) -> int:
        return sum(self.payouts_cents.values())

    def catch_up(self, store: EventStore, tenant: str) -> None:
        """Read the records appended since the last call."""
        with self.lock:
            self.consume(store.load(tenant, self.seq))

    def consume(self, records: Iterable[EventRecord]) -> None:
        for record in records:
            assert record.seq == self.seq + 1, f"log gap at #{record.seq}"
            self._one(record)
            self.seq = record.seq

    def _one(self, record: EventRecord) -> None:
        before = format_ratio(price_per_point(self.price()))
        if record.rejection:
            return
        if record.payload.get("type") == "join":
            sponsor = record.payload.get("sponsor")
            if sponsor:
                self.children.setdefault(str(sponsor), []).append(str(record.payload["member"]))
        for posting in record.postings:
            if (posting.asset == CNY and posting.to_account.startswith(MEMBER_PREFIX)
                    and posting.to_account.endswith(":cash")
                    and not posting.from_account.startswith(MEMBER_PREFIX)):
                self.payouts_cents[posting.rule] = self.payouts_cents.get(posting.rule, 0) + posting.amount
        follow_postings(self.pool, record.postings)
        after = format_ratio(price_per_point(self.price()))
        if not self.series or after != before:
            self._add(PricePoint(record.seq, record.at_ms, after))

    def _add(self, point: PricePoint) -> None:
        self.series.append(point)
        if len(self.series) > SERIES_POINTS_MAX:
            newest = self.series[-1]
            self.series = self.series[:-1:2] + [newest]

    def chart_data(self) -> list[list[int | str]]:
        """``[[seq, at_ms, "price"], ...]``, the newest price last (up to the digest's seq)."""
        with self.lock:
            data: list[list[int | str]] = [[p.seq, p.at_ms, p.price] for p in self.series]
            if not data:
                data.append([0, 0, format_ratio(price_per_point(self.price()))])
            elif self.series and self.series[-1].seq != self.seq:
                data.append([self.seq, self.series[-1].at_ms, self.series[-1].price])
        return data


class Digests:
    """One ``LogDigest`` per tenant, created on first use."""

    def __init__(self) -> None:
        self._digests: dict[str, LogDigest] = {}
        self._lock = threading.Lock()

    def get(self, store: EventStore, tenant: str, initial_price: Ratio) -> LogDigest:
        with self._lock:
            digest = self._digests.get(tenant)
            if digest is None:
                digest = self._digests[tenant] = LogDigest(initial_price)
        digest.catch_up(store, tenant)
        return digest
