"""The PBX sits behind NAT but does not say so.

## What it checks
When the PBX's address (`voip_targets.pbx`) is private — the site's router or firewall
translates it — res_pjsip transports need `external_media_address`,
`external_signaling_address` and `local_net`, and the trunk endpoint `rtp_symmetric=yes`,
`force_rport=yes`, `rewrite_contact=yes`, `direct_media=no`; chan_sip needs
`externip`/`externaddr` and `localnet` (read from `sip show settings`).

## Why it breaks calls
Without them Asterisk writes its private address into Contact, Via and the SDP: the
provider sends media (and the in-dialog requests) to 192.168.x.x, which goes nowhere —
one-way or no audio, calls dropped after 32 s. `direct_media=yes` asks two parties on
different sides of the NAT to send RTP to each other's private address.

## How to fix
FreePBX: Settings → Asterisk SIP Settings → NAT Settings (External Address, Local
Networks), and the trunk's Advanced tab (Direct Media No, RTP Symmetric / Rewrite Contact
Yes). Plain Asterisk: the transport and endpoint in pjsip.conf as in the remediation.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed, unknown
from fleetaudit.platforms.asterisk import config
from fleetaudit.platforms.asterisk.facts import SipSettings
from fleetaudit.policy import VoipPolicy

FIX_TRANSPORT = (
    "; FreePBX: Settings > Asterisk SIP Settings > NAT Settings "
    "(External Address, Local Networks); plain Asterisk, pjsip.conf:\n"
    "[{transport}]\ntype=transport\nexternal_media_address=<public address>\n"
    "external_signaling_address=<public address>\nlocal_net={local_net}"
)
FIX_ENDPOINT = (
    "; FreePBX: Connectivity > Trunks > {name} > Advanced: Direct Media No, RTP Symmetric Yes, "
    "Rewrite Contact Yes, Force rport Yes; plain Asterisk, pjsip.conf:\n"
    "[{name}](+)\ndirect_media=no\nrtp_symmetric=yes\nforce_rport=yes\nrewrite_contact=yes"
)
FIX_SIP = (
    "; sip.conf [general] (FreePBX: Asterisk SIP Settings > NAT Settings):\n"
    "externip=<public address>\nlocalnet={local_net}\nnat=force_rport,comedia"
)
#: one source for `checks explain` and the findings: transport, endpoint, chan_sip
FIX = {
    "asterisk": FIX_TRANSPORT,
    "asterisk (endpoint)": FIX_ENDPOINT,
    "asterisk (chan_sip)": FIX_SIP,
}


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    private = [a for a in policy.targets.pbx if a.is_private]
    if not policy.targets.pbx:
        yield unknown("nat", "the site names no PBX address (voip_targets.pbx)")
        return
    if not private:
        yield passed("nat", "the PBX has a public address: no NAT in front of it")
        return
    local_net = str(ipaddress.IPv4Network(f"{private[0]}/24", strict=False))
    pjsip = config.pjsip(host.facts)
    settings = host.facts.get("sip_settings")
    if pjsip is None and not isinstance(settings, SipSettings):
        yield unknown("nat", "not assessed: neither pjsip.conf nor `sip show settings` read")
        return
    for transport in pjsip.transports if pjsip else ():
        missing = [
            key
            for key, value in (
                ("external_media_address", transport.external_media_address),
                ("external_signaling_address", transport.external_signaling_address),
                ("local_net", transport.local_net),
            )
            if not value
        ]
        subject = f"transport {transport.name}"
        if missing:
            yield fail(
                subject,
                f"the PBX ({private[0]}) is behind NAT but transport {transport.name} has no "
                f"{', '.join(missing)}: Asterisk puts its private address in Contact and SDP",
                [transport.section.ref()],
                FIX_TRANSPORT.format(transport=transport.name, local_net=local_net),
            )
        else:
            yield passed(
                subject, f"transport {transport.name} describes the NAT", [transport.section.ref()]
            )
    trunks = (
        {r.name for r in pjsip.registrations} | {i.endpoint or "" for i in pjsip.identifies}
        if pjsip
        else set()
    )
    for endpoint in pjsip.endpoints if pjsip else ():
        if endpoint.name not in trunks:
            continue
        wrong = [
            text
            for text, bad in (
                ("direct_media=yes", endpoint.direct_media),
                ("rtp_symmetric=no", not endpoint.rtp_symmetric),
                ("rewrite_contact=no", not endpoint.rewrite_contact),
                ("force_rport=no", not endpoint.force_rport),
            )
            if bad
        ]
        if wrong:
            item = endpoint.section.item("direct_media") or endpoint.section.item("rtp_symmetric")
            yield fail(
                f"endpoint {endpoint.name}",
                f"trunk endpoint {endpoint.name} crosses the NAT with {', '.join(wrong)}",
                [item.ref() if item else endpoint.section.ref()],
                FIX_ENDPOINT.format(name=endpoint.name),
            )
    if isinstance(settings, SipSettings):
        missing = [
            k
            for k, v in (
                ("externip", settings.externaddr or settings.externhost),
                ("localnet", settings.localnets),
            )
            if not v
        ]
        if missing:
            yield fail(
                "chan_sip",
                f"the PBX ({private[0]}) is behind NAT but chan_sip has no {', '.join(missing)}",
                [settings.ref],
                FIX_SIP.format(local_net=local_net),
            )
        else:
            yield passed(
                "chan_sip",
                f"chan_sip remaps to {settings.externaddr or settings.externhost}",
                [settings.ref],
            )


CHECK = Check(
    id="AST003",
    slug="asterisk-nat-settings-missing",
    title="Asterisk behind NAT without its NAT settings",
    severity="high",
    facts=(),
    platforms=("asterisk",),
    roles=("pbx",),
    run=run,
    why="Behind NAT without external address and local_net, Asterisk advertises its private "
    "address: one-way or no audio, calls dropped after 32 s.",
    fix=FIX,
    tags=("asterisk", "nat", "rtp"),
    references=("Asterisk wiki: Configuring res_pjsip to work through NAT",),
)
