"""Which IOS interfaces face the ISP (the WAN edge), from the strongest sign to the weakest:
``ip nat outside``; else the interface of the global default route (the one with the best
administrative distance: its exit interface, or the interface whose subnet holds its next
hop); else a PPPoE / dialer client (``interface Dialer`` with ``ip address negotiated`` or
``dialer pool``, ``pppoe-client dial-pool-number``); else an ``ip address dhcp`` client.
The first sign found decides; a weaker one never adds interfaces to a stronger one (a
floating default route over the LAN is not a second WAN)."""

from __future__ import annotations

import ipaddress
from typing import Any

from netutils.interface import canonical_interface_name

from fleetaudit.facts import Interface
from fleetaudit.normalise import as_list
from fleetaudit.platforms.cisco_ios.parse.common import first_group, to_int

DEFAULT_DISTANCE = 1


def wan_interfaces(
    parsed: dict[str, Any], raw_interfaces: list[dict[str, Any]], interfaces: list[Interface]
) -> list[str]:
    up = [i for i in interfaces if i.enabled]
    for sign in (_nat_outside(up), _default_route(parsed, up), _dialers(raw_interfaces, up)):
        if sign:
            return sign
    raw_by_name = {str(raw.get("name")): raw for raw in raw_interfaces}
    return [i.name for i in up if raw_by_name.get(i.name, {}).get("dhcp")]


def _nat_outside(interfaces: list[Interface]) -> list[str]:
    return [i.name for i in interfaces if i.nat == "outside"]


def _default_route(parsed: dict[str, Any], interfaces: list[Interface]) -> list[str]:
    """Interfaces of the global default routes with the best distance."""
    routes: list[tuple[int, str]] = []
    for raw in map(first_group, as_list(parsed.get("default_routes"))):
        found = route_interface(str(raw.get("rest") or ""), interfaces)
        if found:
            routes.append(found)
    best = min((distance for distance, _ in routes), default=None)
    return _unique(name for distance, name in routes if distance == best)


def route_interface(rest: str, interfaces: list[Interface]) -> tuple[int, str] | None:
    """(distance, interface) of ``ip route 0.0.0.0 0.0.0.0 <rest>``; None when it leaves
    by no interface of this config (Null0, an unknown next hop).

    >>> lan = Interface("FastEthernet2/2", ipv4=["172.16.5.1/24"])
    >>> route_interface("172.16.5.254 254", [lan])
    (254, 'FastEthernet2/2')
    >>> route_interface("Fa2/2 dhcp", [lan])
    (1, 'FastEthernet2/2')
    >>> route_interface("Fa2/2 172.16.5.254 5 tag 100", [lan])
    (5, 'FastEthernet2/2')
    >>> route_interface("172.16.5.254 tag 100", [lan])
    (1, 'FastEthernet2/2')
    >>> route_interface("Null0", [lan]) is None
    True
    """
    words = rest.split()
    if not words:
        return None
    by_name = {i.name: i for i in interfaces}
    name = _interface_named(words[0], by_name) or _interface_holding(words[0], interfaces)
    if name is None:
        return None
    after = words[2:] if len(words) > 1 and _is_address(words[1]) else words[1:]
    distance = to_int(after[0]) if after else None  # `tag N` / `track N` come later
    return distance if distance is not None else DEFAULT_DISTANCE, name


def _is_address(word: str) -> bool:
    try:
        ipaddress.IPv4Address(word)
    except ValueError:
        return False
    return True


def _interface_named(word: str, by_name: dict[str, Interface]) -> str | None:
    if word in by_name:
        return word
    canonical = canonical_interface_name(word)
    return canonical if canonical in by_name else None


def _interface_holding(word: str, interfaces: list[Interface]) -> str | None:
    try:
        hop = ipaddress.IPv4Address(word)
    except ValueError:
        return None
    for interface in interfaces:
        if any(hop in ipaddress.IPv4Interface(cidr).network for cidr in interface.ipv4):
            return interface.name
    return None


def _dialers(raw_interfaces: list[dict[str, Any]], interfaces: list[Interface]) -> list[str]:
    """PPPoE / dialer clients: the Dialer interfaces that hold the negotiated address."""
    up = {i.name for i in interfaces}
    pools = {str(raw["pppoe_pool"]) for raw in raw_interfaces if raw.get("pppoe_pool")}
    found = []
    for raw in raw_interfaces:
        name = str(raw.get("name"))
        is_dialer = name.lower().startswith("dialer") and (
            raw.get("negotiated") or raw.get("dialer_pool")
        )
        in_pool = raw.get("dialer_pool") is not None and str(raw["dialer_pool"]) in pools
        if name in up and (is_dialer or in_pool):
            found.append(name)
    return found


def _unique(names: Any) -> list[str]:
    seen: list[str] = []
    for name in names:
        if name not in seen:
            seen.append(name)
    return seen
