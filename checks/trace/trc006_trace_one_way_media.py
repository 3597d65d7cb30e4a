"""One-way media: RTP flows in one direction only in an answered call.

## What it checks
For each answered INVITE whose offer and answer both carry an audio address, the RTP
packets in the capture sent to each of the two addresses. It fires when one side
received RTP and the other none. Captures without RTP (filtered to the SIP port) are
not judged.

## Why it breaks calls
The side that receives nothing hears silence: its announced media address is private
or rewritten wrongly (NAT, SIP ALG), or a firewall drops the RTP port range.

## How to fix
Check the silent side's SDP address (TRC004 shows private ones), the RTP range on the
site's firewall (FW001) and the SIP ALG (ALG001).
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result
from fleetaudit.policy import VoipPolicy
from fleetaudit.trace.checks import FACT, PLATFORM, results

FIX = {PLATFORM: "make the silent side's media address reachable (NAT, ALG off, RTP range open)"}


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    yield from results(host, "TRC006", FIX[PLATFORM])


CHECK = Check(
    id="TRC006",
    slug="trace-one-way-media",
    title="One-way audio: RTP in one direction only",
    severity="high",
    facts=(FACT,),
    platforms=(PLATFORM,),
    run=run,
    why="One side hears nothing: its media address is unreachable.",
    fix=FIX,
    tags=("rtp", "trace", "nat"),
    references=("shared/seeds: one-way audio and NAT notes",),
)
