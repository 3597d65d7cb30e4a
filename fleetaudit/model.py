"""Findings, hosts and the report: what the check stage produces and renderers read."""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

from fleetaudit.facts import FACTS_VERSION, Ref, dump_facts, load_facts

Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")
FindingStatus = Literal["fail", "pass", "unknown", "error", "waived"]
HostStatus = Literal[
    "ok",
    "unreachable",
    "auth_failed",
    "timeout",
    "partial",
    "offline",
    "host_key_mismatch",
    "not_assessed",  # a distributed run: no worker could audit the host's site
]

REPORT_SCHEMA = "fleetaudit.report/1"

#: warnings an HTTP-audited host's error carries (the console counts them)
PLAIN_HTTP = "audited over plain HTTP (data.phone.scheme: http)"
UNVERIFIED_TLS = "TLS certificate not verified (data.phone.verify: false)"


class WaiversSection(TypedDict):
    """Which waivers applied (one entry per waived finding), expired, or matched nothing."""

    applied: list[dict[str, Any]]
    expired: list[dict[str, Any]]
    unused: list[dict[str, Any]]


class BaselineSection(TypedDict):
    """``--baseline``: the run (or file) compared with, and its new / known failures."""

    run: str
    new: list[str]  # fingerprints
    known: int


class CandidateSection(TypedDict):
    """A pre-change audit: what the candidate introduces, resolves, leaves unchanged."""

    dir: str
    compared_with: str
    introduced: list[dict[str, Any]]
    worsened: list[dict[str, Any]]  # kept, but worse: more closed ports, subjects, severity
    resolved: list[dict[str, Any]]
    unchanged: list[dict[str, Any]]
    not_assessed: list[dict[str, Any]]


Sources = dict[str, dict[str, str]]  # host -> command -> the file its evidence came from

# the optional top-level JSON sections of a report, in the order they are written
SECTIONS = ("sip_trace", "candidate", "sources", "waivers", "baseline")


def fingerprint(check: str, host: str, subject: str) -> str:
    """What identifies a finding across runs (drift, baselines, waivers)."""
    return f"{check}|{host}|{subject}"


def fingerprint_of(finding: dict[str, Any]) -> str:
    """The fingerprint of a finding in JSON form (old reports may lack the field)."""
    return finding.get("fingerprint") or fingerprint(
        finding["check"], finding["host"], finding["subject"]
    )


def role_applies(roles: tuple[str, ...], role: str | None) -> bool:
    """Whether something limited to ``roles`` (a check, a template, a source) applies to a
    host of ``role``: no roles means every role; a host without a role gets everything.

    >>> role_applies((), "switch"), role_applies(("switch",), None), role_applies(("gateway",), "switch")
    (True, True, False)
    """
    return not roles or role is None or role in roles


def severity_rank(severity: str) -> int:
    """Higher is worse: critical 4 ... info 0."""
    return len(SEVERITIES) - 1 - SEVERITIES.index(severity)  # type: ignore[arg-type,unused-ignore]


@dataclass(slots=True)  # a run holds thousands
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
    cause: str = ""  # a stable key shared by the findings of one root cause
    # what the finding covers, for "did it get worse": `KEY:LOW-HIGH` spans (closed
    # ports) or plain items (affected subjects); see fleetaudit/extent.py
    extent: tuple[str, ...] = ()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.check, self.host, self.subject)

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
            "cause": self.cause or None,
            "extent": list(self.extent),
        }


def packed_facts(facts: Mapping[str, Any]) -> bytes:
    """A host's facts as the store keeps them: JSON through their declared types, tagged
    with the facts version, compressed."""
    if isinstance(facts, SpooledFacts):
        return facts.packed()
    document = {"facts_version": FACTS_VERSION, "facts": dump_facts(facts)}
    return zlib.compress(json.dumps(document, default=str).encode("utf-8"), 6)


def dumped_facts(facts: Mapping[str, Any]) -> dict[str, Any]:
    """A host's facts as JSON-able data (``--facts``, what drift compares)."""
    if isinstance(facts, SpooledFacts):
        found: dict[str, Any] = json.loads(zlib.decompress(facts.packed()))["facts"]
        return found
    return dump_facts(facts)


class SpooledFacts(Mapping[str, Any]):
    """A host's facts once its checks are run: written where the store and the report
    read them (:func:`packed_facts`), so a run does not hold every host's facts to its
    end. ``kept`` stay in memory as they are (the device, which the console shows); any
    other is read back, as its declared type, when asked for."""

    __slots__ = ("_kept", "_names", "_read")

    def __init__(
        self, read: Callable[[], bytes], names: tuple[str, ...], kept: Mapping[str, Any]
    ) -> None:
        self._read, self._names, self._kept = read, names, dict(kept)

    def packed(self) -> bytes:
        return self._read()

    def __getitem__(self, name: str) -> Any:
        if name in self._kept:
            return self._kept[name]
        if name not in self._names:
            raise KeyError(name)
        return self._typed()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def _typed(self) -> dict[str, Any]:
        return load_facts(dumped_facts(self), FACTS_VERSION)[0]


@dataclass(slots=True)
class HostResult:
    name: str
    platform: str
    site: str | None
    role: str | None
    status: HostStatus
    error: str | None = None
    commands: dict[str, str] = field(default_factory=dict)  # command -> evidence status
    facts: Mapping[str, Any] = field(default_factory=dict)  # after a live run: SpooledFacts
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
            found["facts"] = dumped_facts(self.facts)
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
    sip_trace: dict[str, Any] | None = None  # `sip-trace`: files, calls, the linked audit
    candidate: CandidateSection | None = None
    sources: Sources | None = None  # scans and candidates: which file each output came from
    waivers: WaiversSection | None = None
    baseline: BaselineSection | None = None
    stored: bool = False  # kept in the history store (so `history show RUN` knows the id)

    def failing(self, fail_on: Severity) -> list[Finding]:
        threshold = severity_rank(fail_on)
        return [
            f
            for f in self.findings
            if f.status == "fail" and severity_rank(f.severity) >= threshold
        ]

    def to_json(
        self, include_passing: bool = True, facts: bool = False, lists: bool = True
    ) -> dict[str, Any]:
        """The ``fleetaudit.report/1`` document; ``lists=False``: without its hosts and
        findings (empty lists), for a writer that encodes them one at a time."""
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
            "hosts": [h.to_json(facts) for h in self.hosts] if lists else [],
            "findings": [
                f.to_json() for f in self.findings if include_passing or f.status != "pass"
            ]
            if lists
            else [],
            **self.sections(),
        }

    def sections(self) -> dict[str, Any]:
        """The optional sections the report carries, by their JSON names."""
        present = {name: getattr(self, name) for name in SECTIONS}
        return {name: value for name, value in present.items() if value is not None}
