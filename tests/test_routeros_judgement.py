"""Issue 10, RouterOS judgement items, each from the example the issue gives: v5 verbose
exports and v6 `true/false` booleans keep their facts; the WAN edge shows by a default
route, a DHCP or PPPoE client; a router without NAT gets no NAT001 about a "binding"; a
voice queue under fasttrack or without a parent max-limit does nothing, and QOS001's fix
(applied as the router would) makes it pass."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fleetaudit.cli import main
from tests.report.apply_fixes import apply_routeros

TRAILER = "/system identity\nset name=r\n"  # an export ends with /system menus
HEAD = "# jan/02/1970 00:24:39 by RouterOS {version}\n# software id = TEST-0000\n#\n"
V5_VERBOSE = HEAD.format(version="5.7") + (
    "/ip address\n"
    "add address=198.51.100.2/30 disabled=no interface=ether1 network=\\\n"
    "    198.51.100.0\n"
    "add address=192.168.88.1/24 disabled=no interface=ether2 network=192.168.88.0\n"
    "/ip firewall mangle\n"
    "add action=mark-packet chain=postrouting disabled=no dscp=46 new-packet-mark=\\\n"
    "    voice out-interface=ether1 passthrough=no\n"
    "/ip firewall nat\n"
    "add action=masquerade chain=srcnat disabled=no out-interface=ether1\n"
    "/ip firewall service-port\n"
    "set sip disabled=no ports=5060,5061 sip-direct-media=yes\n"
    "/queue tree\n"
    "add burst-limit=0 burst-threshold=0 burst-time=0s disabled=no limit-at=0 \\\n"
    '    max-limit=18M name=up packet-mark="" parent=ether1 priority=8 queue=default\n'
    "add burst-limit=0 burst-threshold=0 burst-time=0s disabled=no limit-at=0 \\\n"
    "    max-limit=0 name=voice packet-mark=voice parent=up priority=1 queue=default\n"
    "/system identity\nset name=v5\n"
)


def scan(tmp_path: Path, text: str, check: str) -> list[dict[str, Any]]:
    config = tmp_path / "router.rsc"
    config.write_text(text)
    out = tmp_path / "report.json"
    args = ["scan", str(config), "--platform", "mikrotik_routeros", "--role", "router"]
    args += ["--format", "json", "--verbose", "--quiet", "--check", check, "--output", str(out)]
    main(args)
    findings: list[dict[str, Any]] = json.loads(out.read_text())["findings"]
    return [f for f in findings if f["check"] == check]


def test_v5_verbose_export_keeps_alg_nat_and_qos(tmp_path: Path) -> None:
    [alg] = scan(tmp_path, V5_VERBOSE, "ALG001")
    assert alg["status"] == "fail" and "5060,5061" in alg["message"]
    [qos] = scan(tmp_path, V5_VERBOSE, "QOS001")
    assert qos["status"] == "pass" and qos["subject"] == "ether1"
    [nat] = scan(tmp_path, V5_VERBOSE, "NAT001")
    assert nat["status"] == "fail" and "udp-timeout 10 s" in nat["message"]


def test_v6_true_false_booleans_read_as_yes_no(tmp_path: Path) -> None:
    text = V5_VERBOSE.replace("5.7", "6.49.10").replace("disabled=no", "disabled=false")
    assert scan(tmp_path, text, "ALG001")[0]["status"] == "fail"
    assert scan(tmp_path, text, "QOS001")[0]["status"] == "pass"
    off = text.replace("set sip disabled=false", "set sip disabled=true")
    assert scan(tmp_path, off, "ALG001")[0]["status"] == "pass"


WAN_BY = {
    "default route": "/ip route\nadd dst-address=0.0.0.0/0 gateway=203.0.113.1\n",
    "gateway interface": "/ip route\nadd dst-address=0.0.0.0/0 gateway=ether1\n",
    "dhcp client": "/ip dhcp-client\nadd disabled=no interface=ether1\n",
    "pppoe client": "/interface pppoe-client\nadd add-default-route=yes interface=ether1 "
    "name=ether1 user=u\n",
}


def test_wan_edge_without_masquerade(tmp_path: Path) -> None:
    base = HEAD.format(version="7.16") + (
        "/ip address\nadd address=203.0.113.2/30 interface=ether1 network=203.0.113.0\n"
    )
    for how, section in WAN_BY.items():
        [qos] = scan(tmp_path, base + section + TRAILER, "QOS001")
        assert (qos["status"], qos["subject"]) == ("fail", "ether1"), how


def test_no_nat_no_stateful_filter_passes_nat001(tmp_path: Path) -> None:
    text = HEAD.format(version="6.49.10") + "/ip dhcp-client\nadd interface=ether1\n" + TRAILER
    [nat] = scan(tmp_path, text, "NAT001")
    assert nat["status"] == "pass" and "binding" not in nat["message"].replace("no UDP binding", "")
    [alg] = scan(tmp_path, text, "ALG001")
    assert alg["status"] == "pass" and "no NAT rule translates" in alg["message"]


def test_no_nat_stateful_filter_speaks_of_the_filter(tmp_path: Path) -> None:
    text = HEAD.format(version="6.49.10") + (
        "/ip firewall filter\n"
        "add action=accept chain=forward connection-state=established,related\n"
        "add action=drop chain=forward connection-state=new in-interface=ether1\n"
        "/ip dhcp-client\nadd interface=ether1\n" + TRAILER
    )
    [nat] = scan(tmp_path, text, "NAT001")
    assert nat["status"] == "fail"
    assert "binding" not in nat["message"] and "stateful filter" in nat["message"]


FASTTRACK = HEAD.format(version="7.16") + (
    "/ip address\nadd address=203.0.113.2/30 interface=ether1 network=203.0.113.0\n"
    "/ip firewall filter\n"
    'add action=fasttrack-connection chain=forward comment="defconf: fasttrack" '
    "connection-state=established,related hw-offload=yes\n"
    "add action=accept chain=forward connection-state=established,related,untracked\n"
    "/ip firewall mangle\n"
    "add action=mark-packet chain=postrouting dscp=46 new-packet-mark=voice "
    "out-interface=ether1 passthrough=no\n"
    "/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\n"
    "/queue tree\n"
    "add max-limit=18M name=up parent=ether1\n"
    "add name=voice packet-mark=voice parent=up priority=1\n"
    "/system identity\nset name=r\n"
)


def test_voice_queue_under_fasttrack_fails_and_its_fix_passes(tmp_path: Path) -> None:
    [qos] = scan(tmp_path, FASTTRACK, "QOS001")
    assert qos["status"] == "fail" and "fasttrack rule on line" in qos["message"]
    fixed = apply_routeros(FASTTRACK, qos["remediation"])
    assert scan(tmp_path, fixed, "QOS001")[0]["status"] == "pass", fixed


def test_voice_queue_without_max_limit_fails_and_its_fix_passes(tmp_path: Path) -> None:
    text = FASTTRACK.replace("add max-limit=18M name=up", "add name=up")
    text = text.replace("fasttrack-connection", "accept")
    [qos] = scan(tmp_path, text, "QOS001")
    assert qos["status"] == "fail" and "no max-limit" in qos["message"]
    assert "max-limit=UPLINK_90PCT" in qos["remediation"]
    fixed = apply_routeros(text, qos["remediation"])
    assert scan(tmp_path, fixed, "QOS001")[0]["status"] == "pass", fixed


def test_version_without_header_from_resource_line_or_v7_menus(tmp_path: Path) -> None:
    body = "/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\n" + TRAILER
    resource = "#                   version: 7.18.2 (stable)\n# software id = X\n" + body
    assert "30 s" in scan(tmp_path, resource, "NAT001")[0]["message"]
    menus = "/interface wireguard\nadd listen-port=13231 name=wg0\n" + body
    assert "30 s" in scan(tmp_path, menus, "NAT001")[0]["message"]
    v6 = HEAD.format(version="6.48.6") + body
    assert "10 s" in scan(tmp_path, v6, "NAT001")[0]["message"]


def test_console_prompt_after_the_export_is_not_truncation(tmp_path: Path) -> None:
    text = V5_VERBOSE + "[admin@MikroTik] > \n"
    assert scan(tmp_path, text, "ALG001")[0]["status"] == "fail"
