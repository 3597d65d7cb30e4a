"""Normalisers for cisco_asa outputs.

The TTP templates capture lines; everything that needs a decision (is SIP inspection
applied? which interfaces answer ARP for others? is there voice priority on the WAN?)
lives here, with a reference to the config line that proves it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fleetaudit.facts import (
    Acl,
    Device,
    Interface,
    Nat,
    NatRule,
    Qos,
    QosClass,
    QosPolicy,
    Ref,
    SipAlg,
)
from fleetaudit.normalise import Output, as_list, normaliser

PLATFORM = "cisco_asa"
ASA_DEFAULT_UDP_TIMEOUT_S = 120  # `timeout conn ... udp 0:02:00` is the factory default
_ADDRESS_KEYWORDS = {"host", "object", "object-group", "interface"}
_PORT_OPERATORS = {"eq": 1, "lt": 1, "gt": 1, "neq": 1, "range": 2}
_ERROR_MARKERS = ("ERROR:", "% Invalid", "% Incomplete", "% Ambiguous")


# --------------------------------------------------------------------------- helpers


def _text(value: Any) -> str | None:
    """A TTP capture as a clean string (TTP keeps trailing blanks of `.+` matches)."""
    if value is None:
        return None
    cleaned = " ".join(str(value).split())
    return cleaned or None


def _records(parsed: Any, key: str) -> list[dict[str, Any]]:
    """The list of TTP records under ``key``; the running-config template nests every
    block under one parent group ``config``."""
    if not isinstance(parsed, dict):
        return []
    if isinstance(parsed.get("config"), dict):
        parsed = parsed["config"]
    return [item for item in as_list(parsed.get(key)) if isinstance(item, dict)]


def _joined(value: Any) -> list[str]:
    """Values captured with `joinmatches` (newline separated), cleaned."""
    if value is None:
        return []
    return [line for line in (_text(v) for v in str(value).splitlines()) if line]


def is_error_output(text: str) -> bool:
    """True when the device answered with an error instead of the command's output."""
    head = [line.strip() for line in text.splitlines() if line.strip()][:4]
    return any(line.startswith(_ERROR_MARKERS) for line in head)


def _cidr(address: str | None, mask: str | None) -> str | None:
    """``192.0.2.1`` + ``255.255.255.0`` -> ``192.0.2.1/24``; None when not an address.

    >>> _cidr("192.0.2.1", "255.255.255.0")
    '192.0.2.1/24'
    >>> _cidr("dhcp", "setroute") is None
    True
    """
    try:
        ip = ipaddress.IPv4Address(address or "")
        prefix = ipaddress.IPv4Network(f"0.0.0.0/{mask}").prefixlen
    except ValueError:
        return None
    return f"{ip}/{prefix}"


def _hms_seconds(value: str) -> int | None:
    """ASA ``H:MM:SS`` timeouts in seconds.

    >>> _hms_seconds("0:02:00")
    120
    >>> _hms_seconds("1:00:00")
    3600
    """
    parts = value.split(":")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    hours, minutes, seconds = (int(part) for part in parts)
    return hours * 3600 + minutes * 60 + seconds


@dataclass
class _Lines:
    """Finds config lines in order; ``indented`` tells block children from top level."""

    out: Output

    def find(self, text: str, after: int = 0, indented: bool | None = None) -> int | None:
        wanted = " ".join(text.split())
        for number, line in enumerate(self.out.lines, start=1):
            if number < after or " ".join(line.split()) != wanted:
                continue
            if indented is None or line[:1].isspace() == indented:
                return number
        return None

    def ref(self, number: int | None, fallback: str) -> Ref:
        if number is None:
            return Ref(source=self.out.command, line=None, text=fallback)
        return self.out.ref_line(number)

    def line_ref(self, text: str, after: int = 0, indented: bool | None = None) -> Ref:
        return self.ref(self.find(text, after, indented), " ".join(text.split()))


# --------------------------------------------------------------------------- interfaces


def _interfaces(parsed: Any, lines: _Lines) -> list[Interface]:
    noproxyarp = {
        nameif: lines.line_ref(f"sysopt noproxyarp {nameif}", indented=False)
        for nameif in (_text(r.get("nameif")) for r in _records(parsed, "noproxyarp"))
        if nameif
    }
    result: list[Interface] = []
    cursor = 0
    for record in _records(parsed, "interfaces"):
        name = _text(record.get("name")) or ""
        opened = lines.find(f"interface {name}", cursor, indented=False)
        cursor = opened or cursor
        result.append(_interface(record, name, opened, lines, noproxyarp))
    return result


def _interface(
    record: dict[str, Any],
    name: str,
    opened: int | None,
    lines: _Lines,
    noproxyarp: dict[str, Ref],
) -> Interface:
    nameif = _text(record.get("nameif"))
    level = _text(record.get("security_level"))
    cidr = _cidr(_text(record.get("ip")), _text(record.get("mask")))
    interface = Interface(
        name=name,
        ref=lines.ref(opened, f"interface {name}"),
        description=_text(record.get("description")),
        ipv4=[cidr] if cidr else [],
        enabled=not record.get("shutdown"),
        nameif=nameif,
        security_level=int(level) if level and level.isdigit() else None,
    )
    if nameif:
        # ASA answers ARP for NAT/routed addresses on every named interface unless
        # `sysopt noproxyarp <nameif>` is configured.
        interface.proxy_arp = nameif not in noproxyarp
        interface.proxy_arp_ref = noproxyarp.get(nameif) or lines.line_ref(
            f"nameif {nameif}", opened or 0, indented=True
        )
    return interface


# --------------------------------------------------------------------------- SIP inspection


@dataclass
class _Inspect:
    policy: str
    cls: str
    ref: Ref
    negated: bool
    argument: str | None


def _sip_inspects(parsed: Any, lines: _Lines) -> Iterator[_Inspect]:
    cursor = 0
    for policy in _records(parsed, "policy_maps"):
        name = _text(policy.get("name")) or ""
        policy_line = lines.find(f"policy-map {name}", cursor, indented=False) or cursor
        cursor = policy_line
        for cls in (c for c in as_list(policy.get("classes")) if isinstance(c, dict)):
            cls_name = _text(cls.get("name")) or ""
            cls_line = lines.find(f"class {cls_name}", policy_line, indented=True) or policy_line
            for negated, key in ((False, "inspect"), (True, "no_inspect")):
                for inspect in _joined(cls.get(key)):
                    words = inspect.split()
                    if words[0] != "sip":
                        continue
                    prefix = "no inspect" if negated else "inspect"
                    ref = lines.line_ref(f"{prefix} {inspect}", cls_line, indented=True)
                    argument = " ".join(words[1:]) or None
                    yield _Inspect(name, cls_name, ref, negated, argument)


def _applied_policies(parsed: Any, lines: _Lines) -> dict[str, tuple[str, Ref]]:
    """policy-map name -> (where it applies: "global" or a nameif, service-policy line)."""
    applied: dict[str, tuple[str, Ref]] = {}
    for record in _records(parsed, "service_policies"):
        policy = _text(record.get("policy")) or ""
        interface = _text(record.get("interface"))
        where = interface or "global"
        text = f"service-policy {policy} " + (f"interface {interface}" if interface else "global")
        applied.setdefault(policy, (where, lines.line_ref(text, indented=False)))
    return applied


def _sip_alg(parsed: Any, lines: _Lines) -> SipAlg:
    applied = _applied_policies(parsed, lines)
    inspects = list(_sip_inspects(parsed, lines))
    for item in (i for i in inspects if not i.negated and i.policy in applied):
        where, policy_ref = applied[item.policy]
        factory = item.policy == "global_policy" and item.cls == "inspection_default"
        scope = "globally" if where == "global" else f"on interface {where}"
        with_map = f" with inspect map {item.argument}" if item.argument else ""
        detail = (
            f"SIP inspection{with_map} in policy-map {item.policy} class {item.cls}, "
            f"applied {scope}: the ASA rewrites SIP/SDP on udp/5060 and tcp/5060"
        )
        if factory:
            detail += " (part of the factory default inspection policy)"
        return SipAlg(
            enabled=True,
            detail=detail,
            refs=[item.ref, policy_ref],
            protocols=["udp", "tcp"],
            by_default=factory,
        )
    return _sip_alg_off(inspects)


def _sip_alg_off(inspects: list[_Inspect]) -> SipAlg:
    negated = [i for i in inspects if i.negated]
    if negated:
        item = negated[0]
        detail = f"`no inspect sip` in policy-map {item.policy} class {item.cls}"
        return SipAlg(enabled=False, detail=detail, refs=[item.ref])
    if inspects:
        item = inspects[0]
        detail = (
            f"`inspect sip` is configured in policy-map {item.policy} but that policy-map "
            "is not applied by any service-policy"
        )
        return SipAlg(enabled=False, detail=detail, refs=[item.ref])
    return SipAlg(enabled=False, detail="no `inspect sip` in any policy-map")


# --------------------------------------------------------------------------- NAT


def _nat_split(nat: str) -> tuple[str, str]:
    """``(inside,outside) dynamic interface`` -> ("inside", "outside")."""
    head = nat.split(")", 1)[0].lstrip("(")
    real, _, mapped = head.partition(",")
    return real.strip(), mapped.strip()


def _nat(parsed: Any, lines: _Lines) -> Nat:
    rules: list[NatRule] = []
    pairs: list[tuple[str, str]] = []
    cursor = 0
    for record in _records(parsed, "objects"):
        name, kind = _text(record.get("name")), _text(record.get("type"))
        opened = lines.find(f"object {kind} {name}", cursor, indented=False)
        cursor = opened or cursor
        nat = _text(record.get("nat"))
        if nat:
            ref = lines.line_ref(f"nat {nat}", cursor, indented=True)
            rules.append(NatRule(text=f"object {kind} {name}: nat {nat}", kind="object", ref=ref))
            pairs.append(_nat_split(nat))
    for record in _records(parsed, "twice_nat"):
        real, mapped = _text(record.get("real_if")) or "", _text(record.get("mapped_if")) or ""
        text = f"nat ({real},{mapped}) {_text(record.get('rest')) or ''}".strip()
        rules.append(NatRule(text=text, kind="twice", ref=lines.line_ref(text, indented=False)))
        pairs.append((real, mapped))
    for record in _records(parsed, "legacy_static"):  # pre-8.3: static (real,mapped) MAPPED REAL
        real, mapped = _text(record.get("real_if")) or "", _text(record.get("mapped_if")) or ""
        text = f"static ({real},{mapped}) {_text(record.get('rest')) or ''}".strip()
        rules.append(NatRule(text=text, kind="static", ref=lines.line_ref(text, indented=False)))
        pairs.append((real, mapped))
    timeout_s, timeout_ref = _udp_timeout(parsed, lines)
    return Nat(
        enabled=bool(rules),
        inside=_unique(real for real, _ in pairs),
        outside=_unique(mapped for _, mapped in pairs),
        rules=rules,
        udp_timeout_s=timeout_s,
        udp_timeout_ref=timeout_ref,
    )


def _unique(names: Iterator[str] | Any) -> list[str]:
    seen: list[str] = []
    for name in names:
        if name and name != "any" and name not in seen:
            seen.append(name)
    return seen


def _udp_timeout(parsed: Any, lines: _Lines) -> tuple[int, Ref | None]:
    """`timeout conn 1:00:00 half-closed 0:10:00 udp 0:02:00 ...`; 2 min when absent."""
    for record in _records(parsed, "timeouts"):
        words = (_text(record.get("rest")) or "").split()
        for position, word in enumerate(words[:-1]):
            seconds = _hms_seconds(words[position + 1]) if word == "udp" else None
            if seconds is not None:
                text = "timeout " + " ".join(words)
                return seconds, lines.line_ref(text, indented=False)
    return ASA_DEFAULT_UDP_TIMEOUT_S, None


# --------------------------------------------------------------------------- QoS


def _is_voice_match(match: str) -> bool:
    """Class-map matches that select voice: DSCP EF/46, RTP, SIP ports.

    >>> _is_voice_match("dscp ef")
    True
    >>> _is_voice_match("tunnel-group VPN")
    False
    """
    words = match.lower().split()
    if not words:
        return False
    if words[0] == "dscp":
        return "ef" in words or "46" in words
    if words[0] == "rtp":
        return True
    return words[0] == "port" and ("sip" in words or "5060" in words)


def _qos(parsed: Any, lines: _Lines, interfaces: list[Interface]) -> Qos:
    class_maps = {
        _text(r.get("name")) or "": _joined(r.get("match")) for r in _records(parsed, "class_maps")
    }
    policies: list[QosPolicy] = []
    priority_refs: dict[str, Ref] = {}  # policy-map -> `priority` line of a voice class
    cursor = 0
    for record in _records(parsed, "policy_maps"):
        name = _text(record.get("name")) or ""
        policy_line = lines.find(f"policy-map {name}", cursor, indented=False) or cursor
        cursor = policy_line
        classes = []
        for cls in (c for c in as_list(record.get("classes")) if isinstance(c, dict)):
            cls_name = _text(cls.get("name")) or ""
            cls_line = lines.find(f"class {cls_name}", policy_line, indented=True)
            matches = class_maps.get(cls_name, [])
            voice = any(_is_voice_match(m) for m in matches)
            priority = bool(cls.get("priority"))
            classes.append(
                QosClass(cls_name, matches, priority, voice, lines.ref(cls_line, cls_name))
            )
            if priority and voice:
                priority_refs.setdefault(
                    name, lines.line_ref("priority", cls_line or policy_line, indented=True)
                )
        policies.append(QosPolicy(name, classes, lines.ref(policy_line or None, name)))
    wan = [
        i.nameif
        for i in interfaces
        if i.nameif and (i.security_level == 0 or i.nameif.lower() == "outside")
    ]
    queues = {_text(r.get("nameif")) for r in _records(parsed, "priority_queues")}
    applied = _applied_policies(parsed, lines)
    voice_priority: dict[str, Ref] = {}
    for nameif in (n for n in wan if n in queues):
        for policy, ref in priority_refs.items():
            where = applied.get(policy, ("", ref))[0]
            if where in (nameif, "global"):
                voice_priority.setdefault(nameif, ref)
    return Qos(policies=policies, wan_interfaces=wan, voice_priority=voice_priority)


# --------------------------------------------------------------------------- ACL


def _objects(parsed: Any, lines: _Lines) -> dict[str, dict[str, Any]]:
    objects: dict[str, dict[str, Any]] = {}
    cursor = 0
    for record in _records(parsed, "objects"):
        name, kind = _text(record.get("name")) or "", _text(record.get("type")) or ""
        opened = lines.find(f"object {kind} {name}", cursor, indented=False)
        cursor = opened or cursor
        entry = objects.setdefault(name, {"type": kind, "config_line": opened})
        for key in ("host", "subnet", "range", "fqdn", "service", "description"):
            value = _text(record.get(key))
            if value:
                entry[key] = value
    return objects


def _object_groups(parsed: Any, lines: _Lines) -> dict[str, dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for record in _records(parsed, "object_groups"):
        name, kind = _text(record.get("name")) or "", _text(record.get("type")) or ""
        protocol = _text(record.get("protocol"))
        header = " ".join(w for w in ("object-group", kind, name, protocol) if w)
        members = [
            {"kind": _text(m.get("kind")), "value": _text(m.get("value"))}
            for m in as_list(record.get("members"))
            if isinstance(m, dict)
        ]
        groups[name] = {
            "type": kind,
            "protocol": protocol,
            "description": _text(record.get("description")),
            "members": members,
            "config_line": lines.find(header, indented=False),
        }
    return groups


def _take_address(words: list[str], at: int) -> tuple[str | None, int]:
    """One address spec from ``words[at]``: any | host A | A M | object X | object-group X."""
    if at >= len(words):
        return None, at
    word = words[at]
    if word in _ADDRESS_KEYWORDS and at + 1 < len(words):
        return f"{word} {words[at + 1]}", at + 2
    if at + 1 < len(words) and _is_mask(words[at + 1]):
        return f"{word} {words[at + 1]}", at + 2
    return word, at + 1


def _is_mask(word: str) -> bool:
    try:
        return word.count(".") == 3 and bool(ipaddress.IPv4Network(f"0.0.0.0/{word}"))
    except ValueError:
        return False


def _take_port(
    words: list[str], at: int, groups: dict[str, dict[str, Any]]
) -> tuple[str | None, int]:
    """A port spec (eq/lt/gt/neq P, range A B, object-group of ports) at ``words[at]``."""
    if at >= len(words):
        return None, at
    word = words[at]
    width = _PORT_OPERATORS.get(word)
    if width is not None and at + width < len(words):
        return " ".join(words[at : at + width + 1]), at + width + 1
    is_group = word == "object-group" and at + 1 < len(words)
    if is_group and groups.get(words[at + 1], {}).get("type") == "service":
        return f"{word} {words[at + 1]}", at + 2
    return None, at


def _ace(rest: str, groups: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Tokenise the part of an ``access-list NAME ...`` line after the name."""
    words = rest.split()
    if words[:1] == ["line"] and len(words) > 2:
        words = words[2:]
    ace: dict[str, Any] = dict.fromkeys(
        ("action", "protocol", "source", "src_port", "destination", "dst_port")
    )
    ace.update(options=[], remark=False, inactive=False)
    if not words or words[0] == "remark":
        ace["remark"] = True
        return ace
    kind, words = words[0], words[1:]
    if kind not in ("extended", "standard") or not words:
        ace.update(action=words[0] if words else None, options=words[1:])
        return ace
    ace["action"], at = words[0], 1
    if kind == "standard":
        ace["destination"], at = _take_address(words, at)
    else:
        at = _extended(words, at, ace, groups)
    ace["options"] = words[at:]
    ace["inactive"] = "inactive" in words[at:]
    return ace


def _extended(words: list[str], at: int, ace: dict[str, Any], groups: dict[str, Any]) -> int:
    if at < len(words) and words[at] in ("object", "object-group") and at + 1 < len(words):
        ace["protocol"], at = f"{words[at]} {words[at + 1]}", at + 2
    elif at < len(words):
        ace["protocol"], at = words[at], at + 1
    ace["source"], at = _take_address(words, at)
    ace["src_port"], at = _take_port(words, at, groups)
    ace["destination"], at = _take_address(words, at)
    ace["dst_port"], at = _take_port(words, at, groups)
    return at


def _access_lists(
    parsed: Any, lines: _Lines, groups: dict[str, dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    access_lists: dict[str, list[dict[str, Any]]] = {}
    cursor = 0
    for record in _records(parsed, "access_lists"):
        name, rest = _text(record.get("acl")) or "", _text(record.get("rest")) or ""
        number = lines.find(f"access-list {name} {rest}", cursor, indented=False)
        cursor = (number or cursor) + 1 if number else cursor
        entries = access_lists.setdefault(name, [])
        text = lines.out.lines[number - 1].strip() if number else f"access-list {name} {rest}"
        entry: dict[str, Any] = {"index": len(entries) + 1, "text": text, "config_line": number}
        entry.update(_ace(rest, groups))
        entries.append(entry)
    return access_lists


def _acl(parsed: Any, lines: _Lines) -> Acl:
    groups = _object_groups(parsed, lines)
    access_groups = []
    for record in _records(parsed, "access_groups"):
        acl, direction = _text(record.get("acl")) or "", _text(record.get("direction")) or ""
        interface = _text(record.get("interface"))
        text = f"access-group {acl} {direction}" + (f" interface {interface}" if interface else "")
        access_groups.append(
            {
                "acl": acl,
                "direction": direction,
                "interface": interface,
                "ref": lines.line_ref(text, indented=False),
            }
        )
    return Acl(
        names={
            _text(r.get("alias")) or "": _text(r.get("address")) or ""
            for r in _records(parsed, "names")
        },
        objects=_objects(parsed, lines),
        object_groups=groups,
        access_lists=_access_lists(parsed, lines, groups),
        access_groups=access_groups,
    )


# --------------------------------------------------------------------------- entry points


def _is_running_config(parsed: Any, text: str) -> bool:
    if is_error_output(text):
        return False
    return bool(_records(parsed, "system") or _records(parsed, "interfaces"))


@normaliser(PLATFORM, "show running-config")
def running_config(parsed: Any, out: Output) -> dict[str, Any]:
    """interfaces, nat, sip_alg, qos and acl from an ASA running config."""
    if not _is_running_config(parsed, out.text):
        return dict.fromkeys(("interfaces", "nat", "sip_alg", "qos", "acl"))
    lines = _Lines(out)
    interfaces = _interfaces(parsed, lines)
    return {
        "interfaces": interfaces,
        "nat": _nat(parsed, lines),
        "sip_alg": _sip_alg(parsed, lines),
        "qos": _qos(parsed, lines, interfaces),
        "acl": _acl(parsed, lines),
    }


@normaliser(PLATFORM, "show version")
def show_version(parsed: Any, out: Output) -> dict[str, Any]:
    """device from `show version`."""
    versions = _records(parsed, "version")
    if is_error_output(out.text) or not versions:
        return {"device": None}
    version = _text(versions[0].get("version"))
    uptime = _records(parsed, "uptime")
    hardware = _records(parsed, "hardware")
    serial = _records(parsed, "serial")
    text = f"Cisco Adaptive Security Appliance Software Version {version}"
    return {
        "device": Device(
            hostname=_text(uptime[0].get("hostname")) if uptime else None,
            vendor="Cisco",
            model=_text(hardware[0].get("model")) if hardware else None,
            os_version=version,
            serial=_text(serial[0].get("serial")) if serial else None,
            ref=_Lines(out).line_ref(text),
        )
    }
