"""NAT and the NAT SIP ALG from the IOS running config: the ALG rewrites udp/tcp 5060
whenever NAT translates unless turned off; the UDP timeout defaults to 300 s."""

from __future__ import annotations

from typing import Any

from fleetaudit.facts import Interface, Nat, NatRule, SipAlg
from fleetaudit.normalise import Output, as_list
from fleetaudit.platforms.cisco_ios.parse.common import first_group, to_int

NAT_UDP_TIMEOUT_DEFAULT_S = 300  # `ip nat translation udp-timeout` when not configured
_SIP_ALG_PORT = 5060
_NO_NAT = "no NAT: the IOS SIP ALG only touches translated traffic"


def read_nat(parsed: dict[str, Any], interfaces: list[Interface], out: Output) -> Nat:
    rules: list[NatRule] = []
    for raw in as_list(parsed.get("nat_rules")):
        for direction in ("inside", "outside"):
            operands = first_group(raw).get(f"{direction}_source")
            if operands:
                text = f"ip nat {direction} source {operands}"
                kind = f"{direction} source {str(operands).split()[0]}"
                rules.append(NatRule(text=text, kind=kind, ref=out.ref(text)))
    inside = [i.name for i in interfaces if i.nat == "inside"]
    outside = [i.name for i in interfaces if i.nat == "outside"]
    timeout = to_int(first_group(parsed.get("nat_udp_timeout")).get("seconds"))
    return Nat(
        enabled=bool(inside and outside and rules),
        inside=inside,
        outside=outside,
        rules=rules,
        udp_timeout_s=timeout if timeout is not None else NAT_UDP_TIMEOUT_DEFAULT_S,
        udp_timeout_ref=out.ref(f"ip nat translation udp-timeout {timeout}") if timeout else None,
    )


def read_sip_alg(parsed: dict[str, Any], nat: Nat, out: Output) -> SipAlg:
    """The IOS NAT SIP ALG rewrites udp/5060 and tcp/5060 whenever NAT translates, unless
    ``no ip nat service sip udp|tcp port 5060`` turns it off."""
    if not nat.enabled:
        return SipAlg(enabled=False, detail=_NO_NAT)
    services = [first_group(item) for item in as_list(parsed.get("nat_sip_service"))]
    off = [s for s in services if s.get("negated") and s.get("port") == _SIP_ALG_PORT]
    off_protocols = {str(s.get("protocol")) for s in off}
    protocols = [p for p in ("udp", "tcp") if p not in off_protocols]
    refs = [out.ref(f"no ip nat service sip {s['protocol']} port {s['port']}") for s in off]
    if protocols:
        refs += [rule.ref for rule in nat.rules if rule.ref]
        refs += [out.ref("ip nat outside", after=_line(out, f"interface {n}")) for n in nat.outside]
    by_default = not services
    return SipAlg(
        enabled=bool(protocols),
        detail=_sip_alg_detail(protocols, off_protocols, by_default),
        refs=refs,
        protocols=protocols,
        by_default=by_default,
    )


def _line(out: Output, text: str) -> int:
    return out.find(text) or 0


def _sip_alg_detail(protocols: list[str], off: set[str], by_default: bool) -> str:
    ports = " and ".join(f"{p}/{_SIP_ALG_PORT}" for p in protocols)
    if not protocols:
        return (
            "SIP ALG off: `no ip nat service sip udp port 5060` and "
            "`no ip nat service sip tcp port 5060` are configured"
        )
    if by_default:
        return f"SIP ALG rewrites {ports}: IOS default while NAT is configured"
    if off:
        turned_off = " and ".join(f"{p}/{_SIP_ALG_PORT}" for p in sorted(off))
        return f"SIP ALG rewrites {ports} while NAT is configured; only {turned_off} is turned off"
    return f"SIP ALG rewrites {ports} while NAT is configured"
