"""Shared helpers for the history, drift, pre-change and report-format tests."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from fleetaudit.cli import main
from fleetaudit.lab import Lab
from fleetaudit.paths import builtin_dir
from fleetaudit.storage.engine import make_engine
from fleetaudit.store import Store, parse_location

FIXTURES = builtin_dir("inventory") / "lab"
ALG001_FAILING_CONFIG = (
    Path(__file__).parents[1]
    / "checks"
    / "ALG001"
    / "fail-ios-nat-default"
    / "show_running-config.txt"
)


def fixture_text(host: str, slug: str) -> str:
    return (FIXTURES / host / f"{slug}.txt").read_text(encoding="utf-8")


def cli(*args: str) -> int:
    return main(list(args))


def run_args(site: str, inventory: Path, *more: str) -> tuple[str, ...]:
    """The arguments of a quiet ``fleetaudit run`` of one site, then ``more``."""
    return ("run", "--site", site, "--inventory", str(inventory), "--quiet", *more)


def cli_json(out: Path, *args: str) -> tuple[int, dict[str, Any]]:
    code = main([*args, "--format", "json", "--output", str(out)])
    return code, json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture
def office_lab(tmp_path: Path) -> Iterator[tuple[Lab, Path]]:
    """A lab of its own (office1 and office2) whose outputs a test may change."""
    with Lab(builtin_dir("inventory"), ephemeral_ports=True) as lab:
        yield lab, lab.write_inventory(tmp_path / "inventory")


# -- the store on SQLite and on PostgreSQL ---------------------------------------------

POSTGRES_SH = Path(__file__).parents[2] / "scripts" / "services" / "postgres.sh"
BACKENDS = ("sqlite", "postgresql")


@dataclass
class HistoryDb:
    """The store a test writes its runs to: the default SQLite file under
    ``$FLEETAUDIT_HOME``, or a database of its own on the session's PostgreSQL server
    (``FLEETAUDIT_DB`` names it)."""

    backend: str
    url: str  # what --db / FLEETAUDIT_DB take

    def store(self) -> Store:
        return Store.open(self.url)

    def sql(self, statement: str, **params: Any) -> list[Any]:
        """Run SQL on the store's database directly (what the store never does)."""
        engine = make_engine(parse_location(self.url, "test"))  # not opened as a store
        try:
            with engine.begin() as connection:
                result = connection.execute(text(statement), params)
                return list(result) if result.returns_rows else []
        finally:
            engine.dispose()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "history_db" in metafunc.fixturenames:
        metafunc.parametrize("store_backend", BACKENDS)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server of this session (installed from Debian when missing) on an
    ephemeral port; its URL names the ``fleetaudit`` database, a test makes its own."""
    # root runs the server as the postgres user, who cannot enter pytest's 0700 folders
    directory = Path(tempfile.mkdtemp(prefix="fleetaudit-pg-"))
    directory.chmod(0o755)
    try:
        started = subprocess.run(
            ["bash", str(POSTGRES_SH), "start", str(directory), str(_free_port())],
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert started.returncode == 0, started.stderr
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(["bash", str(POSTGRES_SH), "stop", str(directory)], timeout=120)
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def _autocommit(server: str) -> Iterator[Any]:
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        yield connection


@pytest.fixture
def postgres_db(postgres_server: str) -> Iterator[str]:
    """A fresh database on the session's server, dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    with _autocommit(postgres_server) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    yield postgres_server.rsplit("/", 1)[0] + f"/{name}"
    with _autocommit(postgres_server) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def history_db(
    store_backend: str,
    request: pytest.FixtureRequest,
    fleetaudit_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> HistoryDb:
    if store_backend == "sqlite":
        return HistoryDb("sqlite", str(fleetaudit_home / "fleetaudit.sqlite"))
    url = request.getfixturevalue("postgres_db")
    monkeypatch.setenv("FLEETAUDIT_DB", url)
    return HistoryDb("postgresql", url)
