"""The store's tables as SQLAlchemy Core, at the newest migration (``migrations/versions``).

``pos`` keeps each run's hosts, findings and evidence in the order the run produced them
(SQLite's ``rowid`` did that before revision 0002; PostgreSQL has no such order).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
)

metadata = MetaData()


def _run_id() -> Column[str]:
    return Column("run_id", Text, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False)


def _pos() -> Column[int]:
    return Column("pos", Integer, nullable=False, server_default="0")


runs = Table(
    "runs",
    metadata,
    Column("seq", Integer, primary_key=True),
    Column("id", Text, nullable=False, unique=True),
    Column("site", Text),
    Column("started", Text, nullable=False),
    Column("started_ts", Float, nullable=False),
    Column("duration_s", Float, nullable=False),
    Column("mode", Text, nullable=False),
    Column("tool_version", Text, nullable=False),
    Column("report", LargeBinary, nullable=False),
    Index("runs_started", "started_ts", "seq"),
)

hosts = Table(
    "hosts",
    metadata,
    _run_id(),
    Column("name", Text, nullable=False),
    Column("platform", Text, nullable=False),
    Column("site", Text),
    Column("role", Text),
    Column("status", Text, nullable=False),
    Column("error", Text),
    Column("facts", LargeBinary, nullable=False),
    Column("why_unknown", Text, nullable=False),
    _pos(),
    PrimaryKeyConstraint("run_id", "name"),
    Index("hosts_site", "site", "run_id"),
)

findings = Table(
    "findings",
    metadata,
    _run_id(),
    Column("fingerprint", Text, nullable=False),
    Column("check_id", Text, nullable=False),
    Column("host", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("severity", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("data", Text, nullable=False),
    _pos(),
    Index("findings_run", "run_id", "host"),
)

evidence = Table(
    "evidence",
    metadata,
    _run_id(),
    Column("host", Text, nullable=False),
    Column("command", Text, nullable=False),
    Column("platform", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("started", Text, nullable=False),
    Column("duration_s", Float, nullable=False),
    Column("error", Text),
    Column("output", LargeBinary, nullable=False),
    _pos(),
    PrimaryKeyConstraint("run_id", "host", "command"),
)

TABLES = frozenset(metadata.tables)
