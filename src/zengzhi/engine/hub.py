"""``TenantHub``: every tenant's engine and writer in one process.

A tenant's engine is opened (rebuilt from its log) on first use and kept;
all its writes go through its ``TenantWriter``. Reads take the writer's lock
so they see the state between two batches, never in the middle of one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from zengzhi.domain.state import State
from zengzhi.engine.engine import Command, Engine, Receipt
from zengzhi.engine.ports import Clock, EventStore
from zengzhi.engine.writer import TenantWriter

T = TypeVar("T")


class TenantHub:
    def __init__(self, store: EventStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self._writers: dict[str, TenantWriter] = {}
        self._lock = threading.Lock()

    def create_tenant(self, tenant: str, config: dict[str, Any]) -> None:
        """Create a tenant (``ConfigError`` / ``StoreError`` when invalid or taken)."""
        with self._lock:
            engine = Engine.create(self.store, tenant, config, self.clock)
            self._writers[tenant] = TenantWriter(engine)

    def tenants(self) -> list[str]:
        return self.store.tenants()

    def writer(self, tenant: str) -> TenantWriter:
        """The tenant's writer, opening its engine on first use.

        Raises:
            NotFound: no such tenant.
        """
        writer = self._writers.get(tenant)
        if writer is not None:
            return writer
        with self._lock:
            writer = self._writers.get(tenant)
            if writer is None:
                writer = TenantWriter(Engine.open(self.store, tenant, self.clock))
                self._writers[tenant] = writer
            return writer

    def open_writer(self, tenant: str) -> TenantWriter | None:
        """The tenant's writer if it is already open (never blocks, never opens)."""
        return self._writers.get(tenant)

    async def submit(self, tenant: str, command: Command) -> Receipt:
        return await self.writer(tenant).submit_async(command)

    def read(self, tenant: str, query: Callable[[State], T]) -> T:
        """Run a read-only query on the tenant's state between two batches."""
        writer = self.writer(tenant)
        with writer.lock:
            return query(writer.engine.state)

    def engine(self, tenant: str) -> Engine:
        return self.writer(tenant).engine

    def close(self) -> None:
        with self._lock:
            for writer in self._writers.values():
                writer.close()
            self._writers.clear()
