"""SIP ALG enabled: a device on the path rewrites SIP signalling.

## What it checks
Whether the router or firewall runs a SIP application-level gateway: on Cisco IOS, the
NAT SIP ALG that is on by default for UDP and TCP 5060 whenever NAT translates (unless
`no ip nat service sip udp|tcp port 5060`); on a Cisco ASA, `inspect sip` in a policy
that is applied (the factory `global_policy` has it); on MikroTik RouterOS, the `sip`
firewall service-port when it is not disabled (it is on by default) and a NAT rule
translates (without NAT it has no address to rewrite).

## Why it breaks calls
The ALG rewrites addresses and ports inside SIP headers and SDP bodies and opens
pinholes on its own idea of the call. When the phone, PBX or provider already handles
NAT (rport, STUN, a session border controller), the second rewrite gives wrong contact
and media addresses: one-way or no audio, calls dropping at 30 s, registrations that
flap, transfers failing. Providers ask for it off (the seeds' provider: "SIP ALG must be
disabled on the router").

## How to fix
Turn the ALG off on every device between the phones and the provider — see the
commands per platform below. Then re-register the phones/trunk so new bindings form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed
from fleetaudit.facts import SIP_ALG, SipAlg
from fleetaudit.policy import VoipPolicy

FIX = {
    "cisco_ios": "no ip nat service sip udp port 5060\nno ip nat service sip tcp port 5060",
    "cisco_asa": "policy-map global_policy\n class inspection_default\n  no inspect sip",
    "mikrotik_routeros": "/ip firewall service-port set sip disabled=yes",
}


CONTEXT_INSPECT = re.compile(r"context (\S+): SIP inspection in policy-map (\S+) class (\S+),")


def remediation(platform: str, alg: SipAlg) -> str:
    if platform == "cisco_ios":
        return "\n".join(
            f"no ip nat service sip {p} port 5060" for p in alg.protocols or ["udp", "tcp"]
        )
    fixups = [r.text for r in alg.refs if r.text.startswith("fixup protocol sip")]
    if platform == "cisco_asa" and fixups:  # PIX 6 / FWSM 2: the engine is a `fixup`
        return "\n".join(f"no {fixup}" for fixup in fixups)
    in_contexts = CONTEXT_INSPECT.findall(alg.detail) if platform == "cisco_asa" else []
    if in_contexts:  # multiple context mode: each context's own policy-map
        return "\n".join(
            f"changeto context {context}\npolicy-map {policy}\n class {cls}\n  no inspect sip"
            for context, policy, cls in in_contexts
        )
    return FIX.get(platform, "")  # a platform joining the check declares its own fix


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    alg: SipAlg = host["sip_alg"]
    if alg.enabled and not policy.sip_alg:
        yield fail(
            "sip_alg", f"SIP ALG is on: {alg.detail}", alg.refs, remediation(host.platform, alg)
        )
    elif alg.enabled:
        yield passed(
            "sip_alg", f"SIP ALG is on, as the provider profile asks: {alg.detail}", alg.refs
        )
    else:
        yield passed("sip_alg", f"SIP ALG is off: {alg.detail}", alg.refs)


CHECK = Check(
    id="ALG001",
    slug="sip-alg-enabled",
    title="SIP ALG / SIP inspection rewrites signalling",
    severity="high",
    facts=(SIP_ALG,),
    platforms=("cisco_ios", "cisco_asa", "mikrotik_routeros"),
    roles=("gateway", "router", "firewall"),
    run=run,
    why="A SIP ALG rewrites SIP/SDP addresses a second time: one-way audio, dropped calls, "
    "flapping registrations.",
    fix=FIX,
    tags=("nat", "sip"),
    references=("shared/seeds: provider requirements (SIP ALG off); MikroTik SIP ALG threads",),
)
