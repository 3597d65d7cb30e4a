"""Issue 11's acceptance over the lab (real SSH, ephemeral ports): office1's PBX fails at
least five distinct Asterisk checks, each with evidence — AST004 naming the RTP sub-ranges
office1's firewall closes and the rule; office2's PBX fails none and is assessed whole
(chan_sip's Asterisk 16 answers "No such command" for pjsip: rejected, not partial); the
lab-faults PBX, whose daemon is down, is partial with its checks unknown."""

from __future__ import annotations

import re
from pathlib import Path

from fleetaudit import api
from fleetaudit.model import Finding, Report

ASTERISK = re.compile(r"AST\d{3}")


def _pbx(report: Report, name: str) -> tuple[str, list[Finding]]:
    (host,) = [h for h in report.hosts if h.name == name]
    findings = [f for f in report.findings if f.host == name and ASTERISK.fullmatch(f.check)]
    return host.status, findings


def test_asterisk_over_the_lab(lab_inventory: Path) -> None:
    office1 = api.audit_site(lab_inventory, "office1", store=False)
    status, findings = _pbx(office1, "office1-pbx")
    assert status == "ok"
    failing = [f for f in findings if f.status == "fail"]
    assert len({f.check for f in failing}) >= 5, sorted({f.check for f in failing})
    for finding in failing:
        assert finding.evidence and finding.evidence[0].line, (finding.check, finding.subject)
        assert finding.remediation, (finding.check, finding.subject)
    closed = [f for f in failing if f.check == "AST004" and "office1-fw1" in f.subject]
    assert closed, "AST004 does not fail on office1-fw1"
    message = closed[0].message
    assert "10000-20000" in message and "partly closed on office1-fw1" in message
    assert any("access-list" in ref.text for ref in closed[0].evidence), closed[0].evidence
    assert {"AST007", "AST008"} <= {f.check for f in failing}
    host = next(h for h in office1.hosts if h.name == "office1-pbx")
    assert host.commands['asterisk -rx "sip show peers"'] == "rejected"

    office2 = api.audit_site(lab_inventory, "office2", store=False)
    status, findings = _pbx(office2, "office2-pbx")
    assert status == "ok"
    assert findings and [f for f in findings if f.status == "fail"] == []
    host = next(h for h in office2.hosts if h.name == "office2-pbx")
    assert host.commands['asterisk -rx "pjsip show endpoints"'] == "rejected"

    faults = api.audit_site(lab_inventory, "lab-faults", store=False)
    status, findings = _pbx(faults, "faults-pbx-down")
    assert status == "partial"
    assert [f for f in findings if f.status == "fail"] == []
    unknown = {f.check for f in findings if f.status == "unknown"}
    assert unknown == {f.check for f in findings}, "a check passed on a PBX that did not answer"
    assert {f"AST00{n}" for n in range(1, 9)} <= unknown, sorted(unknown)
