"""Issue 10: findings and fixes a VoIP engineer would sign, each from the issue's example
on office1's saved outputs (inventory/lab)."""

from __future__ import annotations

from fleetaudit.audit import Options, audit_offline
from fleetaudit.model import Finding
from fleetaudit.paths import builtin_dir
from fleetaudit.policy import VoipPolicy

LAB = builtin_dir("inventory") / "lab"


def failing(host: str, platform: str, role: str, check: str) -> dict[str, Finding]:
    report = audit_offline(
        [LAB / host], platform, role, VoipPolicy(), Options(only_checks=(check,))
    )
    return {f.subject: f for f in report.findings if f.status == "fail"}


def test_qos002_conditional_trust_only_where_cdp_shows_a_cisco_phone() -> None:
    found = failing("office1-sw1", "cisco_ios", "switch", "QOS002")
    cisco = found["GigabitEthernet1/0/5"]  # CDP: Cisco IP Phone 8841
    assert "mls qos trust device cisco-phone" in cisco.remediation
    for port, phone in (("1/0/2", "SIP-T46U"), ("1/0/3", "Polycom"), ("1/0/4", "GXP2170")):
        finding = found[f"GigabitEthernet{port}"]  # LLDP: Yealink, Poly, Grandstream
        assert "cisco-phone" not in finding.remediation, finding.remediation
        assert "mls qos trust dscp" in finding.remediation
        assert phone in finding.message and "LLDP" in finding.message
    assert len({f.cause for f in found.values()}) == 1  # one switch, one cause
