"""A phone account that is not registered.

## What it checks
Each account (line) a phone reports through its web interface — Poly `lineInfo`, Cisco's
call manager state on `/NetworkConfigurationX`, Yealink's status page, Grandstream's line
status — and flags those that are configured and active but not registered.

## Why it breaks calls
An unregistered line cannot receive calls at all and, with most providers, cannot place
them either: the provider does not know where the extension is. The seeds' usual causes:
a wrong password (403/401 loops), a wrong SIP server or outbound proxy, a NAT binding that
expired between registrations, a firewall closing the signalling port.

## How to fix
Read the phone's registration error (its web page or syslog), then check the account's
user/password and server against the provider's data and the path to the provider
(NAT timeout, firewall, SIP ALG). The fix commands re-trigger the registration once the
cause is fixed.
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed
from fleetaudit.facts import PHONE_REGISTRATIONS, PhoneRegistration
from fleetaudit.platforms.phones.family import PHONE_PLATFORMS
from fleetaudit.policy import VoipPolicy

FIX = {
    "cisco_phone": "Check the line's directory number and digest credentials on the call "
    "manager, then reset the phone (Settings > Admin > Reset, or `Reset` on the device page)",
    "poly_phone": 'reg.{account}.auth.userId="<user>"\nreg.{account}.auth.password="<password>"\n'
    "(then Settings > Basic > Restart Phone)",
    "yealink_phone": "account.{account}.user_name = <user>\naccount.{account}.password = <password>\n"
    "(then Account > Register > Confirm)",
    "grandstream_phone": "P35 = <user>\nP34 = <password>\n(then Account > General > Save and Apply)",
}


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    registrations: list[PhoneRegistration] = host["phone_registrations"]
    for reg in registrations:
        subject = f"account {reg.account}"
        where = f" with {reg.registrar}" if reg.registrar else ""
        if reg.registered:
            yield passed(subject, f"{subject} registered{where}", [reg.ref])
            continue
        yield fail(
            subject,
            f"{subject} is not registered{where} (the phone says: {reg.state})",
            [reg.ref],
            FIX[host.platform].format(account=reg.account),
        )


CHECK = Check(
    id="PHN001",
    slug="phone-not-registered",
    title="Phone account not registered",
    severity="high",
    facts=(PHONE_REGISTRATIONS,),
    platforms=PHONE_PLATFORMS,
    run=run,
    why="An unregistered line can neither receive calls nor, with most providers, place them.",
    fix=FIX,
    tags=("phone", "registration"),
    references=("shared/seeds 000: registration failures (401/403/408), SIP response codes",),
)
