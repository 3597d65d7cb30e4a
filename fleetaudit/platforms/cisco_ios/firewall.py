"""Cisco IOS / IOS-XE: numbered and named access-lists applied with ``ip access-group
NAME in|out`` on interfaces, wildcard masks, ``object-group network|service``, the
implicit deny. An inbound list on the WAN interface also filters traffic to the router
itself (a voice gateway terminating the trunk); it sees the outside (global) address
of a host published by static NAT, an outbound list on the inside interface the real
one. A zone-based firewall is reported as not evaluated (the check says unknown).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from fleetaudit.facts import AccessGroup, Acl, AclEntry, Interface, Nat, Qos, Ref
from fleetaudit.platforms.cisco_acl import ip, netmask_set, port_spec, wildcard_set
from fleetaudit.platforms.cisco_asa.firewall import protocol_set, service
from fleetaudit.rules.intervals import EMPTY, IntervalSet, address_range
from fleetaudit.rules.model import Action, Match, Pipeline, Rule, RuleRef, Stage, Unsupported
from fleetaudit.rules.plan import (
    Example,
    FixRequest,
    Plan,
    Target,
    interface_of,
    own_addresses,
    wildcard,
)

SOURCE = "show running-config"
MAX_NESTING = 16
NEVER_NEW = {"established", "fragments"}  # options that never match a new, whole packet
HARMLESS = {"log", "log-input"}

Combo = tuple[frozenset[str] | None, IntervalSet | None, str | None]


@dataclass
class Resolver:
    acl: Acl

    def address(self, spec: str | None, depth: int = 0) -> IntervalSet | None:
        """``any``, ``host A``, ``A W`` (wildcard), ``A`` (standard lists), ``object-group X``."""
        words = (spec or "any").split()
        if words[0] == "any":
            return None
        if words[0] == "host" and len(words) == 2:
            return IntervalSet.of(_ip(words[1]))
        if words[0] == "object-group" and len(words) == 2:
            return self.network_group(words[1], depth + 1)
        if len(words) == 2:
            return wildcard_set(_ip(words[0]), words[1])
        if len(words) == 1:
            return IntervalSet.of(_ip(words[0]))
        raise Unsupported(f"address {spec!r}")

    def network_group(self, name: str, depth: int) -> IntervalSet:
        if depth > MAX_NESTING:
            raise Unsupported(f"object-groups nest deeper than {MAX_NESTING} (a loop?)")
        group = self.acl.object_groups.get(name)
        if group is None or group.get("type") != "network":
            raise Unsupported(f"no `object-group network {name}`")
        result = EMPTY
        for member in group.get("members", []):
            words = str(member.get("value") or "").split()
            if not words or words[0] == "description":
                continue
            if words[0] == "group-object" and len(words) == 2:
                result = result | self.network_group(words[1], depth + 1)
            elif words[0] == "host" and len(words) == 2:
                result = result | IntervalSet.of(_ip(words[1]))
            elif words[0] == "range" and len(words) == 3:
                result = result | address_range(words[1], words[2])
            elif words[0] == "any":
                result = result | IntervalSet.of(0, 2**32 - 1)
            elif len(words) == 2:
                result = result | netmask_set(_ip(words[0]), words[1])
            else:
                raise Unsupported(f"object-group {name}: {' '.join(words)!r}")
        return result

    def protocols(self, spec: str | None, depth: int = 0) -> list[Combo]:
        words = (spec or "ip").split()
        if words[0] == "object-group" and len(words) == 2:
            return self.service_group(words[1], depth + 1)
        return [(protocol_set(words[0]), None, None)]

    def service_group(self, name: str, depth: int) -> list[Combo]:
        if depth > MAX_NESTING:
            raise Unsupported(f"object-groups nest deeper than {MAX_NESTING} (a loop?)")
        group = self.acl.object_groups.get(name)
        if group is None or group.get("type") != "service":
            raise Unsupported(f"no `object-group service {name}`")
        combos: list[Combo] = []
        for member in group.get("members", []):
            words = str(member.get("value") or "").split()
            if not words or words[0] == "description":
                continue
            if words[0] == "group-object" and len(words) == 2:
                combos += self.service_group(words[1], depth + 1)
            else:
                combos.append(service(" ".join(words)))
        return combos


def _ip(word: str) -> int:
    value = ip(word)
    if value is None:
        raise Unsupported(f"{word!r} is not an address")
    return value


# ------------------------------------------------------------------------ ACEs


def rule_ref(name: str, entry: Mapping[str, Any]) -> RuleRef:
    sequence = entry.get("sequence")
    where = f"seq {sequence}" if sequence is not None else f"line {entry['index']}"
    line = entry.get("config_line")
    return RuleRef(
        label=f"access-list {name} {where}",
        ref=Ref(SOURCE, line if isinstance(line, int) else None, str(entry.get("text", ""))),
        table=name,
        position=int(sequence) if sequence is not None else None,
    )


def ace_rules(name: str, entry: Mapping[str, Any], resolver: Resolver) -> Iterator[Rule]:
    if entry.get("remark") or entry.get("action") not in ("permit", "deny"):
        return
    action: Action = "permit" if entry["action"] == "permit" else "deny"
    source = rule_ref(name, entry)
    options = [str(o) for o in entry.get("options") or []]
    if NEVER_NEW & set(options):
        return
    try:
        src = resolver.address(entry.get("source"))
        if entry.get("kind") == "standard":
            yield Rule(Match(src=src, condition=_condition(entry, options)), action, source)
            return
        dst = resolver.address(entry.get("destination"))
        combos = resolver.protocols(entry.get("protocol"))
        dst_ports = port_spec(str(entry["dst_port"])) if entry.get("dst_port") else None
    except Unsupported as exc:
        if _never_tcp_udp(entry, resolver):
            return  # an unreadable line that cannot match SIP/RTP decides nothing here
        text = source.ref.text if source.ref else ""
        raise Unsupported(f"{source.label} ({text}): {exc}") from None
    condition = _condition(entry, options)
    for protocols, ports, combo_condition in combos:
        if ports is not None and dst_ports is not None:
            ports = ports & dst_ports
        elif ports is None:
            ports = dst_ports
        yield Rule(
            Match(src, dst, protocols, ports, condition=condition or combo_condition),
            action,
            source,
        )


def _never_tcp_udp(entry: Mapping[str, Any], resolver: Resolver) -> bool:
    """The line's protocol (``esp``, ``gre``, ``icmp``...) can never carry TCP or UDP."""
    if entry.get("kind") == "standard":
        return False
    try:
        combos = resolver.protocols(entry.get("protocol"))
    except Unsupported:
        return False
    return all(p is not None and not p & {"tcp", "udp"} for p, _, _ in combos)


def _condition(entry: Mapping[str, Any], options: list[str]) -> str | None:
    if entry.get("src_port"):
        return f"source port {entry['src_port']}"
    left = [o for o in options if o not in HARMLESS]
    return " ".join(left) or None


def acl_rules(name: str, acl: Acl) -> list[Rule]:
    resolver = Resolver(acl)
    rules: list[Rule] = []
    for entry in acl.access_lists.get(name, []):
        rules.extend(ace_rules(name, entry, resolver))
    return rules


# ------------------------------------------------------------------------ the path


def _group(acl: Acl, interface: str, direction: str) -> AccessGroup | None:
    for group in acl.access_groups:
        if group.get("interface") == interface and group.get("direction") == direction:
            return group
    return None


def acl_stage(acl: Acl, group: Mapping[str, Any], dst: int | None) -> Stage:
    name, interface = str(group["acl"]), str(group["interface"])
    ref = group.get("ref") if isinstance(group.get("ref"), Ref) else None
    where = f"access-list {name} {group['direction']} on {interface}"
    if name not in acl.access_lists:
        default = RuleRef(
            f"access-list {name}, applied but not defined (IOS then permits everything)",
            ref,
            table=name,
            implicit=True,
        )
        return Stage(where, {"main": ()}, "main", "permit", default, dst=dst)
    default = RuleRef(
        f"the implicit deny at the end of access-list {name}", ref, table=name, implicit=True
    )
    return Stage(where, {"main": tuple(acl_rules(name, acl))}, "main", "deny", default, dst=dst)


def static_global(target: Target, nat: Nat | None) -> tuple[int, Ref | None] | None:
    """``ip nat inside source static LOCAL GLOBAL`` publishing the target."""
    for rule in nat.rules if nat else []:
        words = rule.text.split()
        if words[:5] != ["ip", "nat", "inside", "source", "static"] or len(words) < 7:
            continue
        local, outside = ip(words[5]), ip(words[6])
        if (
            local is not None
            and outside is not None
            and local == int(target.prefix.network_address)
        ):
            return outside, rule.ref
    return None


def plan(facts: Mapping[str, Any], target: Target) -> Plan | None:
    acl: Acl = facts["acl"]
    interfaces: list[Interface] = facts["interfaces"]
    nat: Nat | None = facts.get("nat")
    if acl.zone_firewall is not None:
        raise Unsupported(
            f"a zone-based firewall decides here ({acl.zone_firewall.text}, line "
            f"{acl.zone_firewall.line}); fleetaudit does not evaluate zone policies yet"
        )
    qos: Qos | None = facts.get("qos")
    wan_names = qos.wan_interfaces if qos else [i.name for i in interfaces if i.nat == "outside"]
    wan = [i for i in interfaces if i.name in wan_names and i.enabled]
    if not wan:
        raise Unsupported(
            "no interface with `ip nat outside`, a default route, a PPPoE/dialer or DHCP "
            "client: cannot tell which one faces the provider"
        )
    own = target.own or target.prefix.network_address in own_addresses(interfaces)
    ingress = wan[0]
    stages: list[Stage] = []
    evidence: list[Ref] = []
    seen: int | None = None
    egress = None if own else interface_of(interfaces, target.prefix)
    if not own:
        if egress is None or egress in wan:
            return None
        mapping = static_global(target, nat)
        if mapping is not None:
            seen = mapping[0]
            evidence += [mapping[1]] if mapping[1] else []
        elif target.prefix.is_private and nat is not None and nat.enabled:
            stages.append(_unpublished(target, nat))
    in_group = _group(acl, ingress.name, "in")
    if in_group is not None:
        stages.append(acl_stage(acl, in_group, seen))
    out_group = _group(acl, egress.name, "out") if egress else None
    if out_group is not None:
        stages.append(acl_stage(acl, out_group, None))
    if not stages:
        stages.append(_open(ingress))
    path = f"{ingress.name} → {'the router itself' if own else egress.name if egress else '?'}"
    return Plan(
        target,
        Pipeline(tuple(stages)),
        path,
        lambda requests: fixes(
            acl, requests, target, {str(in_group["acl"]): seen} if in_group else {}
        ),
        tuple(evidence),
    )


def _unpublished(target: Target, nat: Nat) -> Stage:
    ref = next((r.ref for r in nat.rules if r.ref), None)
    default = RuleRef(
        f"NAT: no `ip nat inside source static` publishes {target.prefix.network_address}",
        ref,
        table="nat",
        implicit=True,
    )
    return Stage("static NAT", {"main": ()}, "main", "permit", default, "dnat", True)


def _open(ingress: Interface) -> Stage:
    default = RuleRef(
        f"no access-list on {ingress.name} (IOS permits everything)", ingress.ref, implicit=True
    )
    return Stage("no access-list", {"main": ()}, "main", "permit", default)


# ------------------------------------------------------------------------ fixes


def _ace_ports(ports: IntervalSet | None) -> list[str]:
    if ports is None:
        return [""]
    return [f" eq {low}" if low == high else f" range {low} {high}" for low, high in ports]


def _slots(numbers: list[int], index: int | None, count: int, after: int) -> list[int] | None:
    """``count`` free numbers just before entry ``index`` (None: after the last, from
    ``after``); None when the gap is too small."""
    if index is None:
        return list(range(after + 1, after + 1 + count))
    at, previous = numbers[index], numbers[index - 1] if index else 0
    if at - previous - 1 < count:
        return None
    return list(range(at - count, at))


def _index(aces: list[AclEntry], before: RuleRef) -> int | None:
    if before.implicit or before.ref is None:
        return None
    return next((i for i, e in enumerate(aces) if e.get("config_line") == before.ref.line), None)


def _spec(prefix: ipaddress.IPv4Network) -> str:
    if prefix.prefixlen == 32:
        return f"host {prefix.network_address}"
    return f"{prefix.network_address} {wildcard(prefix)}"


def _bodies(request: FixRequest, standard: bool, dst: str) -> list[str]:
    if standard:
        return [f"permit {_spec(request.subnet)}"]
    protocol = request.protocol or "ip"
    return [
        f"permit {protocol} {_spec(request.subnet)} {dst}{p}" for p in _ace_ports(request.ports)
    ]


def _numbered(entries: list[AclEntry], wanted: dict[RuleRef, list[str]]) -> tuple[list[str], int]:
    """Sequence-numbered lines for every wanted insertion, and the resequence step needed
    first (0: none; also needed when the config prints no sequence numbers)."""
    aces = [e for e in entries if not e.get("remark")]
    step = 0 if all(e.get("sequence") is not None for e in aces) else 10
    for _ in range(2):
        numbers = (
            [int(e.get("sequence") or 0) for e in aces]  # step 0: every entry has one
            if step == 0
            else [step * (i + 1) for i in range(len(aces))]
        )
        after = numbers[-1] + 9 if numbers else 9
        lines: list[tuple[int, str]] = []
        for before, bodies in wanted.items():
            index = _index(aces, before)
            slots = _slots(numbers, index, len(bodies), after)
            if slots is None:
                break
            after = slots[-1] if index is None else after
            lines += [
                (number, f" {number} {body}") for number, body in zip(slots, bodies, strict=True)
            ]
        else:
            return [text for _, text in sorted(lines)], step
        step = 10 if step == 0 else 100
    raise Unsupported("no room for the fix even after resequencing")


def fixes(
    acl: Acl, requests: list[FixRequest], target: Target, seen: Mapping[str, int | None]
) -> list[str]:
    """``ip access-list extended NAME`` + ``SEQ permit ...`` numbered to land before the
    closing entry (or after the last one, before the implicit deny). ``seen``: the
    address a list sees for the target where NAT changes it (the WAN ``in`` list)."""
    by_table: dict[str, list[FixRequest]] = {}
    for request in requests:
        by_table.setdefault(request.before.table, []).append(request)
    lines: list[str] = []
    for name, wanted in by_table.items():
        entries = acl.access_lists.get(name)
        if entries is None:  # a static NAT is missing
            address = target.prefix.network_address
            lines.append(f"ip nat inside source static {address} <public address for {address}>")
            continue
        standard = any(e.get("kind") == "standard" for e in entries)
        mapped = seen.get(name)
        dst = (
            f"host {ipaddress.IPv4Address(mapped)}" if mapped is not None else _spec(target.prefix)
        )
        bodies: dict[RuleRef, list[str]] = {}
        for request in wanted:
            bodies.setdefault(request.before, []).extend(_bodies(request, standard, dst))
        numbered, step = _numbered(entries, bodies)
        if step:
            lines.append(f"ip access-list resequence {name} {step} {step}")
        lines.append(f"ip access-list {'standard' if standard else 'extended'} {name}")
        lines += numbered
    return lines


# ------------------------------------------------------------------------ the example

#: What `checks explain` renders FW001/FW002's fix on: a voice gateway (the trunk ends on
#: its WAN address) whose WAN list opens SIP over UDP and RTP up to 20000, then denies,
#: numbered without room before the deny (so the fix resequences the list first).
EXAMPLE = Example(
    "gateway",
    """\
version 17.3
hostname example-gw
!
interface GigabitEthernet0/0/0
 ip address 203.0.113.2 255.255.255.248
 ip access-group WAN-IN in
 ip nat outside
!
interface GigabitEthernet0/0/1
 ip address 192.168.20.1 255.255.255.0
 ip nat inside
!
ip nat inside source list NAT interface GigabitEthernet0/0/0 overload
!
ip access-list extended WAN-IN
 10 permit udp 193.201.230.128 0.0.0.63 host 203.0.113.2 eq 5060
 20 permit udp 193.201.230.128 0.0.0.63 host 203.0.113.2 range 10000 20000
 21 deny   ip any any log
!
ip access-list standard NAT
 10 permit 192.168.20.0 0.0.0.255
!
end
""",
)
