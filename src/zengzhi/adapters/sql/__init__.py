"""The SQL event store (SQLAlchemy 2): SQLite file by default, PostgreSQL by URL."""

from __future__ import annotations

from zengzhi.adapters.sql.store import SqlEventStore

__all__ = ["SqlEventStore"]
