"""QoS from the ASA running config: class and policy maps, and voice priority on the WAN
interfaces that have a ``priority-queue``."""

from __future__ import annotations

from typing import Any

from fleetaudit.facts import Interface, Qos, QosClass, QosPolicy, Ref
from fleetaudit.normalise import as_list
from fleetaudit.platforms.cisco_asa.parse.common import (
    ConfigLines,
    clean_text,
    joined_lines,
    policies_applied,
    ttp_records,
)


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


def read_qos(parsed: Any, lines: ConfigLines, interfaces: list[Interface]) -> Qos:
    class_maps = {
        clean_text(r.get("name")) or "": joined_lines(r.get("match"))
        for r in ttp_records(parsed, "class_maps")
    }
    policies: list[QosPolicy] = []
    priority_refs: dict[str, Ref] = {}  # policy-map -> `priority` line of a voice class
    cursor = 0
    for record in ttp_records(parsed, "policy_maps"):
        name = clean_text(record.get("name")) or ""
        policy_line = lines.find(f"policy-map {name}", cursor, indented=False) or cursor
        cursor = policy_line
        classes = []
        for cls in (c for c in as_list(record.get("classes")) if isinstance(c, dict)):
            cls_name = clean_text(cls.get("name")) or ""
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
    # no priority queueing in multiple context mode: a context's interface is not judged
    wan = [
        i.nameif
        for i in interfaces
        if i.nameif
        and not (i.kind or "").startswith("context ")
        and (i.security_level == 0 or i.nameif.lower() == "outside")
    ]
    queues = {clean_text(r.get("nameif")) for r in ttp_records(parsed, "priority_queues")}
    applied = policies_applied(parsed, lines)
    voice_priority: dict[str, Ref] = {}
    for nameif in (n for n in wan if n in queues):
        for policy, ref in priority_refs.items():
            where = applied.get(policy, ("", ref))[0]
            if where in (nameif, "global"):
                voice_priority.setdefault(nameif, ref)
    return Qos(policies=policies, wan_interfaces=wan, voice_priority=voice_priority)
