"""``bootstrap``: open a store by URL (or the default SQLite file) and build engines."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.integration.store_workload import mixed_commands
from zengzhi.adapters.sql.store import SqlEventStore
from zengzhi.bootstrap import DB_URL_ENV, SystemClock, build_engine, open_store
from zengzhi.engine.queries import state_view
from zengzhi.errors import NotFound, StoreError


def test_open_store_defaults_to_a_sqlite_file(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DB_URL_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    store = open_store(None)
    try:
        assert isinstance(store, SqlEventStore)
        assert store.dialect == "sqlite"
    finally:
        store.close()
    assert (tmp_path / "zengzhi.db").exists()


def test_open_store_reads_the_environment_and_makes_folders(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "deep" / "er" / "ledger.db"
    monkeypatch.setenv(DB_URL_ENV, f"sqlite:///{path}")
    open_store().close()
    assert path.exists()


def test_open_store_on_each_database(db_url: str) -> None:
    store = open_store(db_url)
    try:
        assert store.tenant_config("none") is None
    finally:
        store.close()


def test_an_unreachable_database_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open"):
        open_store("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_build_engine_creates_then_reopens(db_url: str, config_data: dict[str, Any]) -> None:
    with pytest.raises(NotFound):
        build_engine(db_url, "acme")
    engine = build_engine(db_url, "acme", config_data)
    try:
        engine.submit_batch(mixed_commands())
        view = state_view(engine.state)
    finally:
        engine.store.close()

    for config in (None, config_data):
        again = build_engine(db_url, "acme", config)
        try:
            assert again.seq == len(mixed_commands())
            assert state_view(again.state) == view
            assert isinstance(again.clock, SystemClock)
        finally:
            again.store.close()
    with pytest.raises(StoreError, match="another config"):
        build_engine(db_url, "acme", {**config_data, "pool": {}})


def test_system_clock_is_wall_time_in_ms() -> None:
    before = time.time() * 1000
    now = SystemClock().now_ms()
    assert isinstance(now, int)
    assert before - 1 <= now <= time.time() * 1000 + 1
