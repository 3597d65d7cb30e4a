"""`fleetaudit scan` of a provisioning file gives the accounts the live phone serving the
same configuration gives (one test per vendor), and the PHN checks judge it offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fleetaudit.audit import Options, audit_live, evidence_from_path
from fleetaudit.cli import main
from fleetaudit.parse import parse_host, to_data

DATA = Path(__file__).parent / "data"
CASES = [
    ("office1-phone1", "cisco_phone", "SEP001122334455.cnf.xml"),
    ("office1-phone2", "yealink_phone", "y000000000028-office1-phone2.cfg"),
    ("office1-phone2", "yealink_phone", "office1-phone2-old-ini.cfg"),
    ("office1-phone3", "poly_phone", "office1-phone3-vvx450.cfg"),
    ("office1-phone4", "grandstream_phone", "cfg000b82a1b2c3.txt"),
]


def accounts(value: Any) -> list[dict[str, Any]]:
    """Accounts as data, without where each field was read (lines differ by format)."""
    found = to_data(value)
    for account in found:
        account.pop("refs")
    return list(found)


@pytest.fixture(scope="module")
def live(lab_inventory: Path) -> dict[str, dict[str, Any]]:
    report, _ = audit_live(lab_inventory, "office1", None, Options())
    return {h.name: h.facts for h in report.hosts}


@pytest.mark.parametrize(("phone", "platform", "file"), CASES, ids=[c[2] for c in CASES])
def test_provisioning_file_gives_the_live_phones_accounts(
    live: dict[str, dict[str, Any]], phone: str, platform: str, file: str
) -> None:
    collection = evidence_from_path(DATA / file, platform, None, ())
    scanned = parse_host(platform, None, collection.evidence).facts
    assert scanned["phone_accounts"], scanned
    assert accounts(scanned["phone_accounts"]) == accounts(live[phone]["phone_accounts"])
    for account in scanned["phone_accounts"]:  # findings can cite the file's lines
        assert all(ref.line for ref in account.refs.values()), account.refs


def test_old_and_new_yealink_styles_cite_their_own_lines() -> None:
    old = evidence_from_path(DATA / "office1-phone2-old-ini.cfg", "yealink_phone", None, ())
    (account,) = parse_host("yealink_phone", None, old.evidence).facts["phone_accounts"]
    assert account.refs["stun"].text == "NATTraversal = 1"


@pytest.mark.parametrize(
    ("file", "platform", "fired"),
    [
        ("office1-phone2-old-ini.cfg", "yealink_phone", {"PHN003", "PHN004"}),
        ("office1-phone3-vvx450.cfg", "poly_phone", {"PHN005"}),
        ("cfg000b82a1b2c3.txt", "grandstream_phone", {"PHN003", "PHN006"}),
        ("SEP001122334455.cnf.xml", "cisco_phone", set()),
    ],
)
def test_scan_audits_a_provisioning_change_before_phones_pull_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, file: str, platform: str, fired: set[str]
) -> None:
    policy = tmp_path / "vats.yaml"
    policy.write_text(
        "voip:\n  provider: vats\n  signalling: {tcp: '5060,5061', udp: '5060'}\n"
        "  codecs: [PCMU, PCMA, G729]\n"
        "  phone_features_off: [stun, nat_traversal, outbound_proxy]\n"
    )
    code = main(
        ["scan", str(DATA / file), "--platform", platform, "--policy", str(policy)]
        + ["--format", "json", "--fail-on", "medium"]
    )
    report = json.loads(capsys.readouterr().out)
    failing = {f["check"] for f in report["findings"] if f["status"] == "fail"}
    assert failing == fired
    assert code == (1 if fired else 0)
    unknown = {f["check"] for f in report["findings"] if f["status"] == "unknown"}
    assert unknown == {"PHN001", "PHN002"}  # registration state and NAT need the live site
    assert "lab-sip-104" not in json.dumps(report)
