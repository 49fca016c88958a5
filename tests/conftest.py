"""Shared fixtures: database URLs for the SQL store.

* ``sqlite_url`` — a SQLite file in the test's tmp folder.
* ``pg_url`` — a fresh PostgreSQL database for this test, dropped after it.
  The server comes from ``ZENGZHI_PG_URL`` (default
  ``postgresql+psycopg://postgres@127.0.0.1:5432/test``); the test database is
  created through that URL's database. Unreachable server: the test skips,
  unless ``ZENGZHI_REQUIRE_PG=1`` (CI sets it), where it fails.
* ``db_url`` — both, as parameters ``sqlite`` and ``postgres`` (marked
  ``postgres``, so ``-m postgres`` selects it and ``-m "not postgres"`` drops it).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

PG_URL_ENV = "ZENGZHI_PG_URL"
PG_URL_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_CONNECT_TIMEOUT_S = 3
PG_REQUIRED_ENV = "ZENGZHI_REQUIRE_PG"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'zengzhi.db'}"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[tuple[Engine, URL]]:
    """An AUTOCOMMIT engine on the server's maintenance database, and the server URL."""
    url = make_url(os.environ.get(PG_URL_ENV, PG_URL_DEFAULT))
    admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool,
                          connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S})
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except DBAPIError as exc:
        admin.dispose()
        shown = url.render_as_string(hide_password=True)
        if os.environ.get(PG_REQUIRED_ENV) == "1":
            pytest.fail(f"PostgreSQL is required ({PG_REQUIRED_ENV}=1) but not reachable at {shown}: {exc.orig}")
        pytest.skip(f"PostgreSQL is not reachable at {shown} (set {PG_URL_ENV}): {exc.orig}")
    try:
        yield admin, url
    finally:
        admin.dispose()


@pytest.fixture
def pg_url(pg_server: tuple[Engine, URL]) -> Iterator[str]:
    """A fresh database for this test only; dropped (with FORCE) after it."""
    admin, url = pg_server
    name = f"zengzhi_test_{secrets.token_hex(6)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """The URL of an empty database: a SQLite file, then a fresh PostgreSQL database."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    url: str = request.getfixturevalue(name)
    return url


DOMAIN_KEY = pytest.StashKey[str]()  # which domain runs: compiled or pure Python (the report header)


def pytest_configure(config: pytest.Config) -> None:
    from zengzhi.native_build import describe, stale_sources

    stale = stale_sources()
    if stale:
        raise pytest.UsageError(
            f"the compiled domain is older than {', '.join(stale[:5])}: rebuild it "
            "(ZENGZHI_NATIVE=1 pip install -e .) or remove it (find src -name '*.so' -delete)")
    config.stash[DOMAIN_KEY] = describe()


def pytest_report_header(config: pytest.Config) -> str:
    return f"zengzhi domain: {config.stash[DOMAIN_KEY]}"
