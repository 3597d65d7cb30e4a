"""The provider's signalling ports (or "any traffic from its subnets") are not open.

## What it checks
Like FW001, for the provider's signalling ports per protocol (`voip.signalling`, e.g.
TCP 80, 443, 5060, 5061, 11024 and UDP 5060) and, where the profile asks for it
(`voip.any_traffic: true`), for any TCP/UDP traffic from the provider's subnets: every
closed port or sub-range with the rule that closes it, per block of provider addresses
when the rules treat them differently (a rule for one host of the subnet, a subnet with
a typo).

## Why it breaks calls
SIP requests from the provider (incoming INVITEs, OPTIONS pings, re-INVITEs, NOTIFY)
that the firewall drops mean no incoming calls, trunks marked down by the provider's
OPTIONS monitoring, and calls torn down when a re-INVITE is lost. TLS (5061) or TCP
signalling closed while only UDP 5060 is open breaks the moment the provider switches
transport; the provider's other services (provisioning over 80/443, XIMSS 11024) fail.

## How to fix
Permit the provider's subnets (any traffic, or at least the signalling ports) to the
voice target, placed before the rule that closes them; the remediation gives the lines.
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
    yield from reach.results(host, policy, reach.signalling_wants, "signalling")


CHECK = Check(
    id="FW002",
    slug="provider-signalling-blocked",
    title="The provider's signalling ports or subnets are (partly) closed",
    severity="high",
    facts=(INTERFACES,),
    platforms=PLATFORMS,
    roles=("firewall", "router", "gateway"),
    run=run,
    why="SIP from the provider that the firewall drops means no incoming calls and trunks "
    "marked down by the provider's OPTIONS pings.",
    # the fix each platform's firewall planner writes, rendered on its documented example
    fix=PlannedFixes(run, PLATFORMS),
    tags=("firewall", "sip", "provider"),
    references=(
        "shared/seeds 000: provider requirements — TCP 80, 443, 5060, 5061, 11024; UDP 5060; "
        "any traffic from 193.201.230.128/26",
    ),
)
