"""SIP registrations failing on the gateway.

## What it checks
Every line of `show sip-ua register status`: a number the gateway should have registered
with the provider's registrar that shows `registered no`.

## Why it breaks calls
An unregistered number receives no incoming calls (the provider does not know where to
send them) and most providers refuse its outgoing calls (403/404).

## How to fix
Look at `show sip-ua statistics` (SIP003) for the answers the registrar gives: 401/407
loops point at credentials, 403 at a wrong account or source address, 408 and Register
retries at a firewall/NAT dropping signalling or a SIP ALG rewriting it. Check the
`sip-ua` registrar and `credentials` lines, then force a re-registration.
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed
from fleetaudit.facts import SIP_UA_REGISTRATIONS, Registration
from fleetaudit.policy import VoipPolicy

FIX = {
    "cisco_ios": (
        "! first read the registrar's answers: show sip-ua statistics (SIP003)\n"
        "sip-ua\n"
        " credentials number {line} username <user> password 0 <password> realm <realm>\n"
        " registrar dns:<provider registrar> expires 600"
    ),
}


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    registrations: list[Registration] = host["sip_ua_registrations"]
    if not registrations:
        yield passed("registrations", "no registrations configured on this gateway")
    for reg in registrations:
        subject = f"line {reg.line}"
        if reg.registered:
            yield passed(subject, f"{reg.line} registered (expires {reg.expires_s} s)", [reg.ref])
        else:
            yield fail(
                subject,
                f"{reg.line} (peer {reg.peer}) is not registered with the registrar",
                [reg.ref],
                FIX["cisco_ios"].format(line=reg.line),
            )


CHECK = Check(
    id="SIP002",
    slug="sip-registration-failed",
    title="SIP trunk registration failed",
    severity="high",
    facts=(SIP_UA_REGISTRATIONS,),
    platforms=("cisco_ios",),
    roles=("gateway",),
    run=run,
    why="An unregistered number gets no incoming calls and its outgoing calls are refused.",
    fix=FIX,
    tags=("sip", "registration", "gateway"),
    references=("shared/seeds: `show sip-ua register status` sample",),
)
