"""A trunk registration of the PBX is not registered.

## What it checks
Every outbound registration in `pjsip show registrations` (res_pjsip) and
`sip show registry` (chan_sip) whose state is not `Registered`, explained by its state.

## Why it breaks calls
While the trunk is not registered the provider does not know where to send the
number's calls (inbound calls fail) and usually refuses its outbound calls.
`Rejected` / `No Authentication` / `Auth. Sent`: the registrar refuses the credentials
(username, password, auth realm, or the account's source address). `Request Sent` /
`Unregistered` / `Timeout`: nothing answers — a firewall drops SIP, fail2ban on the
provider banned the PBX's address after failures, or the registrar's name does not resolve.

## How to fix
FreePBX: Connectivity → Trunks → the trunk → pjsip Settings (username, secret, SIP server)
and Apply Config — never the generated pjsip.registration.conf / pjsip.auth.conf. Plain
Asterisk: the `[auth]` section the registration's `outbound_auth` names in pjsip.conf (or
the `register =>` line in sip.conf), then `pjsip send register <name>`.
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed, unknown
from fleetaudit.platforms.asterisk.facts import Listing, Refused
from fleetaudit.policy import VoipPolicy

CAUSES = {
    "Rejected": "the registrar rejected the credentials (username, password or realm wrong, "
    "or the account does not accept this source address)",
    "No Authentication": "the registrar asked for authentication the PBX has no credentials for",
    "Auth. Sent": "the registrar keeps challenging the credentials sent (an auth loop: wrong "
    "password or realm)",
    "Request Sent": "no answer from the registrar: a firewall dropping SIP, a fail2ban ban on "
    "the provider's side, or the registrar's name not resolving (DNS)",
    "Unregistered": "not registered and no answer: a firewall, a fail2ban ban or DNS; or the "
    "registration stopped after its retries",
    "Timeout": "no answer from the registrar: firewall, fail2ban or DNS",
    "Failed": "the registration failed permanently (retries exhausted)",
    "Stopped": "the registration was stopped (retries exhausted or a fatal answer)",
}

FIX = {
    "asterisk": (
        "; FreePBX: Connectivity > Trunks > {name} > pjsip Settings: Username / Secret / "
        "SIP Server, then Apply Config (not the generated pjsip.registration.conf)\n"
        "; plain Asterisk, pjsip.conf (the auth its outbound_auth names):\n"
        "[{name}]\ntype=auth\nauth_type=userpass\nusername=<account>\npassword=<password>\n"
        '; then: asterisk -rx "pjsip send register {name}"'
    ),
}
FIX_SIP = (
    "; sip.conf [general] (FreePBX: the trunk's Register String in the GUI):\n"
    "register => <account>:<password>@{host}/<account>\n"
    '; then: asterisk -rx "sip reload"'
)


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    pjsip = host.facts.get("pjsip_registrations")
    chan_sip = host.facts.get("sip_registry")
    if pjsip is None and chan_sip is None:
        yield unknown("registrations", "not assessed: neither registration table was read")
        return
    seen = False
    if isinstance(pjsip, Listing):
        for reg in pjsip.items:
            seen = True
            subject = f"registration {reg.name}"
            if reg.status == "Registered":
                yield passed(subject, f"{reg.name} → {reg.server_uri} registered", [reg.ref])
                continue
            yield fail(
                subject,
                f"{reg.name} → {reg.server_uri} is {reg.status}: {CAUSES.get(reg.status, '')}",
                [reg.ref],
                FIX["asterisk"].format(name=reg.name),
            )
    if isinstance(chan_sip, Listing):
        for item in chan_sip.items:
            seen = True
            subject = f"registry {item.username}@{item.host}"
            if item.state == "Registered":
                yield passed(subject, f"{item.username}@{item.host} registered", [item.ref])
                continue
            yield fail(
                subject,
                f"{item.username}@{item.host}:{item.port} is {item.state}: "
                f"{CAUSES.get(item.state, 'not registered')}",
                [item.ref],
                FIX_SIP.format(host=item.host),
            )
    if not seen:
        refused = [f for f in (pjsip, chan_sip) if isinstance(f, Refused)]
        note = f" ({refused[0].line})" if refused else ""
        yield passed("registrations", f"no outbound registration configured{note}")


CHECK = Check(
    id="AST001",
    slug="asterisk-trunk-registration-failed",
    title="Asterisk trunk registration not registered",
    severity="high",
    facts=(),
    platforms=("asterisk",),
    roles=("pbx",),
    run=run,
    why="An unregistered trunk gets no inbound calls and its outbound calls are refused.",
    fix=FIX,
    tags=("asterisk", "sip", "registration"),
    references=(
        "Asterisk res_pjsip_outbound_registration.c / chan_sip.c regstate2str",
        "shared/seeds: sip show registry runbook (Rejected, No Authentication, Request Sent)",
    ),
)
