"""Bring a store to the newest schema on open, with Alembic run from code (no alembic.ini).

A new (empty) database gets the tables of :mod:`.schema` and the version stamp of the
newest migration directly, without Alembic (the way Alembic's documentation creates a new
database: ``create_all`` then stamp head); a current one is recognised by its version row.
Alembic (with Mako and Pygments, ~0.3 s to import) is loaded only for a store that really
needs upgrading. A store written before migrations existed (its four tables, no
``alembic_version``) is stamped with the baseline revision, then upgraded in place: its
runs are kept. Stores being created or upgraded by several processes at once take turns:
SQLite's write lock, PostgreSQL's advisory lock, one transaction for the whole upgrade.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    insert,
    inspect,
    text,
)
from sqlalchemy.exc import OperationalError

from fleetaudit.errors import UsageError
from fleetaudit.storage.engine import reading, writing
from fleetaudit.storage.schema import TABLES, metadata

if TYPE_CHECKING:  # Alembic is imported only when a store needs migrating (it is slow to load)
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
BASELINE = "0001"  # the schema of fleetaudit before migrations
HEAD = "0002"  # the newest revision in migrations/versions (a test holds them equal)
# SQLite's PRAGMA user_version: fleetaudit before migrations wrote 1 and refuses a store
# above it as "written by a newer fleetaudit"; migrated stores say so to it.
SQLITE_USER_VERSION = 2
PG_LOCK_KEY = 0x0F1EE7A0D17  # pg_advisory_xact_lock: one migrating process at a time

# Alembic's version table as Alembic itself creates it (alembic.runtime.migration), so a
# store created here is the same as one the migrations created (a test compares them).
alembic_version = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(engine: Engine, shown: str) -> None:
    """Create or upgrade the store's schema; refuse a database that is someone else's or
    was written by a newer fleetaudit."""
    sqlite = engine.dialect.name == "sqlite"
    with reading(engine) as connection:
        if sqlite:
            version = connection.exec_driver_sql("PRAGMA user_version").scalar_one()
            if version > SQLITE_USER_VERSION:
                raise _newer(shown, f"schema {version}")
        if _revision(connection) == HEAD:
            return
    if sqlite:
        _sqlite_file_settings(engine)
    with writing(engine) as connection:
        if not sqlite:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
        _upgrade_locked(connection, shown)
        if sqlite:
            connection.exec_driver_sql(f"PRAGMA user_version = {SQLITE_USER_VERSION}")


def _upgrade_locked(connection: Connection, shown: str) -> None:
    tables = set(inspect(connection).get_table_names())
    foreign = tables - TABLES - {"alembic_version"}
    if foreign:  # someone else's database: never add our tables to it
        raise UsageError(
            f"history store {shown}: not a fleetaudit store (it holds the tables "
            f"{', '.join(sorted(foreign))}); point FLEETAUDIT_DB or --db at another database"
        )
    if not tables:
        create_at_head(connection)
        return
    from alembic import command

    revision = _revision(connection)
    config = alembic_config(connection)
    if revision is None and tables:
        if tables != {"runs", "hosts", "findings", "evidence"}:
            raise UsageError(
                f"history store {shown}: an incomplete fleetaudit store (only the tables "
                f"{', '.join(sorted(tables))}); point FLEETAUDIT_DB or --db at another database"
            )
        command.stamp(config, BASELINE)
    elif revision is not None and revision not in _known():
        raise _newer(shown, f"revision {revision}")
    command.upgrade(config, "head")


def create_at_head(connection: Connection) -> None:
    """A new store: the newest schema's tables, stamped with the newest revision."""
    metadata.create_all(connection)
    alembic_version.create(connection)
    connection.execute(insert(alembic_version).values(version_num=HEAD))


def _revision(connection: Connection) -> str | None:
    """The store's Alembic revision (None: not migrated yet), read without Alembic."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    return next(iter(versions), None)


def _known() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def _newer(shown: str, what: str) -> UsageError:
    return UsageError(
        f"history store {shown} was written by a newer fleetaudit ({what}); upgrade "
        "fleetaudit or use another --db"
    )


def _sqlite_file_settings(engine: Engine) -> None:
    """WAL and incremental vacuum: file settings made outside any transaction (the
    second takes effect only before the first table exists). Two first runs at once
    may find the file locked for a moment: they retry."""
    for attempt in range(50):
        try:
            raw = engine.raw_connection()  # no transaction around these pragmas
            try:
                raw.driver_connection.execute("PRAGMA auto_vacuum = INCREMENTAL")  # type: ignore[union-attr]
                raw.driver_connection.execute("PRAGMA journal_mode = WAL")  # type: ignore[union-attr]
            finally:
                raw.close()
            return
        except (OperationalError, sqlite3.OperationalError) as exc:
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.1)
