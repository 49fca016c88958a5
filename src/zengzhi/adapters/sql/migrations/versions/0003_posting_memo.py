"""Postings carry a memo: why a reward plan paid this payee this amount.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # batch mode: SQLite rebuilds the table (WITHOUT ROWID tables included)
    with op.batch_alter_table("postings") as batch:
        batch.add_column(sa.Column("memo", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("postings") as batch:
        batch.drop_column("memo")
