"""Acceptance for provider reachability (FW001, FW002, NAT001) over the real SSH lab:
office1's firewalls open the provider's needs only partly and each finding states the
sub-ranges and the rule that decides them; office2's open everything."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fleetaudit.audit import Options, audit_live
from fleetaudit.cli import main

CHECKS = {"FW001", "FW002", "NAT001"}


def audit(inventory: Path, site: str, tmp_path: Path) -> tuple[int, list[dict[str, Any]]]:
    """The CLI's JSON report: the three checks' findings."""
    out = tmp_path / f"{site}.json"
    code = main(
        ["run", "--site", site, "--inventory", str(inventory), "--format", "json"]
        + ["--output", str(out), "--quiet", "--no-store"]
    )
    findings = [f for f in json.loads(out.read_text())["findings"] if f["check"] in CHECKS]
    return code, findings


@pytest.fixture(scope="module")
def office1(lab_inventory: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    return audit(lab_inventory, "office1", tmp_path_factory.mktemp("office1"))[1]


def failing(findings: list[dict[str, Any]], check: str, host: str) -> dict[str, Any]:
    found = [
        f for f in findings if f["check"] == check and f["host"] == host and f["status"] == "fail"
    ]
    assert len(found) == 1, [(f["check"], f["host"], f["status"], f["message"]) for f in findings]
    return found[0]


def test_office1_asa_rtp_partly_open_with_the_deciding_lines(office1: list[dict[str, Any]]) -> None:
    finding = failing(office1, "FW001", "office1-fw1")
    assert finding["subject"] == "193.201.230.128/26 → 192.168.20.10"
    message = finding["message"]
    assert (
        "from 193.201.230.129: UDP 10000-20000 permitted by access-list OUTSIDE_IN line 3; "
        "20001-65535 denied by access-list OUTSIDE_IN line 6"
    ) in message
    assert "UDP 10000-65535 denied by access-list OUTSIDE_IN line 6" in message  # the rest of /26
    assert "line 3 permit 193.201.231.128/26, not 193.201.230.128/26 (a typo?)" in message
    assert finding["evidence"] == {
        "source": "show running-config",
        "line": 122,
        "text": "access-list OUTSIDE_IN extended deny ip any any log",
    }
    assert finding["remediation"] == (
        "access-list OUTSIDE_IN line 6 extended permit udp 193.201.230.128 255.255.255.192 "
        "host 192.168.20.10 range 10000 65535"
    )


def test_office1_routeros_drop_above_accept_and_missing_forward(
    office1: list[dict[str, Any]],
) -> None:
    rtp = failing(office1, "FW001", "office1-rtr1")
    assert (
        'UDP 10000-20000 permitted by nat rule 4 "RTP to PBX" (chain dstnat) and chain '
        "forward's default accept; 20001-65535 denied by the missing port forward"
    ) in rtp["message"]
    assert (
        'filter rule 13 "VATS RTP" (chain wan-in) would match UDP 10000-20000 but is disabled'
        in rtp["message"]
    )
    assert "dst-port=20001-65535 to-addresses=192.168.20.10" in rtp["remediation"]
    sip = failing(office1, "FW002", "office1-rtr1")
    assert '5060-5061 denied by filter rule 10 "drop SIP scanners" (chain wan-in)' in sip["message"]
    assert sip["evidence"]["line"] == 281 and "drop SIP scanners" in sip["evidence"]["text"]
    assert 'place-before=[find where comment="drop SIP scanners"]' in sip["remediation"]


def test_office1_signalling_only_udp_5060(office1: list[dict[str, Any]]) -> None:
    asa = failing(office1, "FW002", "office1-fw1")
    assert "TCP 80,443,5060-5061,11024 denied by access-list OUTSIDE_IN line 6" in asa["message"]
    assert (
        "from 193.201.230.129: UDP 5060 permitted by access-list OUTSIDE_IN line 2"
        in asa["message"]
    )
    gateway = failing(office1, "FW002", "office1-gw1")
    assert "TCP 80,443,5060-5061,11024 denied by access-list WAN-IN seq 80" in gateway["message"]
    assert "UDP 5060 permitted by access-list WAN-IN seq 20" in gateway["message"]
    assert gateway["remediation"].splitlines() == [
        "ip access-list extended WAN-IN",
        " 79 permit ip 193.201.230.128 0.0.0.63 host 203.0.113.2",
    ]
    media = failing(office1, "FW001", "office1-gw1")
    assert (
        "UDP 10000-16383,32768-65535 denied by access-list WAN-IN seq 80; "
        "16384-32767 permitted by access-list WAN-IN seq 30"
    ) in media["message"]


def test_office1_nat_timeouts(office1: list[dict[str, Any]]) -> None:
    asa = failing(office1, "NAT001", "office1-fw1")
    # the slowest phone of office1 re-registers hourly (3600 s minus its 60 s margin)
    assert (
        "`timeout udp` 120 s (line 160) ≤ keep-alive 3540 s (phone office1-phone3" in asa["message"]
    )
    assert "PHN002" in asa["message"]
    assert asa["remediation"] == "timeout udp 0:10:00"
    router = failing(office1, "NAT001", "office1-rtr1")
    assert "udp-timeout 10 s (line 132)" in router["message"]
    assert router["remediation"] == (
        "/ip firewall connection tracking set udp-timeout=10m udp-stream-timeout=10m"
    )
    assert not [f for f in office1 if f["host"] == "office1-sw1"]  # not run on a switch


def test_office2_opens_everything_the_provider_needs(lab_inventory: Path, tmp_path: Path) -> None:
    code, findings = audit(lab_inventory, "office2", tmp_path)
    assert [f for f in findings if f["status"] != "pass"] == [] and code == 0  # no fail, no unknown
    report, _ = audit_live(
        lab_inventory, "office2", None, Options(only_checks=tuple(sorted(CHECKS)))
    )
    assert {(f.check, f.host, f.status) for f in report.findings} == {
        (check, host, "pass")
        for check in CHECKS
        for host in ("office2-fw1", "office2-rtr1", "office2-gw1")
    }
    for finding in report.findings:
        assert finding.evidence and finding.evidence[0].line, finding
