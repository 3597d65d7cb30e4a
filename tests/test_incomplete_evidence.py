"""Evidence cut short, garbled or not what it claims gives `unknown` with the reason,
never `pass` (issue 8): one test per example of the issue, through `fleetaudit scan` (the
same parse and check code as a live run).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from fleetaudit.cli import main

CHECKS = Path(__file__).parent / "checks"
LAB = Path(__file__).parents[1] / "inventory" / "lab"


def scan(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    outputs: dict[str, bytes],
    platform: str,
    role: str,
    check: str,
    voip: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """``check``'s findings for a device folder holding ``outputs`` (slug -> bytes)."""
    folder = tmp_path / "device"
    folder.mkdir(exist_ok=True)
    for slug, raw in outputs.items():
        (folder / f"{slug}.txt").write_bytes(raw)
    args = ["scan", str(folder), "--platform", platform, "--role", role, "--check", check]
    if voip is not None:
        policy = tmp_path / "policy.yaml"
        policy.write_text(yaml.safe_dump({"voip": voip}))
        args += ["--policy", str(policy)]
    main([*args, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    return [f for f in report["findings"] if f["check"] == check]


def assert_unknown(findings: list[dict[str, Any]], reason: str) -> None:
    assert findings, "the check gave no finding"
    statuses = {f["status"] for f in findings}
    assert statuses == {"unknown"}, findings
    assert any(reason in f["message"] for f in findings), [f["message"] for f in findings]


def cut_before(raw: bytes, marker: bytes) -> bytes:
    return raw[: raw.index(marker)]


def fixture(path: str) -> bytes:
    return (CHECKS / path).read_bytes()


# --------------------------------------------------------------------------------------


def test_ios_config_cut_before_its_nat_interfaces(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    raw = fixture("ALG001/fail-ios-nat-default/show_running-config.txt")
    whole = scan(capsys, tmp_path, {"show_running-config": raw}, "cisco_ios", "router", "ALG001")
    assert "fail" in {f["status"] for f in whole}
    cut = cut_before(raw, b"interface GigabitEthernet0/0/0")
    findings = scan(capsys, tmp_path, {"show_running-config": cut}, "cisco_ios", "router", "ALG001")
    assert_unknown(findings, "`show running-config` looks truncated: no `end` line")


def test_asa_config_cut_before_service_policy(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    raw = fixture("ALG001/fail-asa-inspect-sip/show_running-config.txt")
    cut = cut_before(raw, b"service-policy global_policy global")
    findings = scan(
        capsys, tmp_path, {"show_running-config": cut}, "cisco_asa", "firewall", "ALG001"
    )
    assert_unknown(findings, "`show running-config` looks truncated: no `: end` line")


ROUTEROS_POLICY = {
    "subnets": ["193.201.230.128/26"],
    "signalling": {"tcp": "80,443,5060,5061,11024", "udp": "5060"},
    "rtp": {"udp": "10000-65535"},
    "targets": {"pbx": ["192.168.20.10"]},
}


@pytest.mark.parametrize("check", ["FW001", "FW002"])
def test_routeros_export_cut_mid_rule(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, check: str
) -> None:
    raw = (LAB / "office1-rtr1" / "export_verbose.txt").read_bytes()
    whole = scan(
        capsys,
        tmp_path,
        {"export_verbose": raw},
        "mikrotik_routeros",
        "router",
        check,
        ROUTEROS_POLICY,
    )
    assert "fail" in {f["status"] for f in whole}
    filters = raw.index(b"/ip firewall filter")
    mid_rule = raw.index(b"\\\n", filters) + 1  # the first rule's first line, with its `\`
    cut = raw[:mid_rule]
    assert cut.endswith(b"\\")
    findings = scan(
        capsys,
        tmp_path,
        {"export_verbose": cut},
        "mikrotik_routeros",
        "router",
        check,
        ROUTEROS_POLICY,
    )
    assert_unknown(findings, "`/export verbose` looks truncated: its last line ends in a `\\`")


def test_truncated_sip_ua_statistics(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    raw = fixture("SIP003/fail-seed-register-retries/show_sip-ua_statistics.txt")
    cut = cut_before(raw, b"Retry Statistics")
    findings = scan(
        capsys, tmp_path, {"show_sip-ua_statistics": cut}, "cisco_ios", "gateway", "SIP003"
    )
    assert_unknown(findings, "`show sip-ua statistics` looks truncated")


def test_truncated_sip_ua_register_status(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    raw = (LAB / "office1-gw1" / "show_sip-ua_register_status.txt").read_bytes()
    cut = raw[: raw.index(b"4002") + len(b"4002                             20002      59")]
    findings = scan(
        capsys, tmp_path, {"show_sip-ua_register_status": cut}, "cisco_ios", "gateway", "SIP002"
    )
    assert_unknown(findings, "`show sip-ua register status` looks truncated or garbled")


GARBLED = [
    ("ALG001", "ALG001/fail-ios-nat-default", "router", None),
    ("ARP001", "ARP001/fail-ios-lan-proxy-arp", "router", None),
    ("NAT001", "NAT001/fail-ios-keepalive-600", "router", {"keepalive_s": 600}),
]


@pytest.mark.parametrize(
    ("junk", "reason"),
    [(b"\x00", "a NUL byte"), (b"\xff", "bytes that are not UTF-8")],
    ids=["nul", "invalid-utf8"],
)
@pytest.mark.parametrize(("check", "case", "role", "voip"), GARBLED, ids=[g[0] for g in GARBLED])
def test_garbage_inside_interface_keywords(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    junk: bytes,
    reason: str,
    check: str,
    case: str,
    role: str,
    voip: dict[str, Any] | None,
) -> None:
    raw = fixture(f"{case}/show_running-config.txt")
    garbled = raw.replace(b"\ninterface ", b"\ninter" + junk + b"face ")
    findings = scan(
        capsys, tmp_path, {"show_running-config": garbled}, "cisco_ios", role, check, voip
    )
    assert_unknown(findings, f"`show running-config` is garbled: {reason} on line")


def test_routeros_address_with_an_octet_above_255(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = CHECKS / "FW001" / "fail-routeros-drop-above-accept"
    voip = yaml.safe_load((case / "host.yaml").read_text())["voip"]
    raw = (case / "export_verbose.txt").read_bytes()
    assert b"address=192.168.20.1/24" in raw
    bad = raw.replace(b"address=192.168.20.1/24", b"address=192.168.20.1000/24")
    findings = scan(
        capsys, tmp_path, {"export_verbose": bad}, "mikrotik_routeros", "router", "FW001", voip
    )
    assert_unknown(findings, "has address=192.168.20.1000/24 on line")
    assert all("not on the provider's path" not in f["message"] for f in findings)


def test_the_reason_is_shown_in_the_table_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    raw = fixture("ALG001/fail-ios-nat-default/show_running-config.txt")
    (tmp_path / "gw.cfg").write_bytes(cut_before(raw, b"interface GigabitEthernet0/0/0"))
    main(["scan", str(tmp_path / "gw.cfg"), "--platform", "cisco_ios", "--check", "ALG001"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "looks truncated: no `end` line" in shown


def test_live_cut_and_garbled_outputs_make_the_host_partial(tmp_path: Path) -> None:
    """Over real SSH (the lab serving a gateway whose config is cut before its NAT
    interfaces and whose register status holds a NUL): the evidence is `incomplete` with
    the reason, the host `partial`, the checks reading it `unknown`."""
    import shutil

    from fleetaudit.audit import Options, audit_live
    from fleetaudit.lab import Lab

    inventory = tmp_path / "inventory"
    shutil.copytree(LAB / "office1-gw1", inventory / "lab" / "cut-gw1")
    for name in ("groups.yaml", "defaults.yaml"):
        shutil.copy(LAB.parent / name, inventory / name)
    config = inventory / "lab" / "cut-gw1" / "show_running-config.txt"
    raw = config.read_bytes()
    config.write_bytes(raw[: raw.index(b"\ninterface ")])
    status = inventory / "lab" / "cut-gw1" / "show_sip-ua_register_status.txt"
    status.write_bytes(status.read_bytes().replace(b"4002", b"40\x0002"))
    (inventory / "hosts.yaml").write_text(
        "cut-gw1:\n  hostname: 127.0.0.1\n  port: 10001\n  platform: cisco_ios\n"
        "  groups: [site_office1]\n  data: {role: gateway}\n"
    )
    with Lab(inventory, ephemeral_ports=True) as lab:
        served = lab.write_inventory(tmp_path / "served")
        report, collections = audit_live(served, None, None, Options())
    (host,) = report.hosts
    evidence = collections[0].evidence
    assert host.status == "partial", host.error
    assert evidence["show running-config"].status == "incomplete"
    assert evidence["show running-config"].error == (
        "`show running-config` looks truncated: no `end` line"
    )
    assert evidence["show sip-ua register status"].error == (
        "`show sip-ua register status` is garbled: a NUL byte on line 4"
    )
    by_check = {f.check: f for f in report.findings if f.check in ("ALG001", "SIP002")}
    assert by_check["ALG001"].status == "unknown"
    assert "no `end` line" in by_check["ALG001"].message
    assert by_check["SIP002"].status == "unknown"
    assert "a NUL byte on line 4" in by_check["SIP002"].message


RULES = [
    ("cisco_ios", "show running-config", "hostname r1\n!\nend\n", None),
    ("cisco_ios", "show running-config", "hostname r1\n --More-- ", "`--More--` pager prompt"),
    ("cisco_asa", "show running-config", "hostname fw1\n: end", None),
    ("cisco_asa", "show running-config", "hostname fw1\nend", "no `: end` line"),
    ("cisco_ios", "show sip service", "SIP Service is u", "is not whole"),
    (
        "cisco_ios",
        "show sip-ua status",
        "SIP User Agent Status\nSIP User Agent for UDP : EN",
        "no `Redirection (3xx)",
    ),
    (
        "cisco_ios",
        "show sip-ua statistics",
        "Retry Statistics\n Not SDP desc: 0, No resource: 0\nLast time SIP Statistics were cleared: <never>",
        None,
    ),
    (
        "cisco_ios",
        "show sip-ua statistics",
        "Not SDP desc: 0, No resource: 0\nLast time SIP Stat",
        "its last line is cut",
    ),
    (
        "cisco_ios",
        "show sip-ua register status",
        "Line peer expires(sec) registered\n4001 20001 596 no",
        None,
    ),
    ("cisco_ios", "show sip-ua register status", "Line peer expires(sec) reg", "header"),
    (
        "cisco_ios",
        "show sip-ua timers",
        "SIP UA Timer Values (millisecs)\ntls aging 60 min",
        "is cut",
    ),
    (
        "mikrotik_routeros",
        "/export verbose",
        "# by RouterOS 7.1\n/ip firewall filter\nadd action=drop \\",
        "`\\` continuation",
    ),
    (
        "mikrotik_routeros",
        "/export verbose",
        "# by RouterOS 7.1\n/ip firewall filter\nadd action=drop\n/system identity\nset name=r",
        None,
    ),
    (
        "mikrotik_routeros",
        "/export verbose",
        "# by RouterOS 7.1\n/ip firewall filter\nadd action=drop",
        "before the /system and /tool menus",
    ),
    (
        "mikrotik_routeros",
        "/export verbose",
        '# x\n/system identity\nset name="r1 main',
        "inside a quoted value",
    ),
    (
        "mikrotik_routeros",
        "/export verbose",
        "# x\n/system identity\nset name=",
        "not a whole key=value",
    ),
    (
        "mikrotik_routeros",
        "/system resource print",
        "version: 7.1\nboard-name: x",
        "no closing `platform:`",
    ),
    ("poly_phone", "GET /api/v2/mgmt/lineInfo", '{"data": [', "JSON does not parse"),
    ("cisco_phone", "GET /DeviceInformationX", "<DeviceInformation><x>1</x>", "XML does not parse"),
    (
        "yealink_phone",
        "GET /servlet?m=mod_data&p=status&q=load",
        "<html><body>",
        "no closing `</html>`",
    ),
    (
        "yealink_phone",
        "GET /servlet?m=mod_data&p=settings-config&q=exportcfg",
        "#!version:1.0.0.1\naccount.1.nat.stun",
        "is no setting",
    ),
    ("grandstream_phone", "POST /cgi-bin/api.values.get", "P47 = sip.example\n# end", None),
    ("cisco_ios", "show clock", "10:00:00\x07", "control character U+0007 on line 1"),
    ("cisco_ios", "show clock", "\x1b[1m10:00", "an escape sequence"),
]


@pytest.mark.parametrize(("platform", "command", "text", "reason"), RULES)
def test_completeness_rules(platform: str, command: str, text: str, reason: str | None) -> None:
    from fleetaudit.judgement import judged

    status, error = judged(text, platform, command)
    if reason is None:
        assert (status, error) == ("ok", None)
    else:
        assert status == "incomplete" and error is not None and reason in error, error
