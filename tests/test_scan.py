"""`fleetaudit scan`: saved configs and exports, offline, same parse and check code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fleetaudit.cli import main

DATA = Path(__file__).parent / "data" / "scan"
CHECKS = Path(__file__).parent / "checks"


def scan(capsys: pytest.CaptureFixture[str], path: Path, platform: str, check: str) -> list[str]:
    code = main(["scan", str(path), "--platform", platform, "--format", "json", "--check", check])
    report = json.loads(capsys.readouterr().out)
    statuses = [f["status"] for f in report["findings"] if f["check"] == check]
    # a file nothing could be read from was not assessed: 4, not 0 (issue 8; this said 0)
    assert code == (1 if "fail" in statuses else 4 if path.name == "not-a-config.txt" else 0)
    return statuses


IOS_NAT = CHECKS / "ALG001" / "fail-ios-nat-default" / "show_running-config.txt"
IOS_NAT_ALG_OFF = CHECKS / "ALG001" / "pass-ios-nat-alg-off" / "show_running-config.txt"


@pytest.mark.parametrize(
    ("path", "platform", "check", "expected"),
    [
        (IOS_NAT, "cisco_ios", "ALG001", "fail"),
        (IOS_NAT_ALG_OFF, "cisco_ios", "ALG001", "pass"),
        (DATA / "not-a-config.txt", "cisco_ios", "ALG001", "unknown"),
        (DATA / "asa-inspect-sip.cfg", "cisco_asa", "ALG001", "fail"),
        (DATA / "asa-inspect-sip.cfg", "cisco_asa", "ARP001", "fail"),
        (DATA / "asa-clean.cfg", "cisco_asa", "ALG001", "pass"),
        (DATA / "asa-clean.cfg", "cisco_asa", "ARP001", "pass"),
        (DATA / "not-a-config.txt", "cisco_asa", "ARP001", "unknown"),
        (DATA / "routeros-v6-alg-on.rsc", "mikrotik_routeros", "ALG001", "fail"),
        (DATA / "routeros-v6-alg-off.rsc", "mikrotik_routeros", "ALG001", "pass"),
        (DATA / "routeros-v7-alg-on.rsc", "mikrotik_routeros", "ALG001", "fail"),
        (DATA / "routeros-v7-alg-off.rsc", "mikrotik_routeros", "ALG001", "pass"),
        (DATA / "not-a-config.txt", "mikrotik_routeros", "ALG001", "unknown"),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else str(v),
)
def test_scan(
    capsys: pytest.CaptureFixture[str], path: Path, platform: str, check: str, expected: str
) -> None:
    statuses = scan(capsys, path, platform, check)
    if expected == "pass":
        assert statuses and set(statuses) == {"pass"}
    else:
        assert expected in statuses and (expected == "fail" or "fail" not in statuses)


def test_scan_of_a_device_folder(capsys: pytest.CaptureFixture[str]) -> None:
    folder = CHECKS / "SIP002" / "fail-seed-register-status"
    code = main(
        ["scan", str(folder), "--platform", "cisco_ios", "--role", "gateway", "--format", "json"]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert {f["subject"] for f in report["findings"] if f["check"] == "SIP002"} == {
        "line 4001",
        "line 4002",
        "line 5100",
        "line 9998",
    }
