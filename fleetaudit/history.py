"""``fleetaudit history`` (list, show, prune) and ``fleetaudit drift`` over the store."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

from fleetaudit.drift import Drift, HostSnapshot, RunRef, drift
from fleetaudit.errors import UsageError
from fleetaudit.store import RunSummary, Store

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
AGE = re.compile(r"^(\d+)\s*([smhdw])$")


def parse_age(text: str, flag: str) -> float:
    """An age (``7d``, ``12h``, ``2w``) or a date (``2025-06-01``) -> epoch seconds of
    that moment.

    >>> parse_age("2025-06-01", "--since")
    1748736000.0
    """
    match = AGE.match(text.strip().lower())
    if match:
        return time.time() - int(match[1]) * UNITS[match[2]]
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{flag} {text!r}: write an age like 7d, 12h, 30m, 2w or a date like 2025-06-01"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def pick_runs(
    store: Store,
    site: str,
    since: str | None,
    from_ref: str | None,
    to_ref: str | None,
) -> tuple[RunSummary, RunSummary, list[str]]:
    """The two runs a drift compares, and notes on how they were chosen."""
    runs = store.runs(site)  # newest first
    if len(runs) < 2 and not (from_ref and to_ref):
        raise UsageError(
            f"drift needs two stored runs of site {site!r}; the store {store.path} holds "
            f"{len(runs)}. Run `fleetaudit run --site {site}` again later (e.g. nightly)"
        )
    notes: list[str] = []
    after = store.resolve(to_ref, site) if to_ref else runs[0]
    if from_ref:
        before = store.resolve(from_ref, site)
    else:
        older = [r for r in runs if (r.started_ts, r.seq) < (after.started_ts, after.seq)]
        if not older:
            raise UsageError(f"no stored run of {site!r} before {after.id}; pick --from RUN")
        before = older[0]
        if since is not None:
            cutoff = parse_age(since, "--since")
            at_cutoff = [r for r in older if r.started_ts <= cutoff]
            if at_cutoff:
                before = at_cutoff[0]
            else:
                before = older[-1]
                notes.append(
                    f"no run of {site} as old as {since}: compared with the oldest stored one, "
                    f"{before.id} ({before.started})"
                )
    if before.id == after.id:
        raise UsageError(f"--from and --to are the same run {after.id}; pick two runs")
    return before, after, notes


def site_drift(
    store: Store,
    site: str,
    since: str | None = None,
    from_ref: str | None = None,
    to_ref: str | None = None,
) -> Drift:
    before, after, notes = pick_runs(store, site, since, from_ref, to_ref)
    snapshots = []
    findings = []
    for run in (before, after):
        hosts = store.hosts(run.id, site)
        snapshots.append([HostSnapshot(h.name, h.status, h.data()) for h in hosts])
        findings.append(store.findings(run.id, {h.name for h in hosts}))
    result = drift(
        site,
        RunRef(before.id, before.started),
        RunRef(after.id, after.started),
        snapshots[0],
        snapshots[1],
        findings[0],
        findings[1],
    )
    result.notes = notes + result.notes
    return result
