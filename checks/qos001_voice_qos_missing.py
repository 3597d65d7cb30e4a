"""No voice priority on the WAN edge.

## What it checks
On each interface where the site meets its ISP (IOS `ip nat outside`, ASA security-level
0 / `outside`, RouterOS masquerade out-interface), whether voice is queued first: IOS an
output `service-policy` whose class matching DSCP EF (or RTP) has `priority` (LLQ, also
inside a hierarchical shaper); ASA `priority-queue <nameif>` plus a policy with
`priority` for EF traffic applied to that interface; RouterOS mangle marks for SIP/RTP
with a priority-1 queue on the WAN, under a queue with `max-limit` below the uplink rate
(else the queue never fills: the modem's buffer does) and not bypassed by a fasttrack rule
(fasttracked packets skip mangle and queues).

## Why it breaks calls
Without a priority queue, a download or backup fills the uplink buffer and voice packets
wait behind it: jitter, choppy audio, dropped words. The seeds' provider asks for at
least 100 kbit/s per call and QoS for VoIP on the router, "otherwise calls stutter when
the office link is loaded".

## How to fix
Classify voice (DSCP EF) and give it a strict-priority queue on the WAN interface,
sized for the concurrent calls (calls × the provider's kbit/s per call). RouterOS: a
parent queue with `max-limit` at about 90 % of the upload rate, voice at priority 1 and
the rest at 8 under it, and voice accepted before the fasttrack rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from fleetaudit.checkkit import Check, Host, Result, fail, passed, unknown
from fleetaudit.facts import INTERFACES, QOS, Firewall, Interface, Qos
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
        "/queue tree add name=wan-{interface} parent={interface} max-limit=UPLINK_90PCT "
        'comment="set max-limit to 90% of the measured upload rate (e.g. 18M on 20M)"\n'
        "/ip firewall mangle add chain=postrouting out-interface={interface} dscp=46 "
        "action=mark-packet new-packet-mark=voice passthrough=no comment=voice\n"
        "/ip firewall mangle add chain=postrouting out-interface={interface} protocol=udp "
        "port=5060,10000-65535 action=mark-packet new-packet-mark=voice passthrough=no "
        "comment=voice\n"
        "/ip firewall mangle add chain=postrouting out-interface={interface} "
        "packet-mark=no-mark action=mark-packet new-packet-mark=bulk passthrough=no "
        "comment=bulk\n"
        "/queue tree add name=voice parent=wan-{interface} packet-mark=voice priority=1\n"
        "/queue tree add name=bulk parent=wan-{interface} packet-mark=bulk priority=8"
    ),
    # IOS refuses a second output policy: the attached one (without voice priority) goes
    "cisco_ios (another output policy attached)": "no service-policy output {attached}",
    # fasttracked packets skip mangle and queues: voice's established flows are accepted first
    "mikrotik_routeros (fasttrack rule present)": (
        "/ip firewall filter add chain=forward action=accept protocol=udp "
        'port=5060,10000-65535 connection-state=established,related comment="voice: not '
        'fasttracked" place-before={rule}'
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
        firewall = host.facts.get("firewall")
        void = firewall.voice_queue_void.get(wan) if isinstance(firewall, Firewall) else None
        what = f"its voice queue does nothing: {void}" if void else "gives voice no priority queue"
        fix = FIX[host.platform].format(interface=wan)
        if host.platform == "mikrotik_routeros":
            fix += _unfasttrack(host)
            what += "; the fix's UPLINK_90PCT must be set to 90 % of the upload rate"
        attached = iface.service_policy_out if iface and host.platform == "cisco_ios" else None
        if attached and attached != "WAN-EDGE":
            remove = FIX["cisco_ios (another output policy attached)"].format(attached=attached)
            fix = fix.replace(f"interface {wan}\n", f"interface {wan}\n {remove}\n")
            what += (
                f"; its output policy {attached} has no voice priority class and is replaced "
                f"(carry its other classes into WAN-EDGE if they matter)"
            )
        yield fail(
            wan, f"{wan} faces the ISP and {what}{need}", [iface.ref if iface else None], fix
        )


def _before_7(iface: Interface | None) -> bool:
    """A PIX 6 / FWSM 2 interface: named by `nameif ethernet0 outside security0`."""
    return bool(iface and iface.ref and iface.ref.text.startswith("nameif "))


def _unfasttrack(host: Host) -> str:
    """Voice out of fasttrack (fasttracked packets skip mangle and queues): accept its
    established flows just before the fasttrack rule."""
    firewall = host.facts.get("firewall")
    rules = firewall.filter if isinstance(firewall, Firewall) else []
    rule = next(
        (
            r
            for r in rules
            if not r.get("disabled")
            and r.get("chain") == "forward"
            and r.get("action") == "fasttrack-connection"
        ),
        None,
    )
    if rule is None:
        return ""
    comment = rule.get("comment")
    where = f'[find where comment="{comment}"]' if comment else str(int(rule["index"]) - 1)
    return "\n" + FIX["mikrotik_routeros (fasttrack rule present)"].format(rule=where)


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
