"""A request ended in a 4xx, 5xx or 6xx final response.

## What it checks
Every transaction of the capture whose final response is an error, explained with the
project's SIP code table (fleetaudit/sipcodes.py) and with what the far end says about
it: the `Reason:` header and Asterisk's `X-Asterisk-HangupCause` /
`X-Asterisk-HangupCauseCode` (the Q.850 cause). Normal outcomes (486 Busy, 487
cancelled, 600/603) and challenges (401/407, see TRC001) are not flagged.

## Why it breaks calls
The response code is the far end's own reason for failing the call: 404/604 a number
that does not exist, 403 a caller that is not allowed, 488 no common codec, 503 after
100 Trying a server with no route for the number (Asterisk: cause 1, unallocated number).

## How to fix
Follow the likely cause in the message: the dialled number and its format, the dial
plan or route on the far side, the codec list, the trunk's account.
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result
from fleetaudit.policy import VoipPolicy
from fleetaudit.trace.checks import FACT, PLATFORM, results

FIX = {PLATFORM: "fix the cause the response code and its hangup cause point at (see message)"}


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    yield from results(host, "TRC002", FIX[PLATFORM])


CHECK = Check(
    id="TRC002",
    slug="trace-error-response",
    title="Request failed with a 4xx/5xx/6xx final response",
    severity="medium",
    facts=(FACT,),
    platforms=(PLATFORM,),
    run=run,
    why="The far end refused or could not complete the request; the code and hangup cause say why.",
    fix=FIX,
    tags=("sip", "trace"),
    references=(
        "shared/seeds: SIP response code tables; 100 Trying then 503 with X-Asterisk-HangupCause",
    ),
)
