"""IOS access-lists as the ``acl`` fact: numbered and named (standard / extended)
lists, ``ip access-group`` bindings, ``object-group network|service`` and the signs of a
zone-based firewall. The TTP template finds the blocks; their entries are read here,
line by line, so every entry cites its own config line.

Each entry is tokenised the way the ASA normaliser does it (``action``, ``protocol``,
``source``, ``src_port``, ``destination``, ``dst_port``, ``options``), plus ``sequence``
(as printed; IOS 15 running-configs print none) and ``kind`` (standard / extended).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any, cast

from fleetaudit.facts import AccessGroup, Acl, AclEntry, ObjectGroup, Ref
from fleetaudit.normalise import Output, as_list

_PORT_OPERATORS = {"eq", "neq", "gt", "lt", "range"}
_ADDRESS_WORDS = {"any", "host", "object-group"}
_PORT_NAMES = {
    "bgp", "biff", "bootpc", "bootps", "chargen", "cmd", "daytime", "discard", "dnsix",
    "domain", "echo", "exec", "finger", "ftp", "ftp-data", "gopher", "hostname", "ident",
    "irc", "isakmp", "klogin", "kshell", "login", "lpd", "mobile-ip", "msrpc", "nameserver",
    "netbios-dgm", "netbios-ns", "netbios-ss", "nntp", "non500-isakmp", "ntp", "pim-auto-rp",
    "pop2", "pop3", "rip", "sip", "smtp", "snmp", "snmptrap", "sunrpc", "syslog", "tacacs",
    "talk", "telnet", "tftp", "time", "uucp", "who", "whois", "www", "xdmcp",
}  # fmt: skip


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in as_list(value) if isinstance(item, dict)]


def _is_ip(word: str) -> bool:
    try:
        ipaddress.IPv4Address(word)
    except ValueError:
        return False
    return True


def _is_port(word: str) -> bool:
    return word.isdigit() or word in _PORT_NAMES


def block(out: Output, header: int) -> Iterator[int]:
    """Line numbers of the indented children of the block opened at line ``header``."""
    for number in range(header + 1, len(out.lines) + 1):
        line = out.lines[number - 1]
        if not line[:1].isspace() or not line.strip():
            return
        yield number


def _address(words: list[str], at: int, standard: bool = False) -> tuple[str | None, int]:
    """``any`` | ``host A`` | ``object-group X`` | ``A W`` (| ``A`` in standard lists)."""
    if at >= len(words):
        return None, at
    word = words[at]
    if word == "any":
        return "any", at + 1
    if word in ("host", "object-group") and at + 1 < len(words):
        return f"{word} {words[at + 1]}", at + 2
    if _is_ip(word) and at + 1 < len(words) and _is_ip(words[at + 1]):
        return f"{word} {words[at + 1]}", at + 2
    if _is_ip(word) and standard:
        return word, at + 1
    return None, at


def _port(words: list[str], at: int) -> tuple[str | None, int]:
    if at >= len(words) or words[at] not in _PORT_OPERATORS:
        return None, at
    if words[at] == "range":
        return " ".join(words[at : at + 3]), at + 3
    end = at + 1
    while (
        end < len(words) and _is_port(words[end]) and (end == at + 1 or words[at] in ("eq", "neq"))
    ):
        end += 1
    return " ".join(words[at:end]), end


def ace(text: str, kind: str) -> dict[str, Any]:
    """One entry (sequence number first, when printed).

    >>> e = ace("20 permit udp 193.201.230.128 0.0.0.63 host 203.0.113.2 range 16384 32767 log", "extended")
    >>> e["sequence"], e["source"], e["destination"], e["dst_port"], e["options"]
    (20, '193.201.230.128 0.0.0.63', 'host 203.0.113.2', 'range 16384 32767', ['log'])
    """
    words = text.split()
    entry: dict[str, Any] = dict.fromkeys(
        ("sequence", "action", "protocol", "source", "src_port", "destination", "dst_port")
    )
    entry.update(kind=kind, options=[], remark=False)
    if words and words[0].isdigit():
        entry["sequence"], words = int(words[0]), words[1:]
    if not words or words[0] == "remark":
        entry["remark"] = True
        return entry
    entry["action"], at = words[0], 1
    if kind == "standard":
        entry["source"], at = _address(words, at, standard=True)
    else:
        if words[at : at + 1] == ["object-group"]:
            entry["protocol"], at = f"object-group {words[at + 1]}", at + 2
        elif at < len(words):
            entry["protocol"], at = words[at], at + 1
        entry["source"], at = _address(words, at)
        entry["src_port"], at = _port(words, at)
        entry["destination"], at = _address(words, at)
        entry["dst_port"], at = _port(words, at)
    entry["options"] = words[at:]
    return entry


def _kind(number: str) -> str:
    value = int(number)
    return "standard" if value < 100 or 1300 <= value <= 1999 else "extended"


def _named(parsed: dict[str, Any], out: Output) -> dict[str, list[dict[str, Any]]]:
    lists: dict[str, list[dict[str, Any]]] = {}
    for record in _dicts(parsed.get("acl_blocks")):
        kind, name = str(record.get("kind")), str(record.get("name"))
        header = out.find(f"ip access-list {kind} {name}")
        if header is None:
            continue
        entries = lists.setdefault(name, [])
        for number in block(out, header):
            text = out.lines[number - 1].strip()
            entry = ace(text, kind)
            entry.update(index=len(entries) + 1, text=text, config_line=number)
            entries.append(entry)
    return lists


def _numbered(parsed: dict[str, Any], out: Output) -> dict[str, list[dict[str, Any]]]:
    lists: dict[str, list[dict[str, Any]]] = {}
    cursor = 0
    for record in _dicts(parsed.get("numbered_acls")):
        name, rest = str(record.get("number")), " ".join(str(record.get("rest") or "").split())
        number = out.find(f"access-list {name} {rest}", after=cursor)
        cursor = number + 1 if number else cursor
        entries = lists.setdefault(name, [])
        entry = ace(rest, _kind(name))
        text = out.lines[number - 1].strip() if number else f"access-list {name} {rest}"
        entry.update(index=len(entries) + 1, text=text, config_line=number)
        entries.append(entry)
    return lists


def _object_groups(parsed: dict[str, Any], out: Output) -> dict[str, dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for record in _dicts(parsed.get("object_groups")):
        kind, name = str(record.get("type")), str(record.get("name"))
        header = out.find(f"object-group {kind} {name}")
        if header is None:
            continue
        members = []
        for number in block(out, header):
            text = " ".join(out.lines[number - 1].split())
            member_kind = "group-object" if text.startswith("group-object ") else "entry"
            members.append({"kind": member_kind, "value": text})
        groups[name] = {"type": kind, "members": members, "config_line": header}
    return groups


def _access_groups(raw_interfaces: list[dict[str, Any]], out: Output) -> list[dict[str, Any]]:
    bindings = []
    for raw in raw_interfaces:
        opened = out.find(f"interface {raw.get('name')}") or 0
        for direction in ("in", "out"):
            name = raw.get(f"acl_{direction}")
            if name:
                ref = out.ref(f"ip access-group {name} {direction}", after=opened)
                bindings.append(
                    {"acl": str(name), "direction": direction, "interface": raw["name"], "ref": ref}
                )
    return bindings


def _zone_firewall(
    parsed: dict[str, Any], raw_interfaces: list[dict[str, Any]], out: Output
) -> Ref | None:
    for raw in raw_interfaces:
        if raw.get("zone"):
            opened = out.find(f"interface {raw.get('name')}") or 0
            return out.ref(f"zone-member security {raw['zone']}", after=opened)
    for record in _dicts(parsed.get("zone_pairs")) + _dicts(parsed.get("zones")):
        number = out.find_prefix(
            f"zone-pair security {record['pair']}"
            if "pair" in record
            else f"zone security {record.get('name')}"
        )
        if number:
            return out.ref_line(number)
    return None


def acl(parsed: dict[str, Any], raw_interfaces: list[dict[str, Any]], out: Output) -> Acl:
    """The ``acl`` fact of an IOS running-config (empty lists: none configured)."""
    access_lists = _named(parsed, out)
    for name, entries in _numbered(parsed, out).items():
        access_lists.setdefault(name, []).extend(entries)
    return Acl(
        object_groups=cast("dict[str, ObjectGroup]", _object_groups(parsed, out)),
        access_lists=cast("dict[str, list[AclEntry]]", access_lists),
        access_groups=cast("list[AccessGroup]", _access_groups(raw_interfaces, out)),
        zone_firewall=_zone_firewall(parsed, raw_interfaces, out),
    )
