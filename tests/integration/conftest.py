"""Fixtures for the SQL store tests: a tenant config and stores closed after each test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.integration.store_workload import CONFIG
from zengzhi.adapters.sql.store import SqlEventStore


@pytest.fixture
def config_data() -> dict[str, Any]:
    return {"pool": dict(CONFIG["pool"]), "products": {
        name: {"price": p["price"], "split": dict(p["split"])}
        for name, p in CONFIG["products"].items()}}


@pytest.fixture
def open_sql_store() -> Iterator[Callable[..., SqlEventStore]]:
    """``open_sql_store(url, **options)``; every store it opened is closed after the test."""
    opened: list[SqlEventStore] = []

    def open_(url: str, **options: Any) -> SqlEventStore:
        store = SqlEventStore(url, **options)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()
