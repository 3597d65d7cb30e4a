"""The provider's subnets are not all matched to the trunk.

## What it checks
Every provider subnet (`voip.subnets`) must be covered by the trunk's res_pjsip
`identify` `match=` entries (or, for chan_sip, the trunk peer's `permit` list, else its
`host`).

## Why it breaks calls
A call from a provider address no identify matches is not associated with the trunk: it
lands on the anonymous endpoint (or is rejected with 401/403): inbound calls from the
provider's other servers fail, typically only some of them, after a provider fail-over.

## How to fix
FreePBX: Connectivity → Trunks → the trunk → pjsip Settings → Advanced → Match (Permit):
the provider's subnets; plain Asterisk: `match=<subnet>` in the identify section.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed, unknown
from fleetaudit.platforms.asterisk import config
from fleetaudit.policy import VoipPolicy

FIX = {
    "asterisk": "; FreePBX: Connectivity > Trunks > {name} > pjsip Settings > Advanced > Match "
    "(Permit): {subnet}; plain Asterisk, pjsip.conf:\n[{name}](+)\ntype=identify\nmatch={subnet}",
}
FIX_SIP = "; sip.conf (FreePBX: the trunk's PEER Details):\n[{name}](+)\npermit={subnet}"


def _networks(values: tuple[str, ...]) -> list[ipaddress.IPv4Network]:
    found = []
    for value in values:
        text = value.strip().split(":")[0] if value.count(":") == 1 else value.strip()
        try:
            found.append(ipaddress.IPv4Network(text.replace(":5060", ""), strict=False))
        except ValueError:
            continue  # a host name or a header match: not an address to compare
    return found


def _covered(subnet: ipaddress.IPv4Network, networks: list[ipaddress.IPv4Network]) -> bool:
    return any(subnet.subnet_of(n) for n in networks)


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    if not policy.subnets:
        yield unknown("identify", "the provider profile lists no subnets (voip.subnets)")
        return
    pjsip, sip = config.pjsip(host.facts), config.sip(host.facts)
    if pjsip is None and sip is None:
        yield unknown("identify", "not assessed: neither pjsip.conf nor sip.conf read")
        return
    found = 0
    for identify in pjsip.identifies if pjsip else ():
        found += 1
        networks = _networks(identify.matches)
        item = identify.section.item("match")
        ref = item.ref() if item else identify.section.ref()
        for subnet in policy.subnets:
            subject = f"identify {identify.name}: {subnet}"
            if _covered(subnet, networks):
                yield passed(subject, f"{subnet} is matched to {identify.endpoint}", [ref])
            else:
                yield fail(
                    subject,
                    f"identify {identify.name} matches {', '.join(identify.matches) or 'nothing'}, "
                    f"not the provider's {subnet}: calls from its other addresses are anonymous",
                    [ref],
                    FIX["asterisk"].format(name=identify.name, subnet=subnet),
                )
    for peer in sip.peers if sip else ():
        if peer.type != "peer":
            continue
        found += 1
        permits = _networks(tuple(p.replace("/255.255.255.", "/255.255.255.") for p in peer.permit))
        item = peer.section.item("permit") or peer.section.item("host")
        ref = item.ref() if item else peer.section.ref()
        for subnet in policy.subnets:
            subject = f"peer {peer.name}: {subnet}"
            if _covered(subnet, permits):
                yield passed(subject, f"{subnet} is permitted on {peer.name}", [ref])
            else:
                yield fail(
                    subject,
                    f"peer {peer.name} does not cover the provider's {subnet}",
                    [ref],
                    FIX_SIP.format(name=peer.name, subnet=subnet),
                )
    if not found:
        yield unknown("identify", "no identify section and no chan_sip trunk peer found")


CHECK = Check(
    id="AST006",
    slug="asterisk-provider-not-identified",
    title="The provider's subnets are not all matched to the Asterisk trunk",
    severity="high",
    facts=(),
    platforms=("asterisk",),
    roles=("pbx",),
    run=run,
    why="A call from a provider address no identify matches is treated as anonymous or rejected.",
    fix=FIX,
    tags=("asterisk", "identify", "provider"),
    references=("Asterisk res_pjsip_endpoint_identifier_ip.c",),
)
