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
Trust the phone's marking on its port (conditional trust keeps a PC behind the phone
untrusted), or let auto QoS configure it.
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed
from fleetaudit.facts import INTERFACES, QOS, Interface, Qos
from fleetaudit.policy import VoipPolicy

FIX = {
    "cisco_ios": "interface {interface}\n mls qos trust device cisco-phone\n mls qos trust cos",
}
GLOBAL_FIX = "mls qos"


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    qos: Qos = host["qos"]
    interfaces: list[Interface] = host["interfaces"]
    voice_ports = [i for i in interfaces if i.voice_vlan is not None and i.enabled]
    if qos.trust_by_default:
        yield passed("qos", "this platform trusts DSCP by default", [qos.mls_qos_ref])
        return
    if qos.mls_qos is False and voice_ports:
        yield fail(
            "mls qos",
            f"QoS is off globally (no `mls qos`): {len(voice_ports)} voice port(s) get no "
            "priority queueing on this switch",
            [voice_ports[0].voice_vlan_ref],
            GLOBAL_FIX + "\n" + FIX["cisco_ios"].format(interface=voice_ports[0].name),
            severity="medium",
        )
        return
    for iface in voice_ports:
        if iface.qos_trust:
            yield passed(
                iface.name, f"{iface.name}: trusts {iface.qos_trust}", [iface.qos_trust_ref]
            )
            continue
        yield fail(
            iface.name,
            f"{iface.name} carries voice VLAN {iface.voice_vlan} but does not trust the phone: "
            "with `mls qos` on, its EF marking is rewritten to 0",
            [iface.voice_vlan_ref, qos.mls_qos_ref, iface.ref],
            FIX["cisco_ios"].format(interface=iface.name),
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
