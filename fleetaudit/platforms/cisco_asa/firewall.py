"""Cisco ASA: access-lists applied with ``access-group NAME in|out interface IF`` (and
``global``), with ``names``, ``object`` and nested ``object-group network|service|
protocol``, port operators, the implicit deny, and security levels where no list applies.

Order on the ASA: the ingress interface's ``in`` list, then the ``global`` list, then
the implicit deny; with neither, traffic from a lower to a higher security level is
denied. After that, the egress interface's ``out`` list. Since 8.3 access-lists name
the real (untranslated) address of a host behind static NAT; before 8.3 the mapped one.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from fleetaudit.facts import AccessGroup, Acl, Device, Interface, Nat, Ref
from fleetaudit.platforms.cisco_acl import (
    PROTOCOL_NUMBERS,
    ip,
    is_port_operator,
    netmask_set,
    port_spec,
)
from fleetaudit.rules.intervals import EMPTY, IntervalSet, address_range
from fleetaudit.rules.model import Action, Match, Pipeline, Rule, RuleRef, Stage, Unsupported
from fleetaudit.rules.plan import (
    Example,
    FixRequest,
    Plan,
    Target,
    interface_of,
    mask,
    own_addresses,
)

SOURCE = "show running-config"
MAX_NESTING = 16

Combo = tuple[frozenset[str] | None, IntervalSet | None, str | None]  # protocols, ports, condition


@dataclass
class Resolver:
    """Resolves names, objects and object-groups of one ASA config."""

    acl: Acl
    interfaces: list[Interface] = field(default_factory=list)

    # -------------------------------------------------------------- addresses

    def host(self, word: str) -> int:
        value = ip(word)
        if value is None and word in self.acl.names:
            value = ip(self.acl.names[word])
        if value is None:
            raise Unsupported(f"{word!r} is neither an address nor a `name`")
        return value

    def address(self, spec: str | None, depth: int = 0) -> tuple[IntervalSet | None, list[str]]:
        """An address spec as a set (None: any) and the parts that cannot be resolved."""
        words = (spec or "").split()
        if depth > MAX_NESTING:
            raise Unsupported(f"object-groups nest deeper than {MAX_NESTING} (a loop?)")
        if not words or words[0] in ("any", "any4"):
            return None, []
        if words[0] == "any6":
            return EMPTY, []
        if words[0] == "host" and len(words) == 2:
            return IntervalSet.of(self.host(words[1])), []
        if words[0] == "object" and len(words) == 2:
            return self.network_object(words[1])
        if words[0] == "object-group" and len(words) == 2:
            return self.network_group(words[1], depth + 1)
        if words[0] == "interface" and len(words) == 2:
            return self.interface_address(words[1]), []
        if len(words) == 2:
            return netmask_set(self.host(words[0]), words[1]), []
        if len(words) == 1:
            return IntervalSet.of(self.host(words[0])), []
        raise Unsupported(f"address {spec!r}")

    def interface_address(self, nameif: str) -> IntervalSet:
        for interface in self.interfaces:
            if interface.nameif == nameif and interface.ipv4:
                return IntervalSet.of(int(ipaddress.IPv4Interface(interface.ipv4[0]).ip))
        raise Unsupported(f"interface {nameif!r} has no address")

    def network_object(self, name: str) -> tuple[IntervalSet, list[str]]:
        obj = self.acl.objects.get(name)
        if obj is None or obj.get("type") != "network":
            raise Unsupported(f"no `object network {name}`")
        if obj.get("host"):
            return IntervalSet.of(self.host(str(obj["host"]))), []
        if obj.get("subnet"):
            address, netmask = str(obj["subnet"]).split()
            return netmask_set(self.host(address), netmask), []
        if obj.get("range"):
            first, last = str(obj["range"]).split()
            return address_range(first, last), []
        if obj.get("fqdn"):
            return EMPTY, [f"object {name} is an FQDN ({obj['fqdn']}), resolved only at run time"]
        raise Unsupported(f"object network {name} has no host, subnet, range or fqdn")

    def network_group(self, name: str, depth: int) -> tuple[IntervalSet, list[str]]:
        group = self.acl.object_groups.get(name)
        if group is None or group.get("type") != "network":
            raise Unsupported(f"no `object-group network {name}`")
        result, unknown = EMPTY, list[str]()
        for member in group.get("members", []):
            kind, value = member.get("kind"), str(member.get("value") or "")
            if kind == "group-object":
                found, missing = self.network_group(value, depth + 1)
            elif kind == "network-object":
                resolved, missing = self.address(value, depth + 1)
                found = resolved if resolved is not None else IntervalSet.of(0, 2**32 - 1)
            else:
                continue
            result, unknown = result | found, unknown + missing
        return result, unknown

    # -------------------------------------------------------------- services

    def protocols(self, spec: str | None, depth: int = 0) -> list[Combo]:
        """The protocol position of an ACE: a protocol, a protocol group, or a service
        object / group (which then also carries the ports)."""
        words = (spec or "ip").split()
        if words[0] == "object-group" and len(words) == 2:
            group = self.acl.object_groups.get(words[1])
            if group is not None and group["type"] == "protocol":
                return [(self.protocol_group(words[1], depth + 1), None, None)]
            return self.service_group(words[1], depth + 1)
        if words[0] == "object" and len(words) == 2:
            return [self.service_object(words[1])]
        return [(protocol_set(words[0]), None, None)]

    def _members(self, group: str) -> list[dict[str, Any]]:
        found = self.acl.object_groups.get(group)
        return found["members"] if found is not None else []

    def protocol_group(self, name: str, depth: int) -> frozenset[str] | None:
        if depth > MAX_NESTING:
            raise Unsupported("object-groups nest too deep")
        found: set[str] = set()
        for member in self._members(name):
            value = str(member.get("value") or "")
            if member.get("kind") == "group-object":
                inner = self.protocol_group(value, depth + 1)
            else:
                inner = protocol_set(value)
            if inner is None:
                return None
            found |= inner
        return frozenset(found)

    def service_object(self, name: str) -> Combo:
        obj = self.acl.objects.get(name)
        if obj is None and name in BUILTIN_PROTOCOLS:  # `object ospf`: ASDM's built-ins
            return protocol_set(name), None, None
        if obj is None or obj.get("type") != "service" or not obj.get("service"):
            raise Unsupported(f"no `object service {name}`")
        return service(str(obj["service"]))

    def service_group(self, name: str, depth: int) -> list[Combo]:
        """An ``object-group service``: typed (``udp``/``tcp``/``tcp-udp`` with
        port-objects) or untyped (service-objects), nested with group-object."""
        if depth > MAX_NESTING:
            raise Unsupported("object-groups nest too deep")
        group = self.acl.object_groups.get(name)
        if group is None or group.get("type") != "service":
            raise Unsupported(f"no `object-group service {name}`")
        if group.get("protocol"):
            return [(protocol_set(str(group["protocol"])), self.port_group(name, depth), None)]
        combos: list[Combo] = []
        for member in group.get("members", []):
            kind, value = member.get("kind"), str(member.get("value") or "")
            if kind == "group-object":
                combos += self.service_group(value, depth + 1)
            elif kind == "service-object" and value.startswith("object "):
                combos.append(self.service_object(value.split()[1]))
            elif kind == "service-object":
                combos.append(service(value))
        return combos

    def port_group(self, name: str, depth: int = 0) -> IntervalSet:
        """The ports of a typed service group (port-object eq/range/..., group-object)."""
        if depth > MAX_NESTING:
            raise Unsupported("object-groups nest too deep")
        result = EMPTY
        for member in self._members(name):
            kind, value = member.get("kind"), str(member.get("value") or "")
            if kind == "port-object":
                result = result | port_spec(value)
            elif kind == "group-object":
                result = result | self.port_group(value, depth + 1)
        return result

    def ports(self, spec: str | None) -> IntervalSet | None:
        if not spec:
            return None
        words = spec.split()
        if words[0] == "object-group" and len(words) == 2:
            return self.port_group(words[1])
        return port_spec(spec)


#: protocol names ASA accepts where a service object is named (`service-object object
#: ospf`, `permit object icmp ...`) without any `object service` of that name
BUILTIN_PROTOCOLS = frozenset(
    [
        "ah",
        "eigrp",
        "esp",
        "gre",
        "icmp",
        "icmp6",
        "igmp",
        "igrp",
        "ip",
        "ipinip",
        "ipsec",
        "nos",
        "ospf",
        "pcp",
        "pim",
        "pptp",
        "sctp",
        "snp",
        "tcp",
        "tcp-udp",
        "udp",
    ]
)


def protocol_set(word: str) -> frozenset[str] | None:
    """``ip`` is any protocol (None); ``tcp-udp`` both; numbers by name."""
    if word == "ip":
        return None
    if word == "tcp-udp":
        return frozenset({"tcp", "udp"})
    return frozenset({PROTOCOL_NUMBERS.get(word, word)})


def service(text: str) -> Combo:
    """``udp destination eq sip``, ``tcp source eq 5060``, ``tcp eq www`` (older form,
    destination), ``udp`` (every port), ``icmp echo``.

    >>> protocols, ports, condition = service("tcp-udp destination range 5060 5061")
    >>> sorted(protocols or ()), str(ports), condition
    (['tcp', 'udp'], '5060-5061', None)
    """
    words = text.split()
    protocols = protocol_set(words[0])
    if protocols is not None and not protocols <= {"tcp", "udp"}:
        return protocols, None, None
    ports: IntervalSet | None = None
    condition = None
    rest = words[1:]
    while rest:
        if rest[0] in ("source", "destination"):
            where, rest = rest[0], rest[1:]
        else:
            where = "destination"
        length = 3 if rest and rest[0] == "range" else 2
        spec, rest = " ".join(rest[:length]), rest[length:]
        if not is_port_operator(spec.split()[0] if spec else ""):
            raise Unsupported(f"service {text!r}")
        if where == "source":
            condition = f"source port {spec}"
        else:
            ports = port_spec(spec)
    return protocols, ports, condition


# ------------------------------------------------------------------------ ACEs


def rule_ref(name: str, entry: Mapping[str, Any]) -> RuleRef:
    line = entry.get("config_line")
    return RuleRef(
        label=f"access-list {name} line {entry['index']}",
        ref=Ref(SOURCE, line if isinstance(line, int) else None, str(entry.get("text", ""))),
        table=name,
        position=int(entry["index"]),
    )


def ace_rules(name: str, entry: Mapping[str, Any], resolver: Resolver) -> Iterator[Rule]:
    """The rules one access-list line stands for (one per protocol/port combination)."""
    if entry.get("remark") or entry.get("action") not in ("permit", "deny"):
        return
    if entry.get("protocol") is None:
        return
    action: Action = "permit" if entry["action"] == "permit" else "deny"
    source = rule_ref(name, entry)
    try:
        src, src_unknown = resolver.address(entry.get("source"))
        dst, dst_unknown = resolver.address(entry.get("destination"))
        combos = resolver.protocols(entry.get("protocol"))
        dst_ports = resolver.ports(entry.get("dst_port"))
    except Unsupported as exc:
        raise Unsupported(
            f"{source.label} ({source.ref.text if source.ref else ''}): {exc}"
        ) from None
    condition = _condition(entry)
    for protocols, ports, combo_condition in combos:
        if ports is not None and dst_ports is not None:
            ports = ports & dst_ports
        elif ports is None:
            ports = dst_ports
        why = condition or combo_condition
        yield Rule(Match(src, dst, protocols, ports, condition=why), action, source)
        for unknown in src_unknown + dst_unknown:
            yield Rule(Match(None, None, protocols, ports, condition=unknown), action, source)


def _condition(entry: Mapping[str, Any]) -> str | None:
    options = [str(o) for o in entry.get("options") or []]
    if entry.get("inactive") or "inactive" in options:
        return "inactive"
    if "time-range" in options:
        at = options.index("time-range")
        name = options[at + 1] if at + 1 < len(options) else "?"
        return f"time-range {name}"
    if entry.get("src_port"):
        return f"source port {entry['src_port']}"
    return None


def acl_rules(name: str, acl: Acl, resolver: Resolver) -> list[Rule]:
    """The rules of one list (an access-group of a list with no lines leaves only the
    implicit deny; the ASA itself refuses to bind a list that does not exist)."""
    rules: list[Rule] = []
    for entry in acl.access_lists.get(name, []):
        rules.extend(ace_rules(name, entry, resolver))
    return rules


# ------------------------------------------------------------------------ the path


def wan_interfaces(interfaces: list[Interface]) -> list[Interface]:
    return [
        i
        for i in interfaces
        if i.nameif and i.enabled and (i.security_level == 0 or i.nameif.lower() == "outside")
    ]


def version(device: Device | None) -> tuple[int, int] | None:
    """``9.8(4)20`` -> (9, 8)."""
    match = re.match(r"(\d+)\.(\d+)", (device.os_version or "") if device else "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def static_mapping(target: Target, nat: Nat, resolver: Resolver) -> tuple[int, Ref | None] | None:
    """The mapped address of a target published by static NAT (object NAT, twice NAT or
    the pre-8.3 ``static`` command)."""
    address = int(target.prefix.network_address)
    for rule in nat.rules:
        words = rule.text.replace(":", " ").split()
        if "static" not in words:
            continue
        at = words.index("static")
        try:
            if rule.kind == "object" and len(words) > at + 1:
                real, _ = resolver.network_object(words[2])
                mapped = words[at + 1]
            elif rule.kind == "twice" and words[at - 1] == "source" and len(words) > at + 2:
                real, _ = resolver.network_object(words[at + 1])
                mapped = words[at + 2]
            elif rule.kind == "static" and len(words) > at + 2:
                mapped, real = words[at + 2], IntervalSet.of(resolver.host(words[at + 3]))
            else:
                continue
            if address not in real:
                continue
            spec = mapped if ip(mapped) is not None else f"object {mapped}"
            mapped_set, _ = resolver.address(spec)
        except (Unsupported, IndexError, ValueError):
            continue
        if mapped_set:
            return mapped_set.spans[0][0], rule.ref
    return None


def _group(acl: Acl, direction: str, nameif: str | None) -> AccessGroup | None:
    for group in acl.access_groups:
        if group.get("direction") == direction and group.get("interface") == nameif:
            return group
    return None


def _group_ref(group: Mapping[str, Any]) -> Ref | None:
    ref = group.get("ref")
    return ref if isinstance(ref, Ref) else None


def plan(facts: Mapping[str, Any], target: Target) -> Plan | None:
    """How the provider's packets reach ``target`` through this ASA; None when the
    target is not behind one of its interfaces."""
    acl: Acl = facts["acl"]
    interfaces: list[Interface] = facts["interfaces"]
    if any((i.kind or "").startswith("context ") for i in interfaces):
        raise Unsupported(
            "several security contexts in one file: their access-lists and objects are "
            "per context; scan each context's configuration on its own"
        )
    wan = wan_interfaces(interfaces)
    if not wan:
        raise Unsupported("no outside interface (security-level 0 or nameif outside)")
    if target.own or target.prefix.network_address in own_addresses(interfaces):
        return None  # traffic to the box itself is not filtered by access-groups
    egress = interface_of(interfaces, target.prefix)
    if egress is None and not any(i.ipv4 for i in interfaces if i.nameif and i not in wan):
        raise Unsupported(
            "no inside interface has an address in the config: which one the target is "
            "behind cannot be told"
        )
    if egress is None or not egress.nameif or egress in wan:
        return None
    ingress = wan[0]
    resolver = Resolver(acl, interfaces)
    evidence: list[Ref] = []
    notes: list[str] = []
    seen_dst = _acl_destination(facts, target, resolver, evidence, notes)
    stages = [_in_stage(acl, resolver, ingress, egress, seen_dst)]
    out_group = _group(acl, "out", egress.nameif)
    if out_group is not None:
        stages.append(_acl_stage(acl, resolver, out_group, f"out on {egress.nameif}", None))
    path = f"{ingress.nameif} → {egress.nameif}"
    return Plan(
        target,
        Pipeline(tuple(stages)),
        path,
        lambda requests: fixes(acl, ingress, requests, target, seen_dst),
        tuple(evidence),
        tuple(notes),
    )


def _acl_destination(
    facts: Mapping[str, Any],
    target: Target,
    resolver: Resolver,
    evidence: list[Ref],
    notes: list[str],
) -> int | None:
    """The address access-lists see for the target: the real one on 8.3+, the mapped
    one (static NAT) before. None: the flow's own destination."""
    nat: Nat | None = facts.get("nat")
    mapping = static_mapping(target, nat, resolver) if nat is not None and target.is_host else None
    if mapping is None:
        return None
    mapped, ref = mapping
    if ref is not None:
        evidence.append(ref)
    found = version(facts.get("device"))
    if found is None and nat is not None and any(r.kind == "static" for r in nat.rules):
        notes.append(
            "the config's `static` NAT is pre-8.3 syntax: access-lists name the mapped "
            f"address {ipaddress.IPv4Address(mapped)}"
        )
        return mapped
    if found is not None and found < (8, 3):
        notes.append(
            f"ASA {found[0]}.{found[1]}: access-lists name the mapped address {ipaddress.IPv4Address(mapped)}"
        )
        return mapped
    if found is None:
        notes.append(
            "ASA version unknown: assumed 8.3 or later (access-lists name the real address)"
        )
    return None


def _in_stage(
    acl: Acl, resolver: Resolver, ingress: Interface, egress: Interface, dst: int | None
) -> Stage:
    in_group = _group(acl, "in", ingress.nameif)
    global_group = _group(acl, "global", None)
    groups = [g for g in (in_group, global_group) if g is not None]
    if groups:
        rules: list[Rule] = []
        for group in groups:
            rules += acl_rules(str(group["acl"]), acl, resolver)
        last = str(groups[-1]["acl"])
        default = RuleRef(
            f"the implicit deny at the end of access-list {last}",
            _group_ref(groups[-1]),
            table=last,
            implicit=True,
        )
        names = " + ".join(f"access-list {g['acl']}" for g in groups)
        return Stage(
            f"{names} in on {ingress.nameif}",
            {"main": tuple(rules)},
            "main",
            "deny",
            default,
            dst=dst,
        )
    low, high = ingress.security_level or 0, egress.security_level or 0
    allowed = low >= high
    default = RuleRef(
        f"the security levels ({ingress.nameif} {low} to {egress.nameif} {high}, no access-list applied)",
        ingress.ref,
        table="",
        implicit=True,
    )
    return Stage(
        "security levels", {"main": ()}, "main", "permit" if allowed else "deny", default, dst=dst
    )


def _acl_stage(
    acl: Acl, resolver: Resolver, group: Mapping[str, Any], where: str, dst: int | None
) -> Stage:
    name = str(group["acl"])
    default = RuleRef(
        f"the implicit deny at the end of access-list {name}",
        _group_ref(group),
        table=name,
        implicit=True,
    )
    rules = tuple(acl_rules(name, acl, resolver))
    return Stage(f"access-list {name} {where}", {"main": rules}, "main", "deny", default, dst=dst)


# ------------------------------------------------------------------------ fixes


def _ace_ports(ports: IntervalSet | None) -> list[str]:
    if ports is None:
        return [""]
    return [f" eq {low}" if low == high else f" range {low} {high}" for low, high in ports]


def fixes(
    acl: Acl, ingress: Interface, requests: list[FixRequest], target: Target, seen_dst: int | None
) -> list[str]:
    """``access-list X line N extended permit ...`` placed before each closing rule
    (bottom-up, so earlier line numbers stay right), or appended before the implicit
    deny, or a new list bound to the outside interface where none applies."""
    if target.is_host:
        real = f"host {target.prefix.network_address}"
    else:
        real = f"{target.prefix.network_address} {mask(target.prefix)}"
    mapped = f"host {ipaddress.IPv4Address(seen_dst)}" if seen_dst is not None else real
    out_lists = {str(g["acl"]) for g in acl.access_groups if g.get("direction") == "out"}
    lines: list[tuple[int, str]] = []
    bind: list[str] = []
    for request in requests:
        table = request.before.table
        dst = real if table in out_lists else mapped
        if not table:  # security levels decide: create the list
            table = f"{(ingress.nameif or 'outside').upper()}_IN"
            bind = [f"access-group {table} in interface {ingress.nameif}"]
        where = "" if request.before.implicit else f" line {request.before.position}"
        src = f"{request.subnet.network_address} {mask(request.subnet)}"
        protocol = request.protocol or "ip"
        for ports in _ace_ports(request.ports):
            text = f"access-list {table}{where} extended permit {protocol} {src} {dst}{ports}"
            order = -(request.before.position or 10**6) if where else 0
            lines.append((order, text))
    lines.sort(key=lambda item: item[0])
    return [text for _, text in lines] + bind


# ------------------------------------------------------------------------ the example

#: What `checks explain` renders FW001/FW002's fix on: RTP open only up to 20000 and
#: SIP over UDP alone, then a deny, on the outside list.
EXAMPLE = Example(
    "firewall",
    """\
ASA Version 9.8(4)
!
hostname example-fw
!
interface GigabitEthernet1/1
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.248
!
interface GigabitEthernet1/3
 nameif voice
 security-level 90
 ip address 192.168.20.1 255.255.255.0
!
object network OBJ-VOICE
 host 192.168.20.10
access-list OUTSIDE_IN extended permit udp 193.201.230.128 255.255.255.192 object OBJ-VOICE eq sip
access-list OUTSIDE_IN extended permit udp 193.201.230.128 255.255.255.192 object OBJ-VOICE range 10000 20000
access-list OUTSIDE_IN extended deny ip any any log
access-group OUTSIDE_IN in interface outside
: end
""",
)
