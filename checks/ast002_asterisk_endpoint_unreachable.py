"""Endpoints, trunks or peers unreachable, lagged, or never qualified.

## What it checks
`pjsip show contacts`: contacts `Unavail` (qualify got no answer); `sip show peers`:
peers `UNREACHABLE` or `LAGGED` (qualify answer slower than 2 s); pjsip.conf AoRs with
`qualify_frequency=0` (the default: never qualified, so nobody notices they are gone).

## Why it breaks calls
Asterisk sends no call to an unreachable contact; a lagged peer's calls set up slowly
and its reachability flaps (`Reachable` / `Unreachable` in the log), dropping calls.
An AoR never qualified hides a phone or trunk that went away behind a NAT whose
binding expired.

## How to fix
FreePBX: the extension's or trunk's Advanced tab, Qualify Frequency 60 (pjsip) or
Qualify yes (chan_sip); plain Asterisk: `qualify_frequency=60` in the AoR
(pjsip.aor_custom_post.conf on FreePBX). For an unreachable contact, look at the NAT in
between (AST003) and at the firewall: the qualify OPTIONS get no answer.
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed, unknown
from fleetaudit.platforms.asterisk import config
from fleetaudit.platforms.asterisk.facts import Listing, SipPeers
from fleetaudit.policy import VoipPolicy

FIX = {
    "asterisk": "; FreePBX: {what} {name} > Advanced > Qualify Frequency: 60, Apply Config\n"
    "; plain Asterisk, pjsip.conf:\n[{name}]\ntype=aor\nqualify_frequency=60",
}
FIX_SIP = (
    "; sip.conf (FreePBX: sip_custom_post.conf or the GUI's qualify=yes):\n[{name}](+)\nqualify=yes"
)


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    contacts = host.facts.get("pjsip_contacts")
    peers = host.facts.get("sip_peers")
    conf = config.pjsip(host.facts)
    if contacts is None and peers is None:
        yield unknown(
            "contacts", "not assessed: neither `pjsip show contacts` nor `sip show peers` read"
        )
        return
    if isinstance(contacts, Listing):
        for contact in contacts.items:
            subject = f"contact {contact.aor}"
            if contact.status == "Unavail":
                yield fail(
                    subject,
                    f"{contact.aor} ({contact.uri}) is Unavail: its qualify OPTIONS get no answer",
                    [contact.ref],
                    FIX["asterisk"].format(what="the endpoint", name=contact.aor),
                )
            else:
                yield passed(subject, f"{contact.aor} is {contact.status}", [contact.ref])
    if isinstance(peers, SipPeers):
        for peer in peers.peers.items:
            subject = f"peer {peer.name}"
            if peer.status in ("UNREACHABLE", "LAGGED"):
                latency = f" ({peer.latency_ms} ms)" if peer.latency_ms else ""
                yield fail(
                    subject,
                    f"{peer.name} is {peer.status}{latency}",
                    [peer.ref],
                    FIX_SIP.format(name=peer.name),
                )
            elif peer.status == "Unmonitored":
                yield fail(
                    subject,
                    f"{peer.name} is never qualified (qualify=no): its reachability is unknown",
                    [peer.ref],
                    FIX_SIP.format(name=peer.name),
                    severity="low",
                )
            else:
                yield passed(subject, f"{peer.name} is {peer.status}", [peer.ref])
    for aor in conf.aors if conf else ():
        if aor.qualify_frequency == 0:
            item = aor.section.item("qualify_frequency")
            yield fail(
                f"aor {aor.name}",
                f"AoR {aor.name} is never qualified (qualify_frequency=0)",
                [item.ref() if item else aor.section.ref()],
                FIX["asterisk"].format(what="the extension/trunk", name=aor.name),
                severity="low",
            )


CHECK = Check(
    id="AST002",
    slug="asterisk-endpoint-unreachable",
    title="Asterisk endpoint or peer unreachable, lagged or never qualified",
    severity="medium",
    facts=(),
    platforms=("asterisk",),
    roles=("pbx",),
    run=run,
    why="Asterisk sends no call to an unreachable contact; a lagged one flaps and drops calls.",
    fix=FIX,
    tags=("asterisk", "qualify", "reachability"),
    references=("shared/seeds: sip show peers UNREACHABLE / Lagged runbook",),
)
