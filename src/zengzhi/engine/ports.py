"""Ports the engine needs: an event store and a clock (Protocols, with fakes)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from zengzhi.domain.ledger import Posting


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One logged event: its content, its outcome and the postings it made."""

    seq: int
    key: str
    payload: dict[str, Any]
    fingerprint: str
    at_ms: int
    rejection: str  # "" when accepted, else "code|field|reason"
    postings: tuple[Posting, ...]
    # canonical JSON of ``payload`` when the engine already made it (saves re-encoding);
    # a cache, so not part of a record's identity
    payload_json: str = field(default="", compare=False)


class EventStore(Protocol):
    def create_tenant(self, tenant: str, config: dict[str, Any]) -> None: ...

    def tenant_config(self, tenant: str) -> dict[str, Any] | None: ...

    def tenants(self) -> list[str]:
        """Every tenant's id, sorted."""
        ...

    def append(self, tenant: str, records: Sequence[EventRecord]) -> None:
        """Append records in one transaction (all or nothing)."""
        ...

    def load(self, tenant: str, after_seq: int = 0) -> Iterator[EventRecord]: ...

    def record(self, tenant: str, seq: int) -> EventRecord | None: ...

    def balances(self, tenant: str) -> dict[str, int]:
        """Account balances summed from the stored postings."""
        ...

    def order_postings(self, tenant: str, order_id: str) -> list[Posting]:
        """Every posting about one order, in log order."""
        ...

    def writer_lock(self, tenant: str) -> AbstractContextManager[None]:
        """Held by a tenant's writer around catch-up, apply and append."""
        ...

    def close(self) -> None: ...


class Clock(Protocol):
    def now_ms(self) -> int: ...
