"""SARIF 2.1.0, for code review tools: each finding located at the file and line that
causes it.

Evidence refs carry the command and the line in its output. For a scanned file or a
candidate config the command's output *is* the file, so the ref's line is the file's
line; ``report.sources`` maps host -> command -> file. Findings on live
devices (no file) carry a logical location (the host) only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fleetaudit import __version__
from fleetaudit.checkkit import Check, load_checks
from fleetaudit.errors import UsageError
from fleetaudit.facts import Ref
from fleetaudit.model import Finding, Report, Sources
from fleetaudit.report.view import LEVEL, ordered
from fleetaudit.reportjson import array_pieces, split_at

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "fleetauditFingerprint/v1"


def artifact_uri(path: str) -> str:
    """Relative to the working directory (the repository root in CI) when under it."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return resolved.as_uri()


def _rule(check_id: str, checks: dict[str, Check], sample: Finding) -> dict[str, Any]:
    check = checks.get(check_id)
    rule: dict[str, Any] = {
        "id": check_id,
        "name": sample.slug or check_id,
        "shortDescription": {"text": check.title if check else sample.slug or check_id},
        "defaultConfiguration": {"level": LEVEL[check.severity if check else sample.severity]},
        "properties": {"tags": list(check.tags) if check else []},
    }
    if check is not None:
        rule["fullDescription"] = {"text": check.why}
        rule["help"] = {
            "text": check.doc.strip() or check.why,
            "markdown": check.doc.strip() or check.why,
        }
    return rule


def _physical(ref: Ref, file: str) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(file)}}
    if ref.line:
        location["region"] = {"startLine": ref.line, "snippet": {"text": ref.text}}
    return location


def _locations(
    f: Finding, sources: dict[str, dict[str, str]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    files = sources.get(f.host, {})
    logical = [{"name": f.host, "fullyQualifiedName": f"{f.host}/{f.subject}", "kind": "resource"}]
    placed = [r for r in f.evidence if r.source in files and r.line]
    if not placed:
        placed = [r for r in f.evidence if r.source in files]
    if not placed:
        return [{"logicalLocations": logical}], []
    primary = {
        "physicalLocation": _physical(placed[0], files[placed[0].source]),
        "logicalLocations": logical,
    }
    related = [
        {"id": n, "physicalLocation": _physical(r, files[r.source]), "message": {"text": r.text}}
        for n, r in enumerate(placed[1:], 1)
    ]
    return [primary], related


def render(report: Report, check_dirs: tuple[Path, ...] = ()) -> str:
    return "".join(render_pieces(report, check_dirs))


RESULTS_DEPTH = 3  # doc -> runs[] -> run -> results[]
_RESULTS = "\x00results\x00"  # stands in for the results while the rest is encoded


def render_pieces(report: Report, check_dirs: tuple[Path, ...] = ()) -> Iterator[str]:
    """The SARIF document in pieces, one result at a time (never whole in memory)."""
    try:
        checks = {c.id: c for c in load_checks(check_dirs)}
    except UsageError:
        checks = {}
    sources: Sources = report.sources or {}
    candidate = report.candidate
    introduced = {d["fingerprint"] for d in candidate["introduced"]} if candidate else set()
    worsened = {d["fingerprint"] for d in candidate.get("worsened", [])} if candidate else set()
    waivers = {w["fingerprint"]: w for w in (report.waivers["applied"] if report.waivers else [])}
    shown = ordered([f for f in report.findings if f.status in ("fail", "waived")])
    if candidate is not None:
        # a pre-change audit annotates the candidate files: findings of the hosts it
        # changed, and whatever it introduces elsewhere (a cross-device finding)
        shown = [f for f in shown if f.host in sources or f.fingerprint in introduced | worsened]
    rule_ids = sorted({f.check for f in shown})
    samples = {f.check: f for f in shown}
    rules = [_rule(i, checks, samples[i]) for i in rule_ids]

    def result_of(f: Finding) -> dict[str, Any]:
        locations, related = _locations(f, sources)
        text = f"{f.host}: {f.message}"
        if f.remediation:
            text += "\nFix:\n" + f.remediation
        result: dict[str, Any] = {
            "ruleId": f.check,
            "ruleIndex": rule_ids.index(f.check),
            "level": LEVEL[f.severity],
            "message": {"text": text},
            "locations": locations,
            "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
            "properties": {"host": f.host, "subject": f.subject, "severity": f.severity},
        }
        if related:
            result["relatedLocations"] = related
        if candidate is not None:
            result["baselineState"] = (
                "new"
                if f.fingerprint in introduced
                else "updated"
                if f.fingerprint in worsened
                else "unchanged"
            )
        if f.status == "waived":
            w = waivers.get(f.fingerprint, {})
            result["suppressions"] = [
                {
                    "kind": "external",
                    "status": "accepted",
                    "justification": f"{w.get('reason', 'waived')} (until {w.get('expires', '?')})",
                }
            ]
        return result

    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "fleetaudit",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
            }
        },
        "automationDetails": {"id": f"fleetaudit/{report.site or 'scan'}/{report.run_id}"},
        "invocations": [{"executionSuccessful": True}],
        "results": _RESULTS,
    }
    doc = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    before, after = split_at(json.dumps(doc, indent=2), _RESULTS)
    yield before
    yield from array_pieces((result_of(f) for f in shown), 2, RESULTS_DEPTH)
    yield after + "\n"
