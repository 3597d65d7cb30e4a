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
Disable proxy ARP on the interfaces that face phones and servers (commands below). Not
on an ASA interface into whose subnet a static NAT maps an address (`nat (voice,outside)
static 203.0.113.5` with outside 203.0.113.0/29): the ASA must answer ARP for that
address there, so proxy ARP stays on (where `sysopt noproxyarp` is already set there, the
pass says that inbound SIP/RTP then depends on the upstream router routing the address).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed
from fleetaudit.facts import INTERFACES, Interface, Nat, NatRule
from fleetaudit.policy import VoipPolicy

FIX = {
    "cisco_asa": "sysopt noproxyarp {nameif}",
    "cisco_ios": "interface {interface}\n no ip proxy-arp",
    "mikrotik_routeros": "/interface {kind} set [find name={interface}] arp=enabled",
}


# 8.3+ `nat (real,mapped) static ADDRESS`; pre-8.3 `static (real,mapped) [tcp|udp] ADDRESS ...`
STATIC = re.compile(
    r"\b(?:nat \((?P<real>[^,\s]+),(?P<mapped>[^)\s]+)\) static"
    r"|^static \((?P<real_old>[^,\s]+),(?P<mapped_old>[^)\s]+)\)(?: (?:tcp|udp))?) (?P<address>\S+)"
)


def mapped_into(iface: Interface, nat: Nat | None) -> list[tuple[str, NatRule]]:
    """Static NAT addresses in the interface's own subnet, other than its own address:
    the ASA must answer ARP for them there (proxy ARP), or inbound traffic to them (the
    provider's SIP and RTP to the PBX) never arrives."""
    if nat is None or not iface.nameif:
        return []
    subnets = [ipaddress.IPv4Interface(cidr) for cidr in iface.ipv4]
    found = []
    for rule in nat.rules:
        m = STATIC.search(rule.ref.text if rule.ref else rule.text)
        if not m or (m["mapped"] or m["mapped_old"]) not in (iface.nameif, "any"):
            continue
        try:
            address = ipaddress.IPv4Address(m["address"])
        except ValueError:  # `interface` (its own address) or an object name
            continue
        if any(address in s.network and address != s.ip for s in subnets):
            found.append((str(address), rule))
    return found


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    interfaces: list[Interface] = host["interfaces"]
    nat = host.facts.get("nat")
    for iface in interfaces:
        if iface.proxy_arp is None or not iface.enabled:
            continue
        context = _context(iface)
        label = f"{context}/{iface.nameif}" if context else iface.nameif or iface.name
        mapped = mapped_into(iface, nat) if host.platform == "cisco_asa" and not context else []
        if mapped:
            yield from _static_nat(iface, mapped)
            continue
        if not iface.proxy_arp:
            yield passed(label, f"{label}: proxy ARP off", [iface.proxy_arp_ref])
            continue
        fix = FIX[host.platform].format(
            nameif=iface.nameif, interface=iface.name, kind=iface.kind or "ethernet"
        )
        if host.platform == "cisco_asa":
            where = f" in context {context}" if context else ""
            yield fail(
                label,
                f"interface {iface.name} ({iface.nameif}){where} answers ARP for other hosts: "
                f"no `sysopt noproxyarp {iface.nameif}`",
                [iface.proxy_arp_ref, iface.ref],
                f"changeto context {context}\n{fix}" if context else fix,
            )
        else:
            yield fail(
                label,
                f"{iface.name} ({', '.join(iface.ipv4)}) has proxy ARP on",
                [iface.proxy_arp_ref, iface.ref],
                fix,
                severity="low",
            )


def _context(iface: Interface) -> str | None:
    """The ASA security context the interface belongs to (multiple context mode)."""
    kind = iface.kind or ""
    return kind.removeprefix("context ") if kind.startswith("context ") else None


def _static_nat(iface: Interface, mapped: list[tuple[str, NatRule]]) -> Iterator[Result]:
    addresses = ", ".join(a for a, _ in mapped)
    rules = "; ".join(f"`{r.ref.text if r.ref else r.text}`" for _, r in mapped)
    label = iface.nameif or iface.name
    if iface.proxy_arp:
        yield passed(
            label,
            f"{label}: proxy ARP stays on: the ASA must answer ARP for {addresses} ({rules} "
            f"maps it into the {label} subnet); `sysopt noproxyarp {label}` would cut inbound "
            "SIP/RTP to it",
            [iface.proxy_arp_ref, *(r.ref for _, r in mapped)],
        )
        return
    # with proxy ARP off here the mapped address is reachable only if the upstream
    # router routes it to the ASA; the config cannot show that, so it is said, not failed
    yield passed(
        label,
        f"{label}: proxy ARP off (`sysopt noproxyarp {label}`) although {rules} maps "
        f"{addresses} into the {label} subnet: inbound SIP/RTP to it arrives only if the "
        f"upstream router routes {addresses} to the ASA; if it ARPs for it instead, "
        f"`no sysopt noproxyarp {label}`",
        [iface.proxy_arp_ref, *(r.ref for _, r in mapped)],
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
