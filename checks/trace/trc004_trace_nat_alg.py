"""NAT and ALG traces in the signalling.

## What it checks
Packets whose IP source is public but whose Via, Contact or SDP `c=` names a private
address (RFC 1918, 100.64/10, fc00::/7); responses whose top Via carries `received` /
`rport` different from the sent-by address (the far end saw another address or port);
the same message captured at two points (two legs, or two capture files) with its SDP
rewritten between them.

## Why it breaks calls
A private address leaving the site means nothing rewrote it: the far end sends answers
and media to an address it cannot reach (one-way audio, calls dropping at 30 s). A
rewritten SDP or Via between two legs is a SIP ALG at work; when the PBX or provider
also handles NAT, the double rewrite breaks media and registrations.

## How to fix
Handle NAT in one place: on the PBX/phone (external address, rport, STUN) or on an SBC,
and turn the SIP ALG off on the devices between (ALG001 gives the commands per platform).
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result
from fleetaudit.policy import VoipPolicy
from fleetaudit.trace.checks import FACT, PLATFORM, results

FIX = {
    PLATFORM: "set the PBX's external signalling/media address (pjsip transport "
    "external_media_address / external_signaling_address), enable rport, turn the SIP ALG off"
}


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    yield from results(host, "TRC004", FIX[PLATFORM])


CHECK = Check(
    id="TRC004",
    slug="trace-nat-alg",
    title="Private addresses, received/rport or rewritten SDP: NAT or ALG in the path",
    severity="medium",
    facts=(FACT,),
    platforms=(PLATFORM,),
    run=run,
    why="Addresses the far end cannot reach, or rewritten twice: one-way audio, dropped calls, "
    "flapping registrations.",
    fix=FIX,
    tags=("sip", "trace", "nat"),
    references=("shared/seeds: NAT and SIP ALG notes",),
)
