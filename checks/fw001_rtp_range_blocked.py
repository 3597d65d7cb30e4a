"""The provider's RTP range is not fully open from its subnets to the voice targets.

## What it checks
For every firewall, router and voice gateway, every provider subnet (`voip.subnets`) and
every voice target behind the device (`voip.targets`: the PBX and gateways, else the
phones' subnets; a voice gateway is its own target), the provider's RTP range
(`voip.rtp`, e.g. UDP 10000-65535) is evaluated through the device's rules the way the
device evaluates them, first match, for the whole range at once: ASA access-lists
(interface, global, `out`; object-groups nested in object-groups, port operators,
security levels, static NAT), RouterOS `dstnat` then the `forward` chain (jump/return,
address-lists, interface lists, connection state, disabled rules skipped), IOS
access-lists on the WAN interface. It states every sub-range and the rule that decides
it: "UDP 10000-20000 permitted by access-list OUTSIDE_IN line 3; 20001-65535 denied by
access-list OUTSIDE_IN line 6". A zone-based firewall or a rule it cannot read makes it
unknown.

## Why it breaks calls
Media flows from the provider's subnets to the PBX/phones: the provider sends RTP to
whichever port of the range the PBX or phone offered in its own SDP. A firewall that opens 10000-20000 when the provider uses up to 65535 (or a subnet with a typo, or a
drop rule above the accept) lets signalling through, so calls ring and connect, but
the audio of every call whose port falls in a closed sub-range never arrives: one-way
or no audio, calls dropped after the RTP timeout.

## How to fix
Permit the whole RTP range from the provider's subnets to the target, placed before the
rule that closes it (the remediation names the exact line, sequence number or
`place-before`); on RouterOS also forward (dst-nat) the range to the PBX.
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result
from fleetaudit.facts import INTERFACES
from fleetaudit.policy import VoipPolicy
from fleetaudit.rules import reach
from fleetaudit.rules.examples import PlannedFixes

PLATFORMS = ("cisco_asa", "mikrotik_routeros", "cisco_ios")


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    yield from reach.results(host, policy, reach.rtp_wants, "RTP range")


CHECK = Check(
    id="FW001",
    slug="rtp-range-blocked",
    title="The provider's RTP range is (partly) closed",
    severity="high",
    facts=(INTERFACES,),
    platforms=PLATFORMS,
    roles=("firewall", "router", "gateway"),
    run=run,
    why="RTP from the provider's subnets to the PBX/phones arrives on the port they offered; "
    "a closed port drops it: calls connect with one-way or no audio.",
    # the fix each platform's firewall planner writes, rendered on its documented example
    fix=PlannedFixes(run, PLATFORMS),
    tags=("firewall", "rtp", "provider"),
    references=(
        "shared/seeds 000: provider requirements — UDP 10000-65535 (RTP), any traffic from "
        "193.201.230.128/26; 'ports 10000-20000 not forwarded' thread",
    ),
)
