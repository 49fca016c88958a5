"""In-memory event store and a fixed clock: the shipped fakes for tests."""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from zengzhi.domain.ledger import Posting
from zengzhi.engine.ports import EventRecord
from zengzhi.errors import StoreError


class InMemoryStore:
    def __init__(self) -> None:
        self._configs: dict[str, dict[str, Any]] = {}
        self._records: dict[str, list[EventRecord]] = {}
        self._keys: dict[str, set[str]] = {}
        self._locks: dict[str, threading.Lock] = {}

    def create_tenant(self, tenant: str, config: dict[str, Any]) -> None:
        found = self._configs.get(tenant)
        if found is not None and found != config:
            raise StoreError(f"tenant {tenant!r} exists with another config")
        self._configs[tenant] = copy.deepcopy(config)
        self._records.setdefault(tenant, [])
        self._keys.setdefault(tenant, set())

    def tenant_config(self, tenant: str) -> dict[str, Any] | None:
        found = self._configs.get(tenant)
        return copy.deepcopy(found) if found is not None else None

    def tenants(self) -> list[str]:
        return sorted(self._configs)

    def append(self, tenant: str, records: Sequence[EventRecord]) -> None:
        log = self._records.get(tenant)
        if log is None:
            raise StoreError(f"unknown tenant {tenant!r}")
        expected = len(log) + 1
        keys = self._keys[tenant]
        batch_keys = {r.key for r in records}
        for offset, record in enumerate(records):
            if record.seq != expected + offset:
                raise StoreError(f"tenant {tenant!r}: next event is #{expected + offset}, not #{record.seq}")
        if len(batch_keys) != len(records) or not keys.isdisjoint(batch_keys):
            raise StoreError(f"tenant {tenant!r}: an idempotency key is already used")
        keys |= batch_keys
        log.extend(records)

    def load(self, tenant: str, after_seq: int = 0) -> Iterator[EventRecord]:
        yield from self._records.get(tenant, [])[after_seq:]

    def record(self, tenant: str, seq: int) -> EventRecord | None:
        log = self._records.get(tenant, [])
        return log[seq - 1] if 0 < seq <= len(log) else None

    def balances(self, tenant: str) -> dict[str, int]:
        totals: dict[str, int] = {}
        for record in self._records.get(tenant, []):
            for p in record.postings:
                totals[p.from_account] = totals.get(p.from_account, 0) - p.amount
                totals[p.to_account] = totals.get(p.to_account, 0) + p.amount
        return totals

    def order_postings(self, tenant: str, order_id: str) -> list[Posting]:
        return [p for r in self._records.get(tenant, []) for p in r.postings if p.order_id == order_id]

    @contextmanager
    def writer_lock(self, tenant: str) -> Iterator[None]:
        with self._locks.setdefault(tenant, threading.Lock()):
            yield

    def close(self) -> None:
        pass


class FixedClock:
    def __init__(self, now_ms: int = 0) -> None:
        self.value_ms = now_ms

    def now_ms(self) -> int:
        return self.value_ms
