"""`--format fixes`: per device, the config to apply in order, merged across findings,
copy-paste safe; applied to office1's configs it resolves every config-derived finding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fleetaudit.paths import builtin_dir
from fleetaudit.report.fixes import plan
from tests.report.apply_fixes import apply_cisco, apply_routeros
from tests.report.conftest import cli, run_args, stored_report

LAB = builtin_dir("inventory") / "lab"
# NAT001 compares the NAT timeout with the phones' keep-alive: office1-phone3 refreshes
# every 3540 s, so only the phones' fix (PHN002) can resolve it; the config part is checked
# by the timeout the re-audit reads.
CONFIG_CHECKS = {"ALG001", "ARP001", "FW001", "FW002", "PSEC001", "QOS001", "QOS002"}
CONFIG_FILE = {
    "cisco_ios": "show_running-config.txt",
    "cisco_asa": "show_running-config.txt",
    "mikrotik_routeros": "export_verbose.txt",
}


def test_fix_plan_text_is_copy_paste_safe(stored: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "fixes.txt"
    assert (
        cli(
            *run_args(
                "office1",
                stored["inventory"],
                "--no-store",
                "--format",
                "fixes",
                "--output",
                str(out),
            )
        )
        == 1
    )
    text = out.read_text()
    assert text.isascii() and "\x1b" not in text
    blocks = text.split("\n\n")
    assert blocks[0].startswith("! ==== office1-gw1 (cisco_ios, gateway): apply, in this order")
    gw = blocks[0]
    assert gw.count("ip access-list extended WAN-IN") == 2  # once to apply, once to roll back
    assert "ip nat service sip udp port 5060" in gw.split("rollback")[1]
    # QoS definitions come before the interface that uses them; both ARP001 and QOS001
    # of Gi0/0/0 are one interface block
    assert gw.index("policy-map WAN-EDGE") < gw.index("interface GigabitEthernet0/0/0")
    assert "! resolves: ARP001 GigabitEthernet0/0/0; QOS001 GigabitEthernet0/0/0" in gw
    assert gw.count("clear sip-ua statistics") == 1 and gw.index("\nend\n") < gw.index(
        "clear sip-ua"
    )
    sw = next(b for b in blocks if "office1-sw1 (cisco_ios" in b)
    assert "PSEC001 GigabitEthernet1/0/5; QOS002 GigabitEthernet1/0/5" in sw
    assert " switchport port-security aging time 1" in sw.split("rollback")[1]


def test_fix_plan_resolves_every_config_finding(stored: dict[str, Any], tmp_path: Path) -> None:
    report = stored_report(stored, "office1")
    folder = tmp_path / "candidates"
    folder.mkdir()
    for device in plan(report):
        if device.platform not in CONFIG_FILE:
            continue
        config = (LAB / device.host / CONFIG_FILE[device.platform]).read_text()
        apply = apply_routeros if device.platform == "mikrotik_routeros" else apply_cisco
        (folder / f"{device.host}.cfg").write_text(apply(config, device.apply_text()))
    out = tmp_path / "after.json"
    args = run_args("office1", stored["inventory"], "--candidate", str(folder))
    cli(*args, "--format", "json", "--output", str(out))
    after = json.loads(out.read_text())
    cand = after["candidate"]
    nat = {f["host"]: f["message"] for f in after["findings"] if f["check"] == "NAT001"}
    assert all("600 s" in message for message in nat.values()), nat
    assert not cand["introduced"], cand["introduced"]
    resolved = {d["fingerprint"] for d in cand["resolved"]}
    wanted = {
        f["fingerprint"]
        for f in stored["office1"]["findings"]
        if f["status"] == "fail" and f["check"] in CONFIG_CHECKS
    }
    assert len(wanted) >= 25 and wanted <= resolved, sorted(wanted - resolved)
