"""Where the history store lives: an SQLite file (the default) or a PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from fleetaudit.errors import UsageError

POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def parse_location(value: str, where: str) -> Path | URL:
    """A file path or an ``sqlite:`` URL (a :class:`Path`), or a PostgreSQL URL, driven by
    psycopg 3 whatever driver the URL names.

    >>> parse_location("sqlite:////var/lib/fleetaudit/runs.sqlite", "x")
    PosixPath('/var/lib/fleetaudit/runs.sqlite')
    >>> parse_location("runs.sqlite", "x")
    PosixPath('runs.sqlite')
    >>> shown(parse_location("postgresql://fa:s3cret@db.example/fleetaudit", "x"))
    'postgresql+psycopg://fa:***@db.example/fleetaudit'
    """
    if "://" not in value and not value.startswith("sqlite:"):
        return Path(value).expanduser()
    scheme, _, rest = value.partition(":")
    if scheme == "sqlite":
        # SQLAlchemy's form: sqlite:///relative.sqlite, sqlite:////absolute/path.sqlite
        path = rest[3:] if rest.startswith("///") else rest
        if not path:
            raise UsageError(f"{where}={value}: no file in the URL; e.g. sqlite:////srv/fa.sqlite")
        return Path(path).expanduser()
    if scheme not in POSTGRES_SCHEMES:
        raise UsageError(
            f"{where}={value}: the store is SQLite or PostgreSQL; give a file path, "
            "sqlite:////absolute/path.sqlite or postgresql://user@host/database"
        )
    try:
        url = make_url(value)
    except ArgumentError as exc:
        raise UsageError(
            f"{where}: {exc}; write it as postgresql://user:password@host:5432/database"
        ) from None
    if not url.database:
        raise UsageError(
            f"{where}={shown(url)}: no database in the URL; e.g. postgresql://fa@db/fleetaudit"
        )
    return url.set(drivername="postgresql+psycopg")


def shown(location: Path | URL) -> str:
    """The location for messages: never a password."""
    if isinstance(location, Path):
        return str(location)
    return location.render_as_string(hide_password=True)
