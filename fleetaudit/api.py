"""fleetaudit from Python: audit a site, scan saved outputs, audit candidate configs, read
drift. Each call takes typed keyword arguments and returns a typed result; the CLI only
parses arguments, calls these, renders the result and maps it to an exit code.

    >>> from fleetaudit import api
    >>> callable(api.audit_site) and callable(api.scan)
    True

Waivers, baselines, the history store and pre-change comparisons are applied here, in the
same order for every caller: waivers and baselines gate what a run "fails on", a candidate
audit is never stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fleetaudit.audit import (
    Options,
    analyse,
    audit_live,
    audit_offline,
    evidence_from_path,
    shared_policies,
)
from fleetaudit.checkkit import load_checks
from fleetaudit.errors import UsageError
from fleetaudit.evidence import HostCollection
from fleetaudit.inventory import load_nornir, local_folder, select
from fleetaudit.model import Report, Sources
from fleetaudit.policy import VoipPolicy, load_policy
from fleetaudit.report.readiness import of_run
from fleetaudit.settings import did_you_mean
from fleetaudit.store import STORE_ERRORS, Store
from fleetaudit.waivers import (
    Waiver,
    apply_baseline,
    apply_waivers,
    baseline_fingerprints,
    load_waivers,
    read_report_file,
)
from fleetaudit.yamlfile import load_yaml

if TYPE_CHECKING:
    from fleetaudit.drift import Drift

__all__ = [
    "Gates",
    "NotStored",
    "Options",
    "Progress",
    "audit_site",
    "candidate",
    "drift",
    "policy_file",
    "readiness_trend",
    "scan",
]


@dataclass(frozen=True)
class Gates:
    """What a run is judged against besides the checks: waivers and a baseline."""

    waivers: Path | None = None  # None: <inventory>/waivers.yaml when there is one (sites)
    use_waivers: bool = True  # False: ignore every waiver (--no-waivers)
    baseline: str | None = None  # a stored run (id, prefix, `latest`) or a JSON report file


@dataclass(frozen=True)
class Progress:
    """Callbacks while hosts are collected (a progress bar, a log)."""

    on_start: Callable[[int], None] | None = None  # the number of hosts
    on_host_done: Callable[[HostCollection], None] | None = None


class NotStored(Exception):
    """The audit ran but the history store could not keep it; ``report`` is complete."""

    def __init__(self, report: Report, store: Path | str, reason: Exception) -> None:
        super().__init__(f"history store {store}: this run could not be stored ({reason})")
        self.report, self.store, self.reason = report, store, reason


_DEFAULT_OPTIONS, _DEFAULT_GATES, _DEFAULT_PROGRESS = Options(), Gates(), Progress()
_DEFAULT_VOIPPOLICY = VoipPolicy()


def audit_site(
    inventory: Path,
    site: str | None,
    *,
    options: Options = _DEFAULT_OPTIONS,
    gates: Gates = _DEFAULT_GATES,
    workers: int | None = None,
    store: bool = True,
    db: str | Path | None = None,
    keep: int | None = None,
    progress: Progress = _DEFAULT_PROGRESS,
) -> Report:
    """Audit a site live (``site=None``: every site); keep the run in the history store
    unless ``store=False`` (``keep``: then prune the site to its newest N runs). Raises
    :class:`UsageError` before any connection for a mistake in the inventory or the
    arguments, :class:`NotStored` when only storing failed."""
    _validate(options, workers, keep)
    site_policies(inventory, site, options.limit)
    waivers = _waivers(gates, options, inventory)
    baseline = _baseline(gates, site, db)
    history = _open_writable(db) if store else None
    try:
        report, collections = audit_live(
            inventory, site, workers, options, progress.on_start, progress.on_host_done
        )
        _gate(report, waivers, baseline)
        if history is not None:
            _keep(history, report, collections, site, keep)
        return report
    finally:
        if history is not None:
            history.close()


def candidate(
    inventory: Path,
    site: str | None,
    candidates: Path,
    *,
    offline: bool = False,
    options: Options = _DEFAULT_OPTIONS,
    gates: Gates = _DEFAULT_GATES,
    workers: int | None = None,
    db: str | Path | None = None,
    progress: Progress = _DEFAULT_PROGRESS,
) -> Report:
    """Pre-change audit: the site with the configs in ``candidates`` (``<host>.cfg`` or a
    ``<host>/`` folder of outputs) in place of the devices' own; the other devices live, or
    from the latest stored run with ``offline``. The report's ``candidate`` section says
    what the change introduces, resolves and leaves. Never stored."""
    from fleetaudit.candidate import compare, find_candidates, with_candidates

    _validate(options, workers, None)
    hosts, policies = site_policies(inventory, site, options.limit)
    found = find_candidates(candidates, hosts)  # mistakes show before any SSH
    waivers = _waivers(gates, options, inventory)
    baseline = _baseline(gates, site, db)
    collections: Sequence[HostCollection]
    if offline:
        source, collections = _stored_collections(db, site)
        compared_with = f"stored run {source}"
        before = analyse(collections, policies, options, site, "offline", time.time())
    else:
        compared_with = "the live devices"
        before, collections = audit_live(
            inventory, site, workers, options, progress.on_start, progress.on_host_done
        )
    _gate(before, waivers, None)
    changed, sources = with_candidates(collections, found, options.template_dirs)
    after = analyse(changed, policies, options, before.site, "offline", time.time())
    after.candidate = compare(before, after, str(candidates), compared_with)
    after.sources = sources
    _gate(after, waivers, baseline)
    return after


def scan(
    paths: list[Path],
    platform: str,
    *,
    role: str | None = None,
    policy: VoipPolicy = _DEFAULT_VOIPPOLICY,
    compare_with: Path | None = None,
    options: Options = _DEFAULT_OPTIONS,
    gates: Gates = _DEFAULT_GATES,
    db: str | Path | None = None,
) -> Report:
    """Audit saved configs or command outputs offline: a file is a device's config (or
    export), a folder holds one device's outputs as ``<command_slug>.txt``. With
    ``compare_with`` (one path): what the path introduces or resolves against that older
    config of the same device."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    _validate(options, None, None)
    waivers = _waivers(gates, options, None)
    baseline = _baseline(gates, None, db)
    if compare_with is not None:
        if len(paths) != 1:
            raise UsageError("--compare-with compares one device: give one PATH (the candidate)")
        report = _scan_compare(paths[0], compare_with, platform, role, policy, options)
    else:
        report = audit_offline(paths, platform, role, policy, options)
        report.sources = _scan_sources(paths, platform, role, options.template_dirs)
    _gate(report, waivers, baseline)
    return report


def drift(
    site: str,
    *,
    since: str | None = None,
    from_run: str | None = None,
    to_run: str | None = None,
    db: str | Path | None = None,
) -> Drift:
    """What changed at a site between two stored runs (default: the last two)."""
    from fleetaudit.history import site_drift

    with Store.open(db) as store:
        return site_drift(store, site, since, from_run, to_run)


def readiness_trend(site: str | None, db: str | Path | None = None) -> list[int]:
    """Readiness of the site's last 20 stored runs, oldest first (none for all sites)."""
    if not site:
        return []
    with Store.open(db) as store:
        return [of_run(r) for r in reversed(store.runs(site, 20))]


def policy_file(path: Path | None) -> VoipPolicy:
    """The provider profile under ``voip:`` in a YAML file (none: the defaults)."""
    data: Any = (load_yaml(path, "policy") or {}) if path else {}
    return load_policy(data.get("voip") if isinstance(data, dict) else None, str(path))


def site_policies(
    inventory: Path, site: str | None, limit: tuple[str, ...] = ()
) -> tuple[list[str], dict[str, VoipPolicy]]:
    """The site's host names (inventory order) and their policies, without connecting."""
    nornir = select(load_nornir(inventory, 1, read_only=True), site, limit)
    hosts = nornir.inventory.hosts
    return list(hosts), shared_policies(hosts)


# -- the steps -------------------------------------------------------------------------


def _validate(options: Options, workers: int | None, keep: int | None) -> None:
    if workers is not None and workers < 1:
        raise UsageError("--workers must be 1 or more")
    if keep is not None and keep < 1:
        raise UsageError("--keep must be 1 or more")
    if not options.only_checks:
        return
    known = {c.id for c in load_checks(options.check_dirs)}
    for wanted in options.only_checks:
        if wanted.upper() not in known:
            raise UsageError(
                f"--check {wanted}: no such check; {did_you_mean(wanted.upper(), known, 'IDs')} "
                "(`fleetaudit checks list` shows every ID)"
            )


def _waivers(gates: Gates, options: Options, inventory: Path | None) -> list[Waiver] | None:
    """The waivers that apply: ``gates.waivers``, else ``<inventory>/waivers.yaml`` when
    there is one (a source of truth: next to its ``sot.yaml``); none when ``use_waivers``
    is off."""
    if not gates.use_waivers:
        return None
    path = gates.waivers
    folder = None if inventory is None else local_folder(inventory)
    if path is None and folder is not None and (folder / "waivers.yaml").is_file():
        path = folder / "waivers.yaml"
    if path is None:
        return None
    if not path.is_file():
        raise UsageError(f"--waivers {path}: no such file")
    known = {c.id for c in load_checks(options.check_dirs)}
    return load_waivers(path, known)


def _baseline(gates: Gates, site: str | None, db: str | Path | None) -> tuple[str, set[str]] | None:
    """``--baseline``: a JSON report file, or a stored run (id, prefix, ``latest``)."""
    ref = gates.baseline
    if ref is None:
        return None
    if Path(ref).is_file():
        return ref, baseline_fingerprints(read_report_file(Path(ref)))
    with Store.open(db) as store:
        run = store.resolve(ref, site)
        return run.id, baseline_fingerprints({"findings": store.findings(run.id)})


def _gate(
    report: Report, waivers: list[Waiver] | None, baseline: tuple[str, set[str]] | None
) -> None:
    if waivers is not None:
        apply_waivers(report, waivers)
    if baseline is not None:
        apply_baseline(report, *baseline)


def _open_writable(db: str | Path | None) -> Store:
    store = Store.open(db)
    try:
        store.check_writable()
    except UsageError:
        store.close()
        raise
    return store


def _keep(
    store: Store,
    report: Report,
    collections: Sequence[HostCollection],
    site: str | None,
    keep: int | None,
) -> None:
    try:
        store.save(report, collections)
        report.stored = True
        if keep:
            store.prune(keep=keep, site=site)
    except STORE_ERRORS as exc:  # the audit's result is not lost: say so
        raise NotStored(report, store.path, exc) from exc


def _stored_collections(
    db: str | Path | None, site: str | None
) -> tuple[str, list[HostCollection]]:
    """The evidence of the latest stored run of the site."""
    with Store.open(db) as store:
        runs = store.runs(site, limit=1)
        if not runs:
            raise UsageError(
                f"--offline: the store {store.path} holds no run of {site or 'any site'}; "
                "run a live audit first (or drop --offline)"
            )
        return runs[0].id, store.collections(runs[0].id, site)


def _scan_compare(
    new: Path, old: Path, platform: str, role: str | None, policy: VoipPolicy, options: Options
) -> Report:
    """One device's config before and after a change."""
    from fleetaudit.candidate import compare, sources_of

    for path in (new, old):
        if not path.exists():
            raise UsageError(f"no such file or folder: {path}")
    after_item = evidence_from_path(new, platform, role, options.template_dirs)
    before_item = evidence_from_path(old, platform, role, options.template_dirs)
    before_item.name = after_item.name  # the same device, so fingerprints line up
    policies = {after_item.name: policy}
    started = time.time()
    before = analyse([before_item], policies, options, None, "offline", started)
    after = analyse([after_item], policies, options, None, "offline", started)
    after.candidate = compare(before, after, str(new), str(old))
    after.sources = {
        after_item.name: sources_of(after_item.name, new, platform, role, options.template_dirs)
    }
    return after


def _scan_sources(
    paths: list[Path], platform: str, role: str | None, dirs: tuple[Path, ...]
) -> Sources:
    from fleetaudit.candidate import sources_of

    return {
        (p.stem if p.is_file() else p.name): sources_of(p.name, p, platform, role, dirs)
        for p in paths
    }
