"""The tables of the event store (SQLAlchemy Core), as migration 0001 creates them.

* ``tenants`` — one row per tenant: its config as JSON text.
* ``events`` — the event log, the source of truth: dense ``seq`` per tenant
  from 1, the idempotency ``key`` unique per tenant, the payload as JSON text,
  its fingerprint, the time and the rejection (``""`` when accepted).
* ``postings`` — the postings each event made, in order (``idx``); money and
  points are ``BigInteger`` minor units, never floats.

On SQLite, ``events`` and ``postings`` are ``WITHOUT ROWID`` tables clustered
on their primary key: one B-tree fewer per insert, and ``load`` reads them in
key order. Text columns have no length limit, so SQLite and PostgreSQL
accept the same values (the engine bounds what it accepts). The migrations
must create exactly this schema (a test compares).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)

NAMING = {
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

tenants = Table(
    "tenants",
    metadata,
    Column("id", String, nullable=False),
    Column("config", Text, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("id"),
)

events = Table(
    "events",
    metadata,
    Column("tenant", String, nullable=False),
    Column("seq", BigInteger, nullable=False, autoincrement=False),
    Column("key", String, nullable=False),
    Column("payload", Text, nullable=False),
    Column("fingerprint", String, nullable=False),
    Column("at_ms", BigInteger, nullable=False),
    Column("rejection", Text, nullable=False),
    PrimaryKeyConstraint("tenant", "seq"),
    UniqueConstraint("tenant", "key"),
    ForeignKeyConstraint(["tenant"], ["tenants.id"]),
    sqlite_with_rowid=False,
)

postings = Table(
    "postings",
    metadata,
    Column("tenant", String, nullable=False),
    Column("seq", BigInteger, nullable=False, autoincrement=False),
    Column("idx", Integer, nullable=False, autoincrement=False),
    Column("from_account", String, nullable=False),
    Column("to_account", String, nullable=False),
    Column("asset", String, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("rule", String, nullable=False),
    Column("order_id", String, nullable=False),
    Column("plan", String, nullable=False),
    Column("memo", String, nullable=False, server_default=""),  # migration 0003
    PrimaryKeyConstraint("tenant", "seq", "idx"),
    ForeignKeyConstraint(["tenant", "seq"], ["events.tenant", "events.seq"]),
    Index("ix_postings_tenant_order_id", "tenant", "order_id"),
    sqlite_with_rowid=False,
)

POSTING_COLUMNS = ("from_account", "to_account", "asset", "amount", "rule", "order_id", "plan", "memo")

# -- access: API keys, webhook secrets, users, audit (migration 0002) ------------

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", String, nullable=False),
    Column("tenant", String, nullable=False),
    Column("secret_sha256", String, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("revoked", DateTime(timezone=True), nullable=True),
    PrimaryKeyConstraint("key_id"),
    ForeignKeyConstraint(["tenant"], ["tenants.id"]),
)

webhook_secrets = Table(
    "webhook_secrets",
    metadata,
    Column("secret_id", String, nullable=False),
    Column("tenant", String, nullable=False),
    Column("secret", String, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("retired", DateTime(timezone=True), nullable=True),
    PrimaryKeyConstraint("secret_id"),
    ForeignKeyConstraint(["tenant"], ["tenants.id"]),
)

users = Table(
    "users",
    metadata,
    Column("tenant", String, nullable=False),
    Column("username", String, nullable=False),
    Column("password_hash", String, nullable=False),
    Column("role", String, nullable=False),
    Column("member_id", String, nullable=True),
    Column("created", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("tenant", "username"),
    ForeignKeyConstraint(["tenant"], ["tenants.id"]),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), nullable=False, autoincrement=True),
    Column("tenant", String, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("actor", String, nullable=False),
    Column("action", String, nullable=False),
    Column("detail", Text, nullable=False),
    PrimaryKeyConstraint("id"),
    ForeignKeyConstraint(["tenant"], ["tenants.id"]),
    Index("ix_audit_log_tenant_id", "tenant", "id"),
)
