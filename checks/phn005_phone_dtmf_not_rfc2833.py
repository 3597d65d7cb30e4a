"""A phone sends DTMF some other way than RFC 2833 (telephone-event).

## What it checks
Each enabled account's DTMF mode: in-band (tones inside the audio), SIP INFO, or an
"auto" mode, instead of RFC 2833 / RFC 4733 telephone-events (Yealink `dtmf.type = 1`,
Poly `tone.dtmf.rfc2833Control = 1`, Grandstream `P2302 = 1` ("Send DTMF via RTP" of
account 1; P2402, P2502 for accounts 2, 3), Cisco `dtmfOutofBand avt`).

## Why it breaks calls
In-band tones do not survive compressed codecs (G.729) or the provider's transcoding, and
SIP INFO is dropped by many SBCs: IVR menus do not react and attended transfers by `*`
codes fail. The seeds: "IP phones send DTMF in a format other than RFC2833 — set RFC2833".

## How to fix
Set the account's DTMF mode to RFC 2833 (commands per vendor below).
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed, unknown
from fleetaudit.facts import PHONE_ACCOUNTS, PhoneAccount
from fleetaudit.platforms.phones.family import PHONE_PLATFORMS
from fleetaudit.platforms.phones.vendors import GRANDSTREAM_ACCOUNTS
from fleetaudit.policy import VoipPolicy

FIX = {
    "yealink_phone": "account.{a}.dtmf.type = 1",
    "poly_phone": 'tone.dtmf.rfc2833Control="1"\ntone.dtmf.viaRtp="1"',
    # the account's "Send DTMF via RTP (RFC 2833)" switch, the one its parser reads
    "grandstream_phone": "{via_rtp} = 1",
    "cisco_phone": "SIP Profile: DTMF out of band = avt (dtmfOutofBand avt)",
}
MODES = {"inband": "in-band tones", "sip_info": "SIP INFO", "auto": "auto (may fall back)"}


def _via_rtp(index: int) -> str:
    found = GRANDSTREAM_ACCOUNTS.get(index)
    return found.dtmf[1] if found else "<Send DTMF via RTP of the account>"


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    accounts: list[PhoneAccount] = host["phone_accounts"]
    for account in accounts:
        if not account.enabled:
            continue
        subject = f"account {account.index}"
        if account.dtmf is None:
            yield unknown(subject, f"{subject}: its DTMF mode is not known")
        elif account.dtmf == "rfc2833":
            yield passed(subject, f"{subject}: DTMF as RFC 2833 events", [account.ref("dtmf")])
        else:
            yield fail(
                subject,
                f"{subject} sends DTMF as {MODES.get(account.dtmf, account.dtmf)}, not RFC 2833",
                [account.ref("dtmf")],
                FIX[host.platform].format(a=account.index, via_rtp=_via_rtp(account.index)),
            )


CHECK = Check(
    id="PHN005",
    slug="phone-dtmf-not-rfc2833",
    title="Phone DTMF is not RFC 2833",
    severity="medium",
    facts=(PHONE_ACCOUNTS,),
    platforms=PHONE_PLATFORMS,
    run=run,
    why="In-band or SIP INFO digits are lost on the way: IVRs and transfers do not react.",
    fix=FIX,
    tags=("phone", "dtmf"),
    references=("shared/seeds 000: DTMF not RFC2833 -> set RFC2833",),
)
