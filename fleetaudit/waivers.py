"""Waivers (accepted findings, each with a reason and an expiry) and baselines.

``waivers.yaml``::

    waivers:
      - check: PSEC001
        host: office1-sw*            # a glob
        subject: GigabitEthernet1/0/5  # optional; a glob too
        reason: "lobby phones re-register every 30 s; NET-1234"
        expires: 2025-12-31          # the last day it holds

A waived finding keeps its place in every report with status ``waived`` and does not
fail the run. A waiver past its expiry waives nothing and is itself reported, so an
accepted risk comes back for review. ``--baseline RUN`` fails only on findings that the
baseline run did not already have.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from fleetaudit.errors import UsageError
from fleetaudit.model import (
    BaselineSection,
    Finding,
    Report,
    Severity,
    fingerprint_of,
    severity_rank,
)
from fleetaudit.settings import WaiverEntry, did_you_mean, validated
from fleetaudit.yamlfile import load_yaml

EXAMPLE = "e.g. {check: ALG001, host: 'rtr*', reason: '...', expires: 2025-12-31}"


@dataclass(frozen=True)
class Waiver:
    check: str
    host: str
    subject: str | None
    reason: str
    expires: date
    where: str  # "waivers.yaml entry 3", for messages

    def matches(self, finding: Finding) -> bool:
        return (
            finding.check == self.check
            and fnmatchcase(finding.host, self.host)
            and (self.subject is None or fnmatchcase(finding.subject, self.subject))
        )

    def expired(self, today: date) -> bool:
        return self.expires < today

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "host": self.host,
            "subject": self.subject,
            "reason": self.reason,
            "expires": self.expires.isoformat(),
        }


def _entry(item: Any, where: str, known_checks: set[str]) -> Waiver:
    if not isinstance(item, dict):
        raise UsageError(f"{where}: must be a mapping, {EXAMPLE}")
    entry = validated(WaiverEntry, item, f"{where}: ")
    for key in ("check", "host", "reason"):
        if not str(getattr(entry, key)).strip():
            raise UsageError(
                f"{where}: `{key}` is required (every waiver needs a reason and an expiry), {EXAMPLE}"
            )
    check = entry.check.upper()
    if known_checks and check not in known_checks:
        raise UsageError(
            f"{where}: no check {check!r}; {did_you_mean(check, known_checks)} "
            "(`fleetaudit checks list` shows the IDs)"
        )
    return Waiver(
        check=check,
        host=entry.host,
        subject=entry.subject or None,
        reason=entry.reason.strip(),
        expires=entry.expires,
        where=where,
    )


def load_waivers(path: Path, known_checks: set[str] | None = None) -> list[Waiver]:
    """Read and validate a waivers file; any mistake is a usage error naming the entry."""
    data = load_yaml(path, "waivers file")
    if data is None:
        return []
    items = data.get("waivers") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise UsageError(f"{path}: expected `waivers:` holding a list of entries, {EXAMPLE}")
    return [
        _entry(item, f"{path}: waiver {n}", known_checks or set())
        for n, item in enumerate(items, 1)
    ]


def today_utc() -> date:
    return datetime.now(UTC).date()


def apply_waivers(report: Report, waivers: list[Waiver], today: date | None = None) -> None:
    """Mark failing findings a live waiver covers as ``waived``; record in the report
    which waivers applied, which expired (their findings stay failing) and which matched
    nothing."""
    today = today or today_utc()
    applied: list[dict[str, Any]] = []
    expired: dict[int, dict[str, Any]] = {}
    used: set[int] = set()
    for finding in report.findings:
        if finding.status != "fail":
            continue
        for n, waiver in enumerate(waivers):
            if not waiver.matches(finding):
                continue
            used.add(n)
            if waiver.expired(today):
                entry = expired.setdefault(n, {**waiver.to_json(), "findings": []})
                entry["findings"].append(finding.fingerprint)
                continue
            finding.status = "waived"
            applied.append(
                {"fingerprint": finding.fingerprint, **waiver.to_json(), "where": waiver.where}
            )
            break
    for n, waiver in enumerate(waivers):
        if n not in used and waiver.expired(today):
            expired[n] = {**waiver.to_json(), "findings": []}
    report.waivers = {
        "applied": applied,
        "expired": list(expired.values()),
        "unused": [w.to_json() for n, w in enumerate(waivers) if n not in used],
    }


# -- baselines ------------------------------------------------------------------------


def baseline_fingerprints(data: dict[str, Any]) -> set[str]:
    """The fingerprints a baseline report already had failing (or waived)."""
    return {
        fingerprint_of(f) for f in data.get("findings", []) if f.get("status") in ("fail", "waived")
    }


def read_report_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: not a JSON report ({exc}); use `--format json` output") from None
    if not isinstance(data, dict) or "findings" not in data:
        raise UsageError(f"{path}: not a fleetaudit JSON report (no `findings`)")
    return data


def apply_baseline(report: Report, name: str, known: set[str]) -> None:
    new = [
        f.fingerprint for f in report.findings if f.status == "fail" and f.fingerprint not in known
    ]
    report.baseline = {
        "run": name,
        "new": new,
        "known": sum(1 for f in report.findings if f.status == "fail" and f.fingerprint in known),
    }


def gate(report: Report, fail_on: Severity) -> list[Finding]:
    """The findings that make the exit code 1: failing at or above ``fail_on``; only those
    new against the baseline when there is one; only those a candidate introduces or makes
    worse in a pre-change audit."""
    failing = report.failing(fail_on)
    baseline: BaselineSection | None = report.baseline
    if baseline is not None:
        new = set(baseline["new"])
        failing = [f for f in failing if f.fingerprint in new]
    candidate = report.candidate
    if candidate is not None:
        regressed = {f["fingerprint"] for f in (*candidate["introduced"], *candidate["worsened"])}
        failing = [f for f in failing if f.fingerprint in regressed]
    return failing


ASSESSED = ("ok", "offline")  # offline: read from saved files


DAMAGED = ("incomplete", "error", "timeout")


def unassessed(report: Report) -> list[tuple[str, str]]:
    """``(host, why)`` for each host (or scanned file) the audit could not look at: its
    status is not ok (unreachable, auth_failed, timeout, partial, host_key_mismatch, ...)
    or not one fact of it could be read. A run with any such host exits 4, not 0."""
    found: list[tuple[str, str]] = []
    for host in report.hosts:
        damaged = [c for c, status in host.commands.items() if status in DAMAGED]
        if host.status not in ASSESSED:
            found.append((host.name, host.status))
        elif damaged:  # a saved file cut short: live runs mark such a host partial already
            found.append((host.name, f"`{damaged[0]}` {host.commands[damaged[0]]}"))
        elif not any(value is not None for value in host.facts.values()):
            found.append((host.name, "nothing could be read from its evidence"))
    return found


def at_or_above(severity: str, fail_on: Severity) -> bool:
    return severity_rank(severity) >= severity_rank(fail_on)
