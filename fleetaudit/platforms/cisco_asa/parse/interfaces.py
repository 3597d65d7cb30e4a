"""Interfaces from the ASA running config: nameif, security level, addresses, and proxy
ARP (on for every named interface unless ``sysopt noproxyarp <nameif>``)."""

from __future__ import annotations

import ipaddress
from typing import Any

from fleetaudit.facts import Interface, Ref
from fleetaudit.platforms.cisco_asa.parse.common import ConfigLines, clean_text, ttp_records


def _cidr(address: str | None, mask: str | None) -> str | None:
    """``192.0.2.1`` + ``255.255.255.0`` -> ``192.0.2.1/24``; None when not an address.

    >>> _cidr("192.0.2.1", "255.255.255.0")
    '192.0.2.1/24'
    >>> _cidr("dhcp", "setroute") is None
    True
    """
    try:
        ip = ipaddress.IPv4Address(address or "")
        prefix = ipaddress.IPv4Network(f"0.0.0.0/{mask}").prefixlen
    except ValueError:
        return None
    return f"{ip}/{prefix}"


def read_interfaces(parsed: Any, lines: ConfigLines) -> list[Interface]:
    noproxyarp = {
        nameif: lines.line_ref(f"sysopt noproxyarp {nameif}", indented=False)
        for nameif in (clean_text(r.get("nameif")) for r in ttp_records(parsed, "noproxyarp"))
        if nameif
    }
    result: list[Interface] = []
    cursor = 0
    for record in ttp_records(parsed, "interfaces"):
        name = clean_text(record.get("name")) or ""
        opened = lines.find(f"interface {name}", cursor, indented=False)
        cursor = opened or cursor
        result.append(_interface(record, name, opened, lines, noproxyarp))
    return result


def _interface(
    record: dict[str, Any],
    name: str,
    opened: int | None,
    lines: ConfigLines,
    noproxyarp: dict[str, Ref],
) -> Interface:
    nameif = clean_text(record.get("nameif"))
    level = clean_text(record.get("security_level"))
    cidr = _cidr(clean_text(record.get("ip")), clean_text(record.get("mask")))
    interface = Interface(
        name=name,
        ref=lines.ref(opened, f"interface {name}"),
        description=clean_text(record.get("description")),
        ipv4=[cidr] if cidr else [],
        enabled=not record.get("shutdown"),
        nameif=nameif,
        security_level=int(level) if level and level.isdigit() else None,
    )
    if nameif:
        # ASA answers ARP for NAT/routed addresses on every named interface unless
        # `sysopt noproxyarp <nameif>` is configured.
        interface.proxy_arp = nameif not in noproxyarp
        interface.proxy_arp_ref = noproxyarp.get(nameif) or lines.line_ref(
            f"nameif {nameif}", opened or 0, indented=True
        )
    return interface
