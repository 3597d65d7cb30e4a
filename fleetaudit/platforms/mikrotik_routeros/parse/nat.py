"""NAT (source-NAT rules, outside interfaces, connection tracking UDP timeouts) and the
SIP helper (``/ip firewall service-port sip``, RouterOS's SIP ALG)."""

from __future__ import annotations

from fleetaudit.facts import Nat, NatRule, Ref, SipAlg
from fleetaudit.platforms.mikrotik_routeros.parse.defaults import (
    CONNTRACK_DEFAULTS,
    SIP_DEFAULT_PORTS,
    duration_s,
)
from fleetaudit.platforms.mikrotik_routeros.parse.export import Command, Export

# --------------------------------------------------------------------------- sip_alg


def _sip_alg(export: Export) -> SipAlg:
    deciding: Command | None = None
    state: bool | None = None
    ports = SIP_DEFAULT_PORTS
    direct_media = "yes"
    for command in export.section("ip firewall service-port"):
        if command.item() != "sip":
            continue
        if command.verb in ("disable", "enable"):
            deciding, state = command, command.verb == "enable"
        elif command.verb == "set":
            ports = command.args.get("ports", ports)
            direct_media = command.args.get("sip-direct-media", direct_media)
            if "disabled" in command.args:
                deciding, state = command, not command.disabled
    if (deciding is None or state) and not _translates(export):
        shown = "by RouterOS default" if deciding is None else f"on line {deciding.line}"
        return SipAlg(
            enabled=False,
            detail=(
                f"the SIP helper (service-port sip) is on ({shown}), but no NAT rule "
                "translates here: it has no address to rewrite"
            ),
            refs=_default_refs(export) if deciding is None else [export.ref(deciding)],
        )
    if deciding is None or state is None:
        return SipAlg(
            enabled=True,
            detail=(
                "the SIP helper (/ip firewall service-port sip) is on: RouterOS enables it "
                f"by default (ports {ports}) and this export never disables it"
            ),
            refs=_default_refs(export),
            protocols=["udp", "tcp"],
            by_default=True,
        )
    ref = export.ref(deciding, "disabled=" if deciding.verb == "set" else None)
    if not state:
        return SipAlg(
            enabled=False, detail="the SIP helper (service-port sip) is disabled", refs=[ref]
        )
    return SipAlg(
        enabled=True,
        detail=(
            f"the SIP helper (service-port sip) is enabled on ports {ports} "
            f"(sip-direct-media={direct_media}): RouterOS rewrites SIP/SDP through NAT"
        ),
        refs=[ref],
        protocols=["udp", "tcp"],
    )


def _default_refs(export: Export) -> list[Ref]:
    """Evidence for a default: the service-port section when present, else the header
    line naming the RouterOS version whose default applies."""
    section = export.section("ip firewall service-port")
    if section:
        return [export.ref(section[0])]
    if export.version_line:
        return [export.out.ref_line(export.version_line)]
    return []


# --------------------------------------------------------------------------- NAT


def _nat_rules(export: Export) -> list[Command]:
    return [c for c in export.section("ip firewall nat") if c.verb == "add"]


def _outside(export: Export) -> list[str]:
    """Interfaces masquerade / src-nat rules leave through (directly or via a list)."""
    names: list[str] = []
    for rule in _nat_rules(export):
        if not _is_source_nat(rule):
            continue
        interface = rule.args.get("out-interface", "")
        candidates = [interface] if interface else []
        candidates += export.lists.get(rule.args.get("out-interface-list", ""), [])
        names += [n for n in candidates if n and not n.startswith("!") and n not in names]
    return names


def _translates(export: Export) -> bool:
    """Whether any active NAT rule rewrites addresses or ports (what the helper follows)."""
    return any(
        not rule.disabled
        and rule.args.get("action") in ("masquerade", "src-nat", "dst-nat", "netmap", "redirect")
        for rule in _nat_rules(export)
    )


def _is_source_nat(rule: Command) -> bool:
    return (
        not rule.disabled
        and rule.args.get("chain") == "srcnat"
        and rule.args.get("action") in ("masquerade", "src-nat")
    )


def _udp_timeout(export: Export, key: str = "udp-timeout") -> tuple[int | None, Ref | None]:
    """The timeout as set, or the version's default cited by the header line naming it."""
    for command in export.section("ip firewall connection tracking"):
        if key in command.args:
            seconds = duration_s(command.args[key])
            return seconds, export.ref(command, f"{key}=")
    default = CONNTRACK_DEFAULTS.get(export.major or 0, {}).get(key)
    header = export.version_line
    proof = export.out.ref_line(header) if default and header else None
    return duration_s(default), proof


def _nat(export: Export) -> Nat:
    rules = [
        NatRule(text=rule.compact, kind=rule.args.get("action", "unknown"), ref=export.ref(rule))
        for rule in _nat_rules(export)
    ]
    seconds, ref = _udp_timeout(export)
    stream_s, stream_ref = _udp_timeout(export, "udp-stream-timeout")
    return Nat(
        enabled=any(_is_source_nat(rule) for rule in _nat_rules(export)),
        inside=[],
        outside=_outside(export),
        rules=rules,
        udp_timeout_s=seconds,
        udp_timeout_ref=ref,
        udp_stream_timeout_s=stream_s,
        udp_stream_timeout_ref=stream_ref,
    )
