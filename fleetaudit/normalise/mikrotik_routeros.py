"""Normalisers for mikrotik_routeros outputs (RouterOS v6 and v7).

An export lists commands per menu section. ``/export verbose`` prints every property,
a plain ``/export`` (or a saved .rsc file) only what differs from the defaults; the
defaults this module relies on are filled in by the RouterOS major version read from the
export header (``# ... by RouterOS 6.49.10``):

* ``/ip firewall connection tracking`` ``udp-timeout``: **10s on v6** (MikroTik wiki
  "Manual:IP/Firewall/Connection tracking": udp-timeout default 10s; v6.49 verbose exports
  print ``udp-timeout=10s``), **30s on v7** (v7 verbose exports print ``udp-timeout=30s``
  for an untouched router; help.mikrotik.com "Connection tracking").
  ``udp-stream-timeout`` is 3m on both.
* ``/ip firewall service-port`` ``sip``: **enabled** on v6 and v7
  (``set sip disabled=no ports=5060,5061 sip-direct-media=yes sip-timeout=1h`` in verbose
  exports of both), so an export that never disables it has the SIP helper on.
* ``/interface ethernet`` ``arp``: ``enabled`` (no proxy ARP) unless ``arp=proxy-arp``.
* queue ``priority``: 8 (lowest) unless set; 1 is the highest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from fleetaudit.facts import (
    Device,
    Firewall,
    Interface,
    Nat,
    NatRule,
    Qos,
    QosClass,
    QosPolicy,
    Ref,
    SipAlg,
)
from fleetaudit.normalise import Output, as_list, normaliser, preprocessor

PLATFORM = "mikrotik_routeros"
EXPORT = "/export verbose"
VERBS = ("add", "set", "disable", "enable", "remove", "unset", "move")

CONNTRACK_DEFAULTS: dict[int, dict[str, str]] = {
    6: {"udp-timeout": "10s", "udp-stream-timeout": "3m"},
    7: {"udp-timeout": "30s", "udp-stream-timeout": "3m"},
}
SIP_DEFAULT_PORTS = "5060,5061"
DEFAULT_QUEUE_PRIORITY = 8
VOICE_SIGNALLING_PORTS = {5060, 5061}
RTP_RANGE = (10000, 65535)  # a UDP port range inside this is treated as media (RTP)
INTERFACE_SECTIONS = {
    "interface ethernet",
    "interface bridge",
    "interface vlan",
    "interface bonding",
    "interface pppoe-client",
    "interface wireguard",
    "interface eoip",
    "interface gre",
    "interface wireless",
    "interface wifi",
    "interface lte",
}
_ERRORS = (
    "bad command name",
    "syntax error",
    "expected end of command",
    "no such item",
    "input does not match",
    "expected command name",
)
_TOKEN = re.compile(r'\[[^\]]*\]|[^\s="]+="(?:[^"\\]|\\.)*"|"(?:[^"\\]|\\.)*"|\S+')
_DURATION_PART = re.compile(r"(\d+)(ms|w|d|h|m|s)")
_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1, "ms": 0}


# --------------------------------------------------------------------------- text


def logical_lines(text: str) -> list[tuple[int, int, str]]:
    """Join ``\\``-continued lines: ``(first line, last line, joined text)``, 1-based.

    RouterOS wraps long commands at ~80 columns, ending a line with ``\\`` and indenting
    the continuation by four blanks; the break can fall inside a word or a quoted value,
    so the blanks are dropped and the pieces glued together.

    >>> logical_lines("add a=1 \\\\\\n    b=2\\nset c=\\\\\\n    3")
    [(1, 2, 'add a=1 b=2'), (3, 4, 'set c=3')]
    """
    result: list[tuple[int, int, str]] = []
    pending: tuple[int, str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if pending is not None:
            start, head = pending
            line = head + line.lstrip()
        else:
            start = number
        if line.endswith("\\"):
            pending = (start, line[:-1])
            continue
        pending = None
        result.append((start, number, line))
    if pending is not None:
        result.append((pending[0], len(text.splitlines()), pending[1]))
    return result


@preprocessor(PLATFORM)
def join_continuations(text: str) -> str:
    """The text TTP sees: one line per RouterOS command."""
    return "\n".join(line for _, _, line in logical_lines(text))


def is_error_output(text: str) -> bool:
    """RouterOS console errors (``bad command name``, ``syntax error`` ...)."""
    head = [line.strip().lower() for line in text.splitlines() if line.strip()][:3]
    return any(line.startswith(_ERRORS) for line in head)


def unquote(value: str) -> str:
    r"""``"a \"b\""`` -> ``a "b"``; unquoted values are returned as they are."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def duration_s(value: str | None) -> int | None:
    """RouterOS durations in seconds: ``10s``, ``3m``, ``1h30m``, ``1d``, ``00:00:30``.

    >>> [duration_s(v) for v in ("10s", "3m", "1h30m", "00:00:30", "1d02:00:00", "x")]
    [10, 180, 5400, 30, 93600, None]
    """
    if not value:
        return None
    text, total = value.strip(), 0
    clock = re.search(r"(\d+):(\d\d):(\d\d)$", text)
    if clock:
        hours, minutes, seconds = (int(part) for part in clock.groups())
        total, text = hours * 3600 + minutes * 60 + seconds, text[: clock.start()]
    if text.isdigit():
        return total + int(text)
    if _DURATION_PART.sub("", text):
        return None
    return total + sum(int(n) * _UNITS[u] for n, u in _DURATION_PART.findall(text))


def is_yes(value: str | None) -> bool:
    return (value or "").lower() in ("yes", "true")


# --------------------------------------------------------------------------- commands


@dataclass
class Command:
    """One RouterOS command of the export, with where it was read."""

    section: str  # "ip firewall filter"
    verb: str  # "add", "set", "disable", ...
    args: dict[str, str]  # key=value as written (unquoted); `!key` (unset) dropped
    target: str | None  # positional item: "sip", "ether1", "0", "[ find default-name=ether1 ]"
    find: dict[str, str]  # key=value inside `[ find ... ]`
    line: int  # first physical line
    end: int  # last physical line
    text: str  # the joined command

    @property
    def compact(self) -> str:
        """The command without the ``!key`` (unset) markers of a verbose export."""
        return " ".join(t for t in _TOKEN.findall(self.text) if not t.startswith("!"))

    @property
    def disabled(self) -> bool:
        return is_yes(self.args.get("disabled"))

    def item(self) -> str | None:
        """What the command sets: ``sip``, ``ether1``; from ``[ find name=X ]`` too."""
        if self.target and not self.target.startswith("["):
            return self.target
        return self.find.get("name") or self.find.get("default-name")


def tokenise(args: str) -> tuple[dict[str, str], str | None, dict[str, str]]:
    """``key=value`` pairs, the positional item and the ``[ find ... ]`` filter.

    >>> tokenise('[ find default-name=ether1 ] comment="WAN link" !mtu name=ether1')
    ({'comment': 'WAN link', 'name': 'ether1'}, '[ find default-name=ether1 ]', \
{'default-name': 'ether1'})
    """
    values: dict[str, str] = {}
    target: str | None = None
    find: dict[str, str] = {}
    for token in _TOKEN.findall(args):
        if token.startswith("["):
            target = target or token
            find = tokenise(token.strip("[] ").removeprefix("find").strip())[0]
        elif token.startswith("!"):
            continue
        elif "=" in token and not token.startswith('"'):
            key, _, value = token.partition("=")
            values[key] = unquote(value)
        elif target is None:
            target = unquote(token)
    return values, target, find


def _split_path(path: str) -> tuple[str, str | None]:
    """``ip firewall service-port set sip disabled=yes`` -> (section, inline command)."""
    words = path.split()
    for position, word in enumerate(words):
        if word in VERBS:
            return " ".join(words[:position]), " ".join(words[position:])
    return " ".join(words), None


class _Cursor:
    """Walks the logical lines in order to find the line of each TTP capture."""

    def __init__(self, text: str) -> None:
        self.lines = logical_lines(text)
        self.position = 0

    def take(self, wanted: str) -> tuple[int, int]:
        key = " ".join(wanted.split())
        for index in range(self.position, len(self.lines)):
            start, end, line = self.lines[index]
            if " ".join(line.split()) == key:
                self.position = index + 1
                return start, end
        return 0, 0


def commands(parsed: Any, text: str) -> list[Command]:
    """Every command of the export in order, from the TTP sections."""
    cursor = _Cursor(text)
    result: list[Command] = []
    for section in _records(parsed, "sections"):
        path = _clean(section.get("path"))
        start, end = cursor.take(f"/{path}")
        name, inline = _split_path(path)
        entries = [(inline, start, end)] if inline else []
        for entry in (c for c in as_list(section.get("commands")) if isinstance(c, dict)):
            line = f"{_clean(entry.get('verb'))} {_clean(entry.get('args'))}".strip()
            entries.append((line, *cursor.take(line)))
        for line, first, last in entries:
            verb, _, rest = line.partition(" ")
            values, target, find = tokenise(rest)
            result.append(Command(name, verb, values, target, find, first, last, line))
    return result


def _clean(value: Any) -> str:
    return " ".join(str(value or "").split())


def _records(parsed: Any, key: str) -> list[dict[str, Any]]:
    if not isinstance(parsed, dict):
        return []
    return [item for item in as_list(parsed.get(key)) if isinstance(item, dict)]


# --------------------------------------------------------------------------- export


@dataclass
class Export:
    """One export, tokenised, with what the normalisers need to cite lines."""

    out: Output
    commands: list[Command]
    major: int | None  # RouterOS major version from the header; None when absent
    lists: dict[str, list[str]] = field(default_factory=dict)  # interface list -> members

    def section(self, name: str) -> list[Command]:
        return [c for c in self.commands if c.section == name]

    def ref(self, command: Command, containing: str | None = None) -> Ref:
        """The command's first physical line, or the one within it holding ``containing``."""
        number = command.line or None
        if number and containing:
            for candidate in range(command.line, command.end + 1):
                if containing in self.out.lines[candidate - 1]:
                    number = candidate
                    break
        if number is None or (not containing and command.end > command.line):
            # a `\`-continued command is cited whole, at its first line
            return Ref(
                source=self.out.command, line=number, text=f"/{command.section} {command.compact}"
            )
        return self.out.ref_line(number)


def _export(parsed: Any, out: Output) -> Export:
    header = _records(parsed, "header")
    version = _clean(header[0].get("version")) if header else ""
    major = int(version.split(".")[0]) if version.split(".")[0].isdigit() else None
    export = Export(out, commands(parsed, out.text), major)
    for member in export.section("interface list member"):
        if member.verb == "add" and not member.disabled:
            name = member.args.get("list", "")
            export.lists.setdefault(name, []).append(member.args.get("interface", ""))
    return export


def _is_export(parsed: Any, text: str) -> bool:
    if is_error_output(text):
        return False
    return bool(_records(parsed, "header") or _records(parsed, "sections"))


# --------------------------------------------------------------------------- sip_alg


def _sip_alg(export: Export) -> SipAlg:
    deciding: Command | None = None
    state: bool | None = None
    ports = SIP_DEFAULT_PORTS
    direct_media = "yes"
    for command in export.section("ip firewall service-port"):
        if command.item() != "sip":
            continue
        if command.verb in ("disable", "enable"):
            deciding, state = command, command.verb == "enable"
        elif command.verb == "set":
            ports = command.args.get("ports", ports)
            direct_media = command.args.get("sip-direct-media", direct_media)
            if "disabled" in command.args:
                deciding, state = command, not command.disabled
    if deciding is None or state is None:
        return SipAlg(
            enabled=True,
            detail=(
                "the SIP helper (/ip firewall service-port sip) is on: RouterOS enables it "
                f"by default (ports {ports}) and this export never disables it"
            ),
            refs=_default_refs(export),
            protocols=["udp", "tcp"],
            by_default=True,
        )
    ref = export.ref(deciding, "disabled=" if deciding.verb == "set" else None)
    if not state:
        return SipAlg(
            enabled=False, detail="the SIP helper (service-port sip) is disabled", refs=[ref]
        )
    return SipAlg(
        enabled=True,
        detail=(
            f"the SIP helper (service-port sip) is enabled on ports {ports} "
            f"(sip-direct-media={direct_media}): RouterOS rewrites SIP/SDP through NAT"
        ),
        refs=[ref],
        protocols=["udp", "tcp"],
    )


def _default_refs(export: Export) -> list[Ref]:
    """Evidence for a default: the service-port section when present, else the header
    line naming the RouterOS version whose default applies."""
    section = export.section("ip firewall service-port")
    if section:
        return [export.ref(section[0])]
    for number, line in enumerate(export.out.lines, start=1):
        if " by RouterOS " in line:
            return [export.out.ref_line(number)]
    return []


# --------------------------------------------------------------------------- NAT


def _nat_rules(export: Export) -> list[Command]:
    return [c for c in export.section("ip firewall nat") if c.verb == "add"]


def _outside(export: Export) -> list[str]:
    """Interfaces masquerade / src-nat rules leave through (directly or via a list)."""
    names: list[str] = []
    for rule in _nat_rules(export):
        if not _is_source_nat(rule):
            continue
        interface = rule.args.get("out-interface", "")
        candidates = [interface] if interface else []
        candidates += export.lists.get(rule.args.get("out-interface-list", ""), [])
        names += [n for n in candidates if n and not n.startswith("!") and n not in names]
    return names


def _is_source_nat(rule: Command) -> bool:
    return (
        not rule.disabled
        and rule.args.get("chain") == "srcnat"
        and rule.args.get("action") in ("masquerade", "src-nat")
    )


def _udp_timeout(export: Export, key: str = "udp-timeout") -> tuple[int | None, Ref | None]:
    """The timeout as set, or the version's default cited by the header line naming it."""
    for command in export.section("ip firewall connection tracking"):
        if key in command.args:
            seconds = duration_s(command.args[key])
            return seconds, export.ref(command, f"{key}=")
    default = CONNTRACK_DEFAULTS.get(export.major or 0, {}).get(key)
    header = next(
        (n for n, line in enumerate(export.out.lines, start=1) if " by RouterOS " in line), None
    )
    proof = export.out.ref_line(header) if default and header else None
    return duration_s(default), proof


def _nat(export: Export) -> Nat:
    rules = [
        NatRule(text=rule.compact, kind=rule.args.get("action", "unknown"), ref=export.ref(rule))
        for rule in _nat_rules(export)
    ]
    seconds, ref = _udp_timeout(export)
    stream_s, stream_ref = _udp_timeout(export, "udp-stream-timeout")
    return Nat(
        enabled=any(_is_source_nat(rule) for rule in _nat_rules(export)),
        inside=[],
        outside=_outside(export),
        rules=rules,
        udp_timeout_s=seconds,
        udp_timeout_ref=ref,
        udp_stream_timeout_s=stream_s,
        udp_stream_timeout_ref=stream_ref,
    )


# --------------------------------------------------------------------------- interfaces


def _declared(export: Export) -> dict[str, Command]:
    """Interface name -> the command that creates or configures it."""
    found: dict[str, Command] = {}
    for command in export.commands:
        if command.section not in INTERFACE_SECTIONS or command.verb not in ("add", "set"):
            continue
        name = command.args.get("name") or command.item()
        if name and not name.isdigit() and not name.startswith("*"):
            found.setdefault(name, command)
    return found


def _interfaces(export: Export, outside: list[str]) -> list[Interface]:
    declared = _declared(export)
    addresses: dict[str, list[tuple[str, Command]]] = {}
    for command in export.section("ip address"):
        if command.verb == "add" and not command.disabled and "address" in command.args:
            interface = command.args.get("interface", "")
            addresses.setdefault(interface, []).append((command.args["address"], command))
    names = list(declared) + [n for n in addresses if n not in declared]
    return [
        _interface(export, n, declared.get(n), addresses.get(n, []), n in outside) for n in names
    ]


def _interface(
    export: Export,
    name: str,
    declared: Command | None,
    addresses: list[tuple[str, Command]],
    outside: bool,
) -> Interface:
    args = declared.args if declared else {}
    interface = Interface(
        name=name,
        ref=export.ref(declared) if declared else None,
        description=args.get("comment"),
        ipv4=[address if "/" in address else f"{address}/32" for address, _ in addresses],
        enabled=not is_yes(args.get("disabled")),
        nat="outside" if outside else None,
        kind=declared.section.removeprefix("interface ").strip() if declared else None,
    )
    if addresses:
        arp = args.get("arp", "enabled")
        interface.proxy_arp = arp == "proxy-arp"
        if declared is not None:
            interface.proxy_arp_ref = export.ref(declared, "arp=" if "arp" in args else None)
        else:
            interface.proxy_arp_ref = export.ref(addresses[0][1])
    return interface


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


def _qos(export: Export, wan: list[str]) -> Qos:
    queues = _queues(export)
    voice = _voice_marks(export)
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
        if is_voice and is_priority:
            for interface in _queue_interfaces(queue, queues, wan):
                voice_priority.setdefault(interface, export.ref(queue, "priority="))
    policies = [QosPolicy(name=name, classes=items) for name, items in classes.items()]
    return Qos(policies=policies, wan_interfaces=wan, voice_priority=voice_priority)


def _wan(export: Export, outside: list[str]) -> list[str]:
    wan = list(outside)
    for name, members in export.lists.items():
        if name.upper() == "WAN":
            wan += [m for m in members if m not in wan]
    return wan


# --------------------------------------------------------------------------- firewall


def _rule(command: Command, index: int) -> dict[str, Any]:
    rule: dict[str, Any] = {key: value for key, value in command.args.items()}
    rule["disabled"] = command.disabled
    rule["index"] = index
    rule["config_line"] = command.line or None
    return rule


def _rules(commands: Iterable[Command]) -> list[dict[str, Any]]:
    added = [c for c in commands if c.verb == "add"]
    return [_rule(command, index) for index, command in enumerate(added, start=1)]


def _firewall(export: Export) -> Firewall:
    address_lists: dict[str, list[str]] = {}
    for entry in export.section("ip firewall address-list"):
        if entry.verb == "add" and not entry.disabled and "list" in entry.args:
            address_lists.setdefault(entry.args["list"], []).append(entry.args.get("address", ""))
    queues = [
        {**rule, "kind": kind}
        for kind in ("tree", "simple")
        for rule in _rules(export.section(f"queue {kind}"))
    ]
    tracking = dict(CONNTRACK_DEFAULTS.get(export.major or 0, {}))
    for command in export.section("ip firewall connection tracking"):
        tracking.update(command.args)
    return Firewall(
        filter=_rules(export.section("ip firewall filter")),
        nat=_rules(export.section("ip firewall nat")),
        mangle=_rules(export.section("ip firewall mangle")),
        address_lists=address_lists,
        queues=queues,
        connection_tracking=tracking,
        interface_lists={name: list(members) for name, members in export.lists.items()},
    )


# --------------------------------------------------------------------------- entry points


@normaliser(PLATFORM, EXPORT)
def export_verbose(parsed: Any, out: Output) -> dict[str, Any]:
    """interfaces, nat, sip_alg, qos and firewall from an export."""
    if not _is_export(parsed, out.text):
        return dict.fromkeys(("interfaces", "nat", "sip_alg", "qos", "firewall"))
    export = _export(parsed, out)
    nat = _nat(export)
    return {
        "interfaces": _interfaces(export, nat.outside),
        "nat": nat,
        "sip_alg": _sip_alg(export),
        "qos": _qos(export, _wan(export, nat.outside)),
        "firewall": _firewall(export),
    }


@normaliser(PLATFORM, "/system resource print")
def system_resource(parsed: Any, out: Output) -> dict[str, Any]:
    """device from `/system resource print`."""
    records = _records(parsed, "resource")
    if is_error_output(out.text) or not records or not records[0].get("version"):
        return {"device": None}
    record = records[0]
    version = _clean(record.get("version"))
    number = next(
        (n for n, line in enumerate(out.lines, start=1) if line.strip().startswith("version:")),
        None,
    )
    return {
        "device": Device(
            hostname=None,
            vendor="MikroTik",
            model=_clean(record.get("board")) or None,
            os_version=version,
            serial=None,
            ref=out.ref_line(number) if number else None,
        )
    }
