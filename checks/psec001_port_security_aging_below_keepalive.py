"""Port-security aging at or below the phones' SIP keep-alive interval.

## What it checks
Access ports with port-security enabled (`switchport port-security`; the aging lines
alone enable nothing) whose aging time, in seconds, is at or below the SIP keep-alive /
re-register interval of the phones behind them. Each audited phone of the site is placed
on its port by its MAC address in the switch's MAC address table, else by its name or MAC
among the switch's CDP/LLDP neighbours, else by the switch port the phone itself reports
(CDP/LLDP); that phone's own refresh interval is used. A port where no audited phone is
seen falls back to the site's provider profile (`voip.keepalive_s`, 120 s by default).

## Why it breaks calls
A secure MAC address that ages out is flushed from the port. Cisco's note describes the
outage: aging time 1 minute (inactivity), phones sending SIP keep-alives every 115-120 s;
the switch flushed the phone's MAC between keep-alives, keep-alives were dropped, the
phone's retransmissions backed off until the call manager gave up and unregistered it —
phones cycled between call managers every 16 minutes.

## How to fix
Make the aging time comfortably longer than the keep-alive (at least twice it, here 5
minutes), or remove the aging time so secure addresses do not age.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from fleetaudit.checkkit import Check, Host, Result, fail, passed
from fleetaudit.facts import INTERFACES, Interface, MacEntry, Neighbor, Phone, Ref
from fleetaudit.platforms.phones.family import is_phone, phone_keepalives
from fleetaudit.policy import VoipPolicy

FIX = {
    "cisco_ios": "interface {interface}\n switchport port-security aging time {minutes}",
}


@dataclass(frozen=True)
class SeenPhone:
    """An audited phone placed on one of this switch's ports."""

    host: str  # its inventory name
    label: str  # what the report calls it: "SEP001122334455 (office1-phone1)"
    interval_s: int
    how: str  # "MAC address table", "CDP", "LLDP", "the phone's CDP"
    refs: tuple[Ref | None, ...]


def safe_minutes(keepalive_s: int) -> int:
    """Aging time that outlives two keep-alive intervals, at least 5 minutes.

    >>> safe_minutes(120), safe_minutes(600)
    (5, 20)
    """
    return max(5, math.ceil(2 * keepalive_s / 60))


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.split(".")[0].lower() == b.split(".")[0].lower())


def _port_of(switch: Host, phone: Phone) -> tuple[str, str, Ref | None] | None:
    """(interface, how it was found, the proof) of a phone on this switch, or None."""
    table: list[MacEntry] = switch.facts.get("mac_table") or []
    for entry in table:
        if phone.mac and entry.mac == phone.mac:
            return entry.interface, "MAC address table", entry.ref
    neighbors: list[Neighbor] = [
        *(switch.facts.get("cdp_neighbors") or []),
        *(switch.facts.get("lldp_neighbors") or []),
    ]
    for n in neighbors:
        if not n.local_interface:  # IOS printed no `Local Intf:`: the port is not known
            continue
        if (phone.mac and n.mac == phone.mac) or _same(n.name, phone.name):
            return n.local_interface, n.protocol.upper(), n.ref
    seen = phone.neighbor
    device = switch.facts.get("device")
    names = {switch.name, getattr(device, "hostname", None)}
    if seen and seen.port and any(_same(seen.device, name) for name in names):
        return seen.port, f"the phone's {seen.protocol.upper()}", seen.ref
    return None


def phones_by_port(switch: Host) -> dict[str, list[SeenPhone]]:
    """The site's audited phones on this switch, by canonical interface name."""
    intervals = {name: (s, ref) for name, s, ref in phone_keepalives(switch.peers)}
    found: dict[str, list[SeenPhone]] = {}
    for peer in switch.peers:
        phone = peer.facts.get("phone")
        if (
            not is_phone(peer.platform)
            or not isinstance(phone, Phone)
            or peer.name not in intervals
        ):
            continue
        where = _port_of(switch, phone)
        if where is None:
            continue
        interface, how, proof = where
        interval, ref = intervals[peer.name]
        label = (
            f"{phone.name} ({peer.name})" if phone.name and phone.name != peer.name else peer.name
        )
        found.setdefault(interface, []).append(
            SeenPhone(peer.name, label, interval, how, (proof, ref))
        )
    return found


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    interfaces: list[Interface] = host["interfaces"]
    located = phones_by_port(host)
    for iface in interfaces:
        psec = iface.port_security
        if psec is None or not psec.enabled or not iface.enabled:
            continue
        if psec.aging_time_min is None:
            yield passed(iface.name, f"{iface.name}: secure addresses do not age", [psec.ref])
            continue
        aging_s = psec.aging_time_min * 60
        here = located.get(iface.name, [])
        kind = (
            "after that long without traffic"
            if psec.aging_type == "inactivity"
            else "every time that period elapses (absolute aging)"
        )
        severity = "high" if psec.aging_type == "inactivity" else "medium"
        if here:
            worst = max(here, key=lambda p: p.interval_s)
            short = [p for p in here if p.interval_s >= aging_s]
            if not short:
                yield passed(
                    iface.name,
                    f"{iface.name}: aging {aging_s} s > {worst.label}'s refresh {worst.interval_s} s",
                    [psec.ref],
                )
                continue
            idle = "of inactivity" if psec.aging_type == "inactivity" else "(absolute aging)"
            cited = "; ".join(
                f"phone {p.label} on that port ({p.how}) refreshes every {p.interval_s} s"
                for p in short
            )
            yield fail(
                iface.name,
                f"{host.name} {iface.name} ages out after {aging_s} s {idle}; {cited} — "
                f"port-security flushes the phone's MAC {kind}",
                [psec.ref, *(r for p in short for r in p.refs), iface.ref],
                FIX["cisco_ios"].format(
                    interface=iface.name, minutes=safe_minutes(worst.interval_s)
                ),
                severity=severity,
            )
            continue
        keepalive = policy.keepalive_s
        if aging_s > keepalive:
            yield passed(
                iface.name,
                f"{iface.name}: aging {aging_s} s > keep-alive {keepalive} s",
                [psec.ref],
            )
            continue
        phones = f"voice VLAN {iface.voice_vlan}" if iface.voice_vlan else "this port"
        yield fail(
            iface.name,
            f"{iface.name}: port-security flushes the phone's MAC {kind} — aging "
            f"{psec.aging_time_min} min = {aging_s} s ≤ the phones' SIP keep-alive "
            f"{keepalive} s ({phones}; no audited phone seen on this port, keep-alive from "
            f"{policy.describe()})",
            [psec.ref, iface.voice_vlan_ref, iface.ref],
            FIX["cisco_ios"].format(interface=iface.name, minutes=safe_minutes(keepalive)),
            severity=severity,
        )


CHECK = Check(
    id="PSEC001",
    slug="port-security-aging-below-keepalive",
    title="Port-security aging flushes phones between keep-alives",
    severity="high",
    facts=(INTERFACES,),
    reads=("mac_table", "cdp_neighbors", "lldp_neighbors", "device"),
    peer_facts=("phone_accounts", "phone"),
    platforms=("cisco_ios",),
    roles=("switch",),
    run=run,
    why="The switch forgets the phone's MAC between SIP keep-alives; keep-alives drop and the "
    "call manager unregisters the phone.",
    fix=FIX,
    tags=("switch", "registration", "phone"),
    references=("shared/seeds 001: Cisco note, port-security aging 1 min vs keep-alive 2 min",),
)
