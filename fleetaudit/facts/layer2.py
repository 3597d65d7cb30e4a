"""Layer-2 facts a switch holds: its MAC address table and its CDP/LLDP neighbours
(which phone sits on which port)."""

from __future__ import annotations

from dataclasses import dataclass

from fleetaudit.facts.base import Ref


@dataclass(slots=True)
class MacEntry:
    """One line of a switch's MAC address table."""

    mac: str  # "00:11:22:33:44:55"
    vlan: int | None
    interface: str  # canonical name, e.g. "GigabitEthernet1/0/5"
    static: bool = False
    ref: Ref | None = None


@dataclass(slots=True)
class Neighbor:
    """A CDP or LLDP neighbour a switch sees on one of its ports."""

    protocol: str  # "cdp" | "lldp"
    local_interface: str  # canonical name; "" when IOS printed no `Local Intf:` (LLDP)
    name: str | None = None  # device ID / system name, e.g. "SEP001122334455"
    port: str | None = None  # the neighbour's port ID
    mac: str | None = None  # LLDP chassis ID when it is a MAC address
    ip: str | None = None
    platform: str | None = None  # CDP platform / LLDP system description
    ref: Ref | None = None
