"""``pos``: each run's hosts, findings and evidence in the order the run produced them.

Before, reads ordered by SQLite's ``rowid``, which PostgreSQL has not; stored rows keep
that order (``pos`` = ``rowid``).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ("hosts", "findings", "evidence")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("pos", sa.Integer, nullable=False, server_default="0"))
    if op.get_bind().dialect.name == "sqlite":
        for table in TABLES:
            op.execute(f"UPDATE {table} SET pos = rowid")


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("pos")
