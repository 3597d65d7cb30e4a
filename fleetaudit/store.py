"""The history store: every run, kept in SQLite (the default) or PostgreSQL.

One database (``FLEETAUDIT_DB``: a file, an ``sqlite:`` URL or a ``postgresql://`` URL;
else ``$FLEETAUDIT_HOME/fleetaudit.sqlite``) holds, per run: its metadata and JSON report,
each host's status and facts (JSON through their declared types, tagged with the facts
version, read back as those types: :mod:`fleetaudit.facts`), every finding with its
fingerprint ``check|host|subject`` and each command's evidence (zlib-compressed) with its
envelope. Evidence is scrubbed of secrets once, where it is collected or read
(:mod:`fleetaudit.sanitize`); the store keeps only evidence marked scrubbed and refuses a
run holding any other.

The schema is :mod:`fleetaudit.storage.schema`, brought up to date on open by Alembic
(:mod:`fleetaudit.storage.migrate`). A run is written in one transaction: a process killed
halfway leaves nothing of that run visible, readers never wait for a writer, and runs
saved at once by several processes (or machines, on PostgreSQL) all land.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, text, update
from sqlalchemy.engine import URL
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError

from fleetaudit.errors import UsageError
from fleetaudit.evidence import Evidence, HostCollection
from fleetaudit.facts import Ref, dump_facts, load_facts
from fleetaudit.model import Finding, HostResult, Report, packed_facts
from fleetaudit.paths import home
from fleetaudit.reportjson import report_pieces
from fleetaudit.storage import migrate
from fleetaudit.storage.engine import BUSY_TIMEOUT_S, make_engine, reading, writing
from fleetaudit.storage.location import parse_location, shown
from fleetaudit.storage.schema import evidence, findings, hosts, runs

__all__ = ["STORE_ERRORS", "RunSummary", "Store", "StoredHost", "parse_location"]

WRITE_CHECK_TIMEOUT_S = 10.0  # before an audit: a lock held longer is not a save finishing
MIN_FREE_BYTES = 16 * 1024 * 1024  # a run with its evidence takes a few hundred KiB
# what saving a run may fail with, the audit's result kept (api.NotStored)
STORE_ERRORS: tuple[type[Exception], ...] = (SQLAlchemyError, sqlite3.Error, OSError)


def _writable(path: Path) -> bool:
    """Whether ``path`` may be written. Root passes ``access()`` for any file, so a file
    or folder whose owner removed every write bit counts as read-only too."""
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 6)


def unpack(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


def default_location() -> Path | URL:
    """``FLEETAUDIT_DB`` (a path, an ``sqlite:`` or a ``postgresql:`` URL), else
    ``$FLEETAUDIT_HOME/fleetaudit.sqlite``."""
    configured = os.environ.get("FLEETAUDIT_DB")
    if configured:
        return parse_location(configured, "FLEETAUDIT_DB")
    return home() / "fleetaudit.sqlite"


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
    """The history store. Open it with :meth:`open`; close it (or use ``with``)."""

    def __init__(self, location: Path | URL) -> None:
        self.location = location
        # where it is, for messages (a file path, or the URL without its password)
        self.path: Path | str = location if isinstance(location, Path) else shown(location)
        hint = "set FLEETAUDIT_DB or --db to a writable file or a PostgreSQL URL"
        if isinstance(location, Path):
            try:
                location.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UsageError(
                    f"history store {location}: cannot open it ({exc}); {hint}"
                ) from None
        self.engine = make_engine(location)
        try:
            migrate.upgrade(self.engine, str(self.path))
        except OperationalError as exc:  # locked, read-only, unreachable, refused
            self.close()
            raise UsageError(
                f"history store {self.path}: cannot use it ({_reason(exc)}); {hint}"
            ) from None
        except DatabaseError as exc:
            self.close()
            raise UsageError(
                f"history store {self.path}: not a fleetaudit SQLite store ({_reason(exc)}); "
                "point FLEETAUDIT_DB or --db at another file"
            ) from None
        except UsageError:
            self.close()
            raise

    @classmethod
    def open(cls, location: str | Path | None = None) -> Store:
        if location is None:
            return cls(default_location())
        if isinstance(location, Path):
            return cls(location)
        return cls(parse_location(location, "--db"))

    @property
    def sqlite(self) -> bool:
        return isinstance(self.location, Path)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check_writable(self, wait_s: float | None = None) -> None:
        """Refuse, before an audit, a store the run could not be saved in: read-only,
        nearly full, or locked by another writer for longer than ``wait_s``
        (default :data:`WRITE_CHECK_TIMEOUT_S`); on PostgreSQL, one this user may not
        insert into."""
        wait_s = WRITE_CHECK_TIMEOUT_S if wait_s is None else wait_s
        if not isinstance(self.location, Path):
            self._check_postgres_writable()
            return
        path = self.location
        for place in (path, path.parent):
            if place.exists() and not _writable(place):
                raise UsageError(
                    f"history store {path}: {place} is read-only; make it writable, "
                    "point --db / FLEETAUDIT_DB at a writable file, or pass --no-store"
                )
        free = shutil.disk_usage(path.parent).free
        if free < MIN_FREE_BYTES:
            raise UsageError(
                f"history store {path}: only {free // 1024} KiB free on its disk; free "
                "some space, point --db at another disk, or pass --no-store"
            )
        with self.engine.connect() as connection:
            raw = connection.connection.driver_connection
            assert raw is not None
            raw.execute(f"PRAGMA busy_timeout = {int(wait_s * 1000)}")
            try:
                raw.execute("BEGIN IMMEDIATE")  # the write lock a save will need
                raw.execute("ROLLBACK")
            except sqlite3.OperationalError as exc:
                raise UsageError(
                    f"history store {path}: cannot write to it ({exc}; waited {wait_s:g} s); "
                    "wait for the other fleetaudit to finish, point --db at another file, or "
                    "pass --no-store"
                ) from None
            finally:
                raw.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")

    def _check_postgres_writable(self) -> None:
        try:
            with reading(self.engine) as connection:
                may = all(
                    connection.execute(
                        text("SELECT has_table_privilege(:t, 'INSERT, DELETE')"), {"t": table}
                    ).scalar_one()
                    for table in ("runs", "hosts", "findings", "evidence")
                )
        except OperationalError as exc:
            raise UsageError(
                f"history store {self.path}: cannot reach it ({_reason(exc)}); check "
                "FLEETAUDIT_DB, or pass --no-store"
            ) from None
        if not may:
            raise UsageError(
                f"history store {self.path}: this database user may not write fleetaudit's "
                "tables; GRANT INSERT, DELETE on them, or pass --no-store"
            )

    # -- writing -------------------------------------------------------------------

    def save(self, report: Report, collections: Sequence[HostCollection]) -> str:
        """Record the run whole, or not at all. Returns its id."""
        with writing(self.engine) as connection:
            _insert_run(connection, report)  # with its findings rows, in one pass
            _insert_hosts(connection, report.run_id, report.hosts, start=0)
            _insert_evidence(connection, report.run_id, _scrubbed(collections), start=0)
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
        doomed = []
        for rank, run in enumerate(self.runs(site)):  # newest first
            beyond = keep is None or rank >= keep
            old = older_than is None or run.started_ts < older_than
            if beyond and old:
                doomed.append(run.id)
        if dry_run or not doomed:
            return doomed
        with writing(self.engine) as connection:
            connection.execute(delete(runs).where(runs.c.id.in_(doomed)))
        if self.sqlite:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA incremental_vacuum")
                connection.commit()
        return doomed

    # -- reading -------------------------------------------------------------------

    def runs(self, site: str | None = None, limit: int | None = None) -> list[RunSummary]:
        """Stored runs, newest first; with ``site``, the runs that audited that site (and
        their counts for that site only)."""
        query = select(runs).order_by(runs.c.started_ts.desc(), runs.c.seq.desc())
        if site is not None:
            query = query.where(runs.c.id.in_(select(hosts.c.run_id).where(hosts.c.site == site)))
        if limit:
            query = query.limit(int(limit))
        with reading(self.engine) as connection:
            return _summaries(connection, list(connection.execute(query)), site)

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
        with reading(self.engine) as connection:
            blob = connection.execute(
                select(runs.c.report).where(runs.c.id == run_id)
            ).scalar_one_or_none()
        if blob is None:
            raise UsageError(f"no stored run {run_id!r}")
        data: dict[str, Any] = json.loads(unpack(blob))
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
        with reading(self.engine) as connection:
            return _hosts(connection, run_id, site)

    def findings(self, run_id: str, hosts: set[str] | None = None) -> list[dict[str, Any]]:
        query = (
            select(findings.c.host, findings.c.data)
            .where(findings.c.run_id == run_id)
            .order_by(findings.c.pos)
        )
        with reading(self.engine) as connection:
            rows = connection.execute(query).all()
        return [json.loads(r.data) for r in rows if hosts is None or r.host in hosts]

    def collections(self, run_id: str, site: str | None = None) -> list[HostCollection]:
        """The run's evidence as the collector returned it, for offline re-analysis."""
        found = []
        with reading(self.engine) as connection:
            for host in _hosts(connection, run_id, site):
                item = HostCollection(host.name, host.platform, host.site, host.role)
                item.status, item.error = host.status, host.error  # type: ignore[assignment]
                query = (
                    select(evidence)
                    .where(evidence.c.run_id == run_id, evidence.c.host == host.name)
                    .order_by(evidence.c.pos)
                )
                for r in connection.execute(query):
                    item.evidence[r.command] = Evidence(
                        host.name,
                        r.platform,
                        r.command,
                        r.status,
                        unpack(r.output),
                        r.started,
                        r.duration_s,
                        r.error,
                        scrubbed=True,  # the store holds nothing else
                    )
                found.append(item)
        return found


def _reason(exc: SQLAlchemyError) -> str:
    """The database's own words, without SQLAlchemy's statement and link."""
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]


# -- rows written ----------------------------------------------------------------------
# One function per table, each given the open write transaction: a method that writes
# part of a run (one host's results, say) composes them the same way.


_INSERT = {table: insert(table) for table in (runs, hosts, findings, evidence)}


def _insert_run(connection: Connection, report: Report) -> None:
    """The run's row, then its findings rows, its JSON report compressed as it is
    written (the findings' JSON encoded once, for both)."""
    run_id = report.run_id
    connection.execute(
        _INSERT[runs],
        {
            "id": run_id,
            "site": report.site,
            "started": report.started,
            "started_ts": datetime.fromisoformat(report.started).timestamp(),
            "duration_s": report.duration_s,
            "mode": report.mode,
            "tool_version": report.tool_version,
            "report": b"",  # below, once its findings are in
        },
    )
    rows = _Batches(connection, findings)

    def finding_row(finding: Finding, data: str) -> None:
        rows.add(_finding_row(run_id, finding, data, len(rows)))

    packer = zlib.compressobj(6)
    blob = [packer.compress(t.encode()) for t in report_pieces(report, on_finding=finding_row)]
    blob.append(packer.flush())
    rows.flush()
    connection.execute(update(runs).where(runs.c.id == run_id).values(report=b"".join(blob)))


BATCH_ROWS = 500  # rows inserted at a time: a run's rows are never all held at once


class _Batches:
    """Rows of one table inserted :data:`BATCH_ROWS` at a time."""

    def __init__(self, connection: Connection, table: Any) -> None:
        self._connection, self._table = connection, table
        self._rows: list[dict[str, Any]] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, row: dict[str, Any]) -> None:
        self._rows.append(row)
        self._count += 1
        if len(self._rows) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            self._connection.execute(_INSERT[self._table], self._rows)
        self._rows = []


def _next_pos(connection: Connection, table: Any, run_id: str) -> int:
    """After the rows this run already has in ``table`` (for a run written in parts)."""
    last = connection.execute(
        select(func.max(table.c.pos)).where(table.c.run_id == run_id)
    ).scalar_one()
    return 0 if last is None else int(last) + 1


def _insert_hosts(
    connection: Connection, run_id: str, results: Iterable[HostResult], start: int | None = None
) -> None:
    start = _next_pos(connection, hosts, run_id) if start is None else start
    rows = _Batches(connection, hosts)
    for n, host in enumerate(results):
        rows.add(_host_row(run_id, host, start + n))
    rows.flush()


def _finding_row(run_id: str, finding: Finding, data: str, pos: int) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "fingerprint": finding.fingerprint,
        "check_id": finding.check,
        "host": finding.host,
        "subject": finding.subject,
        "severity": finding.severity,
        "status": finding.status,
        "data": data,
        "pos": pos,
    }


def _insert_evidence(
    connection: Connection,
    run_id: str,
    collections: Iterable[HostCollection],
    start: int | None = None,
) -> None:
    """Each host's outputs, one host at a time (a spooled run reads them back so)."""
    start = _next_pos(connection, evidence, run_id) if start is None else start
    rows = _Batches(connection, evidence)
    for item in collections:
        for command, ev in item.evidence.items():
            rows.add(
                {
                    "run_id": run_id,
                    "host": item.name,
                    "command": command,
                    "platform": ev.platform,
                    "status": ev.status,
                    "started": ev.started,
                    "duration_s": ev.duration_s,
                    "error": ev.error,
                    "output": pack(ev.output),
                    "pos": start + len(rows),
                }
            )
    rows.flush()


# -- rows read -------------------------------------------------------------------------


def _hosts(connection: Connection, run_id: str, site: str | None) -> list[StoredHost]:
    query = select(hosts).where(hosts.c.run_id == run_id).order_by(hosts.c.pos)
    if site is not None:
        query = query.where(hosts.c.site == site)
    return [_stored_host(r) for r in connection.execute(query)]


def _summaries(connection: Connection, rows: list[Row[Any]], site: str | None) -> list[RunSummary]:
    """Each run's counts, from two grouped queries for all of them (of ``site``'s hosts
    only; findings of hosts the run did not record are not counted)."""
    ids = [row.id for row in rows]
    counts: dict[str, dict[str, int]] = {i: {} for i in ids}
    sites: dict[str, set[str]] = {i: set() for i in ids}
    of_site = [] if site is None else [hosts.c.site == site]
    host_query = (
        select(hosts.c.run_id, hosts.c.status, hosts.c.site, func.count())
        .where(hosts.c.run_id.in_(ids), *of_site)
        .group_by(hosts.c.run_id, hosts.c.status, hosts.c.site)
    )
    for run_id, status, host_site, n in connection.execute(host_query):
        counts[run_id][status] = counts[run_id].get(status, 0) + n
        if host_site:
            sites[run_id].add(host_site)
    fails: dict[str, dict[str, int]] = {i: {} for i in ids}
    tally: dict[str, dict[str, int]] = {i: {"unknown": 0, "waived": 0, "pass": 0} for i in ids}
    finding_query = (
        select(findings.c.run_id, findings.c.severity, findings.c.status, func.count())
        .join(hosts, (hosts.c.run_id == findings.c.run_id) & (hosts.c.name == findings.c.host))
        .where(findings.c.run_id.in_(ids), *of_site)
        .group_by(findings.c.run_id, findings.c.severity, findings.c.status)
    )
    for run_id, severity, status, n in connection.execute(finding_query):
        if status == "fail":
            fails[run_id][severity] = fails[run_id].get(severity, 0) + n
        elif status in ("unknown", "error"):
            tally[run_id]["unknown"] += n
        elif status in ("waived", "pass"):
            tally[run_id][status] += n
    return [
        RunSummary(
            id=row.id,
            seq=row.seq,
            site=row.site,
            started=row.started,
            started_ts=row.started_ts,
            mode=row.mode,
            duration_s=row.duration_s,
            hosts=counts[row.id],
            sites=tuple(sorted(sites[row.id])),
            fails=fails[row.id],
            unknown=tally[row.id]["unknown"],
            waived=tally[row.id]["waived"],
            passed=tally[row.id]["pass"],
        )
        for row in rows
    ]


class UnscrubbedEvidence(RuntimeError):
    """Evidence that did not pass the scrubber reached the store: a bug, never stored."""


def _scrubbed(collections: Iterable[HostCollection]) -> Iterator[HostCollection]:
    """The hosts as they come, refusing one whose evidence was not scrubbed: the run's
    transaction then rolls back, nothing of it stored."""
    for item in collections:
        for ev in item.evidence.values():
            if not ev.scrubbed:
                raise UnscrubbedEvidence(
                    f"{item.name}: the output of {ev.command!r} was not scrubbed of secrets; "
                    "nothing of this run was stored"
                )
        yield item


def _stored_host(row: Row[Any]) -> StoredHost:
    facts, unreadable = read_stored_facts(json.loads(unpack(row.facts)))
    return StoredHost(
        name=row.name,
        platform=row.platform,
        site=row.site,
        role=row.role,
        status=row.status,
        error=row.error,
        facts=facts,
        why_unknown={**json.loads(row.why_unknown), **unreadable},
    )


def read_stored_facts(stored: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Stored facts as types. Runs stored before facts were versioned hold the bare
    ``{name: value}`` mapping, which is facts version 1's shape."""
    if isinstance(stored.get("facts"), dict) and "facts_version" in stored:
        return load_facts(stored["facts"], int(stored["facts_version"]))
    return load_facts(stored, 1)


def _host_row(run_id: str, host: HostResult, pos: int) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "name": host.name,
        "platform": host.platform,
        "site": host.site,
        "role": host.role,
        "status": host.status,
        "error": host.error,
        "facts": packed_facts(host.facts),
        "why_unknown": json.dumps(host.why_unknown),
        "pos": pos,
    }


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
