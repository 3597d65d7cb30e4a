"""What every renderer shows, computed once: findings grouped and ordered, counts, the
waiver of each waived finding, and the sections a run may carry (candidate, baseline)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from fleetaudit.model import (
    SEVERITIES,
    BaselineSection,
    CandidateSection,
    Finding,
    Report,
    severity_rank,
)

LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}


def ordered(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-severity_rank(f.severity), f.host, f.check, f.subject))


@dataclass
class View:
    report: Report
    failing: list[Finding] = field(default_factory=list)
    waived: list[Finding] = field(default_factory=list)
    unknown: list[Finding] = field(default_factory=list)  # unknown and error
    passed: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # severity -> failing
    waivers: dict[str, dict[str, Any]] = field(default_factory=dict)  # fingerprint -> waiver
    by_severity: list[tuple[str, list[Finding]]] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.report.site:
            return self.report.site
        if any(h.site for h in self.report.hosts):
            return "all sites"  # run --all (live or on stored evidence)
        return "scan"

    def notes(self, note: str = "") -> list[str]:
        """What the run was judged against, each once (a scan's policy note is also
        among the report's policies)."""
        return list(dict.fromkeys(n for n in [note, *self.report.policies] if n))

    @property
    def candidate(self) -> CandidateSection | None:
        return self.report.candidate

    @property
    def baseline(self) -> BaselineSection | None:
        return self.report.baseline

    @property
    def expired_waivers(self) -> list[dict[str, Any]]:
        return list(self.report.waivers["expired"]) if self.report.waivers else []

    def host_findings(self, host: str) -> list[Finding]:
        return ordered([f for f in self.report.findings if f.host == host and f.status != "pass"])

    def host_detail(self, host: str) -> str:
        for h in self.report.hosts:
            if h.name == host:
                device = h.facts.get("device")
                if h.error:
                    return h.error
                if device is not None:
                    return " ".join(
                        filter(
                            None,
                            [getattr(device, "model", None), getattr(device, "os_version", None)],
                        )
                    )
        return ""


def view(report: Report) -> View:
    v = View(report)
    v.failing = ordered([f for f in report.findings if f.status == "fail"])
    v.waived = ordered([f for f in report.findings if f.status == "waived"])
    v.unknown = ordered([f for f in report.findings if f.status in ("unknown", "error")])
    v.passed = sum(1 for f in report.findings if f.status == "pass")
    counts = Counter(f.severity for f in v.failing)
    v.counts = {s: counts.get(s, 0) for s in SEVERITIES}
    v.waivers = {w["fingerprint"]: w for w in (report.waivers["applied"] if report.waivers else [])}
    v.by_severity = [(s, [f for f in v.failing if f.severity == s]) for s in SEVERITIES]
    v.by_severity = [(s, items) for s, items in v.by_severity if items]
    return v


def by_cause(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by root cause (``cause``: the device and what to change there;
    one check on one host when the check names none), worst group first."""
    groups: dict[str, list[Finding]] = {}
    for f in ordered(findings):
        groups.setdefault(f.cause or f"{f.check} on {f.host}", []).append(f)
    return list(groups.items())


def unknown_groups(findings: list[Finding]) -> list[tuple[str, str, list[str]]]:
    """(host, reason, checks): one line per distinct reason, as the console shows them."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for f in findings:
        grouped.setdefault((f.host, f.message), []).append(f.check)
    return [(h, why, sorted(set(c))) for (h, why), c in grouped.items()]
