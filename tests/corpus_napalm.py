"""What napalm's IOS getters make of a saved output, read into fleetaudit's facts: the
corpus measures them against the TTP templates (bench/corpus_figures.md). fleetaudit
itself no longer runs these getters (issue 9, one parser per fact: the TTP templates read
these outputs at 100 %, the getters at 85 % / 53 %); this is measurement code only."""

from __future__ import annotations

import json
from typing import Any

from netutils.interface import canonical_interface_name

from fleetaudit.facts import MacEntry, Neighbor, Ref
from fleetaudit.normalise import Output
from fleetaudit.platforms.phones.parsers import normal_mac


def _getter_json(output: Output) -> Any:
    try:
        return json.loads(output.text)
    except json.JSONDecodeError:
        return None


def get_mac_address_table(_: Any, output: Output) -> dict[str, Any]:
    parsed = _getter_json(output)
    if not isinstance(parsed, list):
        return {"mac_table": None}
    entries = []
    for row in parsed:
        mac = normal_mac(str(row.get("mac", ""))) if isinstance(row, dict) else None
        if mac is None or not row.get("interface"):
            continue  # the switch's own (CPU) addresses have no interface
        text = f"{row['mac']} vlan {row.get('vlan')} {row['interface']}"
        entries.append(
            MacEntry(
                mac=mac,
                vlan=row.get("vlan"),
                interface=canonical_interface_name(str(row["interface"])),
                static=bool(row.get("static")),
                ref=Ref(source=output.command, line=None, text=text),
            )
        )
    return {"mac_table": entries}


def get_lldp_neighbors_detail(_: Any, output: Output) -> dict[str, Any]:
    parsed = _getter_json(output)
    if not isinstance(parsed, dict):
        return {"lldp_neighbors": None}
    found = []
    for interface, entries in parsed.items():
        for entry in entries if isinstance(entries, list) else []:
            port = str(entry.get("remote_port") or "")
            chassis = str(entry.get("remote_chassis_id") or "")
            name = str(entry.get("remote_system_name") or "") or None
            found.append(
                Neighbor(
                    protocol="lldp",
                    local_interface=canonical_interface_name(str(interface)),
                    name=name,
                    port=port or None,
                    mac=normal_mac(chassis) or normal_mac(port.split(":")[0]),
                    platform=str(entry.get("remote_system_description") or "") or None,
                    ref=Ref(source=output.command, line=None, text=f"{interface}: {name} {port}"),
                )
            )
    return {"lldp_neighbors": found}


READERS = {
    "napalm get_mac_address_table": get_mac_address_table,
    "napalm get_lldp_neighbors_detail": get_lldp_neighbors_detail,
}
