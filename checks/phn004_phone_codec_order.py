"""A phone offers codecs in another order than the provider profile asks.

## What it checks
The enabled codecs of each account, most preferred first, against the profile's `codecs`
(the seeds' provider: PCMU, PCMA, G729): the phone's first codec must be the profile's
first, and the codecs both lists name must come in the profile's order. Extra codecs
after them, or profile codecs the phone does not offer, are not flagged here.

## Why it breaks calls
The first codec both sides share wins. A phone preferring G.729 or PCMA where the provider
transcodes from PCMU costs quality and transcoder capacity; a codec the provider does not
carry first in the offer makes some SBCs answer 488 Not Acceptable Here.

## How to fix
Reorder the account's codecs to the provider's priority (commands per vendor below).
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed, unknown
from fleetaudit.facts import PHONE_ACCOUNTS, PhoneAccount
from fleetaudit.platforms.phones.family import PHONE_PLATFORMS
from fleetaudit.policy import VoipPolicy

YEALINK = {"PCMU": "pcmu", "PCMA": "pcma", "G729": "g729", "G722": "g722", "OPUS": "opus"}
POLY = {"PCMU": "G711_Mu", "PCMA": "G711_A", "G729": "G729_AB", "G722": "G722", "OPUS": "Opus"}
GS = {"PCMU": "0", "PCMA": "8", "G729": "18", "G722": "9", "OPUS": "123"}
GS_SLOTS = ("P57", "P58", "P59", "P60", "P61", "P62", "P46", "P98")
CISCO = {"PCMU": "g711ulaw", "PCMA": "g711alaw", "G729": "g729a", "G722": "g722"}
FIX = {  # one line per codec of the provider's order (the findings fill these in)
    "yealink_phone": "account.{account}.codec.{codec}.enable = 1\n"
    "account.{account}.codec.{codec}.priority = {n}",
    "poly_phone": 'voice.codecPref.{codec}="{n}"',
    "grandstream_phone": "{slot} = {codec}",
    "cisco_phone": "SIP Profile: preferred codec {codec}",  # the first codec only
}


def order_problem(phone: list[str], wanted: list[str]) -> str | None:
    """Why ``phone``'s order breaks ``wanted``'s; None when it does not.

    >>> order_problem(["PCMA", "PCMU", "G729"], ["PCMU", "PCMA", "G729"])
    'prefers PCMA, the provider PCMU'
    >>> order_problem(["PCMU", "G729", "PCMA"], ["PCMU", "PCMA", "G729"])
    'offers G729 before PCMA'
    >>> order_problem(["PCMU", "G722"], ["PCMU", "PCMA", "G729"]) is None
    True
    """
    if phone and wanted and phone[0] != wanted[0]:
        return f"prefers {phone[0]}, the provider {wanted[0]}"
    common = [c for c in phone if c in wanted]
    expected = [c for c in wanted if c in common]
    for got, want in zip(common, expected, strict=True):
        if got != want:
            return f"offers {got} before {want}"
    return None


def fix_for(platform: str, account: int, wanted: list[str]) -> str:
    """The FIX lines of ``platform`` filled in for ``wanted``, in order."""
    if platform == "yealink_phone":
        codecs = [YEALINK.get(c, c.lower()) for c in wanted]
    elif platform == "poly_phone":
        codecs = [POLY.get(c, c) for c in wanted]
    elif platform == "grandstream_phone":
        codecs = [GS.get(c, c) for c in wanted][: len(GS_SLOTS)]
    else:
        codecs = [CISCO.get(wanted[0], wanted[0])]
    return "\n".join(
        FIX.get(platform, FIX["cisco_phone"]).format(account=account, codec=codec, n=n, slot=slot)
        for n, (codec, slot) in enumerate(
            zip(codecs, GS_SLOTS + ("",) * len(codecs), strict=False), 1
        )
    )


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    accounts: list[PhoneAccount] = host["phone_accounts"]
    wanted = list(policy.codecs)
    if not wanted:
        yield passed("profile", f"{policy.describe()} names no codec order")
        return
    for account in accounts:
        if not account.enabled:
            continue
        subject = f"account {account.index}"
        if account.codecs is None:
            yield unknown(subject, f"{subject}: its codec list is not known")
            continue
        problem = order_problem(account.codecs, wanted)
        if problem is None:
            yield passed(subject, f"{subject}: codecs {', '.join(account.codecs)}")
            continue
        yield fail(
            subject,
            f"{subject} {problem}: it offers {', '.join(account.codecs)}; the provider's "
            f"order is {', '.join(wanted)}",
            [account.ref("codecs")],
            fix_for(host.platform, account.index, wanted),
        )


CHECK = Check(
    id="PHN004",
    slug="phone-codec-order",
    title="Phone codec order differs from the provider's",
    severity="medium",
    facts=(PHONE_ACCOUNTS,),
    platforms=PHONE_PLATFORMS,
    run=run,
    why="The first shared codec wins: the wrong one costs quality and transcoding, or a 488.",
    fix=FIX,
    tags=("phone", "codec", "provider"),
    references=("shared/seeds 000: provider codecs in priority order PCMU, PCMA, G729",),
)
