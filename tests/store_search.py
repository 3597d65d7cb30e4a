"""What the tests searching for secrets read from a store: everything in it as text."""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path


def store_text(db: Path) -> str:
    """Everything in the store: the raw file, WAL and shared memory, and every blob
    decompressed."""
    parts = [p.read_bytes().decode("latin-1") for p in sorted(db.parent.glob(db.name + "*"))]
    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in con.execute(f"SELECT * FROM {table}"):  # noqa: S608 (names from the file)
                for value in row:
                    if isinstance(value, bytes):
                        try:
                            parts.append(zlib.decompress(value).decode("utf-8"))
                        except zlib.error:
                            parts.append(value.decode("latin-1"))
                    else:
                        parts.append(str(value))
    finally:
        con.close()
    return "\n".join(parts)
