"""Alembic migrations: upgrade head on an empty database, downgrade base, upgrade again.

The schema the migrations build must be the one ``tables.py`` describes, on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect

from zengzhi.adapters.sql import migrate
from zengzhi.adapters.sql.store import SqlEventStore
from zengzhi.adapters.sql.tables import metadata

TABLES = {"tenants", "events", "postings", "api_keys", "webhook_secrets", "users", "audit_log"}


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = create_engine(db_url)
    yield engine
    engine.dispose()


def _head() -> str:
    head = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    assert head is not None
    return head


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def _schema_diff(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def test_upgrade_downgrade_upgrade(engine: Engine) -> None:
    assert _tables(engine) == set()
    with engine.begin() as conn:
        migrate.upgrade(conn)
    with engine.connect() as conn:
        assert migrate.current(conn) == _head()
    assert _tables(engine) == TABLES
    assert _schema_diff(engine) == []

    with engine.begin() as conn:
        migrate.downgrade(conn, "base")
    with engine.connect() as conn:
        assert migrate.current(conn) is None
    assert _tables(engine) == set()

    with engine.begin() as conn:
        migrate.upgrade(conn, "head")
    assert _tables(engine) == TABLES
    assert _schema_diff(engine) == []


def test_opening_a_store_migrates_once(db_url: str, engine: Engine) -> None:
    for _ in range(2):  # the second open finds the schema at head
        store = SqlEventStore(db_url)
        store.close()
    with engine.connect() as conn:
        assert migrate.current(conn) == _head()
    assert _tables(engine) == TABLES


def test_money_columns_are_integers(engine: Engine) -> None:
    with engine.begin() as conn:
        migrate.upgrade(conn)
    columns = {c["name"]: c for c in inspect(engine).get_columns("postings")}
    assert columns["amount"]["type"].python_type is int
    events = {c["name"]: c for c in inspect(engine).get_columns("events")}
    assert events["at_ms"]["type"].python_type is int


def test_the_alembic_command_line_config(db_url: str, engine: Engine,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """``alembic -c src/zengzhi/adapters/sql/alembic.ini`` with ``ZENGZHI_DB_URL``."""
    from alembic import command
    from alembic.config import Config

    ini = migrate.MIGRATIONS_DIR.parent / "alembic.ini"
    monkeypatch.setenv("ZENGZHI_DB_URL", db_url)
    command.upgrade(Config(str(ini)), "head")
    assert _tables(engine) == TABLES
    command.downgrade(Config(str(ini)), "base")
    assert _tables(engine) == set()
