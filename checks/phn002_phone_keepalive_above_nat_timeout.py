"""A phone refreshes its NAT binding less often than the NAT in front of it forgets it.

## What it checks
For every enabled account, how often the phone sends something that keeps its UDP NAT
binding open — its NAT keep-alive when that is on, else its re-registration (the expiry
it asks for, less the vendor's margin: 3600 s less 60 s on Poly, 120 s less 5 s on Cisco)
— against the UDP timeout of the site's NAT devices (`nat.udp_timeout_s` of each router,
firewall or gateway of the same site that translates addresses; the shortest one wins).
It fires when the interval is not shorter than the timeout.

## Why it breaks calls
When the binding expires, the provider's requests (incoming INVITEs, OPTIONS) hit a
closed port: incoming calls fail while the phone still shows "registered", until its
next REGISTER opens a new binding. The seeds: phones registering for 3600 s behind a
router that closes the UDP binding far sooner; the fix there was a 60 s registration.

## How to fix
Turn on the phone's NAT keep-alive with an interval well below the NAT timeout, or
shorten the registration expiry (the seeds: 60 s), or lengthen the NAT's UDP timeout.
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed, unknown
from fleetaudit.facts import PHONE_ACCOUNTS, Nat, PhoneAccount, Ref
from fleetaudit.platforms.phones.family import PHONE_PLATFORMS
from fleetaudit.policy import VoipPolicy

FIX = {
    "poly_phone": 'nat.keepalive.interval="{safe}"',
    "yealink_phone": "account.{account}.nat.udp_update_enable = 1\n"
    "account.{account}.nat.udp_update_time = {safe}",
    "grandstream_phone": "P32 = 1\n(register expiration 1 minute; or lengthen the NAT's UDP "
    "timeout above it)",
    "cisco_phone": "SIP Profile: Timer Register Expires (seconds) = {safe_register}\n"
    "(or, with a call manager, its SIP Station KeepAlive Interval)",
}
# below these a provider answers 423 Interval Too Brief (registration) or the phone
# floods the trunk (keep-alive): a NAT that forgets sooner is fixed on the NAT
MIN_REGISTER_S = 60
MIN_KEEPALIVE_S = 15
SANE_NAT_TIMEOUT_S = 2 * MIN_REGISTER_S


def safe_interval(timeout_s: int) -> int:
    """A keep-alive comfortably inside a NAT timeout: half of it, at least 5 s.

    >>> safe_interval(120), safe_interval(10)
    (60, 5)
    """
    return max(5, timeout_s // 2)


def how_often(account: PhoneAccount) -> str:
    if account.keepalive_s and account.keepalive_s == account.refresh_s:
        return f"NAT keep-alive every {account.keepalive_s} s"
    expires = account.register_expires_s
    return f"re-registers every {account.refresh_s} s (expiry {expires} s, no keep-alive)"


def _proof(account: PhoneAccount) -> list[Ref | None]:
    """The line that sets the interval used first, then the keep-alive setting."""
    if account.keepalive_s and account.keepalive_s == account.refresh_s:
        return [account.ref("keepalive_s")]
    return [account.ref("register_expires_s"), account.ref("keepalive_s")]


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    accounts: list[PhoneAccount] = host["phone_accounts"]
    assessed = [p for p in host.peers if p.facts.get("nat") is not None]
    nats = [
        (p, nat)
        for p in assessed
        if isinstance(nat := p.facts["nat"], Nat) and nat.enabled and nat.udp_timeout_s
    ]
    if not assessed:
        yield unknown("nat", "no router, firewall or gateway of this site was assessed")
        return
    # a peer whose platform reads NAT (the fact is declared, so present) but could not
    unseen = [p.name for p in host.peers if "nat" in p.facts and p.facts["nat"] is None]
    if unseen:  # its NAT may time out sooner than the ones that were read
        why = f"the NAT of {', '.join(unseen)} is unknown (its evidence is missing or damaged)"
        yield unknown("nat", f"not assessed: {why}")
        return
    if not nats:
        yield passed("nat", "no device of this site translates addresses")
        return
    device, nat = min(nats, key=lambda item: item[1].udp_timeout_s or 0)
    timeout = int(nat.udp_timeout_s or 0)
    for account in accounts:
        subject = f"account {account.index}"
        if not account.enabled:
            continue
        if account.refresh_s is None:
            yield unknown(subject, f"{subject}: neither its keep-alive nor its expiry is known")
            continue
        if account.refresh_s < timeout:
            yield passed(subject, f"{subject}: {how_often(account)} < {device.name} {timeout} s")
            continue
        yield _fail(host, account, device, nat, timeout)


def _fail(host: Host, account: PhoneAccount, device: Host, nat: Nat, timeout: int) -> Result:
    """The fix goes where the cause is: a NAT timeout no sane refresh can beat is fixed
    on the NAT device (NAT001's cause); otherwise the phone refreshes inside it, never
    below what a provider accepts, and never "set" to the value it already has."""
    subject = f"account {account.index}"
    message = (
        f"{subject} {how_often(account)}; {device.name} forgets an idle UDP binding after "
        f"{timeout} s, so incoming calls are lost between refreshes"
    )
    refs = [*_proof(account), nat.udp_timeout_ref]
    if timeout < SANE_NAT_TIMEOUT_S:
        return fail(
            subject,
            f"{message}. The cause is {device.name}'s {timeout} s UDP timeout: no phone should "
            f"re-register below {MIN_REGISTER_S} s (providers answer 423 Interval Too Brief) "
            "or send keep-alives that often; lengthen the timeout there (NAT001)",
            refs,
            f"! on {device.name} (NAT001), not on the phone:\n"
            f"! lengthen its UDP timeout to at least {SANE_NAT_TIMEOUT_S} s",
            cause=f"{device.name}: UDP NAT timeout too short",
        )
    safe = max(MIN_KEEPALIVE_S, safe_interval(timeout))
    register = max(MIN_REGISTER_S, safe + 5)
    fix = FIX[host.platform].format(account=account.index, safe=safe, safe_register=register)
    if host.platform == "grandstream_phone" and (account.register_expires_s or 0) <= 60:
        fix = (  # P32 = 1 (minute) is what it has: a shorter expiry is not the fix
            f"! {device.name}: lengthen its UDP timeout above {account.refresh_s} s (NAT001); "
            "the phone already registers every minute"
        )
    return fail(subject, message, refs, fix, cause=f"{host.name}: refreshes too slowly")


CHECK = Check(
    id="PHN002",
    slug="phone-keepalive-above-nat-timeout",
    title="Phone refreshes its NAT binding less often than the NAT times it out",
    severity="high",
    facts=(PHONE_ACCOUNTS,),
    peer_facts=("nat",),
    platforms=PHONE_PLATFORMS,
    run=run,
    why="The NAT binding expires between refreshes; the provider's INVITEs hit a closed port.",
    fix=FIX,
    tags=("phone", "nat", "registration"),
    references=("shared/seeds 000: 3600 s registration behind NAT, fix: 60 s",),
)
