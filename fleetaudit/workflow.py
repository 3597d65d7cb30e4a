"""What ``run`` and ``scan`` do around the audit: waivers, baselines, pre-change
comparisons, sources for SARIF and keeping the run in the store."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from fleetaudit.audit import Options, analyse, evidence_from_path
from fleetaudit.candidate import compare, find_candidates, sources_of, with_candidates
from fleetaudit.checkkit import load_checks
from fleetaudit.collect import HostCollection
from fleetaudit.errors import UsageError
from fleetaudit.inventory import load_nornir, policy_of, select
from fleetaudit.model import Report
from fleetaudit.policy import VoipPolicy
from fleetaudit.store import Store
from fleetaudit.waivers import (
    Waiver,
    apply_baseline,
    apply_waivers,
    baseline_fingerprints,
    load_waivers,
    read_report_file,
)


def store_of(args: argparse.Namespace) -> Store:
    return Store.open(getattr(args, "db", None))


def waivers_for(args: argparse.Namespace, inventory: Path | None) -> list[Waiver] | None:
    """The waivers that apply: ``--waivers FILE``, else ``<inventory>/waivers.yaml``
    when there is one; none with ``--no-waivers``."""
    if args.no_waivers:
        return None
    path: Path | None = args.waivers
    if path is None and inventory is not None and (inventory / "waivers.yaml").is_file():
        path = inventory / "waivers.yaml"
    if path is None:
        return None
    if not path.is_file():
        raise UsageError(f"--waivers {path}: no such file")
    known = {c.id for c in load_checks(tuple(args.checks_dir))}
    return load_waivers(path, known)


def baseline_for(args: argparse.Namespace, site: str | None) -> tuple[str, set[str]] | None:
    """``--baseline``: a JSON report file, or a stored run (id, prefix, ``latest``)."""
    ref: str | None = args.baseline
    if ref is None:
        return None
    if Path(ref).is_file():
        return ref, baseline_fingerprints(read_report_file(Path(ref)))
    with store_of(args) as store:
        run = store.resolve(ref, site)
        return run.id, baseline_fingerprints({"findings": store.findings(run.id)})


def gates(
    report: Report,
    waivers: list[Waiver] | None,
    baseline: tuple[str, set[str]] | None,
) -> Report:
    if waivers is not None:
        apply_waivers(report, waivers)
    if baseline is not None:
        apply_baseline(report, *baseline)
    return report


def site_policies(
    inventory: Path, site: str | None, limit: tuple[str, ...] = ()
) -> tuple[list[str], dict[str, VoipPolicy]]:
    """The site's host names (inventory order) and their policies, without connecting."""
    nornir = select(load_nornir(inventory, 1), site, limit)
    hosts = nornir.inventory.hosts
    return list(hosts), {name: policy_of(host) for name, host in hosts.items()}


def stored_collections(
    args: argparse.Namespace, site: str | None
) -> tuple[str, list[HostCollection]]:
    """``--offline``: the evidence of the latest stored run of the site."""
    with store_of(args) as store:
        runs = store.runs(site, limit=1)
        if not runs:
            raise UsageError(
                f"--offline: the store {store.path} holds no run of {site or 'any site'}; "
                "run a live audit first (or drop --offline)"
            )
        return runs[0].id, store.collections(runs[0].id, site)


def pre_change(
    before: Report,
    collections: list[HostCollection],
    policies: dict[str, VoipPolicy],
    candidates: dict[str, Path],
    options: Options,
    label: str,
    compared_with: str,
) -> Report:
    """The site audited with the candidates in place, with what the change introduces,
    resolves and leaves."""
    changed, sources = with_candidates(collections, candidates, options.template_dirs)
    after = analyse(changed, policies, options, before.site, "offline", time.time())
    after.sections["candidate"] = compare(before, after, label, compared_with)
    after.sections["sources"] = sources
    return after


def candidates_for(args: argparse.Namespace, hosts: list[str]) -> dict[str, Path] | None:
    if args.candidate is None:
        if args.offline:
            raise UsageError(
                "--offline goes with --candidate DIR (audit candidates on stored evidence)"
            )
        return None
    return find_candidates(args.candidate, hosts)


def scan_compare(
    new: Path,
    old: Path,
    platform: str,
    role: str | None,
    policy: VoipPolicy,
    options: Options,
) -> Report:
    """``scan NEW --compare-with OLD``: one device's config before and after a change."""
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
    after.sections["candidate"] = compare(before, after, str(new), str(old))
    after.sections["sources"] = {
        after_item.name: sources_of(after_item.name, new, platform, role, options.template_dirs)
    }
    return after


def scan_sources(
    paths: list[Path], platform: str, role: str | None, dirs: tuple[Path, ...]
) -> dict[str, Any]:
    return {
        (p.stem if p.is_file() else p.name): sources_of(p.name, p, platform, role, dirs)
        for p in paths
    }
