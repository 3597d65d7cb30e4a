"""The trunk's codecs against the provider profile.

## What it checks
The trunk's `allow`/`disallow` (res_pjsip endpoint, chan_sip peer; `[general]` applied
first for chan_sip) against the provider's codecs (`voip.codecs`, in priority order): no
codec in common, or a first codec different from the provider's first.

## Why it breaks calls
No common codec: the provider answers 488 Not Acceptable Here and the call fails. A
different first codec: calls are transcoded or set up with a codec the provider only
tolerates (G.722 offered first to a G.711 provider costs a re-INVITE or fails on some
SBCs), and the audio quality is not what the profile promises.

## How to fix
FreePBX: Connectivity → Trunks → the trunk → Codecs (order them as the provider's list);
plain Asterisk: `disallow=all` then `allow=` in the provider's order on the endpoint.
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed, unknown
from fleetaudit.facts import Ref
from fleetaudit.platforms.asterisk import config
from fleetaudit.policy import VoipPolicy

#: provider profile names -> Asterisk's format names
NAMES = {
    "pcmu": "ulaw",
    "pcma": "alaw",
    "g711u": "ulaw",
    "g711a": "alaw",
    "g.722": "g722",
    "g.729": "g729",
}

FIX = {
    "asterisk": "; FreePBX: Connectivity > Trunks > {name} > Codecs: {codecs} in that order; "
    "plain Asterisk ({file}):\n[{name}](+)\ndisallow=all\nallow={codecs}",
}


def _asterisk(name: str) -> str:
    return NAMES.get(name.lower(), name.lower())


def _judge(name: str, codecs: tuple[str, ...], wanted: list[str], ref: Ref, file: str) -> Result:
    common = [c for c in codecs if c in wanted]
    fix = FIX["asterisk"].format(name=name, codecs=",".join(wanted), file=file)
    shown = ",".join(codecs) or "none"
    if not common:
        return fail(
            name,
            f"trunk {name} allows {shown}: none of the provider's {','.join(wanted)}",
            [ref],
            fix,
        )
    if codecs[0] != wanted[0]:
        return fail(
            name,
            f"trunk {name} offers {codecs[0]} first ({shown}); the provider's first is {wanted[0]}",
            [ref],
            fix,
            severity="medium",
        )
    return passed(name, f"trunk {name} offers {shown}, the provider's {wanted[0]} first", [ref])


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    if not policy.codecs:
        yield unknown("codecs", "the provider profile names no codecs (voip.codecs)")
        return
    wanted = [_asterisk(c) for c in policy.codecs]
    pjsip, sip = config.pjsip(host.facts), config.sip(host.facts)
    if pjsip is None and sip is None:
        yield unknown("codecs", "not assessed: neither pjsip.conf nor sip.conf read")
        return
    trunks = 0
    if pjsip is not None:
        names = {r.name for r in pjsip.registrations} | {i.endpoint or "" for i in pjsip.identifies}
        for endpoint in pjsip.endpoints:
            if endpoint.name in names or endpoint.outbound_auths:
                trunks += 1
                item = endpoint.section.item("allow") or endpoint.section.item("disallow")
                ref = item.ref() if item else endpoint.section.ref()
                yield _judge(endpoint.name, endpoint.codecs, wanted, ref, endpoint.section.file)
    if sip is not None:
        for peer in sip.peers:
            if peer.type == "peer" or (peer.host or "dynamic") != "dynamic":
                trunks += 1
                item = peer.section.item("allow") or peer.section.ref()
                ref = (
                    item.ref()
                    if not isinstance(item, Ref) and item is not None
                    else peer.section.ref()
                )
                yield _judge(peer.name, peer.codecs, wanted, ref, peer.section.file)
    if not trunks:
        yield unknown(
            "codecs",
            "no trunk found (an endpoint with a registration, identify or outbound_auth; a chan_sip peer with a host)",
        )


CHECK = Check(
    id="AST005",
    slug="asterisk-trunk-codec-mismatch",
    title="Asterisk trunk codecs do not match the provider's",
    severity="high",
    facts=(),
    platforms=("asterisk",),
    roles=("pbx",),
    run=run,
    why="No common codec fails the call with 488; a different first codec transcodes or fails.",
    fix=FIX,
    tags=("asterisk", "codec", "provider"),
    references=("Asterisk format_cap allow/disallow (ast_format_cap_update_by_allow_disallow)",),
)
