"""Proxy ARP enabled on a routed interface.

## What it checks
Cisco ASA: every interface with a `nameif` answers ARP for addresses it routes to unless
`sysopt noproxyarp <nameif>` is configured (high: this is the seed's outage). Cisco IOS
and MikroTik RouterOS: layer-3 interfaces with proxy ARP on (IOS default unless
`no ip proxy-arp`; RouterOS `arp=proxy-arp`) — lower severity, the same mechanism.

## Why it breaks calls
When a phone ARPs for the call manager, the firewall can answer first with its own MAC
address. The phone then sends its keep-alives to the firewall instead of the call
manager; they are dropped, the call manager misses them and unregisters the phone
(Cisco's note: keep-alives lost because the ASA proxied ARP for CUCM).

## How to fix
Disable proxy ARP on the interfaces that face phones and servers (commands below). On
an ASA with NAT that relies on proxy ARP for mapped addresses, check those NAT rules use
`no-proxy-arp` only where the mapped address is not needed on that segment.
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed
from fleetaudit.facts import INTERFACES, Interface
from fleetaudit.policy import VoipPolicy

FIX = {
    "cisco_asa": "sysopt noproxyarp {nameif}",
    "cisco_ios": "interface {interface}\n no ip proxy-arp",
    "mikrotik_routeros": "/interface {kind} set [find name={interface}] arp=enabled",
}


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    interfaces: list[Interface] = host["interfaces"]
    for iface in interfaces:
        if iface.proxy_arp is None or not iface.enabled:
            continue
        label = iface.nameif or iface.name
        if not iface.proxy_arp:
            yield passed(label, f"{label}: proxy ARP off", [iface.proxy_arp_ref])
            continue
        fix = FIX[host.platform].format(
            nameif=iface.nameif, interface=iface.name, kind=iface.kind or "ethernet"
        )
        if host.platform == "cisco_asa":
            yield fail(
                label,
                f"interface {iface.name} ({iface.nameif}) answers ARP for other hosts: "
                f"no `sysopt noproxyarp {iface.nameif}`",
                [iface.proxy_arp_ref, iface.ref],
                fix,
            )
        else:
            yield fail(
                label,
                f"{iface.name} ({', '.join(iface.ipv4)}) has proxy ARP on",
                [iface.proxy_arp_ref, iface.ref],
                fix,
                severity="low",
            )


CHECK = Check(
    id="ARP001",
    slug="proxy-arp-enabled",
    title="Proxy ARP answers for the call manager",
    severity="high",
    facts=(INTERFACES,),
    platforms=("cisco_asa", "cisco_ios", "mikrotik_routeros"),
    roles=("firewall", "gateway", "router"),
    run=run,
    why="A device answering ARP for the call manager swallows phones' keep-alives; the "
    "phones unregister.",
    fix=FIX,
    tags=("arp", "registration"),
    references=("shared/seeds 001: Cisco note, ASA proxy ARP and phone keep-alives",),
)
