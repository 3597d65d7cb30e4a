"""Layer-2 tables of Cisco IOS switches: MAC address table, CDP and LLDP neighbours.

They tie phones to switch ports: a phone's MAC in the table (or its name in CDP/LLDP)
says which port it is on, so a check can weigh that port's settings against that phone.
Interface names are made canonical (``Gi1/0/5`` -> ``GigabitEthernet1/0/5``).
"""

from __future__ import annotations

from typing import Any

from netutils.interface import canonical_interface_name

from fleetaudit.normalise import Output, as_list, normaliser
from fleetaudit.normalise.cisco_ios import rejected
from fleetaudit.phones.facts import MacEntry, Neighbor
from fleetaudit.phones.parsers import normal_mac

PLATFORM = "cisco_ios"


def _dict(value: Any) -> dict[str, Any]:
    if isinstance(value, list):
        value = value[0] if value else {}
    return value if isinstance(value, dict) else {}


def _interface(name: str) -> str:
    """``Gi1/0/5`` -> ``GigabitEthernet1/0/5``.

    >>> _interface("Gi1/0/5"), _interface("Fa0/1")
    ('GigabitEthernet1/0/5', 'FastEthernet0/1')
    """
    return canonical_interface_name(name.strip().rstrip(","))


@normaliser(PLATFORM, "show mac address-table")
def show_mac_address_table(parsed: Any, out: Output) -> dict[str, Any]:
    parsed = _dict(parsed)
    rows = [_dict(row) for row in as_list(parsed.get("entries"))]
    if rejected(out) or not (rows or parsed.get("header")):
        return {"mac_table": None}
    entries = []
    for row in rows:
        mac = normal_mac(str(row.get("mac", "")))
        if mac is None:
            continue
        text = f"{row['vlan']} {row['mac']} {row['type']} {row['port']}"
        line = next((n for n, t in enumerate(out.lines, 1) if " ".join(t.split()) == text), None)
        entries.append(
            MacEntry(
                mac=mac,
                vlan=int(row["vlan"]),
                interface=_interface(str(row["port"])),
                static=str(row.get("type", "")).upper() == "STATIC",
                ref=out.ref_line(line) if line else out.ref(text),
            )
        )
    return {"mac_table": entries}


@normaliser(PLATFORM, "show cdp neighbors detail")
def show_cdp_neighbors_detail(parsed: Any, out: Output) -> dict[str, Any]:
    parsed = _dict(parsed)
    rows = [_dict(row) for row in as_list(parsed.get("neighbors"))]
    if rejected(out) or not (rows or parsed.get("total")):
        return {"cdp_neighbors": None}
    found = []
    for index, row in enumerate(rows):
        if not row.get("local"):
            continue
        starts = [n for n, t in enumerate(out.lines, 1) if t.startswith("Device ID:")]
        line = out.find_prefix("Interface:", starts[index] if index < len(starts) else 0)
        found.append(
            Neighbor(
                protocol="cdp",
                local_interface=_interface(str(row["local"])),
                name=str(row.get("name") or "") or None,
                port=str(row.get("port") or "").strip() or None,
                ip=row.get("ip") if isinstance(row.get("ip"), str) else None,
                platform=str(row.get("platform") or "") or None,
                ref=out.ref_line(line) if line else None,
            )
        )
    return {"cdp_neighbors": found}


@normaliser(PLATFORM, "show lldp neighbors detail")
def show_lldp_neighbors_detail(parsed: Any, out: Output) -> dict[str, Any]:
    parsed = _dict(parsed)
    rows = [_dict(row) for row in as_list(parsed.get("neighbors"))]
    if rejected(out) or not (rows or parsed.get("total")):
        return {"lldp_neighbors": None}
    found = []
    for row in rows:
        local = str(row.get("local") or "")
        if not local:
            continue
        port = str(row.get("port") or "").strip()
        chassis = str(row.get("chassis") or "").strip()
        mac = normal_mac(chassis) or normal_mac(port.split(":")[0])
        line = out.find(f"Local Intf: {local}")
        found.append(
            Neighbor(
                protocol="lldp",
                local_interface=_interface(local),
                name=str(row.get("name") or "") or None,
                port=port or None,
                mac=mac,
                ip=row.get("ip") if isinstance(row.get("ip"), str) else None,
                ref=out.ref_line(line) if line else None,
            )
        )
    return {"lldp_neighbors": found}
