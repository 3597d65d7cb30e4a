"""One site's audit as a task: what the dispatcher sends (a :class:`SiteJob`, plain JSON),
what a worker answers (the site's report as JSON, facts included, so the dispatcher judges
and renders it as if it had audited the site itself), and the merge of every site's report."""

from __future__ import annotations

import base64
import json
import time
import zlib
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fleetaudit import __version__, api
from fleetaudit.audit import Options, new_run_id
from fleetaudit.facts import load_facts
from fleetaudit.inventory import load_nornir, site_of
from fleetaudit.model import HostResult, Report
from fleetaudit.store import report_from_json


@dataclass(frozen=True)
class SiteHost:
    name: str
    platform: str
    role: str | None


@dataclass(frozen=True)
class Site:
    """A site as the inventory describes it: its zone picks the queue."""

    name: str
    zone: str | None
    hosts: tuple[SiteHost, ...]


def sites_of(inventory: Path, wanted: list[str] | None = None) -> list[Site]:
    """Every site of the inventory (or the ``wanted`` ones, in that order), without
    connecting. A site's zone is its hosts' data ``zone`` (the first host that has one)."""
    hosts = load_nornir(inventory, 1, read_only=True).inventory.hosts
    found: dict[str, list[Any]] = {}
    for host in hosts.values():
        site = site_of(host)
        if site:
            found.setdefault(site, []).append(host)
    if wanted:
        from fleetaudit.errors import UsageError
        from fleetaudit.settings import did_you_mean

        for name in wanted:
            if name not in found:
                raise UsageError(
                    f"--site {name}: no hosts in that site of {inventory}; "
                    f"{did_you_mean(name, set(found), 'sites')}"
                )
        found = {name: found[name] for name in dict.fromkeys(wanted)}
    return [
        Site(
            name,
            next((str(h.get("zone")) for h in members if h.get("zone")), None),
            tuple(SiteHost(h.name, str(h.platform), h.get("role")) for h in members),
        )
        for name, members in found.items()
    ]


@dataclass(frozen=True)
class SiteJob:
    """What a worker needs to audit one site as ``fleetaudit run --site`` would."""

    inventory: str
    site: str
    template_dirs: tuple[str, ...] = ()
    check_dirs: tuple[str, ...] = ()
    only_checks: tuple[str, ...] = ()
    host_key_policy: str = "accept-new"
    known_hosts: str | None = None
    limit: tuple[str, ...] = ()
    waivers: str | None = None
    use_waivers: bool = True
    baseline: str | None = None
    logins: int | None = None  # SSH logins at once within the site
    store: bool = True
    db: str | None = None  # None: the worker's FLEETAUDIT_DB (or its home's SQLite file)
    keep: int | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SiteJob:
        tuples = ("template_dirs", "check_dirs", "only_checks", "limit")
        fields: dict[str, Any] = {k: tuple(v) if k in tuples else v for k, v in data.items()}
        return cls(**fields)

    def with_site(self, site: str) -> SiteJob:
        return SiteJob(**{**asdict(self), "site": site})

    def options(self) -> Options:
        return Options(
            tuple(Path(p) for p in self.template_dirs),
            tuple(Path(p) for p in self.check_dirs),
            self.only_checks,
            host_key_policy=self.host_key_policy,  # type: ignore[arg-type]
            known_hosts=Path(self.known_hosts) if self.known_hosts else None,
            limit=self.limit,
        )

    def gates(self) -> api.Gates:
        waivers = Path(self.waivers) if self.waivers else None
        return api.Gates(waivers=waivers, use_waivers=self.use_waivers, baseline=self.baseline)


def audit(job: SiteJob, progress: api.Progress | None = None) -> Report:
    """Audit the job's site here (a worker, or ``run --all`` without ``--dispatch``).
    A run that could not be stored is still returned (``stored`` false)."""
    try:
        return api.audit_site(
            Path(job.inventory),
            job.site,
            options=job.options(),
            gates=job.gates(),
            workers=job.logins,
            store=job.store,
            db=job.db,
            keep=job.keep,
            progress=progress or api.Progress(),
        )
    except api.NotStored as failed:
        return failed.report


def report_to_json(report: Report) -> dict[str, Any]:
    """The report with facts (the dispatcher needs them to judge what was assessed)."""
    data = report.to_json(include_passing=True, facts=True)
    data["run"]["stored"] = report.stored
    return data


def pack_report(report: Report) -> str:
    """:func:`report_to_json`, compressed for the broker (a site's report with facts is
    ~300 KB of JSON, ~10 % of it compressed).

    >>> from fleetaudit.model import Report
    >>> unpack_report(pack_report(Report("r1", "", "s1", "0", [], []))).site
    's1'
    """
    raw = json.dumps(report_to_json(report), separators=(",", ":")).encode()
    return base64.b64encode(zlib.compress(raw, 6)).decode("ascii")


def unpack_report(packed: str) -> Report:
    return report_of_json(json.loads(zlib.decompress(base64.b64decode(packed))))


def report_of_json(data: dict[str, Any]) -> Report:
    """:func:`report_to_json` read back, facts as types."""
    report = report_from_json(data)
    by_name = {h["name"]: h for h in data.get("hosts", [])}
    for host in report.hosts:
        stored = by_name.get(host.name) or {}
        facts, unreadable = load_facts(stored.get("facts") or {})
        host.facts = facts
        host.why_unknown = {**(stored.get("facts_unknown") or {}), **unreadable}
    report.stored = bool(data.get("run", {}).get("stored"))
    return report


def not_assessed(site: Site, why: str) -> Report:
    """A site no worker could audit: each of its hosts not assessed, with the reason."""
    return Report(
        run_id=new_run_id(),
        started=_now(),
        site=site.name,
        tool_version=__version__,
        hosts=[
            HostResult(h.name, h.platform, site.name, h.role, "not_assessed", why)
            for h in site.hosts
        ],
        findings=[],
    )


def merge(reports: list[Report], started: float) -> Report:
    """Every site's report as one ``--all`` report (hosts and findings in site order)."""
    merged = Report(
        run_id=new_run_id(),
        started=datetime.fromtimestamp(started, UTC).isoformat(timespec="seconds"),
        site=None,
        tool_version=__version__,
        hosts=[h for r in reports for h in r.hosts],
        findings=[f for r in reports for f in r.findings],
        duration_s=time.time() - started,
        policies=list(dict.fromkeys(p for r in reports for p in r.policies)),
    )
    merged.stored = bool(reports) and all(r.stored for r in reports)
    applied = [r.waivers for r in reports if r.waivers is not None]
    if applied:
        merged.waivers = {
            "applied": [a for w in applied for a in w["applied"]],
            "expired": _unique([e for w in applied for e in w["expired"]]),
            "unused": _common([w["unused"] for w in applied]),
        }
    compared = [r.baseline for r in reports if r.baseline is not None]
    if compared:
        merged.baseline = {
            "run": ", ".join(dict.fromkeys(b["run"] for b in compared)),
            "new": [f for b in compared for f in b["new"]],
            "known": sum(b["known"] for b in compared),
        }
    return merged


def _unique(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for item in items:
        seen.setdefault(repr(sorted(item.items())), item)
    return list(seen.values())


def _common(lists: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Waivers unused at every site are unused by the run."""
    keys = [{repr(sorted(i.items())) for i in items} for items in lists]
    everywhere = set.intersection(*keys) if keys else set()
    return [i for i in _unique(lists[0]) if repr(sorted(i.items())) in everywhere] if lists else []


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
