"""Port-security aging at or below the phones' SIP keep-alive interval.

## What it checks
Access ports with port-security enabled (`switchport port-security`; the aging lines
alone enable nothing) whose aging time, in seconds, is at or below the SIP keep-alive /
re-register interval of the phones behind them. The interval comes from the site's
provider profile (`voip.keepalive_s`, 120 s by default) until phones are audited.

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

from fleetaudit.checkkit import Check, Host, Result, fail, passed
from fleetaudit.facts import Interface
from fleetaudit.policy import VoipPolicy

FIX = {
    "cisco_ios": "interface {interface}\n switchport port-security aging time {minutes}",
}


def safe_minutes(keepalive_s: int) -> int:
    """Aging time that outlives two keep-alive intervals, at least 5 minutes.

    >>> safe_minutes(120), safe_minutes(600)
    (5, 20)
    """
    return max(5, math.ceil(2 * keepalive_s / 60))


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    interfaces: list[Interface] = host["interfaces"]
    keepalive = policy.keepalive_s
    for iface in interfaces:
        psec = iface.port_security
        if psec is None or not psec.enabled or not iface.enabled:
            continue
        if psec.aging_time_min is None:
            yield passed(iface.name, f"{iface.name}: secure addresses do not age", [psec.ref])
            continue
        aging_s = psec.aging_time_min * 60
        if aging_s > keepalive:
            yield passed(
                iface.name,
                f"{iface.name}: aging {aging_s} s > keep-alive {keepalive} s",
                [psec.ref],
            )
            continue
        phones = f"voice VLAN {iface.voice_vlan}" if iface.voice_vlan else "this port"
        kind = (
            "after that long without traffic"
            if psec.aging_type == "inactivity"
            else "every time that period elapses (absolute aging)"
        )
        yield fail(
            iface.name,
            f"{iface.name}: port-security flushes the phone's MAC {kind} — aging "
            f"{psec.aging_time_min} min = {aging_s} s ≤ the phones' SIP keep-alive "
            f"{keepalive} s ({phones}; keep-alive from {policy.describe()})",
            [psec.ref, iface.voice_vlan_ref, iface.ref],
            FIX["cisco_ios"].format(interface=iface.name, minutes=safe_minutes(keepalive)),
            severity="high" if psec.aging_type == "inactivity" else "medium",
        )


CHECK = Check(
    id="PSEC001",
    slug="port-security-aging-below-keepalive",
    title="Port-security aging flushes phones between keep-alives",
    severity="high",
    facts=("interfaces",),
    platforms=("cisco_ios",),
    roles=("switch",),
    run=run,
    why="The switch forgets the phone's MAC between SIP keep-alives; keep-alives drop and the "
    "call manager unregisters the phone.",
    fix=FIX,
    tags=("switch", "registration"),
    references=("shared/seeds 001: Cisco note, port-security aging 1 min vs keep-alive 2 min",),
)
