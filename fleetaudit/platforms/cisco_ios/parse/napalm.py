"""Normalisers for napalm getters (their output is the getter's JSON)."""

from __future__ import annotations

import json
import re
from typing import Any

from fleetaudit.facts import Device, Ref
from fleetaudit.normalise import Output, source


def _version_number(text: str) -> str:
    """napalm's IOS os_version is the whole banner line; keep the release.

    >>> _version_number("ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.3.4a, RELEASE")
    '17.3.4a'
    """
    found = re.search(r"Version ([^\s,]+)", text)
    return found.group(1) if found else text


@source("cisco_ios", "napalm get_facts", facts=("device",))
def get_facts(_: Any, output: Output) -> dict[str, Any]:
    try:
        parsed = json.loads(output.text)
    except json.JSONDecodeError:
        return {"device": None}
    if not isinstance(parsed, dict) or not parsed.get("os_version"):
        return {"device": None}
    return {
        "device": Device(
            hostname=parsed.get("hostname") or None,
            vendor=parsed.get("vendor") or None,
            model=parsed.get("model") or None,
            os_version=_version_number(str(parsed.get("os_version"))),
            serial=parsed.get("serial_number") or None,
            ref=Ref(source=output.command, line=None, text=str(parsed.get("os_version"))),
        )
    }


# Switch layer-2 getters (issue 4: which phone sits on which port). Their JSON is napalm's.


def _getter_json(output: Output) -> Any:
    try:
        return json.loads(output.text)
    except json.JSONDecodeError:
        return None


@source("cisco_ios", "napalm get_mac_address_table", facts=("mac_table",), roles=("switch",))
def get_mac_address_table(_: Any, output: Output) -> dict[str, Any]:
    from netutils.interface import canonical_interface_name

    from fleetaudit.facts import MacEntry
    from fleetaudit.platforms.phones.parsers import normal_mac

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


@source(
    "cisco_ios",
    "napalm get_lldp_neighbors_detail",
    facts=("lldp_neighbors",),
    roles=("switch",),
)
def get_lldp_neighbors_detail(_: Any, output: Output) -> dict[str, Any]:
    from netutils.interface import canonical_interface_name

    from fleetaudit.facts import Neighbor
    from fleetaudit.platforms.phones.parsers import normal_mac

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
