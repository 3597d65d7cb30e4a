"""Findings, hosts and the report: what the check stage produces and renderers read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from fleetaudit.facts import FACTS_VERSION, Ref, dump_facts

Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")
FindingStatus = Literal["fail", "pass", "unknown", "error", "waived"]
HostStatus = Literal[
    "ok", "unreachable", "auth_failed", "timeout", "partial", "offline", "host_key_mismatch"
]

REPORT_SCHEMA = "fleetaudit.report/1"

#: warnings an HTTP-audited host's error carries (the console counts them)
PLAIN_HTTP = "audited over plain HTTP (data.phone.scheme: http)"
UNVERIFIED_TLS = "TLS certificate not verified (data.phone.verify: false)"


def severity_rank(severity: str) -> int:
    """Higher is worse: critical 4 ... info 0."""
    return len(SEVERITIES) - 1 - SEVERITIES.index(severity)  # type: ignore[arg-type,unused-ignore]


@dataclass
class Finding:
    check: str
    slug: str
    severity: Severity
    status: FindingStatus
    host: str
    subject: str  # what on the host: "nat", "GigabitEthernet1/0/5", "line 4001"
    message: str
    evidence: list[Ref] = field(default_factory=list)
    remediation: str = ""
    why: str = ""  # why it breaks calls (one sentence)

    @property
    def fingerprint(self) -> str:
        return f"{self.check}|{self.host}|{self.subject}"

    def to_json(self) -> dict[str, Any]:
        first = self.evidence[0] if self.evidence else None
        return {
            "check": self.check,
            "slug": self.slug,
            "severity": self.severity,
            "status": self.status,
            "host": self.host,
            "subject": self.subject,
            "message": self.message,
            "why": self.why,
            "evidence": (
                {"source": first.source, "line": first.line, "text": first.text} if first else None
            ),
            "evidence_more": [
                {"source": r.source, "line": r.line, "text": r.text} for r in self.evidence[1:]
            ],
            "remediation": self.remediation,
            "fingerprint": self.fingerprint,
        }


@dataclass
class HostResult:
    name: str
    platform: str
    site: str | None
    role: str | None
    status: HostStatus
    error: str | None = None
    commands: dict[str, str] = field(default_factory=dict)  # command -> evidence status
    facts: dict[str, Any] = field(default_factory=dict)
    why_unknown: dict[str, str] = field(default_factory=dict)

    def to_json(self, facts: bool = False) -> dict[str, Any]:
        """``facts``: add the host's facts (JSON through their declared types, ``null``
        for an unknown one) and why each unknown one is (``facts_unknown``)."""
        found: dict[str, Any] = {
            "name": self.name,
            "platform": self.platform,
            "site": self.site,
            "role": self.role,
            "status": self.status,
            "error": self.error,
            "commands": self.commands,
        }
        if facts:
            found["facts"] = dump_facts(self.facts)
            found["facts_unknown"] = dict(self.why_unknown)
        return found


@dataclass
class Report:
    run_id: str
    started: str
    site: str | None
    tool_version: str
    hosts: list[HostResult]
    findings: list[Finding]
    duration_s: float = 0.0
    mode: Literal["live", "offline"] = "live"
    policies: list[str] = field(default_factory=list)  # the provider profiles judged against
    # extra top-level JSON sections: "waivers", "baseline", "candidate", "sources"
    sections: dict[str, Any] = field(default_factory=dict)
    stored: bool = False  # kept in the history store (so `history show RUN` knows the id)

    def failing(self, fail_on: Severity) -> list[Finding]:
        threshold = severity_rank(fail_on)
        return [
            f
            for f in self.findings
            if f.status == "fail" and severity_rank(f.severity) >= threshold
        ]

    def to_json(self, include_passing: bool = True, facts: bool = False) -> dict[str, Any]:
        return {
            "schema": REPORT_SCHEMA,
            "run": {
                "id": self.run_id,
                "started": self.started,
                "site": self.site,
                "tool_version": self.tool_version,
                "duration_s": round(self.duration_s, 3),
                "mode": self.mode,
                "policies": self.policies,
                **({"facts_version": FACTS_VERSION} if facts else {}),
            },
            "hosts": [h.to_json(facts) for h in self.hosts],
            "findings": [
                f.to_json() for f in self.findings if include_passing or f.status != "pass"
            ],
            **self.sections,
        }
