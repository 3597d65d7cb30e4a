"""One parser per fact (issue 9): an IOS switch is asked each command once; its
`device`, `mac_table` and `lldp_neighbors` come from the TTP templates alone."""

from __future__ import annotations

import collections
import json
from pathlib import Path

from fleetaudit.cli import main
from fleetaudit.lab import Lab
from fleetaudit.normalise import sources_for
from fleetaudit.paths import builtin_dir


def test_no_ios_fact_has_a_second_parser() -> None:
    for role in ("switch", "gateway", "router", None):
        assert sources_for("cisco_ios", role) == []


def test_an_ios_switch_is_asked_each_command_once(tmp_path: Path) -> None:
    with Lab(builtin_dir("inventory"), site="office1", ephemeral_ports=True) as lab:
        inventory = lab.write_inventory(tmp_path / "inventory")
        out = tmp_path / "r.json"
        main(["run", "--site", "office1", "--inventory", str(inventory), "--quiet",
              "--no-store", "--format", "json", "--output", str(out), "--facts"])  # fmt: skip
        sent = collections.Counter(
            str(e["line"]) for e in lab.received if e["device"] == "office1-sw1" and e["line"]
        )
    commands = {line for line in sent if line.startswith("show ")}
    assert commands == {
        "show version",
        "show running-config",
        "show mac address-table",
        "show lldp neighbors detail",
        "show cdp neighbors detail",
    }  # before issue 9 also: show hosts, show ip interface brief, show mac-address-table
    assert all(sent[c] == 1 for c in commands), sent
    (switch,) = [h for h in json.loads(out.read_text())["hosts"] if h["name"] == "office1-sw1"]
    facts = switch["facts"]
    assert facts["device"]["model"] and facts["device"]["serial"]
    assert facts["device"]["ref"]["source"] == "show version"
    assert facts["mac_table"] and facts["lldp_neighbors"]
    assert {e["ref"]["source"] for e in facts["mac_table"]} == {"show mac address-table"}
