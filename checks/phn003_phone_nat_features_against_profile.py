"""STUN, NAT traversal or an outbound proxy on a phone whose provider wants them off.

## What it checks
The provider profile's `phone_features_off` (for the seeds' provider: `stun`,
`nat_traversal`, `outbound_proxy`) against each enabled account: STUN on (Yealink
`nat.nat_traversal = 1`, Grandstream `P52 = 1`, Poly ICE STUN server), NAT traversal on
(rport / static NAT address / Grandstream UPnP or auto), an outbound proxy set.

## Why it breaks calls
Behind a provider's session border controller these features rewrite the phone's
addresses a second time: the SBC answers to the STUN-learned public address, media goes
one way, re-INVITEs land on the wrong port; an outbound proxy the provider does not run
makes REGISTER fail outright. The provider's requirements (seed): "STUN, NAT Traversal,
Outbound proxy must be off on the device".

## How to fix
Turn the named features off on the account (the commands per vendor below).
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed, unknown
from fleetaudit.facts import PHONE_ACCOUNTS, PhoneAccount
from fleetaudit.platforms.phones.family import PHONE_PLATFORMS
from fleetaudit.policy import VoipPolicy

FIX = {
    "yealink_phone": {
        "stun": "account.{a}.nat.nat_traversal = 0",
        "nat_traversal": "account.{a}.nat.rport = 0",
        "outbound_proxy": "account.{a}.outbound_proxy_enable = 0",
    },
    "poly_phone": {
        "stun": 'tcpIpApp.ice.stun.server=""',
        "nat_traversal": 'nat.ip=""',
        "outbound_proxy": 'reg.{a}.outboundProxy.address=""\nvoIpProt.SIP.outboundProxy.address=""',
    },
    "grandstream_phone": {
        "stun": "P52 = 0",
        "nat_traversal": "P52 = 0",
        "outbound_proxy": "P48 = ",
    },
    "cisco_phone": {
        "stun": "(enterprise firmware has no STUN)",
        "nat_traversal": "SIP Profile: uncheck Enable NAT (natEnabled false)",
        "outbound_proxy": "SIP Profile: clear Outbound Proxy",
    },
}
NAMES = {"stun": "STUN", "nat_traversal": "NAT traversal", "outbound_proxy": "outbound proxy"}


def _state(account: PhoneAccount, feature: str) -> bool | None:
    if feature == "outbound_proxy":
        return account.outbound_proxy is not None
    value = getattr(account, feature, None)
    return value if isinstance(value, bool) else None


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    accounts: list[PhoneAccount] = host["phone_accounts"]
    wanted_off = [f for f in policy.phone_features_off if f in NAMES]
    if not wanted_off:
        yield passed("profile", f"{policy.describe()} asks no phone feature to be off")
        return
    for account in accounts:
        if not account.enabled:
            continue
        subject = f"account {account.index}"
        on = []
        for feature in wanted_off:
            state = _state(account, feature)
            if state is None:
                yield unknown(f"{subject} {feature}", f"{subject}: {NAMES[feature]} not known")
            elif state:
                on.append(feature)
        if not on:
            yield passed(subject, f"{subject}: {', '.join(NAMES[f] for f in wanted_off)} off")
            continue
        detail = [
            f"outbound proxy {account.outbound_proxy}" if f == "outbound_proxy" else NAMES[f]
            for f in on
        ]
        yield fail(
            subject,
            f"{subject} has {', '.join(detail)} on; {policy.provider or 'the provider'} "
            f"requires {', '.join(NAMES[f] for f in wanted_off)} off",
            [account.ref(f) for f in on],
            "\n".join(FIX[host.platform][f].format(a=account.index) for f in on),
        )


CHECK = Check(
    id="PHN003",
    slug="phone-nat-features-against-profile",
    title="Phone uses STUN / NAT traversal / outbound proxy the provider wants off",
    severity="high",
    facts=(PHONE_ACCOUNTS,),
    platforms=PHONE_PLATFORMS,
    run=run,
    why="The phone rewrites its addresses a second time behind the provider's SBC: one-way "
    "audio, failed re-INVITEs, or REGISTER through a proxy the provider does not run.",
    fix={p: "\n".join(f.values()) for p, f in FIX.items()},
    tags=("phone", "nat", "provider"),
    references=(
        "shared/seeds 000: provider requirements, STUN / NAT Traversal / Outbound proxy off",
    ),
)
