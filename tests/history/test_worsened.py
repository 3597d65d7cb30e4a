"""A finding the change keeps but makes worse (more closed ports, more subjects, a higher
severity) is a regression: `candidate.worsened`, Markdown, SARIF `updated`, exit 1."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import cli, cli_json, fixture_text

from fleetaudit.rules.extent import growth

WAN_IN = "ip access-list extended WAN-IN\n"
DENY = " 5 deny udp any any range 20000 30000\n"


def gw1_denying_rtp() -> str:
    """The issue's example: a candidate adding `5 deny ...` to WAN-IN of office1-gw1."""
    config = fixture_text("office1-gw1", "show_running-config")
    assert config.count(WAN_IN) == 1
    return config.replace(WAN_IN, WAN_IN + DENY)


def test_growth_counts_ports_and_subjects() -> None:
    before = ["RTP UDP:10000-16383", "RTP UDP:32768-65535", "Gi1/0/1"]
    assert growth(before, before) == []
    assert growth(before, ["RTP UDP:10000-16383"]) == []  # narrower is not worse
    assert growth(before, [*before, "RTP UDP:20000-30000", "Gi1/0/2"]) == [
        "RTP UDP 20000-30000",
        "Gi1/0/2",
    ]
    assert growth(["RTP UDP:10000-20000"], ["RTP UDP:10000-15000", "RTP UDP:15001-20000"]) == []


def test_a_candidate_closing_more_rtp_is_worsened(lab_inventory: Path, tmp_path: Path) -> None:
    folder = tmp_path / "candidate"
    folder.mkdir()
    (folder / "office1-gw1.cfg").write_text(gw1_denying_rtp())
    args = ("run", "--site", "office1", "--inventory", str(lab_inventory), "--quiet")
    code, report = cli_json(tmp_path / "c.json", *args, "--candidate", str(folder))
    assert code == 1
    change = report["candidate"]
    worse = {(d["check"], d["host"]): d for d in change["worsened"]}
    assert ("FW001", "office1-gw1") in worse, change
    assert "UDP 20000-30000" in worse[("FW001", "office1-gw1")]["note"]
    assert ("FW001", "office1-gw1") not in {(d["check"], d["host"]) for d in change["unchanged"]}
    md = tmp_path / "c.md"
    assert cli(*args, "--candidate", str(folder), "--format", "markdown", "--output", str(md)) == 1
    text = md.read_text()
    assert "### Worsened (" in text and "introduces no finding" not in text
    sarif = tmp_path / "c.sarif"
    assert cli(*args, "--candidate", str(folder), "--format", "sarif", "--output", str(sarif)) == 1
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    states = {
        (r["ruleId"], r["properties"]["subject"]): r["baselineState"]
        for r in results
        if r["properties"]["host"] == "office1-gw1"
    }
    assert states[("FW001", "193.201.230.128/26 → 203.0.113.2")] == "updated"
    assert states[("ALG001", "sip_alg")] == "unchanged"


def test_scan_compare_with_reports_worsened(tmp_path: Path) -> None:
    running = tmp_path / "running.cfg"
    running.write_text(fixture_text("office1-gw1", "show_running-config"))
    candidate = tmp_path / "gw1.cfg"
    candidate.write_text(gw1_denying_rtp())
    scan = ("scan", "--platform", "cisco_ios", "--role", "gateway", "--policy")
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "voip:\n  provider: vats\n  subnets: [193.201.230.128/26]\n"
        "  signalling: {udp: '5060'}\n  rtp: {udp: '10000-65535'}\n"
    )
    code, report = cli_json(
        tmp_path / "s.json", *scan, str(policy), str(candidate), "--compare-with", str(running)
    )
    assert code == 1
    assert [d["check"] for d in report["candidate"]["worsened"]] == ["FW001"]
    assert report["candidate"]["introduced"] == []
    # the other way round the change narrows what is closed: better, not worse
    code, report = cli_json(
        tmp_path / "s.json", *scan, str(policy), str(running), "--compare-with", str(candidate)
    )
    assert code == 0 and report["candidate"]["worsened"] == []


def test_fw001_why_has_media_flowing_from_the_provider() -> None:
    """Issue 10: RTP goes from the provider's subnets to the PBX/phones, to the port
    they offered in their SDP (not one the provider offers)."""
    from fleetaudit.checkkit import find_check

    check = find_check("FW001")
    assert "from the provider's subnets to the PBX/phones" in check.why
    assert "from the provider's subnets to the PBX/phones" in check.doc
    assert "any port it offers" not in check.doc
