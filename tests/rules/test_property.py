"""Property: for random rulesets per platform, the range evaluator agrees with a brute-force
evaluator that tests every single (source address, port) of the flow.

Each example is a random ruleset held as plain Python data, rendered as the device's own
config text, parsed through the real template and normaliser, compiled and evaluated for
the whole port range at once. The oracle walks the *generated data* packet by packet,
first match, with its own small reading of each platform's rules: it shares no code with
the parser, the compiler or the interval arithmetic. Both must name the same deciding
rule (or default) for every packet.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fleetaudit.platforms.cisco_asa import firewall as asa
from fleetaudit.platforms.cisco_ios import firewall as ios
from fleetaudit.platforms.mikrotik_routeros import firewall as routeros
from fleetaudit.rules.intervals import IntervalSet, network
from fleetaudit.rules.model import Flow, Verdict, evaluate
from fleetaudit.rules.plan import Target

from .conftest import facts_of

SUBNET = ipaddress.IPv4Network("10.1.1.0/28")
LOW, HIGH = 5000, 5120  # the port window rules and flows live in
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ip = ipaddress.IPv4Address
hosts = st.sampled_from([*(f"10.1.1.{n}" for n in range(16)), "10.1.2.5", "10.9.9.9"])
prefixes = st.sampled_from(
    [
        "10.1.1.0/29",
        "10.1.1.8/29",
        "10.1.1.4/30",
        "10.1.1.0/24",
        "10.1.1.0/28",
        "10.1.0.0/16",
        "10.1.2.0/28",
    ]
)
ports = st.integers(LOW - 10, HIGH + 10)


@st.composite
def port_range(draw: st.DrawFn) -> tuple[int, int]:
    a, b = draw(ports), draw(ports)
    return min(a, b), max(a, b)


@st.composite
def flow_ports(draw: st.DrawFn) -> tuple[int, int]:
    a, b = draw(st.integers(LOW, HIGH)), draw(st.integers(LOW, HIGH))
    return min(a, b), max(a, b)


def inside(address: str, prefix: str) -> bool:
    return ip(address) in ipaddress.IPv4Network(prefix)


def verdict_at(verdict: Verdict, src: int, port: int) -> tuple[bool, str]:
    """What the range evaluator says about one packet: permitted?, deciding label(s)."""
    for outcome in verdict.outcomes:
        if src not in outcome.src:
            continue
        for piece in outcome.pieces:
            if port in piece.ports:
                labels = (
                    [r.label for r in piece.deciders] if piece.permitted else [piece.decider.label]
                )
                return piece.permitted, " + ".join(labels)
    raise AssertionError(f"no answer for {ip(src)} port {port}")


def compare(verdict: Verdict, oracle: Any, span: tuple[int, int]) -> None:
    for src in range(int(SUBNET.network_address), int(SUBNET.broadcast_address) + 1):
        for port in range(span[0], span[1] + 1):
            expected = oracle(str(ip(src)), port)
            assert verdict_at(verdict, src, port) == expected, (str(ip(src)), port)


def run(plan: Any, protocol: str, span: tuple[int, int], target: Target) -> Verdict:
    assert plan is not None
    flow = Flow(protocol, network(SUBNET), target.addresses, IntervalSet.of(*span))
    return evaluate(plan.pipeline, flow)


# ============================================================================ ASA


def port_op(draw: st.DrawFn) -> tuple[Any, ...] | None:
    kind = draw(st.sampled_from(["none", "eq", "range", "gt", "lt", "neq"]))
    if kind == "none":
        return None
    if kind == "range":
        return ("range", *draw(port_range()))
    return (kind, draw(ports))


def port_match(op: tuple[Any, ...] | None, port: int) -> bool:
    if op is None:
        return True
    kind = op[0]
    if kind == "eq":
        return port in op[1:]
    if kind == "range":
        return bool(op[1] <= port <= op[2])
    if kind == "gt":
        return bool(port > op[1])
    if kind == "lt":
        return bool(port < op[1])
    return port not in op[1:]  # neq


def op_text(op: tuple[Any, ...]) -> str:
    return " ".join(str(x) for x in op)


@dataclass
class AsaConfig:
    objects: dict[str, tuple[str, ...]] = field(default_factory=dict)
    groups: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    services: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)  # tcp-udp port groups
    aces: list[dict[str, Any]] = field(default_factory=list)


@st.composite
def asa_configs(draw: st.DrawFn) -> AsaConfig:
    cfg = AsaConfig()
    for n in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["host", "subnet"]))
        cfg.objects[f"OBJ{n}"] = (kind, draw(hosts) if kind == "host" else draw(prefixes))
    for n in range(draw(st.integers(0, 3))):
        members: list[tuple[str, str]] = []
        for _ in range(draw(st.integers(1, 3))):
            choices = (
                ["host", "net"]
                + (["object"] if cfg.objects else [])
                + (["group"] if cfg.groups else [])
            )
            kind = draw(st.sampled_from(choices))
            value = {
                "host": lambda: draw(hosts),
                "net": lambda: draw(prefixes),
                "object": lambda: draw(st.sampled_from(sorted(cfg.objects))),
                "group": lambda: draw(st.sampled_from(sorted(cfg.groups))),
            }[kind]()
            members.append((kind, value))
        cfg.groups[f"GRP{n}"] = members
    for n in range(draw(st.integers(0, 2))):
        items: list[tuple[Any, ...]] = []
        for _ in range(draw(st.integers(1, 3))):
            if cfg.services and draw(st.booleans()):
                items.append(("group", draw(st.sampled_from(sorted(cfg.services)))))
            elif draw(st.booleans()):
                items.append(("eq", draw(ports)))
            else:
                items.append(("range", *draw(port_range())))
        cfg.services[f"SVC{n}"] = items
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.integers(0, 6)) == 0:
            cfg.aces.append({"remark": True})
            continue
        protocol = draw(st.sampled_from(["ip", "udp", "tcp", "TCPUDP"]))
        srcs = (
            ["any", "host", "net"]
            + (["object"] if cfg.objects else [])
            + (["group"] if cfg.groups else [])
        )
        src_kind = draw(st.sampled_from(srcs))
        src = {
            "any": lambda: ("any",),
            "host": lambda: ("host", draw(hosts)),
            "net": lambda: ("net", draw(prefixes)),
            "object": lambda: ("object", draw(st.sampled_from(sorted(cfg.objects)))),
            "group": lambda: ("group", draw(st.sampled_from(sorted(cfg.groups)))),
        }[src_kind]()
        dst = draw(
            st.sampled_from(
                [
                    ("any",),
                    ("host", "192.168.20.10"),
                    ("host", "192.168.20.11"),
                    ("net", "192.168.20.0/24"),
                ]
            )
        )
        port: tuple[Any, ...] | None = None
        if protocol != "ip":
            if cfg.services and draw(st.integers(0, 3)) == 0:
                port = ("group", draw(st.sampled_from(sorted(cfg.services))))
            else:
                port = port_op(draw)
        cfg.aces.append(
            {
                "remark": False,
                "action": draw(st.sampled_from(["permit", "deny"])),
                "protocol": protocol,
                "src": src,
                "dst": dst,
                "port": port,
                "inactive": draw(st.integers(0, 5)) == 0,
            }
        )
    return cfg


def asa_address(spec: tuple[str, ...]) -> str:
    if spec[0] == "any":
        return "any"
    if spec[0] == "host":
        return f"host {spec[1]}"
    if spec[0] == "net":
        net = ipaddress.IPv4Network(spec[1])
        return f"{net.network_address} {net.netmask}"
    return f"{'object' if spec[0] == 'object' else 'object-group'} {spec[1]}"


def asa_text(cfg: AsaConfig) -> str:
    lines = [
        "ASA Version 9.8(4)",
        "!",
        "hostname fw",
        "interface GigabitEthernet1/1",
        " nameif outside",
        " security-level 0",
        " ip address 203.0.113.2 255.255.255.248",
        "!",
        "interface GigabitEthernet1/3",
        " nameif voice",
        " security-level 90",
        " ip address 192.168.20.1 255.255.255.0",
        "!",
    ]
    for name, (kind, value) in cfg.objects.items():
        lines.append(f"object network {name}")
        if kind == "host":
            lines.append(f" host {value}")
        else:
            net = ipaddress.IPv4Network(value)
            lines.append(f" subnet {net.network_address} {net.netmask}")
    for name, members in cfg.groups.items():
        lines.append(f"object-group network {name}")
        for kind, value in members:
            if kind == "group":
                lines.append(f" group-object {value}")
            elif kind == "object":
                lines.append(f" network-object object {value}")
            elif kind == "host":
                lines.append(f" network-object host {value}")
            else:
                net = ipaddress.IPv4Network(value)
                lines.append(f" network-object {net.network_address} {net.netmask}")
    for name, items in cfg.services.items():
        lines.append(f"object-group service {name} tcp-udp")
        for item in items:
            lines.append(
                f" group-object {item[1]}"
                if item[0] == "group"
                else f" port-object {op_text(item)}"
            )
    lines += ["object-group protocol TCPUDP", " protocol-object udp", " protocol-object tcp"]
    for ace in cfg.aces:
        if ace["remark"]:
            lines.append("access-list OUTSIDE_IN remark a remark")
            continue
        protocol = "object-group TCPUDP" if ace["protocol"] == "TCPUDP" else ace["protocol"]
        port = ace["port"]
        port_text = (
            ""
            if port is None
            else f" object-group {port[1]}"
            if port[0] == "group"
            else f" {op_text(port)}"
        )
        text = (
            f"access-list OUTSIDE_IN extended {ace['action']} {protocol} {asa_address(ace['src'])} "
            f"{asa_address(ace['dst'])}{port_text}" + (" inactive" if ace["inactive"] else "")
        )
        lines.append(text)
    lines.append("access-group OUTSIDE_IN in interface outside")
    return "\n".join(lines) + "\n"


def asa_in(cfg: AsaConfig, spec: tuple[str, ...], address: str, depth: int = 0) -> bool:
    kind = spec[0]
    if kind == "any":
        return True
    if kind == "host":
        return address == spec[1]
    if kind == "net":
        return inside(address, spec[1])
    if kind == "object":
        obj_kind, value = cfg.objects[spec[1]]
        return address == value if obj_kind == "host" else inside(address, value)
    return any(asa_in(cfg, member, address, depth + 1) for member in cfg.groups[spec[1]])


def asa_port(cfg: AsaConfig, op: tuple[Any, ...] | None, port: int) -> bool:
    if op is not None and op[0] == "group":
        return any(asa_port(cfg, item, port) for item in cfg.services[op[1]])
    return port_match(op, port)


def asa_oracle(cfg: AsaConfig, protocol: str, target: str) -> Any:
    def decide(src: str, port: int) -> tuple[bool, str]:
        for line, ace in enumerate(cfg.aces, start=1):
            if ace["remark"] or ace["inactive"]:
                continue
            if ace["protocol"] not in ("ip", "TCPUDP", protocol):
                continue
            if not asa_in(cfg, ace["src"], src) or not asa_in(cfg, ace["dst"], target):
                continue
            if not asa_port(cfg, ace["port"], port):
                continue
            return ace["action"] == "permit", f"access-list OUTSIDE_IN line {line}"
        last = "OUTSIDE_IN"
        return False, f"the implicit deny at the end of access-list {last}"

    return decide


@SETTINGS
@given(cfg=asa_configs(), protocol=st.sampled_from(["udp", "tcp"]), span=flow_ports())
def test_asa_range_evaluator_agrees_with_brute_force(
    cfg: AsaConfig, protocol: str, span: tuple[int, int]
) -> None:
    facts = facts_of("cisco_asa", asa_text(cfg))
    target = Target(ipaddress.IPv4Network("192.168.20.10/32"), "PBX")
    verdict = run(asa.plan(facts, target), protocol, span, target)
    compare(verdict, asa_oracle(cfg, protocol, "192.168.20.10"), span)


# ============================================================================ RouterOS

CHAINS = ["forward", "c1", "c2", "c3"]


@st.composite
def ros_port(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 2))):
        a, b = draw(port_range())
        parts.append(str(a) if a == b or draw(st.booleans()) else f"{a}-{b}")
    return ("!" if draw(st.integers(0, 4)) == 0 else "") + ",".join(parts)


@st.composite
def ros_rule(draw: st.DrawFn, chain: int) -> dict[str, Any]:
    actions = ["accept", "drop", "reject", "return", "passthrough", "log"]
    if chain < len(CHAINS) - 1:
        actions.append("jump")
    rule: dict[str, Any] = {"chain": CHAINS[chain], "action": draw(st.sampled_from(actions))}
    if rule["action"] == "jump":
        rule["jump-target"] = CHAINS[draw(st.integers(chain + 1, len(CHAINS) - 1))]
    if draw(st.integers(0, 6)) == 0:
        rule["disabled"] = "yes"
    protocol = draw(st.sampled_from([None, "udp", "tcp", "!udp"]))
    if protocol:
        rule["protocol"] = protocol
        if protocol in ("udp", "tcp") and draw(st.booleans()):
            rule["dst-port"] = draw(ros_port())
    optional = {
        "src-address": st.one_of(
            hosts, prefixes, st.just("10.1.1.3-10.1.1.9"), prefixes.map(lambda p: "!" + p)
        ),
        "src-address-list": st.sampled_from(["L1", "L2", "!L1"]),
        "in-interface": st.sampled_from(["ether1", "ether2", "!ether1", "!ether2"]),
        "in-interface-list": st.sampled_from(["WAN", "LAN", "!LAN", "!WAN", "all"]),
        "connection-state": st.sampled_from(
            ["new", "established,related", "new,established", "invalid"]
        ),
        "connection-nat-state": st.sampled_from(["dstnat", "!dstnat"]),
    }
    for key, strategy in optional.items():
        if draw(st.integers(0, 2 if key == "connection-nat-state" else 5)) == 0:
            rule[key] = draw(strategy)
    return rule


@st.composite
def ros_configs(draw: st.DrawFn) -> dict[str, Any]:
    lists = {
        name: [
            (draw(st.one_of(hosts, prefixes)), draw(st.integers(0, 4)) == 0)
            for _ in range(draw(st.integers(0, 3)))
        ]
        for name in ("L1", "L2")
    }
    rules = []
    for chain in range(len(CHAINS)):
        rules += [draw(ros_rule(chain)) for _ in range(draw(st.integers(0, 5)))]
    rules = draw(st.permutations(rules))  # chains interleave in the export
    nat = []
    for _ in range(draw(st.integers(0, 3))):
        rule: dict[str, Any] = {
            "chain": "dstnat",
            "action": draw(st.sampled_from(["dst-nat", "dst-nat", "accept"])),
        }
        if rule["action"] == "dst-nat":
            rule["to-addresses"] = draw(st.sampled_from(["192.168.20.10", "192.168.20.11"]))
        if draw(st.booleans()):
            rule["protocol"] = draw(st.sampled_from(["udp", "tcp"]))
            if draw(st.booleans()):
                rule["dst-port"] = draw(ros_port())
        if draw(st.integers(0, 2)) == 0:
            rule["src-address-list"] = draw(st.sampled_from(["L1", "!L2"]))
        if draw(st.integers(0, 5)) == 0:
            rule["disabled"] = "yes"
        nat.append(rule)
    if draw(st.integers(0, 4)) > 0:  # mostly forward the rest, so the filter gets its say
        nat.append({"chain": "dstnat", "action": "dst-nat", "to-addresses": "192.168.20.10"})
    return {"lists": lists, "filter": list(rules), "nat": nat}


def ros_text(cfg: dict[str, Any]) -> str:
    lines = [
        "# 2024-05-20 14:02:11 by RouterOS 7.14.3",
        "/interface list member",
        "add interface=ether1 list=WAN",
        "add interface=ether2 list=LAN",
        "/ip address",
        "add address=203.0.113.34/30 interface=ether1 network=203.0.113.32",
        "add address=192.168.20.1/24 interface=ether2 network=192.168.20.0",
        "/ip firewall address-list",
    ]
    for name, entries in cfg["lists"].items():
        for address, disabled in entries:
            lines.append(
                f"add address={address} list={name}" + (" disabled=yes" if disabled else "")
            )
    lines.append("/ip firewall filter")
    lines += ["add " + " ".join(f"{k}={v}" for k, v in rule.items()) for rule in cfg["filter"]]
    lines += ["/ip firewall nat", "add action=masquerade chain=srcnat out-interface=ether1"]
    lines += ["add " + " ".join(f"{k}={v}" for k, v in rule.items()) for rule in cfg["nat"]]
    return "\n".join(lines) + "\n"


def ros_address(value: str, address: str) -> bool:
    neg = value.startswith("!")
    value = value.lstrip("!")
    if "-" in value:
        first, last = value.split("-")
        hit = ip(first) <= ip(address) <= ip(last)
    else:
        hit = inside(address, value)
    return hit != neg


def ros_list(cfg: dict[str, Any], value: str, address: str) -> bool:
    neg = value.startswith("!")
    entries = cfg["lists"][value.lstrip("!")]
    return any(not disabled and inside(address, entry) for entry, disabled in entries) != neg


def ros_ports(value: str, port: int) -> bool:
    neg = value.startswith("!")
    hit = False
    for part in value.lstrip("!").split(","):
        low, _, high = part.partition("-")
        hit = hit or int(low) <= port <= int(high or low)
    return hit != neg


def ros_match(
    cfg: dict[str, Any], rule: dict[str, Any], src: str, protocol: str, port: int, dstnat: bool
) -> bool:
    members = {"WAN": {"ether1"}, "LAN": {"ether2"}, "all": {"ether1", "ether2"}}
    checks = {
        "protocol": lambda v: (v.lstrip("!") == protocol) != v.startswith("!"),
        "dst-port": lambda v: ros_ports(v, port),
        "src-address": lambda v: ros_address(v, src),
        "src-address-list": lambda v: ros_list(cfg, v, src),
        "in-interface": lambda v: (v.lstrip("!") == "ether1") != v.startswith("!"),
        "in-interface-list": lambda v: ("ether1" in members[v.lstrip("!")]) != v.startswith("!"),
        "connection-state": lambda v: "new" in v.split(","),
        "connection-nat-state": lambda v: dstnat != v.startswith("!"),
    }
    return all(check(rule[key]) for key, check in checks.items() if key in rule)


def ros_oracle(cfg: dict[str, Any], protocol: str) -> Any:
    def label(table: str, rules: list[dict[str, Any]], rule: dict[str, Any]) -> str:
        number = next(n for n, r in enumerate(rules, start=1) if r is rule)
        return f"{table} rule {number} (chain {rule['chain']})"

    def walk(chain: str, src: str, port: int, dstnat: bool) -> tuple[str, dict[str, Any]] | None:
        for rule in (r for r in cfg["filter"] if r["chain"] == chain):
            if rule.get("disabled") or not ros_match(cfg, rule, src, protocol, port, dstnat):
                continue
            action = rule["action"]
            if action in ("passthrough", "log"):
                continue
            if action == "return":
                return None
            if action == "jump":
                found = walk(rule["jump-target"], src, port, dstnat)
                if found is not None:
                    return found
                continue
            return action, rule
        return None

    def decide(src: str, port: int) -> tuple[bool, str]:
        nat_rules: list[dict[str, Any]] = [{"chain": "srcnat"}, *cfg["nat"]]
        deciders = []
        for rule in cfg["nat"]:
            if rule.get("disabled") or not ros_match(cfg, rule, src, protocol, port, False):
                continue
            if rule["action"] == "accept":  # ends dstnat untranslated: this rule decides
                return False, label("nat", nat_rules, rule)
            if rule["to-addresses"] != "192.168.20.10":
                return False, label("nat", nat_rules, rule)
            deciders.append(label("nat", nat_rules, rule))
            break
        if not deciders:
            return (
                False,
                "the missing port forward (no active dst-nat rule sends it to 192.168.20.10)",
            )
        found = walk("forward", src, port, True)
        if found is None:
            return True, " + ".join([*deciders, "chain forward's default accept"])
        action, rule = found
        text = label("filter", cfg["filter"], rule)
        return (True, " + ".join([*deciders, text])) if action == "accept" else (False, text)

    return decide


@SETTINGS
@given(cfg=ros_configs(), protocol=st.sampled_from(["udp", "tcp"]), span=flow_ports())
def test_routeros_range_evaluator_agrees_with_brute_force(
    cfg: dict[str, Any], protocol: str, span: tuple[int, int]
) -> None:
    facts = facts_of("mikrotik_routeros", ros_text(cfg))
    target = Target(ipaddress.IPv4Network("192.168.20.10/32"), "PBX")
    verdict = run(routeros.plan(facts, target), protocol, span, target)
    compare(verdict, ros_oracle(cfg, protocol), span)


# ============================================================================ IOS

WILDCARDS = [
    "0.0.0.0",
    "0.0.0.3",
    "0.0.0.7",
    "0.0.0.15",
    "0.0.0.255",
    "0.0.0.5",
    "0.0.0.10",
    "0.0.0.12",
]


@st.composite
def ios_configs(draw: st.DrawFn) -> dict[str, Any]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for n in range(draw(st.integers(0, 3))):
        members = []
        for _ in range(draw(st.integers(1, 3))):
            kind = draw(st.sampled_from(["host", "net"] + (["group"] if groups else [])))
            value = (
                draw(hosts)
                if kind == "host"
                else draw(prefixes)
                if kind == "net"
                else draw(st.sampled_from(sorted(groups)))
            )
            members.append((kind, value))
        groups[f"NET{n}"] = members
    services: dict[str, list[tuple[Any, ...]]] = {}
    for n in range(draw(st.integers(0, 2))):
        items: list[tuple[Any, ...]] = []
        for _ in range(draw(st.integers(1, 3))):
            if services and draw(st.booleans()):
                items.append(("group", draw(st.sampled_from(sorted(services)))))
            else:
                items.append((draw(st.sampled_from(["udp", "tcp", "tcp-udp"])), port_op(draw)))
        services[f"SVC{n}"] = items
    entries = []
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.integers(0, 6)) == 0:
            entries.append({"remark": True})
            continue
        protocol = draw(st.sampled_from(["ip", "udp", "tcp"] + (["SVC"] if services else [])))
        src_kind = draw(st.sampled_from(["any", "host", "wild"] + (["group"] if groups else [])))
        src: tuple[str, ...] = {
            "any": lambda: ("any",),
            "host": lambda: ("host", draw(hosts)),
            "wild": lambda: ("wild", draw(hosts), draw(st.sampled_from(WILDCARDS))),
            "group": lambda: ("group", draw(st.sampled_from(sorted(groups)))),
        }[src_kind]()
        entry: dict[str, Any] = {
            "remark": False,
            "action": draw(st.sampled_from(["permit", "deny"])),
            "protocol": protocol
            if protocol != "SVC"
            else ("svc", draw(st.sampled_from(sorted(services)))),
            "src": src,
            "dst": draw(
                st.sampled_from([("any",), ("host", "203.0.113.2"), ("host", "203.0.113.3")])
            ),
            "port": None,
            "options": [],
        }
        if protocol in ("udp", "tcp"):
            kind = draw(st.sampled_from(["none", "eq", "eqs", "range", "gt", "lt", "neq"]))
            if kind == "eqs":
                entry["port"] = ("eq", *sorted(set(draw(st.lists(ports, min_size=2, max_size=3)))))
            elif kind != "none":
                entry["port"] = (
                    ("range", *draw(port_range())) if kind == "range" else (kind, draw(ports))
                )
            if protocol == "tcp" and draw(st.integers(0, 4)) == 0:
                entry["options"] = ["established"]
        entries.append(entry)
    return {"groups": groups, "services": services, "entries": entries}


def ios_address(spec: tuple[str, ...]) -> str:
    if spec[0] == "any":
        return "any"
    if spec[0] == "host":
        return f"host {spec[1]}"
    if spec[0] == "wild":
        return f"{spec[1]} {spec[2]}"
    return f"object-group {spec[1]}"


def ios_text(cfg: dict[str, Any]) -> str:
    lines = ["version 17.3", "hostname gw", "!"]
    for name, members in cfg["groups"].items():
        lines.append(f"object-group network {name}")
        for kind, value in members:
            if kind == "group":
                lines.append(f" group-object {value}")
            elif kind == "host":
                lines.append(f" host {value}")
            else:
                net = ipaddress.IPv4Network(value)
                lines.append(f" {net.network_address} {net.netmask}")
    for name, items in cfg["services"].items():
        lines.append(f"object-group service {name}")
        for item in items:
            if item[0] == "group":
                lines.append(f" group-object {item[1]}")
            else:
                lines.append(f" {item[0]}" + (f" {op_text(item[1])}" if item[1] else ""))
    lines += [
        "!",
        "interface GigabitEthernet0/0/0",
        " ip address 203.0.113.2 255.255.255.248",
        " ip access-group WAN-IN in",
        " ip nat outside",
        "!",
        "ip access-list extended WAN-IN",
    ]
    for seq, entry in enumerate(cfg["entries"], start=1):
        if entry["remark"]:
            lines.append(f" {seq * 10} remark a remark")
            continue
        protocol = entry["protocol"]
        protocol_text = f"object-group {protocol[1]}" if isinstance(protocol, tuple) else protocol
        port = f" {op_text(entry['port'])}" if entry["port"] else ""
        options = "".join(f" {o}" for o in entry["options"])
        lines.append(
            f" {seq * 10} {entry['action']} {protocol_text} {ios_address(entry['src'])} "
            f"{ios_address(entry['dst'])}{port}{options}"
        )
    lines.append("!")
    return "\n".join(lines) + "\n"


def ios_in(cfg: dict[str, Any], spec: tuple[str, ...], address: str) -> bool:
    kind = spec[0]
    if kind == "any":
        return True
    if kind == "host":
        return address == spec[1]
    if kind == "wild":
        bits = int(ip(spec[2]))
        return int(ip(address)) & ~bits == int(ip(spec[1])) & ~bits
    for member_kind, value in cfg["groups"][spec[1]]:
        if member_kind == "group" and ios_in(cfg, ("group", value), address):
            return True
        if member_kind == "host" and address == value:
            return True
        if member_kind == "net" and inside(address, value):
            return True
    return False


def ios_service(cfg: dict[str, Any], name: str, protocol: str, port: int) -> bool:
    for item in cfg["services"][name]:
        if item[0] == "group":
            if ios_service(cfg, item[1], protocol, port):
                return True
        elif protocol in item[0].split("-") and port_match(item[1], port):
            return True
    return False


def ios_oracle(cfg: dict[str, Any], protocol: str) -> Any:
    def decide(src: str, port: int) -> tuple[bool, str]:
        for seq, entry in enumerate(cfg["entries"], start=1):
            if entry["remark"] or "established" in entry["options"]:
                continue
            proto = entry["protocol"]
            if isinstance(proto, tuple):
                if not ios_service(cfg, proto[1], protocol, port):
                    continue
            elif proto not in ("ip", protocol) or not port_match(entry["port"], port):
                continue
            if ios_in(cfg, entry["src"], src) and ios_in(cfg, entry["dst"], "203.0.113.2"):
                return entry["action"] == "permit", f"access-list WAN-IN seq {seq * 10}"
        return False, "the implicit deny at the end of access-list WAN-IN"

    return decide


@SETTINGS
@given(cfg=ios_configs(), protocol=st.sampled_from(["udp", "tcp"]), span=flow_ports())
def test_ios_range_evaluator_agrees_with_brute_force(
    cfg: dict[str, Any], protocol: str, span: tuple[int, int]
) -> None:
    facts = facts_of("cisco_ios", ios_text(cfg))
    target = Target(ipaddress.IPv4Network("203.0.113.2/32"), "itself", own=True)
    verdict = run(ios.plan(facts, target), protocol, span, target)
    compare(verdict, ios_oracle(cfg, protocol), span)
