"""The history store: every run, kept in SQLite.

One file (``FLEETAUDIT_DB``, else ``$FLEETAUDIT_HOME/fleetaudit.sqlite``) holds, per run:
its metadata and JSON report, each host's status and facts (JSON through their declared
types, tagged with the facts version, read back as those types: :mod:`fleetaudit.facts`),
every finding with its fingerprint ``check|host|subject``
and each command's evidence (zlib-compressed) with its envelope. Evidence is scrubbed of
secrets once, where it is collected or read (:mod:`fleetaudit.sanitize`); the store keeps
only evidence marked scrubbed and refuses a run holding any other.

A run is written in one ``BEGIN IMMEDIATE`` transaction in WAL mode: a process killed
halfway leaves nothing of that run visible, readers never wait for a writer, and two
runs saving at once take turns (``busy_timeout``) instead of failing or corrupting.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from fleetaudit.errors import UsageError
from fleetaudit.evidence import Evidence, HostCollection
from fleetaudit.facts import FACTS_VERSION, Ref, dump_facts, load_facts
from fleetaudit.model import Finding, HostResult, Report
from fleetaudit.paths import home

SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 60.0
WRITE_CHECK_TIMEOUT_S = 10.0  # before an audit: a lock held longer is not a save finishing
MIN_FREE_BYTES = 16 * 1024 * 1024  # a run with its evidence takes a few hundred KiB
TABLES = {"runs", "hosts", "findings", "evidence"}

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    site TEXT,
    started TEXT NOT NULL,
    started_ts REAL NOT NULL,
    duration_s REAL NOT NULL,
    mode TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    report BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_started ON runs (started_ts, seq);
CREATE TABLE IF NOT EXISTS hosts (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    platform TEXT NOT NULL,
    site TEXT,
    role TEXT,
    status TEXT NOT NULL,
    error TEXT,
    facts BLOB NOT NULL,
    why_unknown TEXT NOT NULL,
    PRIMARY KEY (run_id, name)
);
CREATE INDEX IF NOT EXISTS hosts_site ON hosts (site, run_id);
CREATE TABLE IF NOT EXISTS findings (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    check_id TEXT NOT NULL,
    host TEXT NOT NULL,
    subject TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_run ON findings (run_id, host);
CREATE TABLE IF NOT EXISTS evidence (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    host TEXT NOT NULL,
    command TEXT NOT NULL,
    platform TEXT NOT NULL,
    status TEXT NOT NULL,
    started TEXT NOT NULL,
    duration_s REAL NOT NULL,
    error TEXT,
    output BLOB NOT NULL,
    PRIMARY KEY (run_id, host, command)
);
"""


def _writable(path: Path) -> bool:
    """Whether ``path`` may be written. Root passes ``access()`` for any file, so a file
    or folder whose owner removed every write bit counts as read-only too."""
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 6)


def unpack(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


def default_location() -> Path:
    """``FLEETAUDIT_DB`` (a path or an ``sqlite:`` URL), else ``$FLEETAUDIT_HOME/fleetaudit.sqlite``."""
    configured = os.environ.get("FLEETAUDIT_DB")
    if configured:
        return parse_location(configured, "FLEETAUDIT_DB")
    return home() / "fleetaudit.sqlite"


def parse_location(value: str, where: str) -> Path:
    """A store location: a file path or an ``sqlite:`` URL.

    >>> parse_location("sqlite:////var/lib/fleetaudit/runs.sqlite", "x")
    PosixPath('/var/lib/fleetaudit/runs.sqlite')
    >>> parse_location("runs.sqlite", "x")
    PosixPath('runs.sqlite')
    """
    if "://" not in value and not value.startswith("sqlite:"):
        return Path(value).expanduser()
    scheme, _, rest = value.partition(":")
    if scheme != "sqlite":
        raise UsageError(
            f"{where}={value}: only SQLite stores are supported; give a file path or "
            "sqlite:////absolute/path.sqlite"
        )
    # SQLAlchemy's form: sqlite:///relative.sqlite, sqlite:////absolute/path.sqlite
    path = rest[3:] if rest.startswith("///") else rest
    if not path:
        raise UsageError(f"{where}={value}: no file in the URL; e.g. sqlite:////srv/fa.sqlite")
    return Path(path).expanduser()


@dataclass(frozen=True)
class RunSummary:
    """One stored run, as listed by ``fleetaudit history``."""

    id: str
    seq: int
    site: str | None  # the site asked for (None: --all)
    started: str
    started_ts: float
    mode: str
    duration_s: float
    hosts: dict[str, int] = field(default_factory=dict)  # host status -> count
    sites: tuple[str, ...] = ()
    fails: dict[str, int] = field(default_factory=dict)  # severity -> failing findings
    unknown: int = 0
    waived: int = 0
    passed: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "site": self.site,
            "sites": list(self.sites),
            "started": self.started,
            "mode": self.mode,
            "duration_s": round(self.duration_s, 3),
            "hosts": self.hosts,
            "failing": self.fails,
            "unknown": self.unknown,
            "waived": self.waived,
            "passed": self.passed,
        }


@dataclass(frozen=True)
class StoredHost:
    name: str
    platform: str
    site: str | None
    role: str | None
    status: str
    error: str | None
    facts: dict[str, Any]  # typed (fleetaudit.facts); None for a fact that was unknown
    why_unknown: dict[str, str]

    def data(self) -> dict[str, Any]:
        """The facts as JSON-able data (what drift compares)."""
        return dump_facts(self.facts)


class Store:
    """The SQLite history store. Open it with :meth:`open`; one connection per object."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise UsageError(
                f"history store {path}: cannot open it ({exc}); set FLEETAUDIT_DB or --db "
                "to a writable file"
            ) from None
        self.db.row_factory = sqlite3.Row
        try:
            self._setup()
        except sqlite3.OperationalError as exc:  # locked, read-only, cannot create its files
            self.db.close()
            raise UsageError(
                f"history store {path}: cannot use it ({exc}); set FLEETAUDIT_DB or --db "
                "to a writable file"
            ) from None
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise UsageError(
                f"history store {path}: not a fleetaudit SQLite store ({exc}); point "
                "FLEETAUDIT_DB or --db at another file"
            ) from None
        except UsageError:
            self.db.close()
            raise

    @classmethod
    def open(cls, location: str | Path | None = None) -> Store:
        if location is None:
            return cls(default_location())
        if isinstance(location, Path):
            return cls(location)
        return cls(parse_location(location, "--db"))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _setup(self) -> None:
        self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        self.db.execute("PRAGMA foreign_keys = ON")
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise UsageError(
                f"history store {self.path} was written by a newer fleetaudit (schema "
                f"{version}); upgrade fleetaudit or use another --db"
            )
        if version == SCHEMA_VERSION:
            self.db.execute("PRAGMA synchronous = NORMAL")
            return
        foreign = {
            row[0]
            for row in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not row[0].startswith("sqlite_")
        } - TABLES
        if foreign:  # someone else's database: never add our tables to it
            raise UsageError(
                f"history store {self.path}: not a fleetaudit store (it holds the tables "
                f"{', '.join(sorted(foreign))}); point FLEETAUDIT_DB or --db at another file"
            )
        for attempt in range(50):  # two first runs at once: one creates, the other waits
            try:
                self.db.execute("PRAGMA auto_vacuum = INCREMENTAL")
                self.db.execute("PRAGMA journal_mode = WAL")
                with self._write():
                    for statement in filter(str.strip, SCHEMA.split(";")):
                        self.db.execute(statement)  # executescript would COMMIT early
                    self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.1)
        self.db.execute("PRAGMA synchronous = NORMAL")

    def check_writable(self, wait_s: float | None = None) -> None:
        """Refuse, before an audit, a store the run could not be saved in: read-only,
        nearly full, or locked by another writer for longer than ``wait_s``
        (default :data:`WRITE_CHECK_TIMEOUT_S`)."""
        wait_s = WRITE_CHECK_TIMEOUT_S if wait_s is None else wait_s
        for place in (self.path, self.path.parent):
            if place.exists() and not _writable(place):
                raise UsageError(
                    f"history store {self.path}: {place} is read-only; make it writable, "
                    "point --db / FLEETAUDIT_DB at a writable file, or pass --no-store"
                )
        free = shutil.disk_usage(self.path.parent).free
        if free < MIN_FREE_BYTES:
            raise UsageError(
                f"history store {self.path}: only {free // 1024} KiB free on its disk; free "
                "some space, point --db at another disk, or pass --no-store"
            )
        self.db.execute(f"PRAGMA busy_timeout = {int(wait_s * 1000)}")
        try:
            self.db.execute("BEGIN IMMEDIATE")  # the write lock a save will need
            self.db.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            raise UsageError(
                f"history store {self.path}: cannot write to it ({exc}; waited {wait_s:g} s); "
                "wait for the other fleetaudit to finish, point --db at another file, or "
                "pass --no-store"
            ) from None
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction; rolled back on any error (a killed process: by SQLite)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- writing -------------------------------------------------------------------

    def save(self, report: Report, collections: Sequence[HostCollection]) -> str:
        """Record the run whole, or not at all. Returns its id."""
        _refuse_unscrubbed(collections)
        # each large value is built just when it is written, and dropped after (memory)
        packed_report = pack(json.dumps(report.to_json(include_passing=True)))
        started_ts = datetime.fromisoformat(report.started).timestamp()
        with self._write():
            self.db.execute(
                "INSERT INTO runs (id, site, started, started_ts, duration_s, mode, "
                "tool_version, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    report.run_id,
                    report.site,
                    report.started,
                    started_ts,
                    report.duration_s,
                    report.mode,
                    report.tool_version,
                    packed_report,
                ),
            )
            self.db.executemany(
                "INSERT INTO hosts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [_host_row(report.run_id, h) for h in report.hosts],
            )
            self.db.executemany(
                "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        report.run_id,
                        f.fingerprint,
                        f.check,
                        f.host,
                        f.subject,
                        f.severity,
                        f.status,
                        json.dumps(f.to_json()),
                    )
                    for f in report.findings
                ),
            )
            for item in collections:
                for command, ev in item.evidence.items():
                    self.db.execute(
                        "INSERT INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            report.run_id,
                            item.name,
                            command,
                            ev.platform,
                            ev.status,
                            ev.started,
                            ev.duration_s,
                            ev.error,
                            pack(ev.output),
                        ),
                    )
        return report.run_id

    def prune(
        self,
        keep: int | None = None,
        older_than: float | None = None,
        site: str | None = None,
        dry_run: bool = False,
    ) -> list[str]:
        """Delete runs: those older than ``older_than`` (epoch seconds) and beyond the
        newest ``keep`` (of ``site``'s runs when given). Returns the deleted ids."""
        if keep is None and older_than is None:
            raise UsageError("history prune needs --keep N and/or --older-than AGE")
        runs = self.runs(site)  # newest first
        doomed = []
        for rank, run in enumerate(runs):
            beyond = keep is None or rank >= keep
            old = older_than is None or run.started_ts < older_than
            if beyond and old:
                doomed.append(run.id)
        if dry_run:
            return doomed
        with self._write():
            self.db.executemany("DELETE FROM runs WHERE id = ?", [(i,) for i in doomed])
        self.db.execute("PRAGMA incremental_vacuum")
        return doomed

    # -- reading -------------------------------------------------------------------

    def runs(self, site: str | None = None, limit: int | None = None) -> list[RunSummary]:
        """Stored runs, newest first; with ``site``, the runs that audited that site (and
        their counts for that site only)."""
        where, params = (
            ("", ())
            if site is None
            else (
                "WHERE id IN (SELECT run_id FROM hosts WHERE site = ?)",
                (site,),
            )
        )
        sql = f"SELECT * FROM runs {where} ORDER BY started_ts DESC, seq DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        rows = self.db.execute(sql, params).fetchall()
        return [self._summary(row, site) for row in rows]

    def _summary(self, row: sqlite3.Row, site: str | None) -> RunSummary:
        host_filter = "" if site is None else " AND site = ?"
        params: tuple[Any, ...] = (row["id"],) if site is None else (row["id"], site)
        hosts: dict[str, int] = {}
        sites: set[str] = set()
        names: set[str] = set()
        for h in self.db.execute(
            f"SELECT name, status, site FROM hosts WHERE run_id = ?{host_filter}", params
        ):
            hosts[h["status"]] = hosts.get(h["status"], 0) + 1
            names.add(h["name"])
            if h["site"]:
                sites.add(h["site"])
        fails: dict[str, int] = {}
        unknown = waived = passed = 0
        for f in self.db.execute(
            "SELECT host, severity, status FROM findings WHERE run_id = ?", (row["id"],)
        ):
            if f["host"] not in names:
                continue
            if f["status"] == "fail":
                fails[f["severity"]] = fails.get(f["severity"], 0) + 1
            elif f["status"] in ("unknown", "error"):
                unknown += 1
            elif f["status"] == "waived":
                waived += 1
            elif f["status"] == "pass":
                passed += 1
        return RunSummary(
            id=row["id"],
            seq=row["seq"],
            site=row["site"],
            started=row["started"],
            started_ts=row["started_ts"],
            mode=row["mode"],
            duration_s=row["duration_s"],
            hosts=hosts,
            sites=tuple(sorted(sites)),
            fails=fails,
            unknown=unknown,
            waived=waived,
            passed=passed,
        )

    def resolve(self, ref: str, site: str | None = None) -> RunSummary:
        """A run from its id, a unique prefix of it, ``latest`` or ``latest~N``."""
        runs = self.runs(site)
        scope = f" of site {site}" if site else ""
        if ref == "latest" or ref.startswith("latest~"):
            back = ref.partition("~")[2] or "0"
            if not back.isdigit():
                raise UsageError(f"run {ref!r}: write latest~N with N a number, e.g. latest~1")
            if int(back) >= len(runs):
                raise UsageError(
                    f"run {ref!r}: the store holds {len(runs)} run(s){scope}; "
                    "`fleetaudit history` lists them"
                )
            return runs[int(back)]
        matches = [r for r in runs if r.id == ref] or [r for r in runs if r.id.startswith(ref)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise UsageError(
                f"no stored run {ref!r}{scope} in {self.path}; `fleetaudit history` lists them"
            )
        raise UsageError(f"run {ref!r} is ambiguous: {', '.join(r.id for r in matches[:5])}")

    def report_data(self, run_id: str) -> dict[str, Any]:
        row = self.db.execute("SELECT report FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise UsageError(f"no stored run {run_id!r}")
        data: dict[str, Any] = json.loads(unpack(row["report"]))
        return data

    def report(self, run_id: str) -> Report:
        """The stored report, rebuilt for the renderers, with each host's facts."""
        report = report_from_json(self.report_data(run_id))
        stored = {h.name: h for h in self.hosts(run_id)}
        for host in report.hosts:
            if host.name in stored:
                host.facts = stored[host.name].facts
                host.why_unknown = stored[host.name].why_unknown
        return report

    def hosts(self, run_id: str, site: str | None = None) -> list[StoredHost]:
        sql = "SELECT * FROM hosts WHERE run_id = ?" + ("" if site is None else " AND site = ?")
        params: tuple[Any, ...] = (run_id,) if site is None else (run_id, site)
        return [_stored_host(r) for r in self.db.execute(sql + " ORDER BY rowid", params)]

    def findings(self, run_id: str, hosts: set[str] | None = None) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT host, data FROM findings WHERE run_id = ? ORDER BY rowid", (run_id,)
        )
        return [json.loads(r["data"]) for r in rows if hosts is None or r["host"] in hosts]

    def collections(self, run_id: str, site: str | None = None) -> list[HostCollection]:
        """The run's evidence as the collector returned it, for offline re-analysis."""
        found = []
        for host in self.hosts(run_id, site):
            item = HostCollection(host.name, host.platform, host.site, host.role)
            item.status, item.error = host.status, host.error  # type: ignore[assignment]
            for r in self.db.execute(
                "SELECT * FROM evidence WHERE run_id = ? AND host = ? ORDER BY rowid",
                (run_id, host.name),
            ):
                item.evidence[r["command"]] = Evidence(
                    host.name,
                    r["platform"],
                    r["command"],
                    r["status"],
                    unpack(r["output"]),
                    r["started"],
                    r["duration_s"],
                    r["error"],
                    scrubbed=True,  # the store holds nothing else
                )
            found.append(item)
        return found


class UnscrubbedEvidence(RuntimeError):
    """Evidence that did not pass the scrubber reached the store: a bug, never stored."""


def _refuse_unscrubbed(collections: Sequence[HostCollection]) -> None:
    for item in collections:
        for ev in item.evidence.values():
            if not ev.scrubbed:
                raise UnscrubbedEvidence(
                    f"{item.name}: the output of {ev.command!r} was not scrubbed of secrets; "
                    "nothing of this run was stored"
                )


def _stored_host(row: sqlite3.Row) -> StoredHost:
    facts, unreadable = read_stored_facts(json.loads(unpack(row["facts"])))
    return StoredHost(
        name=row["name"],
        platform=row["platform"],
        site=row["site"],
        role=row["role"],
        status=row["status"],
        error=row["error"],
        facts=facts,
        why_unknown={**json.loads(row["why_unknown"]), **unreadable},
    )


def read_stored_facts(stored: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Stored facts as types. Runs stored before facts were versioned hold the bare
    ``{name: value}`` mapping, which is facts version 1's shape."""
    if isinstance(stored.get("facts"), dict) and "facts_version" in stored:
        return load_facts(stored["facts"], int(stored["facts_version"]))
    return load_facts(stored, 1)


def _host_row(run_id: str, host: HostResult) -> tuple[Any, ...]:
    return (
        run_id,
        host.name,
        host.platform,
        host.site,
        host.role,
        host.status,
        host.error,
        pack(
            json.dumps(
                {"facts_version": FACTS_VERSION, "facts": dump_facts(host.facts)}, default=str
            )
        ),
        json.dumps(host.why_unknown),
    )


def _refs(finding: dict[str, Any]) -> list[Ref]:
    first = finding.get("evidence")
    more = finding.get("evidence_more") or []
    return [
        Ref(r.get("source", ""), r.get("line"), r.get("text", ""))
        for r in ([first] if first else []) + list(more)
    ]


def report_from_json(data: dict[str, Any]) -> Report:
    """A ``fleetaudit.report/1`` document back into a :class:`Report` (no facts)."""
    run = data.get("run") or {}
    return Report(
        run_id=run.get("id", "?"),
        started=run.get("started", ""),
        site=run.get("site"),
        tool_version=run.get("tool_version", ""),
        hosts=[
            HostResult(
                name=h["name"],
                platform=h["platform"],
                site=h.get("site"),
                role=h.get("role"),
                status=h["status"],
                error=h.get("error"),
                commands=h.get("commands") or {},
            )
            for h in data.get("hosts", [])
        ],
        findings=[
            Finding(
                check=f["check"],
                slug=f.get("slug", ""),
                severity=f["severity"],
                status=f["status"],
                host=f["host"],
                subject=f["subject"],
                message=f.get("message", ""),
                evidence=_refs(f),
                remediation=f.get("remediation", ""),
                why=f.get("why", ""),
                cause=f.get("cause") or "",
                extent=tuple(f.get("extent") or ()),
            )
            for f in data.get("findings", [])
        ],
        duration_s=float(run.get("duration_s") or 0.0),
        mode=run.get("mode", "live"),
        policies=list(run.get("policies") or []),
        sip_trace=data.get("sip_trace"),
        candidate=data.get("candidate"),
        sources=data.get("sources"),
        waivers=data.get("waivers"),
        baseline=data.get("baseline"),
    )
