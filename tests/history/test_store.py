"""The history store, on SQLite and on PostgreSQL: whole runs or nothing, concurrent
writers, retention."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ALG001_FAILING_CONFIG, HistoryDb, cli_json, run_args

from fleetaudit.cli import main
from fleetaudit.errors import UsageError
from fleetaudit.facts import SipAlg
from fleetaudit.storage import migrate
from fleetaudit.store import Store, parse_location

# A writer in a process of its own. With a marker file it stops inside its write
# transaction (after the run row and the hosts are written, before the evidence is),
# says so in the marker, and waits there: to be killed, or released by RELEASE.
WRITER = """
import sys, time
from pathlib import Path
from fleetaudit.audit import Options, analyse, evidence_from_path
from fleetaudit.policy import VoipPolicy
from fleetaudit.store import Store

db, config, site = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
marker = Path(sys.argv[4]) if len(sys.argv) > 4 else None
release = Path(sys.argv[5]) if len(sys.argv) > 5 else None
item = evidence_from_path(config, "cisco_ios", "gateway", ())
item.site = site
report = analyse([item], {item.name: VoipPolicy()}, Options(), site, "offline", time.time())

class Stalling(dict):
    def items(self):
        pairs = list(super().items())
        yield pairs[0]
        marker.write_text(report.run_id)
        while release is None or not release.exists():
            time.sleep(0.02)
        yield from pairs[1:]

if marker is not None:
    item.evidence["show version"] = item.evidence["show running-config"]
    item.evidence = Stalling(item.evidence)
Store.open(db).save(report, [item])
print(report.run_id)
"""


def writer(db: HistoryDb, site: str, *files: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, db.url, str(ALG001_FAILING_CONFIG), site, *map(str, files)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(path: Path, proc: subprocess.Popen[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the writer never reached its transaction"
        time.sleep(0.02)


def orphans(db: HistoryDb) -> int:
    return sum(
        db.sql(f"SELECT COUNT(*) FROM {t} WHERE run_id NOT IN (SELECT id FROM runs)")[0][0]
        for t in ("hosts", "findings", "evidence")
    )


def test_a_run_killed_mid_write_leaves_nothing_visible(
    tmp_path: Path, history_db: HistoryDb
) -> None:
    db = history_db
    done = writer(db, "office1")
    assert done.wait(60) == 0, done.communicate()
    complete = done.communicate()[0].strip()

    marker = tmp_path / "in-transaction"
    victim = writer(db, "office1", marker)
    wait_for(marker, victim)
    half = marker.read_text()
    with db.store() as store:  # while it writes, readers see the complete runs only
        assert [r.id for r in store.runs()] == [complete]
    victim.send_signal(signal.SIGKILL)
    victim.wait(30)
    assert victim.returncode == -signal.SIGKILL

    with db.store() as store:
        assert [r.id for r in store.runs()] == [complete]
        assert half != complete and not store.hosts(half) and not store.findings(half)
        assert store.collections(complete)[0].evidence["show running-config"].output
    if db.backend == "sqlite":
        assert db.sql("PRAGMA integrity_check") == [("ok",)]
    assert orphans(db) == 0
    after = writer(db, "office1")  # the store takes the next run as usual
    assert after.wait(60) == 0, after.communicate()
    with db.store() as store:
        assert len(store.runs()) == 2


def test_two_runs_writing_at_once_both_land(tmp_path: Path, history_db: HistoryDb) -> None:
    db = history_db
    db.store().close()
    marker, release = tmp_path / "first-writing", tmp_path / "release"
    first = writer(db, "office1", marker, release)
    wait_for(marker, first)
    second = writer(db, "office2")
    if db.backend == "sqlite":  # one writer at a time: it waits for the first, not fails
        time.sleep(1.0)
        assert second.poll() is None, second.communicate()
        with db.store() as store:
            assert store.runs() == []
    else:  # rows of their own: it lands while the first is still writing
        assert second.wait(60) == 0, second.communicate()
        with db.store() as store:
            assert [r.sites for r in store.runs()] == [("office2",)]
    release.write_text("go")
    assert first.wait(60) == 0, first.communicate()
    assert second.wait(60) == 0, second.communicate()
    with db.store() as store:
        assert {r.sites for r in store.runs()} == {("office1",), ("office2",)}
    assert orphans(db) == 0


def test_many_concurrent_writers_all_land(history_db: HistoryDb) -> None:
    db = history_db  # not created beforehand: the first writers race to create it
    procs = [writer(db, f"site{n}") for n in range(6)]
    ids = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        ids.append(out.strip())
    with db.store() as store:
        assert sorted(r.id for r in store.runs()) == sorted(ids)


def test_two_live_runs_at_once_both_land(
    lab_inventory: Path, tmp_path: Path, history_db: HistoryDb
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'runs.sqlite'}"
        if history_db.backend == "sqlite"
        else history_db.url
    )
    env = {**os.environ, "FLEETAUDIT_DB": url}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "fleetaudit.cli", *run_args(site, lab_inventory)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for site in ("office1", "office2")
    ]
    codes = [p.wait(120) for p in procs]
    assert set(codes) <= {0, 1}, [p.communicate()[1] for p in procs]
    with Store.open(url) as store:
        runs = store.runs()
        assert sorted(r.site or "" for r in runs) == ["office1", "office2"]
        assert all(r.hosts.get("ok") for r in runs)


def test_a_run_is_stored_whole_and_reads_back(
    lab_inventory: Path, history_db: HistoryDb, tmp_path: Path
) -> None:
    code, written = cli_json(tmp_path / "r.json", *run_args("office1", lab_inventory))
    assert code == 1
    if history_db.backend == "sqlite":
        assert history_db.sql("PRAGMA journal_mode") == [("wal",)]
    with history_db.store() as store:
        (run,) = store.runs("office1")
        report = store.report(run.id)
        assert report.to_json()["findings"] == written["findings"]
        hosts = {h.name: h for h in store.hosts(run.id)}
        # facts read back as their types (issue 9), as the live run held them
        assert isinstance(hosts["office1-rtr1"].facts["sip_alg"], SipAlg)
        assert hosts["office1-rtr1"].facts["sip_alg"].enabled is True
        assert hosts["office1-rtr1"].data()["sip_alg"]["enabled"] is True
        assert hosts["office1-gw1"].status == "ok"
        fingerprints = {f["fingerprint"] for f in store.findings(run.id)}
        assert "ALG001|office1-gw1|sip_alg" in fingerprints
        assert run.fails["high"] >= 3 and run.sites == ("office1",)
    ((raw,),) = history_db.sql("SELECT output FROM evidence LIMIT 1")
    assert isinstance(raw, bytes) and not raw.startswith(b"Building")  # compressed


def test_retention_keep_and_older_than(history_db: HistoryDb) -> None:
    db = history_db
    for site in ("a", "a", "a", "b"):
        assert writer(db, site).wait(60) == 0
    with db.store() as store:
        old = store.runs("a")[-1].id
    db.sql("UPDATE runs SET started_ts = started_ts - 90 * 86400 WHERE id = :id", id=old)
    # not on a terminal and no --yes: nothing is deleted (issue 13)
    assert main(["history", "prune", "--older-than", "30d", "--db", db.url]) == 2
    with db.store() as store:
        assert len(store.runs()) == 4
    assert main(["history", "prune", "--older-than", "30d", "--yes", "--db", db.url]) == 0
    with db.store() as store:
        assert old not in {r.id for r in store.runs()} and len(store.runs()) == 3
    assert main(["history", "prune", "--keep", "1", "--site", "a", "--yes", "--db", db.url]) == 0
    with db.store() as store:
        assert sorted(r.sites for r in store.runs()) == [("a",), ("b",)]
    assert orphans(db) == 0
    assert main(["history", "prune", "--db", db.url]) == 2  # says what it needs


def test_locations_and_mistakes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert parse_location("sqlite:////srv/fa.sqlite", "x") == Path("/srv/fa.sqlite")
    # PostgreSQL is a store too (issue 15; this test refused it before), driven by psycopg 3
    assert str(parse_location("postgresql://fa@db/fleetaudit", "x")).startswith(
        "postgresql+psycopg:"
    )
    with pytest.raises(UsageError, match="SQLite or PostgreSQL"):
        parse_location("mysql://db/fleetaudit", "FLEETAUDIT_DB")
    monkeypatch.setenv("FLEETAUDIT_DB", "mysql://db/fleetaudit")
    assert main(["history"]) == 2
    assert "FLEETAUDIT_DB" in capsys.readouterr().err
    # a server that does not answer (a closed loopback port): exit 2, never the password
    monkeypatch.setenv("FLEETAUDIT_DB", "postgresql://fa:s3cret@127.0.0.1:9/fleetaudit")
    assert main(["history"]) == 2
    err = capsys.readouterr().err
    assert "cannot use it" in err and "FLEETAUDIT_DB" in err and "s3cret" not in err
    monkeypatch.setenv("FLEETAUDIT_DB", str(tmp_path / "x.sqlite"))
    assert main(["history"]) == 0
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("hello, this is not SQLite\n" * 100)
    assert main(["history", "--db", str(not_a_db)]) == 2
    assert "not a fleetaudit SQLite store" in capsys.readouterr().err
    newer = tmp_path / "newer.sqlite"
    Store.open(newer).close()
    with sqlite3.connect(newer) as con:
        con.execute("PRAGMA user_version = 99")
    assert main(["history", "--db", str(newer)]) == 2
    assert "newer fleetaudit" in capsys.readouterr().err


def test_newer_or_foreign_databases_are_refused(
    history_db: HistoryDb, capsys: pytest.CaptureFixture[str]
) -> None:
    history_db.store().close()
    history_db.sql("UPDATE alembic_version SET version_num = '9999'")
    assert main(["history", "--db", history_db.url]) == 2
    assert "newer fleetaudit" in capsys.readouterr().err
    history_db.sql("UPDATE alembic_version SET version_num = :head", head=migrate.HEAD)
    assert main(["history", "--db", history_db.url]) == 0
    history_db.sql("DROP TABLE alembic_version")
    history_db.sql("CREATE TABLE customers (name TEXT)")  # someone else's database
    assert main(["history", "--db", history_db.url]) == 2
    assert "not a fleetaudit store (it holds the tables customers)" in capsys.readouterr().err
