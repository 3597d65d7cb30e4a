"""ACL facts from the ASA running config: names, objects, object-groups, access-lists
tokenised entry by entry, and the access-groups that apply them."""

from __future__ import annotations

import ipaddress
from typing import Any, cast

from fleetaudit.facts import AccessGroup, Acl, AclEntry, AclObject, ObjectGroup
from fleetaudit.normalise import as_list
from fleetaudit.platforms.cisco_asa.parse.common import ConfigLines, clean_text, ttp_records

_ADDRESS_KEYWORDS = {"host", "object", "object-group", "interface"}
_PORT_OPERATORS = {"eq": 1, "lt": 1, "gt": 1, "neq": 1, "range": 2}


def _objects(parsed: Any, lines: ConfigLines) -> dict[str, dict[str, Any]]:
    objects: dict[str, dict[str, Any]] = {}
    cursor = 0
    for record in ttp_records(parsed, "objects"):
        name, kind = clean_text(record.get("name")) or "", clean_text(record.get("type")) or ""
        opened = lines.find(f"object {kind} {name}", cursor, indented=False)
        cursor = opened or cursor
        entry = objects.setdefault(name, {"type": kind, "config_line": opened})
        for key in ("host", "subnet", "range", "fqdn", "service", "description"):
            value = clean_text(record.get(key))
            if value:
                entry[key] = value
    return objects


def _object_groups(parsed: Any, lines: ConfigLines) -> dict[str, dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for record in ttp_records(parsed, "object_groups"):
        name, kind = clean_text(record.get("name")) or "", clean_text(record.get("type")) or ""
        protocol = clean_text(record.get("protocol"))
        header = " ".join(w for w in ("object-group", kind, name, protocol) if w)
        members = [
            {"kind": clean_text(m.get("kind")), "value": clean_text(m.get("value"))}
            for m in as_list(record.get("members"))
            if isinstance(m, dict)
        ]
        groups[name] = {
            "type": kind,
            "protocol": protocol,
            "description": clean_text(record.get("description")),
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
    parsed: Any, lines: ConfigLines, groups: dict[str, dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    access_lists: dict[str, list[dict[str, Any]]] = {}
    cursor = 0
    for record in ttp_records(parsed, "access_lists"):
        name, rest = clean_text(record.get("acl")) or "", clean_text(record.get("rest")) or ""
        number = lines.find(f"access-list {name} {rest}", cursor, indented=False)
        cursor = (number or cursor) + 1 if number else cursor
        entries = access_lists.setdefault(name, [])
        text = lines.out.lines[number - 1].strip() if number else f"access-list {name} {rest}"
        entry: dict[str, Any] = {"index": len(entries) + 1, "text": text, "config_line": number}
        entry.update(_ace(rest, groups))
        entries.append(entry)
    return access_lists


def read_acl(parsed: Any, lines: ConfigLines) -> Acl:
    groups = _object_groups(parsed, lines)
    access_groups = []
    for record in ttp_records(parsed, "access_groups"):
        acl, direction = (
            clean_text(record.get("acl")) or "",
            clean_text(record.get("direction")) or "",
        )
        interface = clean_text(record.get("interface"))
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
            clean_text(r.get("alias")) or "": clean_text(r.get("address")) or ""
            for r in ttp_records(parsed, "names")
        },
        objects=cast("dict[str, AclObject]", _objects(parsed, lines)),
        object_groups=cast("dict[str, ObjectGroup]", groups),
        access_lists=cast("dict[str, list[AclEntry]]", _access_lists(parsed, lines, groups)),
        access_groups=cast("list[AccessGroup]", access_groups),
    )
