"""Engines for the store. SQLite runs in WAL mode (readers never wait for a writer) with
writes in ``BEGIN IMMEDIATE`` transactions, so two writers take turns (``busy_timeout``)
instead of failing halfway; PostgreSQL needs nothing of the kind."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL

BUSY_TIMEOUT_S = 60.0
IMMEDIATE = "fleetaudit_immediate"  # execution option: this transaction will write


def make_engine(location: Path | URL) -> Engine:
    if isinstance(location, URL):
        return create_engine(location, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    engine = create_engine(
        URL.create("sqlite", database=str(location)),
        connect_args={"timeout": BUSY_TIMEOUT_S},
    )
    event.listen(engine, "connect", _sqlite_connected)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connected(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # the transactions are ours (_sqlite_begin)
    for pragma in (
        f"busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}",
        "foreign_keys = ON",
        "synchronous = NORMAL",
    ):
        dbapi_connection.execute(f"PRAGMA {pragma}")


def _sqlite_begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(IMMEDIATE, False)
    # straight to the driver: this runs for every transaction
    connection.connection.driver_connection.execute(  # type: ignore[union-attr]
        "BEGIN IMMEDIATE" if immediate else "BEGIN"
    )


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One write transaction: committed whole, or rolled back (a killed process: by the
    database)."""
    with engine.connect() as connection:
        connection.execution_options(**{IMMEDIATE: True})
        with connection.begin():
            yield connection


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """One read, on one snapshot."""
    with engine.connect() as connection, connection.begin():
        yield connection
