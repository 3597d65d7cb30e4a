"""QoS from the IOS running config: class and policy maps, voice priority on the WAN
interfaces (see ``wan``), and whether a switch runs ``mls qos``."""

from __future__ import annotations

import re
from typing import Any

from fleetaudit.facts import Interface, Qos, QosClass, QosPolicy, Ref
from fleetaudit.normalise import Output, as_list
from fleetaudit.platforms.cisco_ios.parse.common import child_ref, first_group, split_joined
from fleetaudit.platforms.cisco_ios.parse.wan import wan_interfaces

_VOICE_DSCP = {"ef", "46"}
_VOICE_PRECEDENCE = {"5", "critical"}


def is_voice_match(match: str) -> bool:
    """Whether a class-map ``match`` selects voice media (DSCP EF / 46, IP precedence 5,
    NBAR ``protocol rtp``).

    >>> [is_voice_match(m) for m in ("dscp ef", "ip dscp af41 ef", "ip precedence 5",
    ...                             "protocol rtp audio", "dscp cs3", "access-group name X")]
    [True, True, True, True, False, False]
    """
    words = match.lower().split()
    if words[:1] == ["ip"]:
        words = words[1:]
    if words[:1] == ["dscp"]:
        return bool(_VOICE_DSCP & set(words[1:]))
    if words[:1] == ["precedence"]:
        return bool(_VOICE_PRECEDENCE & set(words[1:]))
    return words[:2] == ["protocol", "rtp"]


def read_qos(
    parsed: dict[str, Any],
    raw_interfaces: list[dict[str, Any]],
    interfaces: list[Interface],
    out: Output,
) -> Qos:
    policies = _policies(parsed, out)
    wan = wan_interfaces(parsed, raw_interfaces, interfaces)
    by_name = {p.name: p for p in policies}
    voice_priority: dict[str, Ref] = {}
    for interface in interfaces:
        policy = interface.service_policy_out
        if interface.name in wan and policy and _has_voice_priority(policy, by_name):
            start = interface.ref.line if interface.ref else None
            voice_priority[interface.name] = out.ref(
                f"service-policy output {policy}", after=start or 0
            )
    qos = Qos(policies=policies, wan_interfaces=wan, voice_priority=voice_priority)
    if any(_is_switchport(raw) for raw in raw_interfaces):
        version = first_group(parsed.get("version")).get("version")
        major = _major(str(version) if version else None)
        if major is not None and major >= 16:
            qos.trust_by_default = True  # Catalyst 9000 / 3850 IOS-XE: no `mls qos`
        else:
            qos.mls_qos = bool(first_group(parsed.get("mls_qos")).get("mls_qos"))
            qos.mls_qos_ref = out.ref("mls qos") if qos.mls_qos else None
    return qos


def _is_switchport(raw: dict[str, Any]) -> bool:
    keys = ("switchport", "mode", "access_vlan", "voice_vlan", "switchport_other")
    return any(raw.get(key) for key in (*keys, "port_security", "port_security_lines"))


def _policies(parsed: dict[str, Any], out: Output) -> list[QosPolicy]:
    class_maps: dict[str, list[str]] = {}
    for raw in map(first_group, as_list(parsed.get("class_maps"))):
        if raw.get("name") and not raw.get("type"):
            class_maps[str(raw["name"])] = split_joined(raw.get("matches"))
    policies: list[QosPolicy] = []
    for raw in map(first_group, as_list(parsed.get("policy_maps"))):
        if not raw.get("name") or raw.get("type"):
            continue
        ref = out.ref(f"policy-map {raw['name']}")
        classes = [
            _qos_class(first_group(c), class_maps, out, ref) for c in as_list(raw.get("classes"))
        ]
        policies.append(QosPolicy(name=str(raw["name"]), classes=classes, ref=ref))
    return policies


def _qos_class(
    raw: dict[str, Any], class_maps: dict[str, list[str]], out: Output, policy: Ref
) -> QosClass:
    name = str(raw.get("name"))
    matches = class_maps.get(name, [])
    return QosClass(
        name=name,
        matches=matches,
        priority=bool(raw.get("priority")),
        voice=any(is_voice_match(m) for m in matches),
        ref=child_ref(out, policy, f"class {name}"),
        service_policy=raw.get("child"),
    )


def _has_voice_priority(name: str, policies: dict[str, QosPolicy], depth: int = 0) -> bool:
    """A policy (or a child policy under one of its classes) prioritises a voice class."""
    policy = policies.get(name)
    if policy is None or depth > 3:
        return False
    for qos_class in policy.classes:
        if qos_class.voice and qos_class.priority:
            return True
        child = qos_class.service_policy
        if child and _has_voice_priority(child, policies, depth + 1):
            return True
    return False


def _major(version: str | None) -> int | None:
    """Major release number of a config ``version`` line.

    >>> _major("17.3"), _major("15.2"), _major(None)
    (17, 15, None)
    """
    match = re.match(r"(\d+)", version or "")
    return int(match.group(1)) if match else None
