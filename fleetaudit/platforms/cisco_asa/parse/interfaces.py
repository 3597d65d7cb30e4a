"""Interfaces from the ASA running config: nameif, security level, addresses, and proxy
ARP (on for every named interface unless ``sysopt noproxyarp <nameif>``)."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from fleetaudit.facts import Interface, Ref
from fleetaudit.platforms.cisco_asa.parse.common import ConfigLines, clean_text, ttp_records
from fleetaudit.platforms.cisco_asa.parse.contexts import Contexts, contexts_of


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
    contexts = contexts_of(lines.out)
    noproxyarp = _noproxyarp(lines, contexts)
    result: list[Interface] = []
    cursor = 0
    for record in ttp_records(parsed, "interfaces"):
        name = clean_text(record.get("name")) or ""
        opened = lines.find(f"interface {name}", cursor, indented=False)
        cursor = opened or cursor
        context = contexts.at(opened) if contexts.multiple else None
        mine = {nameif: ref for (ctx, nameif), ref in noproxyarp.items() if ctx == context}
        interface = _interface(record, name, opened, lines, mine)
        if context and context != "system":
            interface.kind = f"context {context}"  # a security context's own interface
        result.append(interface)
    plain = {nameif: ref for (ctx, nameif), ref in noproxyarp.items() if ctx is None}
    result.extend(_legacy_interfaces(parsed, lines, plain))
    return result


_NOPROXYARP = re.compile(r"\s*sysopt\s+noproxyarp\s+(\S+)\s*")


def _noproxyarp(lines: ConfigLines, contexts: Contexts) -> dict[tuple[str | None, str], Ref]:
    """(context, nameif) -> its ``sysopt noproxyarp`` line; context None in single mode."""
    found: dict[tuple[str | None, str], Ref] = {}
    for number, line in enumerate(lines.out.lines, start=1):
        match = _NOPROXYARP.fullmatch(line)
        if match and not line[:1].isspace():
            context = contexts.at(number) if contexts.multiple else None
            found.setdefault((context, match[1]), lines.out.ref_line(number))
    return found


def _legacy_interfaces(
    parsed: Any, lines: ConfigLines, noproxyarp: dict[str, Ref]
) -> list[Interface]:
    """PIX 6 / FWSM 2: ``nameif ethernet0 outside security0`` names the interface and
    ``ip address outside A M`` addresses it by that name."""
    addresses = {
        clean_text(r.get("nameif")): (clean_text(r.get("ip")), clean_text(r.get("mask")))
        for r in ttp_records(parsed, "legacy_addresses")
    }
    found: list[Interface] = []
    for record in ttp_records(parsed, "legacy_nameifs"):
        hardware, nameif = (
            clean_text(record.get("hardware")) or "",
            clean_text(record.get("nameif")),
        )
        level = clean_text(record.get("security_level"))
        text = f"nameif {hardware} {nameif} security{level}"
        ip, mask = addresses.get(nameif, (None, None))
        cidr = _cidr(ip, mask)
        ref = lines.line_ref(text, indented=False)
        interface = Interface(
            name=hardware,
            ref=ref,
            ipv4=[cidr] if cidr else [],
            nameif=nameif,
            security_level=int(level) if level and level.isdigit() else None,
        )
        if nameif:
            interface.proxy_arp = nameif not in noproxyarp
            interface.proxy_arp_ref = noproxyarp.get(nameif) or ref
        found.append(interface)
    return found


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
