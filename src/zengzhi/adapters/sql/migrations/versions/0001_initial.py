"""Initial schema: tenants, the event log and its postings.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "tenants",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("config", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_tenants"),
    )
    op.create_table(
        "events",
        sa.Column("tenant", sa.String(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(), nullable=False),
        sa.Column("at_ms", sa.BigInteger(), nullable=False),
        sa.Column("rejection", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("tenant", "seq", name="pk_events"),
        sa.UniqueConstraint("tenant", "key", name="uq_events_tenant_key"),
        sa.ForeignKeyConstraint(["tenant"], ["tenants.id"], name="fk_events_tenants"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "postings",
        sa.Column("tenant", sa.String(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("idx", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("from_account", sa.String(), nullable=False),
        sa.Column("to_account", sa.String(), nullable=False),
        sa.Column("asset", sa.String(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("rule", sa.String(), nullable=False),
        sa.Column("order_id", sa.String(), nullable=False),
        sa.Column("plan", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("tenant", "seq", "idx", name="pk_postings"),
        sa.ForeignKeyConstraint(["tenant", "seq"], ["events.tenant", "events.seq"],
                                name="fk_postings_events"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_postings_tenant_order_id", "postings", ["tenant", "order_id"])


def downgrade() -> None:
    op.drop_index("ix_postings_tenant_order_id", table_name="postings")
    op.drop_table("postings")
    op.drop_table("events")
    op.drop_table("tenants")
