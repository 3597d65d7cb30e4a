"""What the tests searching for secrets read from a store: everything in it as text."""

from __future__ import annotations

import zlib
from pathlib import Path

from sqlalchemy import MetaData

from fleetaudit.storage.engine import make_engine
from fleetaudit.storage.location import parse_location


def store_text(db: Path | str) -> str:
    """Everything in the store at ``db`` (a SQLite file or a database URL): for SQLite the
    raw file, WAL and shared memory too; every value of every table, blobs decompressed."""
    location = parse_location(str(db), "test")
    parts = []
    if isinstance(location, Path):
        files = sorted(location.parent.glob(location.name + "*"))
        parts = [p.read_bytes().decode("latin-1") for p in files]
    engine = make_engine(location)  # read directly, not opened as a store
    try:
        tables = MetaData()
        tables.reflect(engine)
        with engine.connect() as connection:
            for table in tables.sorted_tables:
                for row in connection.execute(table.select()):
                    parts.extend(_as_text(value) for value in row)
    finally:
        engine.dispose()
    return "\n".join(parts)


def _as_text(value: object) -> str:
    if isinstance(value, bytes | memoryview):
        raw = bytes(value)
        try:
            return zlib.decompress(raw).decode("utf-8")
        except zlib.error:
            return raw.decode("latin-1")
    return str(value)
