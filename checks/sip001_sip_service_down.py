"""SIP service down, or a SIP transport the trunk needs disabled.

## What it checks
On a Cisco voice gateway: `show sip service` must say `SIP Service is up` (not shut or
forced shut, globally or in the `sip` submode), and `show sip-ua status` must show the
SIP user agent enabled for each transport the trunk uses (from the provider profile:
the protocols its signalling ports carry 5060 on, or `voip.transports`).

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

from fleetaudit.checkkit import Check, Host, Result, fail, passed
from fleetaudit.facts import SIP_SERVICE, SIP_UA_STATUS, SipService, SipUaStatus
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
    for transport in policy.transports:
        enabled = status.transports.get(transport)
        ref = status.refs.get(transport)
        if enabled:
            yield passed(f"transport {transport}", f"SIP UA for {transport.upper()} enabled", [ref])
        elif enabled is False:
            yield fail(
                f"transport {transport}",
                f"SIP user agent for {transport.upper()} is DISABLED but the trunk uses "
                f"{transport.upper()} ({policy.describe()})",
                [ref],
                TRANSPORT_FIX[transport],
            )


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
