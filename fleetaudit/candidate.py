"""Pre-change audits: audit a site with candidate configs in place of running ones.

``DIR`` holds one candidate per host, named by the host: ``<host>.<anything>`` is the
device's whole config (running-config, or the RouterOS export), a folder ``<host>/``
holds outputs as ``<command_slug>.txt``. The other hosts keep their live (or latest
stored) evidence, so cross-device checks still see the whole site. The result says
which findings the change introduces, resolves, makes worse or leaves as they are.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path

from fleetaudit.audit import CONFIG_COMMANDS, evidence_from_path, saved_files
from fleetaudit.drift import PRESENT, compare_findings
from fleetaudit.errors import UsageError
from fleetaudit.evidence import HostCollection
from fleetaudit.model import CandidateSection, Finding, Report, Sources, severity_rank
from fleetaudit.rules.extent import growth


def find_candidates(directory: Path, hosts: list[str]) -> dict[str, Path]:
    """Host name -> candidate file or folder; a name that is no host of the site is an
    error (a typo must not silently audit nothing)."""
    if not directory.is_dir():
        raise UsageError(
            f"--candidate {directory}: not a folder; give a folder of <host>.cfg files"
        )
    found: dict[str, Path] = {}
    strays = []
    for path in sorted(directory.iterdir()):
        if path.name.startswith("."):
            continue
        name = path.name if path.is_dir() else path.stem
        if name in hosts:
            if name in found:
                raise UsageError(
                    f"{directory}: two candidates for {name}: {found[name].name}, {path.name}"
                )
            found[name] = path
        else:
            strays.append(path.name)
    if strays:
        raise UsageError(
            f"{directory}: {', '.join(strays)} name(s) no host of the site; name each candidate "
            f"after its host ({', '.join(hosts)}), e.g. {hosts[0]}.cfg"
        )
    if not found:
        raise UsageError(f"{directory}: no candidate configs; add files named <host>.cfg")
    return found


def sources_of(
    name: str, path: Path, platform: str, role: str | None, dirs: tuple[Path, ...]
) -> dict[str, str]:
    """Which file each command's evidence of a scanned/candidate host came from."""
    if path.is_file():
        return {CONFIG_COMMANDS[platform]: str(path)}
    return {command: str(file) for command, file in saved_files(path, platform, role, dirs).items()}


def with_candidates(
    collections: Sequence[HostCollection], candidates: dict[str, Path], dirs: tuple[Path, ...]
) -> tuple[list[HostCollection], Sources]:
    """Copies of the collections with each candidate's evidence in place of the device's;
    and, per candidate host, which file each command now comes from."""
    changed = []
    sources: Sources = {}
    for item in collections:
        path = candidates.get(item.name)
        if path is None:
            changed.append(item)
            continue
        if item.platform not in CONFIG_COMMANDS:
            raise UsageError(
                f"{path}: {item.name} is a {item.platform}; candidate configs are for "
                f"{', '.join(sorted(CONFIG_COMMANDS))} devices"
            )
        loaded = evidence_from_path(path, item.platform, item.role, dirs)
        if not loaded.evidence:
            raise UsageError(f"{path}: no output files named <command_slug>.txt for {item.name}")
        replaced = copy.copy(item)
        replaced.evidence = {**item.evidence}
        for command, evidence in loaded.evidence.items():
            evidence.host = item.name
            replaced.evidence[command] = evidence
        if item.status not in ("ok", "partial", "offline"):
            replaced.status, replaced.error = "partial", f"candidate only; device: {item.error}"
        changed.append(replaced)
        sources[item.name] = sources_of(item.name, path, item.platform, item.role, dirs)
    return changed, sources


def worse(before: Finding, after: Finding) -> str:
    """How a finding the change keeps got worse ("" when it did not): a higher severity,
    more closed ports, more affected subjects."""
    reasons = []
    if severity_rank(after.severity) > severity_rank(before.severity):
        reasons.append(f"severity {before.severity} → {after.severity}")
    grew = growth(before.extent, after.extent)
    if grew:
        reasons.append("now also " + ", ".join(grew))
    return "; ".join(reasons)


def compare(before: Report, after: Report, label: str, baseline: str) -> CandidateSection:
    """The candidate section of the report: introduced / resolved / worsened / unchanged
    findings. A finding that keeps its fingerprint but got worse is a regression."""
    diff = compare_findings(
        [f.to_json() for f in before.findings],
        [f.to_json() for f in after.findings],
    )
    old = {f.fingerprint: f for f in before.findings if f.status in PRESENT}
    new = {f.fingerprint: f for f in after.findings if f.status in PRESENT}
    worsened, unchanged = [], []
    for delta in diff.persisting:
        how = worse(old[delta.fingerprint], new[delta.fingerprint])
        if how:
            worsened.append({**delta.to_json(), "note": how})
        else:
            unchanged.append(delta.to_json())
    return {
        "dir": label,
        "compared_with": baseline,
        "introduced": [d.to_json() for d in diff.new],
        "resolved": [d.to_json() for d in diff.resolved],
        "worsened": worsened,
        "unchanged": unchanged,
        "not_assessed": [d.to_json() for d in diff.unassessed],
    }
