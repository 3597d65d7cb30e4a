"""SIP service down, or a SIP transport the trunk needs disabled.

## What it checks
On a Cisco voice gateway: `show sip service` must say `SIP Service is up` (not shut or
forced shut, globally or in the `sip` submode), and `show sip-ua status` must show the
SIP user agent enabled for each transport the trunk uses: the SIP dial-peers'
`session transport` (else the global `voice service voip` / `sip` default, else UDP) and
the `sip-ua` registrar's transport. Only without a SIP dial-peer in the running config
does it fall back to the provider profile (`voip.transports`, else the protocols its
signalling ports carry 5060 on) — what the provider accepts is not what the trunk uses.

## Why it breaks calls
With the SIP service shut the gateway neither registers nor places nor accepts calls.
With a transport disabled, every request the provider sends over it (and every
registration the gateway should send over it) fails, typically as timeouts.

## How to fix
Start the SIP service and enable the needed transports under `voice service voip` /
`sip` (commands below).
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed, unknown
from fleetaudit.facts import (
    SIP_SERVICE,
    SIP_TRUNK,
    SIP_UA_STATUS,
    Ref,
    SipService,
    SipTrunkTransport,
    SipUaStatus,
)
from fleetaudit.policy import VoipPolicy

FIX = {
    "cisco_ios": "voice service voip\n no shutdown\n sip\n  call service start\n  no shutdown",
}
TRANSPORT_FIX = {
    "udp": "sip-ua\n transport udp",
    "tcp": "sip-ua\n transport tcp",
    "tls": "sip-ua\n transport tcp tls v1.2",
}


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    service: SipService = host["sip_service"]
    status: SipUaStatus = host["sip_ua_status"]
    if service.up:
        yield passed("sip service", "SIP service is up", [service.ref])
    else:
        yield fail(
            "sip service",
            f"SIP service is {service.state}",
            [service.ref],
            FIX["cisco_ios"],
            severity="critical",
        )
    if SIP_TRUNK in host.facts and host.facts[SIP_TRUNK] is None:
        yield unknown(
            "transport", "the running config (which transports the trunk uses) is unreadable"
        )
        return
    used = trunk_transports(host, policy)
    for transport, (where, used_ref) in used.items():
        enabled = status.transports.get(transport)
        ref = status.refs.get(transport)
        if enabled:
            yield passed(f"transport {transport}", f"SIP UA for {transport.upper()} enabled", [ref])
        elif enabled is False:
            yield fail(
                f"transport {transport}",
                f"SIP user agent for {transport.upper()} is DISABLED but the trunk uses "
                f"{transport.upper()} ({where})",
                [ref, used_ref],
                TRANSPORT_FIX[transport],
            )


def trunk_transports(host: Host, policy: VoipPolicy) -> dict[str, tuple[str, Ref | None]]:
    """Transport -> what says the trunk uses it: the SIP dial-peers and the registrar
    (the running config); the provider profile only when the config is not known or has
    no SIP dial-peer (what the provider accepts is not what the trunk uses)."""
    trunk: list[SipTrunkTransport] | None = host.facts.get(SIP_TRUNK)
    if trunk:
        used: dict[str, tuple[str, Ref | None]] = {}
        for item in trunk:
            used.setdefault(item.transport, (item.where, item.ref))
        return used
    return {t: (policy.describe(), None) for t in policy.transports}


CHECK = Check(
    id="SIP001",
    slug="sip-service-down",
    title="SIP service down or needed transport disabled",
    severity="high",
    facts=(SIP_SERVICE, SIP_UA_STATUS),
    platforms=("cisco_ios",),
    roles=("gateway",),
    run=run,
    why="A shut SIP service or disabled transport means no registration and no calls over it.",
    fix=FIX | {"cisco_ios (transport)": "\n".join(TRANSPORT_FIX.values())},
    tags=("sip", "gateway"),
    references=("shared/seeds: Cisco `show sip service` / `show sip-ua status` samples",),
)
