"""Drift: what changed at a site between two stored runs.

Findings are compared by fingerprint (``check|host|subject``): new, resolved, persisting
(and severity changes). Facts are compared per host after normalising away what always
moves or says nothing about voice (config line numbers, rule positions, registration
countdowns, the SIP counters); ``show sip-ua statistics`` counters are reported as
deltas instead. Everything here is a pure function of plain data (the store's rows).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from fleetaudit import platforms
from fleetaudit.model import Severity, fingerprint_of, severity_rank

SCHEMA = "fleetaudit.drift/1"
PRESENT = ("fail", "waived")  # the problem is there (a waiver does not make it go away)
NOT_ASSESSED = ("unknown", "error")

# keys that only say where a value was read, or its position: never a change by itself
POSITION_KEYS = {"ref", "refs", "config_line", "index"}
REF_KEYS = {"source", "line", "text"}


# facts whose values always move; compared another way (counters) or not at all
def volatile_fields(fact: str) -> set[str]:
    """Fields of ``fact`` that change without the configuration changing, as the platforms
    declare them."""
    return {f for p in platforms.registry().values() for f in p.volatile.get(fact, ())}


COUNTER_FACTS = {"sip_ua_statistics"}
LIST_KEYS = ("name", "line")  # list items with one of these are matched by it


@dataclass(frozen=True)
class FindingDelta:
    fingerprint: str
    check: str
    host: str
    subject: str
    severity: str
    status: str
    message: str
    evidence: dict[str, Any] | None = None
    before_severity: str | None = None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


@dataclass
class FindingDiff:
    new: list[FindingDelta] = field(default_factory=list)
    resolved: list[FindingDelta] = field(default_factory=list)
    persisting: list[FindingDelta] = field(default_factory=list)
    severity_changed: list[FindingDelta] = field(default_factory=list)
    unassessed: list[FindingDelta] = field(default_factory=list)  # was failing, now unknown

    def to_json(self) -> dict[str, Any]:
        return {k: [d.to_json() for d in v] for k, v in asdict_shallow(self).items()}


def asdict_shallow(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}


def _delta(f: dict[str, Any], before: dict[str, Any] | None = None, note: str = "") -> FindingDelta:
    return FindingDelta(
        fingerprint=fingerprint_of(f),
        check=f["check"],
        host=f["host"],
        subject=f["subject"],
        severity=f["severity"],
        status=f["status"],
        message=f.get("message", ""),
        evidence=f.get("evidence"),
        before_severity=before["severity"]
        if before and before["severity"] != f["severity"]
        else None,
        note=note,
    )


def _by_fingerprint(
    findings: list[dict[str, Any]], statuses: tuple[str, ...]
) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for f in findings:
        if f["status"] in statuses:
            fp = fingerprint_of(f)
            found.setdefault(fp, f)
    return found


def compare_findings(
    before: list[dict[str, Any]],
    after: list[dict[str, Any]],
    assessed_after: set[str] | None = None,
) -> FindingDiff:
    """Findings (JSON dicts) of two runs by fingerprint. A problem that disappears only
    because its check could not run afterwards (host down, output unparsed) is
    ``unassessed``, never ``resolved``. ``assessed_after``: hosts assessed afterwards
    (default: every host named in ``after``)."""
    old, new = _by_fingerprint(before, PRESENT), _by_fingerprint(after, PRESENT)
    unknown_after = {(f["check"], f["host"]) for f in after if f["status"] in NOT_ASSESSED}
    unknown_before = {(f["check"], f["host"]) for f in before if f["status"] in NOT_ASSESSED}
    hosts_after = assessed_after if assessed_after is not None else {f["host"] for f in after}
    diff = FindingDiff()
    for fp, f in new.items():
        if fp not in old:
            note = "was not assessed before" if (f["check"], f["host"]) in unknown_before else ""
            diff.new.append(_delta(f, note=note))
        else:
            delta = _delta(f, old[fp])
            diff.persisting.append(delta)
            if delta.before_severity:
                diff.severity_changed.append(delta)
    for fp, f in old.items():
        if fp in new:
            continue
        if (f["check"], f["host"]) in unknown_after or f["host"] not in hosts_after:
            diff.unassessed.append(_delta(f, note="not assessed in the later run"))
        else:
            diff.resolved.append(_delta(f))
    for items in (diff.new, diff.resolved, diff.persisting, diff.severity_changed, diff.unassessed):
        items.sort(key=lambda d: (-severity_rank(d.severity), d.host, d.check, d.subject))
    return diff


# -- facts ----------------------------------------------------------------------------


def normalise(value: Any, volatile: set[str] = frozenset()) -> Any:  # type: ignore[assignment]
    """Facts without what never counts as a change: refs, config line numbers, rule
    positions and the fact's volatile fields.

    >>> normalise({"enabled": True, "ref": {"line": 3}, "udp_timeout_ref": None})
    {'enabled': True}
    """
    if isinstance(value, dict) and set(value) == REF_KEYS:  # a Ref held as a value
        return {"source": value["source"], "text": value["text"]}
    if isinstance(value, dict):
        return {
            k: normalise(v, volatile)
            for k, v in value.items()
            if k not in POSITION_KEYS and not k.endswith("_ref") and k not in volatile
        }
    if isinstance(value, list):
        return [normalise(v, volatile) for v in value]
    return value


@dataclass(frozen=True)
class FieldChange:
    path: str
    before: Any
    after: Any

    @property
    def kind(self) -> str:
        if self.before is None and self.after is not None:
            return "added"
        if self.after is None and self.before is not None:
            return "removed"
        return "changed"

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "kind": self.kind, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class FactChange:
    host: str
    fact: str
    changes: tuple[FieldChange, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "fact": self.fact,
            "changes": [c.to_json() for c in self.changes],
        }


def show(value: Any) -> str:
    """A short human form of a fact value (a rule shows as its config text).

    >>> show({"text": "access-list A permit udp any any", "action": "permit"})
    'access-list A permit udp any any'
    >>> show(True)
    'true'
    """
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return str(value["text"])
    if isinstance(value, str):
        return value
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 160 else text[:157] + "..."


def _list_key(a: list[Any], b: list[Any]) -> str | None:
    items = a + b
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    for key in LIST_KEYS:
        unique = len({str(i.get(key)) for i in a}) == len(a) and len(
            {str(i.get(key)) for i in b}
        ) == len(b)
        if unique and all(i.get(key) is not None for i in items):
            return key
    return None


def diff_values(path: str, a: Any, b: Any) -> list[FieldChange]:
    """Field-level changes between two normalised values."""
    if a == b:
        return []
    if isinstance(a, dict) and isinstance(b, dict):
        changes = []
        for key in list(a) + [k for k in b if k not in a]:
            sub = f"{path}.{key}" if path else str(key)
            changes += diff_values(sub, a.get(key), b.get(key))
        return changes
    if isinstance(a, list) and isinstance(b, list):
        key = _list_key(a, b)
        if key is not None:
            left = {str(i[key]): i for i in a}
            right = {str(i[key]): i for i in b}
            changes = []
            for name in list(left) + [n for n in right if n not in left]:
                changes += diff_values(f"{path}[{name}]", left.get(name), right.get(name))
            return changes
        ours = [json.dumps(i, sort_keys=True) for i in a]
        theirs = [json.dumps(i, sort_keys=True) for i in b]
        removed = [a[n] for n, i in enumerate(ours) if i not in theirs]
        added = [b[n] for n, i in enumerate(theirs) if i not in ours]
        if not removed and not added:
            return []  # same items, other order
        return [FieldChange(f"{path}[-]", show(i), None) for i in removed] + [
            FieldChange(f"{path}[+]", None, show(i)) for i in added
        ]
    return [FieldChange(path, _plain(a), _plain(b))]


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, bool | int | float | str) else show(value)


def fact_changes(host: str, before: dict[str, Any], after: dict[str, Any]) -> list[FactChange]:
    """Changes of one host's facts. A fact unknown on either side is not compared (the
    host's status change or its unknown findings say that)."""
    found = []
    for fact in sorted(set(before) & set(after)):
        if fact in COUNTER_FACTS or before[fact] is None or after[fact] is None:
            continue
        volatile = volatile_fields(fact)
        changes = diff_values(
            "", normalise(before[fact], volatile), normalise(after[fact], volatile)
        )
        if changes:
            found.append(FactChange(host, fact, tuple(changes)))
    return found


# -- counters -------------------------------------------------------------------------


@dataclass(frozen=True)
class CounterDelta:
    host: str
    section: str
    name: str
    direction: str  # "in", "out" or "" (single counters)
    before: int
    after: int
    delta: int
    cleared: bool = False  # counters were cleared in between: delta is the new count

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def label(self) -> str:
        where = f" {self.direction}" if self.direction else ""
        return f"{self.section} / {self.name}{where}"


def _counters(stats: dict[str, Any]) -> dict[tuple[str, str, str], int]:
    found: dict[tuple[str, str, str], int] = {}
    for c in stats.get("counters") or []:
        single = c.get("outbound") is None
        if c.get("inbound") is not None:
            found[(c["section"], c["name"], "" if single else "in")] = int(c["inbound"])
        if not single:
            found[(c["section"], c["name"], "out")] = int(c["outbound"])
    return found


def counter_deltas(host: str, before: Any, after: Any) -> list[CounterDelta]:
    """Non-zero changes of ``show sip-ua statistics`` counters. When counters were
    cleared (or the device reloaded) in between, each delta is the count since then."""
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    old, new = _counters(before), _counters(after)
    cleared = before.get("cleared") != after.get("cleared") or any(
        new[k] < v for k, v in old.items() if k in new
    )
    deltas = []
    for key, value in new.items():
        start = 0 if cleared else old.get(key, 0)
        if value - start:
            section, name, direction = key
            deltas.append(
                CounterDelta(
                    host, section, name, direction, old.get(key, 0), value, value - start, cleared
                )
            )
    return deltas


# -- the whole drift -------------------------------------------------------------------


@dataclass
class RunRef:
    id: str
    started: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "started": self.started}


@dataclass
class HostSnapshot:
    """One host in one run: what drift needs (the store's row, as plain data)."""

    name: str
    status: str
    facts: dict[str, Any]


@dataclass
class Drift:
    site: str
    before: RunRef
    after: RunRef
    findings: FindingDiff
    facts: list[FactChange] = field(default_factory=list)
    counters: list[CounterDelta] = field(default_factory=list)
    hosts: list[dict[str, Any]] = field(default_factory=list)  # added / removed / status
    notes: list[str] = field(default_factory=list)

    def failing(self, fail_on: Severity) -> list[FindingDelta]:
        threshold = severity_rank(fail_on)
        return [
            d
            for d in self.findings.new
            if d.status == "fail" and severity_rank(d.severity) >= threshold
        ]

    def empty(self) -> bool:
        f = self.findings
        return not (
            f.new
            or f.resolved
            or f.severity_changed
            or f.unassessed
            or self.facts
            or self.counters
            or self.hosts
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "site": self.site,
            "from": self.before.to_json(),
            "to": self.after.to_json(),
            "findings": self.findings.to_json(),
            "hosts": self.hosts,
            "facts": [c.to_json() for c in self.facts],
            "counters": [c.to_json() for c in self.counters],
            "notes": self.notes,
        }


def drift(
    site: str,
    before: RunRef,
    after: RunRef,
    hosts_before: list[HostSnapshot],
    hosts_after: list[HostSnapshot],
    findings_before: list[dict[str, Any]],
    findings_after: list[dict[str, Any]],
) -> Drift:
    old = {h.name: h for h in hosts_before}
    new = {h.name: h for h in hosts_after}
    host_changes: list[dict[str, Any]] = []
    for name in sorted(set(old) | set(new)):
        if name not in old:
            host_changes.append(
                {"host": name, "change": "added", "before": None, "after": new[name].status}
            )
        elif name not in new:
            host_changes.append(
                {"host": name, "change": "removed", "before": old[name].status, "after": None}
            )
        elif old[name].status != new[name].status:
            host_changes.append(
                {
                    "host": name,
                    "change": "status",
                    "before": old[name].status,
                    "after": new[name].status,
                }
            )
    assessed = {h.name for h in hosts_after if h.status in ("ok", "partial", "offline")}
    result = Drift(
        site,
        before,
        after,
        compare_findings(findings_before, findings_after, assessed),
        hosts=host_changes,
    )
    for name in sorted(set(old) & set(new)):
        result.facts += fact_changes(name, old[name].facts, new[name].facts)
        deltas = counter_deltas(
            name, old[name].facts.get("sip_ua_statistics"), new[name].facts.get("sip_ua_statistics")
        )
        if deltas and deltas[0].cleared:
            result.notes.append(
                f"{name}: SIP counters were cleared between the runs; deltas count from then"
            )
        result.counters += deltas
    return result
