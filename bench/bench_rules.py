"""Benchmark: the range evaluator on a 5,000-rule ruleset, the full RTP range 10000-65535,
4 provider subnets, per platform.

Each ruleset is generated (fixed seed) as the device's own config text: mostly rules for
other hosts and services, a share of them touching the provider's subnets (hosts, small
prefixes, port ranges and operators), a few nested object-groups / address-lists, then
the site's own SIP/RTP rules near the end. It is parsed through the real template and
normaliser, compiled for the voice target (``plan``) and evaluated for UDP 10000-65535
from each of the 4 subnets. Prints the parse, compile and evaluate times and how many
sub-ranges the answers hold. Not a test: it measures and prints.

    python bench/bench_rules.py [--rules 5000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import ipaddress
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fleetaudit.parse import parse_output  # noqa: E402
from fleetaudit.platforms.cisco_asa import firewall as asa  # noqa: E402
from fleetaudit.platforms.cisco_ios import firewall as ios  # noqa: E402
from fleetaudit.platforms.mikrotik_routeros import firewall as routeros  # noqa: E402
from fleetaudit.rules.intervals import IntervalSet, network  # noqa: E402
from fleetaudit.rules.model import Flow, evaluate  # noqa: E402
from fleetaudit.rules.plan import Plan, Target  # noqa: E402
from fleetaudit.templates import load_templates  # noqa: E402

SUBNETS = [
    ipaddress.IPv4Network(s)
    for s in ("193.201.230.128/26", "193.201.231.0/26", "91.217.10.0/24", "185.45.152.0/22")
]
RTP = IntervalSet.of(10000, 65535)
PBX = "192.168.20.10"


def provider_address(rng: random.Random) -> ipaddress.IPv4Network:
    subnet = rng.choice(SUBNETS)
    length = rng.choice([32, 32, 30, 28, subnet.prefixlen, subnet.prefixlen - 2])
    host = subnet.network_address + rng.randrange(subnet.num_addresses)
    return ipaddress.IPv4Network((int(host), length), strict=False)


def other_address(rng: random.Random) -> ipaddress.IPv4Network:
    length = rng.choice([32, 32, 24, 16, 29])
    host = ipaddress.IPv4Address(rng.randrange(1 << 24, 223 << 24))
    return ipaddress.IPv4Network((int(host), length), strict=False)


SHARE = [0.2]  # of the rules that name a provider address (--provider-share)


def source(rng: random.Random) -> ipaddress.IPv4Network:
    return provider_address(rng) if rng.random() < SHARE[0] else other_address(rng)


def port_op(rng: random.Random) -> tuple[str, ...]:
    low = rng.randrange(1, 65000)
    kind = rng.choice(["eq", "eq", "range", "gt", "lt", "neq"])
    if kind == "range":
        return ("range", str(low), str(min(65535, low + rng.randrange(1, 20000))))
    return (kind, str(low))


# ---------------------------------------------------------------------------- ASA


def asa_config(count: int, rng: random.Random) -> str:
    lines = [
        "ASA Version 9.16(4)",
        "hostname fw",
        "interface GigabitEthernet0/0",
        " nameif outside",
        " security-level 0",
        " ip address 203.0.113.2 255.255.255.248",
        "interface GigabitEthernet0/1",
        " nameif voice",
        " security-level 90",
        " ip address 192.168.20.1 255.255.255.0",
        "object-group network PROVIDER-A",
    ]
    lines += [f" network-object {n.network_address} {n.netmask}" for n in SUBNETS[:2]]
    lines += ["object-group network PROVIDERS", " group-object PROVIDER-A"]
    lines += [f" network-object {n.network_address} {n.netmask}" for n in SUBNETS[2:]]
    for _ in range(count - 3):
        action = "permit" if rng.random() < 0.7 else "deny"
        net = source(rng)
        dst = rng.choice(
            [
                f"host {PBX}",
                "any",
                f"host 192.168.20.{rng.randrange(2, 250)}",
                "192.168.20.0 255.255.255.0",
            ]
        )
        proto = rng.choice(["udp", "tcp", "udp", "ip"])
        ports = "" if proto == "ip" else " " + " ".join(port_op(rng))
        lines.append(
            f"access-list OUTSIDE_IN extended {action} {proto} {net.network_address} {net.netmask} {dst}{ports}"
        )
    lines += [
        f"access-list OUTSIDE_IN extended permit udp object-group PROVIDERS host {PBX} eq sip",
        f"access-list OUTSIDE_IN extended permit udp object-group PROVIDERS host {PBX} range 10000 20000",
        "access-list OUTSIDE_IN extended deny ip any any log",
        "access-group OUTSIDE_IN in interface outside",
    ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- RouterOS


def routeros_config(count: int, rng: random.Random) -> str:
    lines = [
        "# 2024-05-20 14:02:11 by RouterOS 7.14.3",
        "/interface list member",
        "add interface=ether1 list=WAN",
        "add interface=bridge list=LAN",
        "/ip address",
        "add address=203.0.113.34/30 interface=ether1 network=203.0.113.32",
        "add address=192.168.20.1/24 interface=bridge network=192.168.20.0",
        "/ip firewall address-list",
    ]
    lines += [f"add address={n} list=VATS" for n in SUBNETS]
    lines.append("/ip firewall filter")
    chains = ["forward", "wan-in", "voice"]
    lines.append("add action=jump chain=forward in-interface-list=WAN jump-target=wan-in")
    for _ in range(count - 4):
        chain = rng.choice(chains)
        action = rng.choice(
            ["accept", "accept", "drop", "return"] if chain != "forward" else ["accept", "drop"]
        )
        parts = [f"action={action}", f"chain={chain}"]
        if rng.random() < 0.8:
            parts.append(f"src-address={source(rng)}")
        proto = rng.choice(["udp", "tcp", "udp", None])
        if proto:
            parts.append(f"protocol={proto}")
            low = rng.randrange(1, 65000)
            parts.append(
                f"dst-port={low}"
                if rng.random() < 0.5
                else f"dst-port={low}-{min(65535, low + rng.randrange(1, 20000))}"
            )
        if rng.random() < 0.1:
            parts.append("connection-state=established,related")
        if rng.random() < 0.05:
            parts.append("disabled=yes")
        lines.append("add " + " ".join(parts))
    lines += [
        "add action=jump chain=wan-in jump-target=voice src-address-list=VATS",
        "add action=accept chain=voice dst-port=5060,10000-20000 protocol=udp",
        "add action=drop chain=forward in-interface-list=WAN",
        "/ip firewall nat",
        "add action=masquerade chain=srcnat out-interface-list=WAN",
        f"add action=dst-nat chain=dstnat in-interface-list=WAN src-address-list=VATS to-addresses={PBX}",
    ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- IOS


def ios_config(count: int, rng: random.Random) -> str:
    lines = [
        "version 17.3",
        "hostname gw",
        "object-group network VATS",
        *(f" {n.network_address} {n.netmask}" for n in SUBNETS),
        "interface GigabitEthernet0/0/0",
        " ip address 203.0.113.2 255.255.255.248",
        " ip access-group WAN-IN in",
        " ip nat outside",
        "!",
        "ip access-list extended WAN-IN",
    ]
    for n in range(1, count - 2):
        action = "permit" if rng.random() < 0.7 else "deny"
        net = source(rng)
        spec = (
            f"host {net.network_address}"
            if net.prefixlen == 32
            else f"{net.network_address} {net.hostmask}"
        )
        proto = rng.choice(["udp", "tcp", "udp", "ip"])
        ports = "" if proto == "ip" else " " + " ".join(port_op(rng))
        lines.append(f" {n * 10} {action} {proto} {spec} host 203.0.113.2{ports}")
    lines += [
        f" {(count - 2) * 10} permit udp object-group VATS host 203.0.113.2 eq 5060",
        f" {(count - 1) * 10} permit udp object-group VATS host 203.0.113.2 range 10000 20000",
        f" {count * 10} deny ip any any log",
        "!",
    ]
    return "\n".join(lines) + "\n"


PLATFORMS: dict[
    str, tuple[str, Callable[[int, random.Random], str], Callable[..., Plan | None], Target]
] = {
    "cisco_asa": (
        "show_running-config",
        asa_config,
        asa.plan,
        Target(ipaddress.IPv4Network(PBX), "PBX"),
    ),
    "mikrotik_routeros": (
        "export_verbose",
        routeros_config,
        routeros.plan,
        Target(ipaddress.IPv4Network(PBX), "PBX"),
    ),
    "cisco_ios": (
        "show_running-config",
        ios_config,
        ios.plan,
        Target(ipaddress.IPv4Network("203.0.113.2/32"), "itself", own=True),
    ),
}


def measure(platform: str, count: int, repeat: int) -> dict[str, Any]:
    slug, generate, planner, target = PLATFORMS[platform]
    text = generate(count, random.Random(7))
    started = time.perf_counter()
    facts = parse_output(load_templates()[platform][slug], text)
    parsed = time.perf_counter() - started
    started = time.perf_counter()
    plan = planner(facts, target)
    compiled = time.perf_counter() - started
    assert plan is not None
    rules = sum(len(rules) for stage in plan.pipeline.stages for rules in stage.chains.values())
    times, pieces = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        verdicts = [
            evaluate(plan.pipeline, Flow("udp", network(subnet), target.addresses, RTP))
            for subnet in SUBNETS
        ]
        times.append(time.perf_counter() - started)
        pieces = sum(len(o.pieces) for v in verdicts for o in v.outcomes)
    return {
        "platform": platform,
        "rules": rules,
        "parse_s": parsed,
        "compile_s": compiled,
        "evaluate_s": statistics.median(times),
        "evaluate_max_s": max(times),
        "pieces": pieces,
        "blocks": sum(len(v.outcomes) for v in verdicts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--provider-share", type=float, default=0.2)
    args = parser.parse_args()
    SHARE[0] = args.provider_share
    print(
        f"{args.rules} rules ({args.provider_share:.0%} name provider addresses), "
        f"UDP {RTP} from {len(SUBNETS)} provider subnets "
        f"({', '.join(map(str, SUBNETS))}); evaluate = all 4 subnets, median of {args.repeat}"
    )
    print(
        f"{'platform':<18} {'rules':>6} {'parse':>8} {'compile':>8} {'evaluate':>9} {'(max)':>8} {'blocks':>7} {'sub-ranges':>10}"
    )
    for platform in PLATFORMS:
        r = measure(platform, args.rules, args.repeat)
        print(
            f"{r['platform']:<18} {r['rules']:>6} {r['parse_s']:>7.2f}s {r['compile_s']:>7.3f}s "
            f"{r['evaluate_s']:>8.3f}s {r['evaluate_max_s']:>7.3f}s {r['blocks']:>7} {r['pieces']:>10}"
        )


if __name__ == "__main__":
    main()
