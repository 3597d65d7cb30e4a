"""Anonymous inbound calls accepted: guests, `insecure=invite` open to anyone, an
`anonymous` endpoint that dials out.

## What it checks
chan_sip (when loaded): `allowguest` in sip.conf `[general]` (default yes; the running
value from `sip show settings` "Allow unknown access" when read), and peers with
`insecure=invite` (or `very`) whose `host=dynamic` (or unset) and `permit` let any
address match them. res_pjsip: an endpoint named `anonymous` (what calls no `identify`
or auth matches land on) whose `context` is FreePBX's `from-internal` (or names
internal or outbound routes), which reaches the outbound routes. An `anonymous`
endpoint in another context is reported unknown: the dialplan is not read. When the
Asterisk does not answer (`core show version` unread) the check is unknown: the files
on disk say nothing of what a stopped daemon would accept.

## Why it breaks calls
Scanners (friendly-scanner, sipvicious) send INVITEs from anywhere: unauthenticated
calls enter the dialplan, ring phones at night, and where the context reaches the
outbound routes they are toll fraud — the provider then blocks the trunk, and every
call fails.

## How to fix
FreePBX: Settings → Asterisk SIP Settings → Security Settings → Allow Anonymous
Inbound SIP Calls = No and Allow SIP Guests = No (never edit the generated
sip_general_additional.conf or pjsip.endpoint.conf); an anonymous endpoint an admin
added goes from pjsip.endpoint_custom.conf. Plain Asterisk: `allowguest=no` in
sip.conf [general]; `insecure=port,invite` only on a peer whose `host` is the provider
(or with `deny=0.0.0.0/0.0.0.0` and `permit=<provider subnet>`); the anonymous endpoint
in pjsip.conf gets `context=` a context that only reaches inbound routes.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed, unknown
from fleetaudit.platforms.asterisk import config
from fleetaudit.platforms.asterisk.facts import (
    PjsipConfig,
    Refused,
    SipConfig,
    SipPeerConf,
    SipSettings,
)
from fleetaudit.policy import VoipPolicy

FIX = {
    "asterisk": "; FreePBX: Settings > Asterisk SIP Settings > Security Settings: "
    "Allow SIP Guests = No; plain Asterisk, sip.conf:\n[general](+)\nallowguest=no",
}
FIX_PEER = (
    "; FreePBX: Connectivity > Trunks > {name} > PEER Details; plain Asterisk, sip.conf:\n"
    "[{name}](+)\ndeny=0.0.0.0/0.0.0.0\npermit=<provider subnet>"
)
FIX_ANONYMOUS = (
    "; FreePBX: Settings > Asterisk SIP Settings > Security Settings: Allow Anonymous Inbound "
    "SIP Calls = No; an anonymous endpoint added by hand: remove it from "
    "pjsip.endpoint_custom.conf, or give it an inbound-only context:\n"
    "[anonymous](+)\ncontext=from-sip-external"
)
#: contexts FreePBX gives anonymous calls on purpose (inbound routes only)
INBOUND_ONLY = ("from-sip-external", "from-pstn", "from-trunk", "from-did-direct")


def _open_to_any(peer: SipPeerConf) -> bool:
    """Whether any address may match the peer: a dynamic (or unset) host and no permit
    narrower than everything."""
    if peer.host not in (None, "dynamic"):
        return False
    for value in peer.permit:
        try:
            if ipaddress.IPv4Network(value.strip(), strict=False).prefixlen > 0:
                return False
        except ValueError:
            return False  # a named ACL: assume it narrows
    return True


def _reaches_outbound(context: str | None) -> bool | None:
    if context is None:
        return None
    lowered = context.lower()
    if lowered.startswith("from-internal") or "outbound" in lowered or "outrt" in lowered:
        return True
    if lowered in INBOUND_ONLY:
        return False
    return None


def _chan_sip(host: Host, sip: SipConfig) -> Iterator[Result]:
    settings = host.facts.get("sip_settings")
    general = sip.general.section
    if isinstance(settings, SipSettings) and settings.allow_guest is not None:
        refs = [settings.ref] if settings.ref else []
        item = general.item("allowguest") if general else None
        refs += [item.ref()] if item else []
        guests, where = settings.allow_guest, "the running chan_sip allows unknown access"
    else:
        item = general.item("allowguest") if general else None
        refs = [item.ref()] if item else ([general.ref()] if general else [])
        guests = sip.general.allowguest
        where = "sip.conf [general] " + (
            f"has allowguest={item.value}" if item else "leaves allowguest unset (default yes)"
        )
    if guests:
        yield fail(
            "allowguest",
            f"{where}: calls from unknown addresses enter context "
            f"{(general.get('context') if general else None) or 'default'}",
            refs,
            FIX["asterisk"],
        )
    else:
        yield passed("allowguest", "chan_sip refuses guests (allowguest=no)", refs)
    for peer in sip.peers:
        if "invite" not in (peer.insecure or "") and peer.insecure != "very":
            continue
        subject = f"peer {peer.name}"
        item = peer.section.item("insecure")
        ref = item.ref() if item else peer.section.ref()
        if _open_to_any(peer):
            yield fail(
                subject,
                f"{peer.name} has insecure={peer.insecure} and host={peer.host or 'unset'} "
                "without a permit: INVITEs from any address are accepted without "
                "authentication",
                [ref],
                FIX_PEER.format(name=peer.name),
            )
        else:
            yield passed(subject, f"{peer.name} skips INVITE auth only for its host/permit", [ref])


def _pjsip(pjsip: PjsipConfig) -> Iterator[Result]:
    for endpoint in pjsip.endpoints:
        if endpoint.name != "anonymous":
            continue
        item = endpoint.section.item("context")
        ref = item.ref() if item else endpoint.section.ref()
        reaches = _reaches_outbound(endpoint.context)
        if reaches:
            yield fail(
                "endpoint anonymous",
                f"the anonymous endpoint sends unauthenticated calls to context "
                f"{endpoint.context}, which reaches the outbound routes: toll fraud",
                [ref],
                FIX_ANONYMOUS,
            )
        elif reaches is False:
            yield passed(
                "endpoint anonymous", f"anonymous calls reach {endpoint.context} only", [ref]
            )
        else:
            yield unknown(
                "endpoint anonymous",
                f"anonymous calls land in context {endpoint.context or 'unset'}: the dialplan "
                "is not read, so whether it reaches outbound routes is not known",
            )
        return
    yield passed("endpoint anonymous", "no anonymous endpoint: unidentified calls are refused")


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    if host.facts.get("asterisk_version") is None:
        # the files on disk say nothing of what a daemon that does not answer accepts
        yield unknown("anonymous", "not assessed: the running Asterisk did not answer")
        return
    pjsip, sip = config.pjsip(host.facts), config.sip(host.facts)
    configured = config.sip_configured(host.facts)
    if pjsip is None and configured is None:
        yield unknown("anonymous", "not assessed: neither pjsip.conf nor sip.conf read")
        return
    if sip is not None:
        peers = host.facts.get("sip_peers")
        if isinstance(peers, Refused) and peers.kind == "no_such_command":
            yield passed("chan_sip", f"chan_sip answers no call: {peers.reason}")
        else:
            yield from _chan_sip(host, sip)
    if pjsip is not None:
        yield from _pjsip(pjsip)


#: the other forms of the fix, so `checks explain` shows every line a finding may carry
FIX |= {"asterisk/peer": FIX_PEER, "asterisk/anonymous": FIX_ANONYMOUS}


CHECK = Check(
    id="AST008",
    slug="asterisk-anonymous-inbound",
    title="Asterisk accepts anonymous inbound calls",
    severity="high",
    facts=(),
    platforms=("asterisk",),
    roles=("pbx",),
    run=run,
    why="Unauthenticated INVITEs from anywhere enter the dialplan: spam calls, toll fraud.",
    fix=FIX,
    tags=("asterisk", "security", "anonymous"),
    references=(
        "Asterisk sip.conf.sample: allowguest, insecure",
        "Asterisk res_pjsip_endpoint_identifier_anonymous.c",
    ),
)
