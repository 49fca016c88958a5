"""Read models of the platform API, built from the event log (not the engine).

Per tenant, one ``TenantLogView`` follows the store's log incrementally: on
each request it loads only the records appended since its last look (the
first request reads the whole log once). From the postings alone it keeps

* the price after every accepted event that changed the pool (the pool is
  followed through the postings by ``zengzhi.domain.pool.follow_postings``);
* each member's postings (statements) and each order's postings, with the
  price in force before the event (the grant price of ``pool.grant``).

It sees every writer of the store (API, pages, CLI, other processes), since
it reads the committed log. Memory is O(postings) per tenant.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass, field

from zengzhi.domain.ledger import Posting
from zengzhi.domain.money import Ratio
from zengzhi.domain.pool import Pool, follow_postings
from zengzhi.engine.explain import explain, show_amount, show_price
from zengzhi.engine.ports import EventStore

__all__ = ["LogViews", "TenantLogView", "explain", "show_amount", "show_price"]


@dataclass(frozen=True, slots=True)
class PricePoint:
    seq: int
    at_ms: int
    money_cents: int
    points_units: int
    price: Ratio  # cents per point unit


@dataclass(frozen=True, slots=True)
class Entry:
    seq: int
    at_ms: int
    posting: Posting
    price_before: Ratio
    account: str = ""  # in a statement: the member's account this entry is about


@dataclass(slots=True)
class TenantLogView:
    initial_price: Ratio
    last_seq: int = 0
    pool: Pool = field(init=False)  # the pool followed through the postings
    history: list[PricePoint] = field(default_factory=list)
    history_seqs: list[int] = field(default_factory=list)
    by_member: dict[str, list[Entry]] = field(default_factory=dict)
    by_member_seqs: dict[str, list[int]] = field(default_factory=dict)  # for bisect
    by_order: dict[str, list[Entry]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.pool = Pool(self.initial_price)

    def price(self) -> Ratio:
        return self.pool.price()

    def catch_up(self, store: EventStore, tenant: str) -> None:
        with self.lock:
            for record in store.load(tenant, self.last_seq):
                self._add(record.seq, record.at_ms, record.postings)
                self.last_seq = record.seq

    def _add(self, seq: int, at_ms: int, postings: tuple[Posting, ...]) -> None:
        pool = self.pool
        before = (pool.money_cents, pool.points_units)
        price_before = pool.price()
        for p in postings:
            entry = Entry(seq, at_ms, p, price_before)
            if p.order_id:
                self.by_order.setdefault(p.order_id, []).append(entry)
            for account in (p.from_account, p.to_account):
                if account.startswith("member:"):
                    member = account.split(":")[1]
                    self.by_member.setdefault(member, []).append(Entry(seq, at_ms, p, price_before, account))
                    self.by_member_seqs.setdefault(member, []).append(seq)
        follow_postings(pool, postings)
        if (pool.money_cents, pool.points_units) != before:
            self.history.append(PricePoint(seq, at_ms, pool.money_cents, pool.points_units, pool.price()))
            self.history_seqs.append(seq)

    def history_page(self, limit: int, after_seq: int | None) -> list[PricePoint]:
        with self.lock:
            if after_seq is None:
                return self.history[-limit:]
            start = bisect.bisect_right(self.history_seqs, after_seq)
            return self.history[start:start + limit]

    def statement(self, member: str, after_seq: int, limit: int) -> tuple[list[Entry], int | None]:
        """Up to ``limit`` entries after ``after_seq``, never splitting one event across pages."""
        with self.lock:
            entries = self.by_member.get(member, [])
            start = bisect.bisect_right(self.by_member_seqs.get(member, []), after_seq)
            page: list[Entry] = []
            i = start
            while i < len(entries):
                seq = entries[i].seq
                j = i
                while j < len(entries) and entries[j].seq == seq:
                    j += 1
                if page and len(page) + (j - i) > limit:
                    break
                page.extend(entries[i:j])
                i = j
                if len(page) >= limit:
                    break
            more = i < len(entries)
            return page, (page[-1].seq if page and more else None)

    def order(self, order_id: str) -> list[Entry] | None:
        with self.lock:
            entries = self.by_order.get(order_id)
            return None if entries is None else list(entries)


class LogViews:
    """Every tenant's ``TenantLogView``, created on first use."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self._views: dict[str, TenantLogView] = {}
        self._lock = threading.Lock()

    def view(self, tenant: str, initial_price: Ratio) -> TenantLogView:
        """The tenant's view, caught up with the committed log (blocking: call in a thread)."""
        with self._lock:
            view = self._views.get(tenant)
            if view is None:
                view = self._views[tenant] = TenantLogView(initial_price)
        view.catch_up(self.store, tenant)
        return view
