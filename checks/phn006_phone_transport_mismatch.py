"""A phone's SIP transport is not one the provider takes.

## What it checks
Each enabled account's transport (UDP, TCP, TLS, TCP+UDP, DNS NAPTR) against the
transports of the provider profile (`voip.transports`, else the protocols whose
signalling ports include 5060).

## Why it breaks calls
A REGISTER over a transport the provider does not listen on, or that the firewall does
not open (TLS on 5061 where only 5060 is allowed), never arrives: the line stays
unregistered, or registers over one transport and receives calls over another that is
closed.

## How to fix
Set the account's transport to one the provider uses (commands per vendor below).
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed, unknown
from fleetaudit.facts import PHONE_ACCOUNTS, PhoneAccount
from fleetaudit.platforms.phones.family import PHONE_PLATFORMS
from fleetaudit.policy import VoipPolicy

CODES = {
    "yealink_phone": {"udp": "0", "tcp": "1", "tls": "2"},
    "poly_phone": {"udp": "UDPOnly", "tcp": "TCPOnly", "tls": "TLS"},
    "grandstream_phone": {"udp": "0", "tcp": "1", "tls": "2"},
    "cisco_phone": {"udp": "UDP", "tcp": "TCP", "tls": "TLS"},
}
FIX = {
    "yealink_phone": "account.{a}.sip_server.1.transport_type = {code}",
    "poly_phone": 'reg.{a}.server.1.transport="{code}"',
    "grandstream_phone": "P130 = {code}",
    "cisco_phone": "Phone Security Profile: Device Security Mode / Transport Type = {code}",
}


def uses(transport: str) -> set[str]:
    """The transports a setting may send over.

    >>> sorted(uses("tcp+udp")), sorted(uses("tls"))
    (['tcp', 'udp'], ['tls'])
    """
    return {"tcp+udp": {"tcp", "udp"}, "dns-naptr": {"udp", "tcp", "tls"}}.get(
        transport, {transport}
    )


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    accounts: list[PhoneAccount] = host["phone_accounts"]
    allowed = set(policy.transports)
    for account in accounts:
        if not account.enabled:
            continue
        subject = f"account {account.index}"
        if account.transport is None:
            yield unknown(subject, f"{subject}: its SIP transport is not known")
            continue
        extra = uses(account.transport) - allowed
        if not extra:
            yield passed(subject, f"{subject}: SIP over {account.transport}")
            continue
        target = policy.transports[0]
        yield fail(
            subject,
            f"{subject} sends SIP over {account.transport.upper()}; "
            f"{policy.provider or 'the provider'} takes {', '.join(t.upper() for t in policy.transports)}",
            [account.ref("transport")],
            FIX[host.platform].format(a=account.index, code=CODES[host.platform][target]),
        )


CHECK = Check(
    id="PHN006",
    slug="phone-transport-mismatch",
    title="Phone SIP transport is not one the provider uses",
    severity="high",
    facts=(PHONE_ACCOUNTS,),
    platforms=PHONE_PLATFORMS,
    run=run,
    why="REGISTER and INVITEs over a transport the provider or the firewall does not take "
    "never arrive.",
    fix=FIX,
    tags=("phone", "transport", "provider"),
    references=("shared/seeds 000: provider signalling ports (UDP 5060; TCP 5060/5061)",),
)
