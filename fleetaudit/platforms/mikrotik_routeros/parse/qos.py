"""QoS: mangle rules marking voice packets and the queues (tree/simple) giving them
priority on the WAN interfaces -> ``Qos.voice_priority``."""

from __future__ import annotations

import ipaddress

from fleetaudit.facts import Qos, QosClass, QosPolicy, Ref
from fleetaudit.platforms.mikrotik_routeros.parse.defaults import DEFAULT_QUEUE_PRIORITY
from fleetaudit.platforms.mikrotik_routeros.parse.export import Command, Export

VOICE_SIGNALLING_PORTS = {5060, 5061}
RTP_RANGE = (10000, 65535)  # a UDP port range inside this is treated as media (RTP)


# --------------------------------------------------------------------------- QoS


def _ports(value: str | None) -> list[tuple[int, int]]:
    """``5060,10000-20000`` -> [(5060, 5060), (10000, 20000)]."""
    ranges: list[tuple[int, int]] = []
    for part in (value or "").lstrip("!").split(","):
        low, _, high = part.partition("-")
        if low.isdigit() and (high.isdigit() or not high):
            ranges.append((int(low), int(high or low)))
    return ranges


def _is_voice_rule(args: dict[str, str]) -> bool:
    """A mangle rule that selects SIP or RTP: DSCP 46 (EF), or UDP/TCP on the SIP ports,
    or UDP on a port range inside the RTP range."""
    if args.get("dscp") in ("46", "ef"):
        return True
    protocol = args.get("protocol", "")
    ports = [p for key in ("dst-port", "src-port", "port") for p in _ports(args.get(key))]
    if protocol in ("udp", "tcp") and any(
        low <= port <= high for low, high in ports for port in VOICE_SIGNALLING_PORTS
    ):
        return True
    return protocol == "udp" and any(
        RTP_RANGE[0] <= low and high <= RTP_RANGE[1] and high > low for low, high in ports
    )


def _voice_marks(export: Export) -> set[str]:
    """Packet marks that mangle rules put on voice packets (directly or through a
    connection mark set on voice connections)."""
    rules = [c for c in export.section("ip firewall mangle") if c.verb == "add" and not c.disabled]
    connection_marks = {
        r.args["new-connection-mark"]
        for r in rules
        if r.args.get("action") == "mark-connection"
        and "new-connection-mark" in r.args
        and _is_voice_rule(r.args)
    }
    return {
        r.args["new-packet-mark"]
        for r in rules
        if r.args.get("action") == "mark-packet"
        and "new-packet-mark" in r.args
        and (_is_voice_rule(r.args) or r.args.get("connection-mark") in connection_marks)
    }


def _queues(export: Export) -> list[Command]:
    return [
        c
        for c in export.commands
        if c.section in ("queue tree", "queue simple") and c.verb == "add" and not c.disabled
    ]


def _priority(queue: Command) -> int:
    value = queue.args.get("priority", "").split("/")[0]
    return int(value) if value.isdigit() else DEFAULT_QUEUE_PRIORITY


def _marks(queue: Command) -> set[str]:
    marks = queue.args.get("packet-mark") or queue.args.get("packet-marks") or ""
    return {m for m in marks.split(",") if m}


def _queue_interfaces(queue: Command, queues: list[Command], wan: list[str]) -> list[str]:
    """The WAN interfaces a queue shapes: its parent interface (through parent queues),
    every WAN interface for `global` parents and simple queues."""
    if queue.section == "queue simple":
        return list(wan)
    by_name = {q.args.get("name"): q for q in queues}
    parent, seen = queue.args.get("parent", ""), set()
    while parent in by_name and parent not in seen:
        seen.add(parent)
        parent = by_name[parent].args.get("parent", "")
    return list(wan) if parent == "global" else [parent] if parent in wan else []


def _limited(queue: Command, queues: list[Command]) -> bool:
    """Whether the queue or a parent queue has a ``max-limit`` below the link rate: without
    one the queue never fills (the modem's buffer does) and its priority never acts."""
    by_name = {q.args.get("name"): q for q in queues if q.section == queue.section}
    current: Command | None = queue
    seen: set[str] = set()
    while current is not None:
        limit = current.args.get("max-limit", "")
        if limit and any(part.strip("0") for part in limit.split("/")):
            return True
        parent = current.args.get("parent", "")
        if parent in seen:
            return False
        seen.add(parent)
        current = by_name.get(parent)
    return False


def fasttrack_bypass(export: Export) -> Command | None:
    """The active forward ``fasttrack-connection`` rule voice reaches: fasttracked packets
    skip mangle and queues. Voice escapes it by an earlier accept of SIP/RTP or a
    ``connection-mark=!...`` on the rule."""
    for rule in export.section("ip firewall filter"):
        if rule.verb != "add" or rule.disabled or rule.args.get("chain") != "forward":
            continue
        if rule.args.get("action") == "accept" and _is_voice_rule(rule.args):
            return None
        if rule.args.get("action") == "fasttrack-connection":
            return None if rule.args.get("connection-mark", "").startswith("!") else rule
    return None


def _qos(export: Export, wan: list[str]) -> tuple[Qos, dict[str, str]]:
    """The QoS fact, and per WAN interface why its voice queue does nothing (kept with
    the RouterOS firewall fact, where the queues and the fasttrack rule are)."""
    queues = _queues(export)
    voice = _voice_marks(export)
    fasttrack = fasttrack_bypass(export)
    void: dict[str, str] = {}
    best = min((_priority(q) for q in queues), default=DEFAULT_QUEUE_PRIORITY)
    classes: dict[str, list[QosClass]] = {}
    voice_priority: dict[str, Ref] = {}
    for queue in queues:
        is_voice = bool(_marks(queue) & voice)
        prio = _priority(queue)
        is_priority = prio == 1 or (prio < DEFAULT_QUEUE_PRIORITY and prio == best)
        marks = sorted(_marks(queue))
        classes.setdefault(queue.section, []).append(
            QosClass(
                name=queue.args.get("name", ""),
                matches=[f"packet-mark={m}" for m in marks],
                priority=is_priority,
                voice=is_voice,
                ref=export.ref(queue),
            )
        )
        if not (is_voice and is_priority):
            continue
        reason = _void(export, queue, queues, fasttrack)
        for interface in _queue_interfaces(queue, queues, wan):
            if reason:
                void.setdefault(interface, reason)
            else:
                voice_priority.setdefault(interface, export.ref(queue, "priority="))
    policies = [QosPolicy(name=name, classes=items) for name, items in classes.items()]
    void = {name: why for name, why in void.items() if name not in voice_priority}
    return Qos(policies=policies, wan_interfaces=wan, voice_priority=voice_priority), void


def _void(export: Export, queue: Command, queues: list[Command], fasttrack: Command | None) -> str:
    line = export.ref(queue).line
    name = queue.args.get("name", "")
    if fasttrack is not None:
        return (
            f"the fasttrack rule on line {export.ref(fasttrack).line} sends established voice "
            f"flows past mangle and queues, so voice queue {name} (line {line}) never sees them"
        )
    if not _limited(queue, queues):
        return (
            f"voice queue {name} (line {line}) has no max-limit on it or a parent queue: it "
            "never fills (the modem's buffer does), so its priority never acts"
        )
    return ""


def _wan(export: Export, outside: list[str]) -> list[str]:
    """Where the router meets its ISP: masquerade / src-nat out-interfaces, the members of
    an interface list named WAN, DHCP and PPPoE clients that install the default route
    (``add-default-route`` is ``yes`` unless set), the interface a static default route
    leaves through (``gateway=ether1``, or an address on one of its subnets)."""
    wan = list(outside)
    for name, members in export.lists.items():
        if name.upper() == "WAN":
            wan += [m for m in members if m not in wan]
    wan += [m for m in _uplinks(export) if m not in wan]
    return wan


def _uplinks(export: Export) -> list[str]:
    found: list[str] = []
    for section, key in (("ip dhcp-client", "interface"), ("interface pppoe-client", "name")):
        for client in export.section(section):
            if client.verb != "add" or client.disabled:
                continue
            if client.args.get("add-default-route", "yes").lower() in ("no", "false"):
                continue
            found.append(client.args.get(key, ""))
    for route in export.section("ip route"):
        if route.verb != "add" or route.disabled:
            continue
        if route.args.get("dst-address", "0.0.0.0/0") != "0.0.0.0/0":
            continue
        found += _gateway_interfaces(export, route.args.get("gateway", ""))
    return [name for name in found if name]


def _gateway_interfaces(export: Export, gateway: str) -> list[str]:
    """``gateway=`` as interfaces: names as they are, addresses by the connected subnet
    holding them (``10.0.0.1`` -> the interface with ``10.0.0.2/24``)."""
    names: list[str] = []
    for part in gateway.split(","):
        hop, _, via = part.partition("%")  # `10.0.0.1%ether1`
        if via:
            names.append(via)
            continue
        try:
            address = ipaddress.IPv4Address(hop)
        except ValueError:
            names.append(hop)
            continue
        for command in export.section("ip address"):
            cidr = command.args.get("address", "")
            try:
                network = ipaddress.IPv4Interface(cidr).network
            except ValueError:
                continue
            if command.verb == "add" and not command.disabled and address in network:
                names.append(command.args.get("interface", ""))
    return names
