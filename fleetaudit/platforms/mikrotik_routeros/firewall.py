"""MikroTik RouterOS (v6 and v7): ``/ip firewall nat`` chain ``dstnat`` decides which
inside address a packet from the provider reaches; ``/ip firewall filter`` chain
``forward`` (``input`` for the router itself) then accepts or drops it, with ``jump`` /
``return`` into custom chains, address-lists, ``dst-port`` lists and ranges,
``in-interface[-list]``, ``connection-state`` (a new inbound call or media stream is
``new``) and ``connection-nat-state``. Disabled rules are skipped; a built-in chain
accepts what no rule decides.

Not modelled: ``to-ports`` that change the port (the filter sees the original port here).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fleetaudit.facts import Firewall, FirewallRule, Interface, Nat, Ref
from fleetaudit.rules.intervals import ALL_PORTS, EMPTY, PORTS, IntervalSet, network, ports_text
from fleetaudit.rules.model import Action, Match, Pipeline, Rule, RuleRef, Stage, Unsupported
from fleetaudit.rules.plan import Example, FixRequest, Plan, Target, interface_of, own_addresses

SOURCE = "/export verbose"
PROTOCOLS = frozenset(
    {"tcp", "udp", "icmp", "gre", "esp", "ah", "sctp", "udp-lite", "ospf", "igmp", "ipip"}
)
IGNORED = {
    "action", "chain", "comment", "log", "log-prefix", "disabled", "index", "config_line",
    "jump-target", "to-addresses", "to-ports", "hw-offload", "address-list",
    "address-list-timeout", "reject-with", "dynamic", "invalid", "src-port-list",
}  # fmt: skip
ADDRESS_KEYS = {"src-address", "dst-address", "src-address-list", "dst-address-list"}
PROTOCOL_NUMBERS = {"6": "tcp", "17": "udp", "1": "icmp"}
#: what every chain's rules may do besides deciding: go on, or jump and return
FLOW_ACTIONS: dict[str, Action] = {
    "passthrough": "continue",
    "log": "continue",
    "add-src-to-address-list": "continue",
    "add-dst-to-address-list": "continue",
    "jump": "jump",
    "return": "return",
}
TERMINAL_ACTIONS: dict[str, Action] = {
    "accept": "permit",
    "drop": "deny",
    "reject": "deny",
    "tarpit": "deny",
    "fasttrack-connection": "continue",  # only ever matches established connections
    **FLOW_ACTIONS,
}
NAT_ACTIONS: dict[str, Action] = {
    "dst-nat": "nat",
    "netmap": "nat",
    "redirect": "nat",
    "accept": "permit",  # stops dstnat processing: the packet stays untranslated
    "src-nat": "continue",
    "masquerade": "continue",
    "same": "nat",
    **FLOW_ACTIONS,
}


@dataclass(frozen=True)
class Context:
    """What the router knows about the packet besides its addresses and ports."""

    ingress: str  # the WAN interface it arrives on
    egress: str | None  # where it leaves (None: for the router itself)
    lists: Mapping[str, list[str]]  # interface lists
    local: bool  # addressed to the router itself at this stage


def negated(value: str) -> tuple[bool, str]:
    return (True, value[1:]) if value.startswith("!") else (False, value)


def address_set(value: str) -> IntervalSet:
    """``10.0.0.1``, ``10.0.0.0/24``, ``10.0.0.1-10.0.0.9`` (comma lists too)."""
    result = EMPTY
    for part in value.split(","):
        first, _, last = part.strip().partition("-")
        try:
            if last:
                low, high = int(ipaddress.IPv4Address(first)), int(ipaddress.IPv4Address(last))
                result = result | IntervalSet.of(low, high)
            else:
                result = result | network(first)
        except ValueError:
            raise Unsupported(f"address {part!r} (a DNS name?)") from None
    return result


def port_set(value: str) -> IntervalSet:
    """``5060,10000-20000`` -> ports.

    >>> str(port_set("5060,10000-20000"))
    '5060,10000-20000'
    """
    spans = []
    for part in value.split(","):
        low, _, high = part.strip().partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            raise Unsupported(f"port {part!r} (a named port?)")
        first, last = int(low), int(high or low)
        if not first <= last <= 65535:
            raise Unsupported(f"port {part!r} is no port or port range")
        spans.append((first, last))
    return IntervalSet(spans)


def in_list(interface: str | None, name: str, lists: Mapping[str, list[str]]) -> bool:
    if name == "all":
        return interface is not None
    if name in ("none", "dynamic"):
        return False
    if name == "static":
        return interface is not None
    return interface in lists.get(name, [])


@dataclass
class Compiler:
    firewall: Firewall
    context: Context

    def address_list(self, value: str) -> tuple[IntervalSet, str | None]:
        entries = self.firewall.address_lists.get(value, [])
        result = EMPTY
        for entry in entries:
            try:
                result = result | address_set(entry)
            except Unsupported:
                return result, f"address-list {value} holds {entry!r}, resolved only at run time"
        return result, None

    def addresses(self, args: Mapping[str, Any], side: str) -> tuple[IntervalSet | None, list[str]]:
        result: IntervalSet | None = None
        conditions: list[str] = []
        if f"{side}-address" in args:
            neg, value = negated(str(args[f"{side}-address"]))
            found = address_set(value)
            result = found.complement((0, 2**32 - 1)) if neg else found
        if f"{side}-address-list" in args:
            neg, value = negated(str(args[f"{side}-address-list"]))
            found, unknown = self.address_list(value)
            if unknown:
                conditions.append(unknown)
            found = found.complement((0, 2**32 - 1)) if neg else found
            result = found if result is None else result & found
        return result, conditions

    def static(self, key: str, value: str) -> bool | str | None:
        """True/False when the rule's matcher is decided by the context alone; a string:
        a condition the evaluator cannot decide; None: not a static matcher."""
        neg, word = negated(value)
        ctx = self.context
        if key == "in-interface":
            return (ctx.ingress == word) != neg
        if key == "in-interface-list":
            return in_list(ctx.ingress, word, ctx.lists) != neg
        if key == "out-interface":
            return (ctx.egress == word) != neg
        if key == "out-interface-list":
            return in_list(ctx.egress, word, ctx.lists) != neg
        if key == "connection-state":
            return ("new" in word.split(",")) != neg
        if key in ("dst-address-type", "src-address-type"):
            return _address_type(key, word, ctx.local, neg)
        if key == "ipsec-policy":
            return ("none" in word.split(",")) != neg  # provider traffic is not IPsec
        return None

    def rule(
        self, raw: Mapping[str, Any], table: str, actions: Mapping[str, Action]
    ) -> Rule | None:
        """One firewall rule, or None when the context alone rules it out."""
        ref = rule_ref(raw, table)
        action = actions.get(str(raw.get("action", "accept")))
        if action is None:
            raise Unsupported(f"{ref.label}: action={raw.get('action')} is not understood")
        conditions: list[str] = ["disabled=yes"] if raw.get("disabled") else []
        protocols, ports, dstnat = None, None, None
        for key, value in raw.items():
            text = str(value)
            if key in IGNORED or key in ADDRESS_KEYS:
                continue
            if key == "protocol":
                neg, word = negated(text)
                word = PROTOCOL_NUMBERS.get(word, word)
                protocols = PROTOCOLS - {word} if neg else frozenset({word})
            elif key == "dst-port":
                neg, word = negated(text)
                ports = port_set(word).complement(PORTS) if neg else port_set(word)
            elif key == "connection-nat-state":
                dstnat = _nat_state(text)
                if dstnat == "never":
                    return None
            elif (decided := self.static(key, text)) is not None:
                if decided is False:
                    return None
                if isinstance(decided, str):
                    conditions.append(decided)
            else:
                conditions.append(f"{key}={text}")
        src, src_unknown = self.addresses(raw, "src")
        dst, dst_unknown = self.addresses(raw, "dst")
        conditions += src_unknown + dst_unknown
        match = Match(
            src=src,
            dst=dst,
            protocols=protocols,
            ports=ports,
            dstnat=dstnat if isinstance(dstnat, bool) else None,
            condition="; ".join(conditions) or None,
        )
        target = raw.get("to-addresses")
        nat_to = None
        if action == "nat":  # no to-addresses (redirect, port-only dst-nat): the router itself
            nat_to = address_set(str(target)) if target else EMPTY
        return Rule(match, action, ref, jump=raw.get("jump-target"), nat_to=nat_to)

    def chains(
        self, rules: list[FirewallRule], table: str, actions: Mapping[str, Action]
    ) -> dict[str, tuple[Rule, ...]]:
        chains: dict[str, list[Rule]] = {}
        for raw in rules:
            compiled = self.rule(raw, table, actions)
            chain = str(raw.get("chain", ""))
            chains.setdefault(chain, [])
            if compiled is not None:
                chains[chain].append(compiled)
        return {name: tuple(items) for name, items in chains.items()}


def _address_type(key: str, word: str, local: bool, neg: bool) -> bool | str:
    kinds = set(word.split(","))
    if key == "dst-address-type" and kinds <= {"local", "unicast"}:
        hit = ("local" in kinds and local) or "unicast" in kinds
        return hit != neg
    if key == "src-address-type" and kinds <= {"unicast", "local"}:
        return ("unicast" in kinds) != neg
    return f"{key}={'!' if neg else ''}{word}"


def _nat_state(value: str) -> bool | str | None:
    """connection-nat-state for a new inbound packet: it is dstnat'ed or not (per port),
    never srcnat'ed. True: must be dstnat; False: must not; None: no constraint."""
    neg, word = negated(value)
    states = set(word.split(","))
    if "dstnat" in states:
        return not neg
    return None if neg else "never"


def rule_text(raw: Mapping[str, Any], table: str) -> str:
    shown = []
    for key, value in raw.items():
        if key in ("index", "config_line") or (key == "disabled" and not value):
            continue
        if key in ("log", "log-prefix") and str(value) in ("no", ""):
            continue
        text = "yes" if value is True else str(value)
        if not text or any(c in text for c in ' ";'):
            text = '"' + text.replace('"', '\\"') + '"'
        shown.append(f"{key}={text}")
    return f"/ip firewall {table} add " + " ".join(shown)


def rule_ref(raw: Mapping[str, Any], table: str) -> RuleRef:
    index = int(raw.get("index") or 0)
    chain = raw.get("chain", "?")
    comment = raw.get("comment")
    named = f' "{comment}"' if comment else ""
    line = raw.get("config_line")
    return RuleRef(
        label=f"{table} rule {index}{named} (chain {chain})",
        ref=Ref(SOURCE, line if isinstance(line, int) else None, rule_text(raw, table)),
        table=str(chain),
        position=index,
        comment=str(comment) if comment else None,
    )


# ------------------------------------------------------------------------ the path


def wan_interfaces(interfaces: list[Interface], firewall: Firewall) -> list[str]:
    names = [i.name for i in interfaces if i.nat == "outside"]
    for name, members in firewall.interface_lists.items():
        if name.upper() == "WAN":
            names += [m for m in members if m not in names]
    return names


def plan(facts: Mapping[str, Any], target: Target) -> Plan | None:
    firewall: Firewall = facts["firewall"]
    interfaces: list[Interface] = facts["interfaces"]
    nat: Nat | None = facts.get("nat")
    wan = wan_interfaces(interfaces, firewall)
    if not wan:
        raise Unsupported("no WAN interface (masquerade out-interface or interface list WAN)")
    ingress = wan[0]
    own = target.own or target.prefix.network_address in own_addresses(interfaces)
    egress = None if own else interface_of(interfaces, target.prefix)
    if not own and (egress is None or egress.name in wan):
        return None
    lists = firewall.interface_lists
    egress_name = egress.name if egress else None
    wan_address = _address_of(interfaces, ingress)
    stages = [
        _dnat_stage(
            firewall, Context(ingress, egress_name, lists, True), target, wan_address, nat, own
        ),
        _filter_stage(firewall, Context(ingress, egress_name, lists, own), own),
    ]
    forwarded = (_all_forwarded(stages[0], target), stages[1])
    path = f"{ingress} → {'the router itself (chain input)' if own else egress_name}"
    return Plan(
        target,
        Pipeline(tuple(stages)),
        path,
        lambda requests: fixes(firewall, ingress, requests, target),
        followup=Pipeline(forwarded),
    )


def _address_of(interfaces: list[Interface], name: str) -> int | None:
    for interface in interfaces:
        if interface.name == name and interface.ipv4:
            return int(ipaddress.IPv4Interface(interface.ipv4[0]).ip)
    return None


def _dnat_stage(
    firewall: Firewall,
    context: Context,
    target: Target,
    wan_address: int | None,
    nat: Nat | None,
    own: bool,
) -> Stage:
    compiler = Compiler(firewall, context)
    chains = compiler.chains(firewall.nat, "nat", NAT_ACTIONS)
    closes = not own and target.prefix.is_private and bool(nat and nat.enabled)
    evidence = next((rule_ref(r, "nat").ref for r in firewall.nat), None)
    default = RuleRef(
        f"the missing port forward (no active dst-nat rule sends it to {target.prefix.network_address})",
        evidence,
        table="dstnat",
        implicit=True,
    )
    return Stage(
        "/ip firewall nat (dstnat)",
        chains,
        "dstnat",
        "permit",
        default,
        "dnat",
        closes,
        dst=wan_address,
    )


def _filter_stage(firewall: Firewall, context: Context, own: bool) -> Stage:
    chains = Compiler(firewall, context).chains(firewall.filter, "filter", TERMINAL_ACTIONS)
    entry = "input" if own else "forward"
    default = RuleRef(f"chain {entry}'s default accept", None, table=entry, implicit=True)
    return Stage(f"/ip firewall filter (chain {entry})", chains, entry, "permit", default)


def _all_forwarded(stage: Stage, target: Target) -> Stage:
    """The dstnat stage as it would be with a dst-nat for everything to the target."""
    fix = RuleRef("the dst-nat rule to add", None, table="dstnat", implicit=True)
    rule = Rule(Match(), "nat", fix, nat_to=target.addresses)
    return Stage(
        stage.name,
        {"dstnat": (rule,)},
        "dstnat",
        "permit",
        fix,
        "dnat",
        stage.untranslated_closes,
        stage.dst,
    )


# ------------------------------------------------------------------------ fixes


def _place_before(before: RuleRef, rules: list[FirewallRule]) -> str:
    if before.implicit or before.position is None:
        return ""
    comments = [r.get("comment") for r in rules]
    if before.comment and comments.count(before.comment) == 1:
        return f' place-before=[find where comment="{before.comment}"]'
    return f" place-before={before.position - 1}"


def fixes(
    firewall: Firewall, ingress: str, requests: list[FixRequest], target: Target
) -> list[str]:
    """``add ... place-before=`` the closing rule, in its chain (filter) or as a dst-nat
    to the target (nat)."""
    lines = []
    address = str(target.prefix.network_address) if target.is_host else str(target.prefix)
    for request in requests:
        before = request.before
        match = f"src-address={request.subnet}"
        if request.protocol:
            match = f"protocol={request.protocol} {match}"
        if request.ports is not None and request.ports != ALL_PORTS:
            match += f" dst-port={ports_text(request.ports)}"
        if before.table == "dstnat" or before.label.startswith("nat "):
            place = _place_before(before, firewall.nat)
            lines.append(
                f"/ip firewall nat add chain=dstnat action=dst-nat in-interface={ingress} {match} "
                f"to-addresses={address}{place}"
            )
        else:
            place = _place_before(before, firewall.filter)
            lines.append(
                f"/ip firewall filter add chain={before.table} action=accept {match} "
                f"dst-address={address}{place}"
            )
        if "place-before=" in lines[-1] and "[find" not in lines[-1]:
            lines.append(
                f"# {before.position - 1 if before.position else '?'}: the number `print` shows for {before.label}"
            )
    return lines


# ------------------------------------------------------------------------ the example

#: What `checks explain` renders FW001/FW002's fix on: SIP over UDP and RTP up to 20000
#: forwarded to the voice target, the rest of the provider's traffic neither forwarded nor
#: accepted, a drop rule above the accepts.
EXAMPLE = Example(
    "router",
    """\
# by RouterOS 6.49.10
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
/ip address
add address=203.0.113.34/30 interface=ether1
add address=192.168.20.1/24 interface=ether2
/ip firewall filter
add action=jump chain=forward comment="from the ISP" in-interface-list=WAN jump-target=wan-in
add action=drop chain=wan-in comment="drop SIP scanners" protocol=tcp dst-port=5060-5061
add action=accept chain=wan-in comment="VATS SIP" protocol=udp src-address=193.201.230.128/26 dst-port=5060
add action=accept chain=wan-in comment="VATS RTP" protocol=udp src-address=193.201.230.128/26 dst-port=10000-20000
add action=drop chain=wan-in comment="drop all from WAN"
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=dst-nat chain=dstnat comment="SIP to the voice server" in-interface=ether1 protocol=udp dst-port=5060 to-addresses=192.168.20.10
add action=dst-nat chain=dstnat comment="RTP to the voice server" in-interface=ether1 protocol=udp dst-port=10000-20000 to-addresses=192.168.20.10
/system identity
set name=example-rtr
""",
)
