"""No voice priority on the WAN edge.

## What it checks
On each interface where the site meets its ISP (IOS `ip nat outside`, ASA security-level
0 / `outside`, RouterOS masquerade out-interface), whether voice is queued first: IOS an
output `service-policy` whose class matching DSCP EF (or RTP) has `priority` (LLQ, also
inside a hierarchical shaper); ASA `priority-queue <nameif>` plus a policy with
`priority` for EF traffic applied to that interface; RouterOS mangle marks for SIP/RTP
with a priority-1 queue on the WAN.

## Why it breaks calls
Without a priority queue, a download or backup fills the uplink buffer and voice packets
wait behind it: jitter, choppy audio, dropped words. The seeds' provider asks for at
least 100 kbit/s per call and QoS for VoIP on the router, "otherwise calls stutter when
the office link is loaded".

## How to fix
Classify voice (DSCP EF) and give it a strict-priority queue on the WAN interface,
sized for the concurrent calls (calls × the provider's kbit/s per call).
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed, unknown
from fleetaudit.facts import INTERFACES, QOS, Interface, Qos
from fleetaudit.policy import VoipPolicy

FIX = {
    "cisco_ios": (
        "class-map match-any VOICE\n match dscp ef\n"
        "class-map match-any SIGNALLING\n match dscp cs3\n"
        "policy-map WAN-EDGE\n class VOICE\n  priority percent 30\n"
        " class SIGNALLING\n  bandwidth percent 5\n class class-default\n  fair-queue\n"
        "interface {interface}\n service-policy output WAN-EDGE"
    ),
    "cisco_asa": (
        "priority-queue {interface}\n"
        "class-map VOICE\n match dscp ef\n"
        "policy-map WAN-QOS\n class VOICE\n  priority\n"
        "service-policy WAN-QOS interface {interface}"
    ),
    "mikrotik_routeros": (
        "/ip firewall mangle add chain=postrouting out-interface={interface} dscp=46 "
        "action=mark-packet new-packet-mark=voice passthrough=no comment=voice\n"
        "/ip firewall mangle add chain=postrouting out-interface={interface} protocol=udp "
        "port=5060,10000-65535 action=mark-packet new-packet-mark=voice passthrough=no "
        "comment=voice\n"
        "/queue tree add name=voice parent={interface} packet-mark=voice priority=1"
    ),
}


def run(host: Host, policy: VoipPolicy) -> Iterator[Result]:
    qos: Qos = host["qos"]
    interfaces: list[Interface] = host["interfaces"]
    contexts = sorted({i.kind for i in interfaces if (i.kind or "").startswith("context ")})
    if not qos.wan_interfaces and host.platform == "cisco_asa" and contexts:
        yield unknown(
            "wan",
            f"multiple context mode ({', '.join(contexts)}): the ASA has no priority "
            "queueing there, so voice priority belongs on the router in front of it",
        )
        return
    if not qos.wan_interfaces:
        yield unknown(
            "wan",
            "cannot tell which interface faces the ISP (no NAT outside / security-level 0 / "
            "masquerade interface), so voice priority cannot be judged",
        )
        return
    by_name = {i.name: i for i in interfaces} | {i.nameif: i for i in interfaces if i.nameif}
    for wan in qos.wan_interfaces:
        proof = qos.voice_priority.get(wan)
        if proof is not None:
            yield passed(wan, f"{wan}: voice gets strict priority", [proof])
            continue
        iface = by_name.get(wan)
        need = (
            f" (the provider asks {policy.kbps_per_call} kbit/s per call)"
            if policy.kbps_per_call
            else ""
        )
        if host.platform == "cisco_asa" and _before_7(iface):
            yield fail(
                wan,
                f"{wan} faces the ISP and gives voice no priority queue{need}; this software "
                "(PIX 6 / FWSM 2 syntax) has no priority queueing before 7.0: prioritise "
                "voice on the router in front of it, or upgrade (no config fix here)",
                [iface.ref if iface else None],
                "",
            )
            continue
        fix = FIX[host.platform].format(interface=wan)
        attached = iface.service_policy_out if iface and host.platform == "cisco_ios" else None
        replaces = ""
        if attached and attached != "WAN-EDGE":
            # IOS refuses a second output policy: the one without voice priority goes
            fix = fix.replace(
                f"interface {wan}\n", f"interface {wan}\n no service-policy output {attached}\n"
            )
            replaces = (
                f"; its output policy {attached} has no voice priority class and is replaced "
                f"(carry its other classes into WAN-EDGE if they matter)"
            )
        yield fail(
            wan,
            f"{wan} faces the ISP and gives voice no priority queue{need}{replaces}",
            [iface.ref if iface else None],
            fix,
        )


def _before_7(iface: Interface | None) -> bool:
    """A PIX 6 / FWSM 2 interface: named by `nameif ethernet0 outside security0`."""
    return bool(iface and iface.ref and iface.ref.text.startswith("nameif "))


CHECK = Check(
    id="QOS001",
    slug="voice-qos-missing",
    title="No voice priority queue on the WAN edge",
    severity="medium",
    facts=(QOS, INTERFACES),
    platforms=("cisco_ios", "cisco_asa", "mikrotik_routeros"),
    roles=("gateway", "router", "firewall"),
    run=run,
    why="Without a priority queue, bulk traffic delays voice on the uplink: jitter and "
    "choppy audio under load.",
    fix=FIX,
    tags=("qos",),
    references=("shared/seeds: provider requirements (100 kbit/s per call, QoS for VoIP)",),
)
