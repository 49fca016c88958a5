"""Access: API keys, webhook secrets, users and the admin audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def _created() -> sa.Column[datetime]:
    return sa.Column("created", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("key_id", sa.String(), nullable=False),
        sa.Column("tenant", sa.String(), nullable=False),
        sa.Column("secret_sha256", sa.String(), nullable=False),
        _created(),
        sa.Column("revoked", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name="pk_api_keys"),
        sa.ForeignKeyConstraint(["tenant"], ["tenants.id"], name="fk_api_keys_tenants"),
    )
    op.create_table(
        "webhook_secrets",
        sa.Column("secret_id", sa.String(), nullable=False),
        sa.Column("tenant", sa.String(), nullable=False),
        sa.Column("secret", sa.String(), nullable=False),
        _created(),
        sa.Column("retired", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("secret_id", name="pk_webhook_secrets"),
        sa.ForeignKeyConstraint(["tenant"], ["tenants.id"], name="fk_webhook_secrets_tenants"),
    )
    op.create_table(
        "users",
        sa.Column("tenant", sa.String(), nullable=False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("password_hash", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("member_id", sa.String(), nullable=True),
        _created(),
        sa.PrimaryKeyConstraint("tenant", "username", name="pk_users"),
        sa.ForeignKeyConstraint(["tenant"], ["tenants.id"], name="fk_users_tenants"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False,
                  autoincrement=True),
        sa.Column("tenant", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
        sa.ForeignKeyConstraint(["tenant"], ["tenants.id"], name="fk_audit_log_tenants"),
    )
    op.create_index("ix_audit_log_tenant_id", "audit_log", ["tenant", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_tenant_id", table_name="audit_log")
    for table in ("audit_log", "users", "webhook_secrets", "api_keys"):
        op.drop_table(table)
