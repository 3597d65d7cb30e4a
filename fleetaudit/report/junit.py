"""JUnit XML: one test suite per host, one test case per check × host.

A case fails when the check has a failing finding on the host (every subject listed),
errors when the check crashed, is skipped when it could not be assessed (unknown) or
every failure is waived; otherwise it passes. CI servers show it as a test report.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator

from fleetaudit.model import Finding, Report, severity_rank

ORDER = {"error": 0, "fail": 1, "unknown": 2, "waived": 3, "pass": 4}


def _text(findings: list[Finding]) -> str:
    parts = []
    for f in findings:
        lines = [f"[{f.severity}] {f.subject}: {f.message}"]
        lines += [
            f"  {r.source}" + (f":{r.line}" if r.line else "") + f"  {r.text}"
            for r in f.evidence[:3]
        ]
        if f.remediation:
            lines += ["  fix:", *(f"    {line}" for line in f.remediation.splitlines())]
        parts.append("\n".join(lines))
    return "\n".join(parts)


def render(report: Report) -> str:
    return "".join(render_pieces(report))


Counts = dict[str, int]


def render_pieces(report: Report) -> Iterator[str]:
    """The XML one test suite (host) at a time; the totals, in the root's start tag, from
    a first pass that keeps only counts."""
    by_case: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in report.findings:
        by_case[f.host][f.check].append(f)
    site = {h.name: h.site or report.site or "scan" for h in report.hosts}
    hosts = [h.name for h in report.hosts if h.name in by_case]
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for host in hosts:
        for key, value in _suite(report, host, site[host], by_case[host])[1].items():
            totals[key] += value
    root = ET.Element("testsuites", name=f"fleetaudit {report.site or ''}".strip())
    for key, value in totals.items():
        root.set(key, str(value))
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    if not hosts:
        yield ET.tostring(root, encoding="unicode") + "\n"
        return
    root.text = "\n  "  # written start tag, then each suite as ET.indent places it
    yield ET.tostring(root, encoding="unicode").split(">", 1)[0] + ">"
    for host in hosts:
        suite = _suite(report, host, site[host], by_case[host])[0]
        ET.indent(suite, level=1)
        yield "\n  " + ET.tostring(suite, encoding="unicode")
    yield "\n</testsuites>\n"


def _suite(
    report: Report, host: str, site: str, by_check: dict[str, list[Finding]]
) -> tuple[ET.Element, Counts]:
    suite = ET.Element("testsuite", name=f"{site}.{host}", timestamp=report.started[:19])
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for check, findings in sorted(by_check.items()):
        findings.sort(key=lambda f: ORDER.get(f.status, 9))
        worst = findings[0].status
        slug = findings[0].slug
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"{site}.{host}",
            name=f"{check} {slug}",
            time="0",
        )
        counts["tests"] += 1
        failing = [f for f in findings if f.status == "fail"]
        if worst == "error":
            ET.SubElement(case, "error", message=findings[0].message, type="check-error")
            counts["errors"] += 1
        elif failing:
            top = max(failing, key=lambda f: severity_rank(f.severity))
            node = ET.SubElement(
                case,
                "failure",
                message=f"{len(failing)} finding(s): " + "; ".join(f.subject for f in failing),
                type=top.severity,
            )
            node.text = _text(failing)
            counts["failures"] += 1
        elif worst == "unknown":
            ET.SubElement(case, "skipped", message=f"not assessed: {findings[0].message}")
            counts["skipped"] += 1
        elif worst == "waived":
            waived = [f for f in findings if f.status == "waived"]
            ET.SubElement(
                case, "skipped", message="waived: " + "; ".join(f.subject for f in waived)
            )
            counts["skipped"] += 1
    for key, value in counts.items():
        suite.set(key, str(value))
    return suite, counts
