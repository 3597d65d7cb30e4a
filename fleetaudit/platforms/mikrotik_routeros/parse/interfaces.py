"""Interfaces: the ``/interface ...`` sections, ``/ip address`` and proxy ARP
(``arp=proxy-arp``; the default ``arp=enabled`` answers only for own addresses)."""

from __future__ import annotations

import ipaddress

from fleetaudit.facts import Interface
from fleetaudit.normalise import Unreadable
from fleetaudit.platforms.mikrotik_routeros.parse.export import Command, Export, is_yes

INTERFACE_SECTIONS = {
    "interface ethernet",
    "interface bridge",
    "interface vlan",
    "interface bonding",
    "interface pppoe-client",
    "interface wireguard",
    "interface eoip",
    "interface gre",
    "interface wireless",
    "interface wifi",
    "interface lte",
}


# --------------------------------------------------------------------------- interfaces


def _declared(export: Export) -> dict[str, Command]:
    """Interface name -> the command that creates or configures it."""
    found: dict[str, Command] = {}
    for command in export.commands:
        if command.section not in INTERFACE_SECTIONS or command.verb not in ("add", "set"):
            continue
        name = command.args.get("name") or command.item()
        if name and not name.isdigit() and not name.startswith("*"):
            found.setdefault(name, command)
    return found


def read_interfaces(export: Export, outside: list[str]) -> list[Interface]:
    declared = _declared(export)
    addresses: dict[str, list[tuple[str, Command]]] = {}
    for command in export.section("ip address"):
        if command.verb == "add" and not command.disabled and "address" in command.args:
            interface = command.args.get("interface", "")
            address = _checked(command.args["address"], export, command)
            addresses.setdefault(interface, []).append((address, command))
    names = list(declared) + [n for n in addresses if n not in declared]
    return [
        _interface(export, n, declared.get(n), addresses.get(n, []), n in outside) for n in names
    ]


def _checked(address: str, export: Export, command: Command) -> str:
    """``address`` as CIDR; one that is no IPv4 address makes the interfaces unknown."""
    try:
        return ipaddress.IPv4Interface(address).with_prefixlen
    except ValueError:
        line = export.ref(command).line
        raise Unreadable(f"has address={address} on line {line}: not an IPv4 address") from None


def _interface(
    export: Export,
    name: str,
    declared: Command | None,
    addresses: list[tuple[str, Command]],
    outside: bool,
) -> Interface:
    args = declared.args if declared else {}
    interface = Interface(
        name=name,
        ref=export.ref(declared) if declared else None,
        description=args.get("comment"),
        ipv4=[address for address, _ in addresses],
        enabled=not is_yes(args.get("disabled")),
        nat="outside" if outside else None,
        kind=declared.section.removeprefix("interface ").strip() if declared else None,
    )
    if addresses:
        arp = args.get("arp", "enabled")
        interface.proxy_arp = arp == "proxy-arp"
        if declared is not None:
            interface.proxy_arp_ref = export.ref(declared, "arp=" if "arp" in args else None)
        else:
            interface.proxy_arp_ref = export.ref(addresses[0][1])
    return interface
