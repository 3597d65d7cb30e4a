"""The PBX's RTP range against the provider's and against the site's firewalls.

## What it checks
The range rtp.conf gives the PBX (`rtpstart`/`rtpend`, Asterisk's default 10000-20000;
else `rtp show settings`): every port must lie in the provider's RTP range (`voip.rtp`),
and every firewall or router of the site in front of the PBX (`voip_targets.pbx`) must
let UDP to that range in from each provider subnet. The firewall rules are evaluated as
FW001 evaluates them; the closed sub-ranges are named with the rule that closes them.

## Why it breaks calls
The PBX offers a port of its range in every SDP. A port the firewall closes (or one the
provider does not send to) never receives the caller's audio: one-way or no audio on the
calls that happen to get such a port.

## How to fix
Open the PBX's whole range on the firewall (the remediation is that device's fix), or
narrow rtp.conf to what is open — FreePBX: Settings → Asterisk SIP Settings → RTP Port
Ranges (never the generated rtp.conf).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed, unknown, unread
from fleetaudit.platforms.asterisk import config
from fleetaudit.platforms.asterisk.facts import RtpSettings
from fleetaudit.policy import VoipPolicy
from fleetaudit.rules import reach
from fleetaudit.rules.intervals import IntervalSet, network, ports_text
from fleetaudit.rules.model import Unsupported
from fleetaudit.rules.plan import Target

FIX = {
    "asterisk": "; FreePBX: Settings > Asterisk SIP Settings > RTP Port Ranges; plain Asterisk, "
    "rtp.conf:\n[general]\nrtpstart={start}\nrtpend={end}\n; or open UDP {start}-{end} to "
    "the PBX on {device}:\n{device_fix}",
}


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    yield from unread(host, "rtp_settings")
    rtp = config.rtp(host.facts)
    settings = host.facts.get("rtp_settings")
    if rtp is not None:
        start, end = rtp.start, rtp.end
        ref = rtp.start_ref or rtp.end_ref
        origin = f"rtp.conf {start}-{end}" + (" (Asterisk's default)" if rtp.defaulted else "")
    elif isinstance(settings, RtpSettings):
        start, end, ref, origin = (
            settings.port_start,
            settings.port_end,
            settings.ref,
            "rtp show settings",
        )
    else:
        yield unknown("rtp", "not assessed: neither rtp.conf nor `rtp show settings` read")
        return
    if ref is None and isinstance(settings, RtpSettings):
        ref = settings.ref
    wanted = IntervalSet.of(start, end)
    provider = reach.port_set(policy.rtp.get("udp", ()))
    outside = wanted - provider if policy.rtp else IntervalSet()
    if policy.rtp and outside:
        yield fail(
            "provider range",
            f"the PBX's RTP range {origin} has ports outside the provider's "
            f"{ports_text(provider)}: {ports_text(outside)}",
            [ref],
            FIX["asterisk"].format(start=start, end=end, device="-", device_fix="-"),
        )
    if not policy.subnets or not policy.targets.pbx:
        yield unknown(
            "firewalls", "no provider subnets or PBX address (voip.subnets, voip_targets.pbx)"
        )
        return
    judged = 0
    for peer in host.peers:
        if peer.role == "gateway":  # a voice gateway ends its own trunk: not the PBX's path
            continue
        fact = reach.rule_fact(peer.platform)
        if not fact:
            continue
        if peer.facts.get(fact) is None or peer.facts.get("interfaces") is None:
            # its rules could not be read: the PBX's media may be closed there
            yield unknown(peer.name, f"not assessed: the rules of {peer.name} could not be read")
            continue
        planner = reach.planner_of(peer.platform)
        for address in policy.targets.pbx:
            target = Target(ipaddress.IPv4Network(address), f"PBX {address}")
            try:
                plan = planner(peer.facts, target)
            except Unsupported:
                continue
            if plan is None:
                continue
            judged += 1
            for subnet in policy.subnets:
                want = reach.Want("udp", wanted, "RTP")
                (assessed,) = reach.assess(plan, subnet, [want])
                subject = f"{peer.name}: {subnet} → {address}"
                text = reach.describe(assessed.verdict, want, network(subnet))
                if assessed.verdict.is_open:
                    yield passed(subject, f"{origin}: {text}", [ref])
                    continue
                fixes = plan.fixer(reach.fix_requests([assessed], subnet, plan.followup, target))
                yield fail(
                    subject,
                    f"the PBX's RTP range ({origin}) is partly closed on {peer.name} "
                    f"({plan.path}): {text}",
                    [ref, *reach.evidence([assessed], plan)],
                    FIX["asterisk"].format(
                        start=start, end=end, device=peer.name, device_fix="\n".join(fixes)
                    ),
                )
    if not judged:
        yield unknown(
            "firewalls", "no firewall or router of the site with readable rules in front of the PBX"
        )


CHECK = Check(
    id="AST004",
    slug="asterisk-rtp-range-closed",
    title="The PBX's RTP range is closed on the site's firewall or outside the provider's",
    severity="high",
    facts=(),
    reads=("rtp_settings", "conf:"),
    # a firewall's rules as its platform's planner reads them (rules.reach.planner_of)
    peer_facts=("acl", "firewall", "interfaces", "nat", "device", "qos"),
    platforms=("asterisk",),
    roles=("pbx",),
    run=run,
    why="Audio to a PBX port the firewall closes never arrives: one-way or no audio.",
    fix=FIX,
    tags=("asterisk", "rtp", "firewall"),
    references=("Asterisk res_rtp_asterisk.c DEFAULT_RTP_START/END", "FW001's evaluator"),
)
