"""A store written before migrations (data/store-v1.sqlite, made by fleetaudit at 326c8f5:
data/make_v1_store.py) is upgraded in place on open, and reads the same afterwards."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sqlite3
from pathlib import Path
from types import ModuleType

import pytest
from conftest import cli

from fleetaudit.lab import Lab
from fleetaudit.storage import migrate
from fleetaudit.store import Store

DATA = Path(__file__).parent / "data"


def maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_v1_store", DATA / "make_v1_store.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_head_is_the_newest_migration() -> None:
    assert migrate.head() == migrate.HEAD


def test_a_store_of_before_migrations_reads_the_same_after(
    office_lab: tuple[Lab, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, inventory = office_lab
    db = tmp_path / "old.sqlite"
    shutil.copyfile(DATA / "store-v1.sqlite", db)
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA user_version").fetchone() == (1,)
    monkeypatch.setenv("FLEETAUDIT_DB", str(db))

    work = tmp_path / "work"
    work.mkdir()
    make = maker()
    observed = make.observed(work, inventory, make.candidate_folder(work))
    expected = json.loads((DATA / "store-v1.expected.json").read_text(encoding="utf-8"))
    assert json.loads(json.dumps(observed, sort_keys=True)) == expected
    assert observed["drift"]["findings"]["new"]  # the fixture holds a drift to see

    with sqlite3.connect(db) as con:  # upgraded in place: stamped, then migrated
        assert con.execute("PRAGMA user_version").fetchone() == (migrate.SQLITE_USER_VERSION,)
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (migrate.HEAD,)
        ]
        assert con.execute("SELECT COUNT(*) FROM hosts WHERE pos = 0").fetchone() == (0,)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    # and takes new runs as usual
    assert cli("run", "--site", "office2", "--inventory", str(inventory), "--quiet") == 0
    with Store.open(db) as store:
        assert len(store.runs("office2")) == 3
