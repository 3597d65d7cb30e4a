"""Access ports with a voice VLAN that do not trust the phone's marking.

## What it checks
On Catalyst access switches with classic QoS (`mls qos`): whether ports carrying a voice
VLAN trust what the phone marks (`mls qos trust device cisco-phone` with `trust cos` or
`trust dscp`, or `auto qos voip cisco-phone|trust`). With `mls qos` off globally, the
switch does not prioritise voice in its own queues either. Switches that trust DSCP by
default (Catalyst 9000 / IOS-XE 16+) pass.

## Why it breaks calls
With `mls qos` on and no trust, the switch rewrites every packet's DSCP to 0 at the
port: the phone's EF marking is gone before the WAN router sees it, so the priority
queue there never matches voice. With QoS off, voice waits behind bulk traffic in the
switch's uplink queues.

## How to fix
Trust the phone's marking on its port, or let auto QoS configure it. Conditional trust
(`mls qos trust device cisco-phone`, which keeps a PC behind the phone untrusted) only
where CDP shows a Cisco phone on the port; other phones (LLDP: Yealink, Poly,
Grandstream) do not speak CDP, so there the port trusts DSCP (`mls qos trust dscp`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed
from fleetaudit.facts import INTERFACES, QOS, Interface, Neighbor, Qos
from fleetaudit.policy import VoipPolicy

GLOBAL_FIX = "mls qos"
FIX = {
    "cisco_ios": "interface {interface}\n mls qos trust device cisco-phone\n mls qos trust cos",
    "cisco_ios (no Cisco phone seen by CDP)": "interface {interface}\n mls qos trust dscp",
    "cisco_ios (QoS off globally: first)": GLOBAL_FIX,
}
CISCO_PHONE = re.compile(r"cisco ip phone|^cp-\d|^SEP[0-9A-F]{12}$", re.IGNORECASE)


def phone_on(host: Host, port: str) -> tuple[str, Neighbor | None]:
    """Who the switch sees on ``port``: "cisco" (CDP names a Cisco IP phone), "other"
    (a phone or device by LLDP or CDP that is not one), "" (nobody seen)."""
    for fact in ("cdp_neighbors", "lldp_neighbors"):
        for neighbor in host.facts.get(fact) or []:
            if neighbor.local_interface != port:
                continue
            label = f"{neighbor.platform or ''} {neighbor.name or ''}"
            cisco = neighbor.protocol == "cdp" and any(
                CISCO_PHONE.search(part.strip()) for part in label.split(",")
            )
            return ("cisco" if cisco else "other"), neighbor
    return "", None


def port_fix(host: Host, iface: Interface) -> tuple[str, str]:
    """The trust to configure and why: conditional trust (`trust device cisco-phone`)
    only works where CDP shows a Cisco phone; other phones (LLDP: Yealink, Poly,
    Grandstream) mark DSCP EF, so the port trusts DSCP."""
    kind, neighbor = phone_on(host, iface.name)
    if kind == "cisco":
        return FIX["cisco_ios"].format(interface=iface.name), ""
    fix = FIX["cisco_ios (no Cisco phone seen by CDP)"].format(interface=iface.name)
    if neighbor is not None:
        seen = (neighbor.platform or neighbor.name or "a device").strip()
        return fix, (
            f"; {neighbor.protocol.upper()} shows {seen} there, not a Cisco phone, so "
            "conditional trust (`trust device cisco-phone`, which needs CDP from a Cisco "
            "phone) would never trust it: trust DSCP"
        )
    return fix, "; no CDP/LLDP neighbour seen there: trust DSCP (conditional trust needs CDP)"


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    qos: Qos = host["qos"]
    interfaces: list[Interface] = host["interfaces"]
    voice_ports = [i for i in interfaces if i.voice_vlan is not None and i.enabled]
    if qos.trust_by_default:
        yield passed("qos", "this platform trusts DSCP by default", [qos.mls_qos_ref])
        return
    if qos.mls_qos is False and voice_ports:
        trusting = [i.name for i in voice_ports if i.qos_trust]
        idle = (
            f"; the trust on {', '.join(trusting)} (`mls qos trust ...`) does nothing without it"
            if trusting
            else ""
        )
        yield fail(
            "mls qos",
            f"QoS is off globally (no `mls qos`): {len(voice_ports)} voice port(s) get no "
            f"priority queueing on this switch{idle}",
            [voice_ports[0].voice_vlan_ref],
            GLOBAL_FIX + "\n" + port_fix(host, voice_ports[0])[0],
            severity="medium",
        )
        return
    for iface in voice_ports:
        if iface.qos_trust:
            yield passed(
                iface.name, f"{iface.name}: trusts {iface.qos_trust}", [iface.qos_trust_ref]
            )
            continue
        fix, why = port_fix(host, iface)
        yield fail(
            iface.name,
            f"{iface.name} carries voice VLAN {iface.voice_vlan} but does not trust the phone: "
            f"with `mls qos` on, its EF marking is rewritten to 0{why}",
            [iface.voice_vlan_ref, qos.mls_qos_ref, iface.ref],
            fix,
            cause=f"{host.name}: voice ports do not trust the phones' marking",
        )


CHECK = Check(
    id="QOS002",
    slug="voice-qos-untrusted-access",
    title="Voice ports do not trust the phone's QoS marking",
    severity="high",
    facts=(QOS, INTERFACES),
    platforms=("cisco_ios",),
    roles=("switch",),
    run=run,
    why="An untrusted port re-marks voice to best effort, so no queue upstream gives it priority.",
    fix=FIX,
    tags=("qos", "switch"),
)
