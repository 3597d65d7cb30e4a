"""Registration interval longer than the site's NAT/UDP timeout.

## What it checks
The interval each REGISTER asks for (`Expires:` or the Contact's `expires=`) and the
one the registrar grants in its 2xx, against the shortest NAT/UDP timeout of the site's
devices in its latest stored audit (`--site S`; NAT001 reads the same fact). Without
`--site` the registrations are reported as not assessed.

## Why it breaks calls
The phone's NAT binding lives only as long as the device's UDP timeout after the last
packet. A registration refreshed every hour behind a 30 s timeout leaves the phone
unreachable for nearly all of that hour: it shows "registered" and never rings.

## How to fix
Register more often than the timeout (or enable SIP keep-alives on the phone), or raise
the UDP timeout on the NAT device (NAT001 gives the command per platform).
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result
from fleetaudit.policy import VoipPolicy
from fleetaudit.trace.checks import FACT, PLATFORM, registration_results

FIX = {PLATFORM: "shorten the registration interval below the NAT UDP timeout, or raise it"}


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    yield from registration_results(host, FIX[PLATFORM])


CHECK = Check(
    id="TRC005",
    slug="trace-registration-outlives-nat",
    title="Registration interval longer than the site's NAT/UDP timeout",
    severity="high",
    facts=(FACT,),
    platforms=(PLATFORM,),
    run=run,
    why="The NAT binding closes before the next REGISTER: incoming calls stop reaching the phone.",
    fix=FIX,
    tags=("sip", "trace", "nat"),
    references=("shared/seeds: REGISTER Expires; NAT UDP timeouts",),
)
