"""Layer-2 tables of Cisco IOS switches: MAC address table, CDP and LLDP neighbours.

They tie phones to switch ports: a phone's MAC in the table (or its name in CDP/LLDP)
says which port it is on, so a check can weigh that port's settings against that phone.
Interface names are made canonical (``Gi1/0/5`` -> ``GigabitEthernet1/0/5``).
"""

from __future__ import annotations

import re
from typing import Any

from netutils.interface import canonical_interface_name

from fleetaudit.facts import MacEntry, Neighbor
from fleetaudit.normalise import Output, as_list, normaliser
from fleetaudit.platforms.cisco_ios.parse import rejected
from fleetaudit.platforms.phones.parsers import normal_mac

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


# Columns between a row's type and its port(s): 6500 `learn` and `age`, 4500 `protocols`
_NOT_A_PORT = re.compile(
    r"^(yes|no|\d+|-|n/a|(ip|ipx|assigned|other)(,(ip|ipx|assigned|other))*)$", re.I
)
# the switch's own addresses, not stations on a port
_OWN_PORTS = {"cpu", "router", "switch", "stby-switch"}


def _station_port(vlan: str, rest: str) -> str | None:
    """The one switch port an address was learned on, or None for rows that are not
    that: the switch's own addresses (CPU, Router, Switch), addresses flooded to a port
    list (broadcast/multicast rows), rows without a numeric VLAN.

    >>> _station_port("5", "Gi1/0/5")
    'Gi1/0/5'
    >>> _station_port("420", "Yes      160     Po140")
    'Po140'
    >>> _station_port("10", "Gi0/2,Gi0/3,Gi0/5") is None
    True
    >>> _station_port("All", "CPU") is None
    True
    """
    ports = [p for t in rest.split() if not _NOT_A_PORT.match(t) for p in t.split(",") if p]
    if not vlan.isdigit() or len(ports) != 1 or ports[0].lower() in _OWN_PORTS:
        return None
    return ports[0]


@normaliser(PLATFORM, "show mac address-table")
def show_mac_address_table(parsed: Any, out: Output) -> dict[str, Any]:
    parsed = _dict(parsed)
    rows = [_dict(row) for row in as_list(parsed.get("entries"))]
    if rejected(out) or not (rows or parsed.get("header")):
        return {"mac_table": None}
    entries = []
    line = 0
    for row in rows:
        # rows come in output order: each one's line is the next holding its MAC
        text = str(row.get("mac", ""))
        found = next(
            (n for n in range(line + 1, len(out.lines) + 1) if text in out.lines[n - 1]), None
        )
        line = found or line
        mac = normal_mac(text)
        vlan = (str(row.get("vlan") or "").split() or [""])[-1]  # after blanks and flags
        port = _station_port(vlan, str(row.get("rest") or ""))
        if mac is None or port is None:
            continue
        entries.append(
            MacEntry(
                mac=mac,
                vlan=int(vlan),
                interface=_interface(port),
                static=str(row.get("type", "")).upper() == "STATIC",
                ref=out.ref_line(found) if found else out.ref(f"{vlan} {text}"),
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
    starts = [n for n, t in enumerate(out.lines, 1) if t.startswith("Device ID:")]
    for index, row in enumerate(rows):
        if not row.get("local"):
            continue
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


def _joined(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """LLDP records with a lone ``Local Intf`` record joined to the neighbour after it.

    >>> _joined([{"local": "Gi1/0/2"}, {"chassis": "a"}, {"chassis": "b"}])
    [{'chassis': 'a', 'local': 'Gi1/0/2'}, {'chassis': 'b'}]
    """
    joined: list[dict[str, Any]] = []
    local = None
    for row in rows:
        if set(row) == {"local"}:
            local = row["local"]
            continue
        if local is not None and not row.get("local"):
            row = {**row, "local": local}
        local = None
        joined.append(row)
    return joined


def _description(row: dict[str, Any]) -> str | None:
    """The system description's first line (IOS neighbours continue it on more lines)."""
    text = str(_dict(row.get("description")).get("text") or "")
    first = text.splitlines()[0].strip() if text.strip() else ""
    return first or None


@normaliser(PLATFORM, "show lldp neighbors detail")
def show_lldp_neighbors_detail(parsed: Any, out: Output) -> dict[str, Any]:
    parsed = _dict(parsed)
    rows = _joined([_dict(row) for row in as_list(parsed.get("neighbors"))])
    if rejected(out) or not (rows or parsed.get("total")):
        return {"lldp_neighbors": None}
    found = []
    after = 0
    for row in rows:
        local = str(row.get("local") or "").strip()
        port = str(row.get("port") or "").strip()
        chassis = str(row.get("chassis") or "").strip()
        # the chassis ID when it is a MAC; else the MAC the frames came from; else a
        # phone's port ID (Cisco phones send `<MAC>:P1`)
        mac = (
            normal_mac(chassis)
            or normal_mac(str(row.get("peer_mac") or ""))
            or normal_mac(port.split(":")[0])
        )
        start = f"Local Intf: {local}" if local else f"Chassis id: {chassis}"
        line = out.find(start, after)
        after = line + 1 if line else after
        found.append(
            Neighbor(
                protocol="lldp",
                # "" when IOS did not print the local port: the neighbour is known, its
                # port on this switch is not
                local_interface=_interface(local) if local else "",
                name=str(row.get("name") or "").strip() or None,
                port=port or None,
                mac=mac,
                ip=row.get("ip") if isinstance(row.get("ip"), str) else None,
                platform=_description(row),
                ref=out.ref_line(line) if line else None,
            )
        )
    return {"lldp_neighbors": found}
