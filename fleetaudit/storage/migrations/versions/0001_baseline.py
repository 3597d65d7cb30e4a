"""The store as fleetaudit wrote it before migrations (SQLite ``PRAGMA user_version = 1``).

A store of that time holds these tables and no ``alembic_version``: it is stamped with this
revision, then upgraded. Its columns and indexes are exactly that schema's.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _run_id() -> sa.Column[str]:
    return sa.Column(
        "run_id", sa.Text, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("id", sa.Text, nullable=False, unique=True),
        sa.Column("site", sa.Text),
        sa.Column("started", sa.Text, nullable=False),
        sa.Column("started_ts", sa.Float, nullable=False),
        sa.Column("duration_s", sa.Float, nullable=False),
        sa.Column("mode", sa.Text, nullable=False),
        sa.Column("tool_version", sa.Text, nullable=False),
        sa.Column("report", sa.LargeBinary, nullable=False),
    )
    op.create_index("runs_started", "runs", ["started_ts", "seq"])
    op.create_table(
        "hosts",
        _run_id(),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("platform", sa.Text, nullable=False),
        sa.Column("site", sa.Text),
        sa.Column("role", sa.Text),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("facts", sa.LargeBinary, nullable=False),
        sa.Column("why_unknown", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("run_id", "name"),
    )
    op.create_index("hosts_site", "hosts", ["site", "run_id"])
    op.create_table(
        "findings",
        _run_id(),
        sa.Column("fingerprint", sa.Text, nullable=False),
        sa.Column("check_id", sa.Text, nullable=False),
        sa.Column("host", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("severity", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_index("findings_run", "findings", ["run_id", "host"])
    op.create_table(
        "evidence",
        _run_id(),
        sa.Column("host", sa.Text, nullable=False),
        sa.Column("command", sa.Text, nullable=False),
        sa.Column("platform", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("started", sa.Text, nullable=False),
        sa.Column("duration_s", sa.Float, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("output", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("run_id", "host", "command"),
    )


def downgrade() -> None:
    for table in ("evidence", "findings", "hosts", "runs"):
        op.drop_table(table)
