"""Interfaces from the IOS running config: addresses, switchport VLANs, port-security,
QoS trust and proxy ARP (on by default on every interface with an address)."""

from __future__ import annotations

import ipaddress
from typing import Any

from fleetaudit.facts import Interface, PortSecurity, Ref
from fleetaudit.normalise import Output
from fleetaudit.platforms.cisco_ios.parse.common import child_ref, split_joined, to_int


def to_cidr(address: str, mask: str) -> str | None:
    """``ip address`` operands as CIDR.

    >>> to_cidr("10.0.0.1", "255.255.255.0")
    '10.0.0.1/24'
    >>> to_cidr("10.0.0.1", "bogus") is None
    True
    """
    try:
        return ipaddress.IPv4Interface(f"{address}/{mask}").with_prefixlen
    except ValueError:
        return None


def read_interface(raw: dict[str, Any], out: Output) -> Interface:
    name = str(raw["name"])
    ref = out.ref(f"interface {name}")
    ipv4 = [cidr for cidr in [_primary_ip(raw), *_secondary_ips(raw)] if cidr]
    has_ip = bool(ipv4) or bool(raw.get("dhcp"))
    voice_vlan = raw.get("voice_vlan")
    interface = Interface(
        name=name,
        ref=ref,
        description=raw.get("description"),
        ipv4=ipv4,
        enabled=not raw.get("shutdown"),
        nat=raw.get("nat"),
        service_policy_in=raw.get("policy_in"),
        service_policy_out=raw.get("policy_out"),
        mode=raw.get("mode") if raw.get("mode") in ("access", "trunk") else None,
        access_vlan=to_int(raw.get("access_vlan")),
        voice_vlan=to_int(voice_vlan),
        voice_vlan_ref=(
            child_ref(out, ref, f"switchport voice vlan {voice_vlan}") if voice_vlan else None
        ),
        port_security=_port_security(raw, out, ref),
    )
    if has_ip:
        interface.proxy_arp, interface.proxy_arp_ref = _proxy_arp(raw, out, ref)
    interface.qos_trust, interface.qos_trust_ref = _qos_trust(raw, out, ref)
    return interface


def _primary_ip(raw: dict[str, Any]) -> str | None:
    if raw.get("ip") and raw.get("mask"):
        return to_cidr(str(raw["ip"]), str(raw["mask"]))
    return None


def _secondary_ips(raw: dict[str, Any]) -> list[str | None]:
    found: list[str | None] = []
    for operands in split_joined(raw.get("secondary")):
        parts = operands.split()
        found.append(to_cidr(parts[0], parts[1]) if len(parts) == 2 else None)
    return found


def _proxy_arp(raw: dict[str, Any], out: Output, ref: Ref) -> tuple[bool, Ref]:
    """IOS answers ARP for other subnets unless ``no ip proxy-arp`` is configured.

    Only asked for interfaces with an address (static, or ``ip address dhcp``); the proof is
    the ``[no] ip proxy-arp`` line when printed, else the ``interface`` line."""
    if raw.get("proxy_arp") is False:
        return False, child_ref(out, ref, "no ip proxy-arp")
    if raw.get("proxy_arp") is True:
        return True, child_ref(out, ref, "ip proxy-arp")
    return True, ref


def _port_security(raw: dict[str, Any], out: Output, ref: Ref) -> PortSecurity | None:
    lines = split_joined(raw.get("port_security_lines"))
    enabled = bool(raw.get("port_security"))
    if not lines and not enabled:
        return None
    aging_time = aging_type = maximum = None
    for line in lines:
        words = line.split()
        if words[:2] == ["aging", "time"] and len(words) == 3:
            aging_time = to_int(words[2])
        elif words[:2] == ["aging", "type"] and len(words) == 3:
            aging_type = words[2]
        elif words[0] == "maximum" and len(words) == 2:
            maximum = to_int(words[1])
    if aging_time is not None:
        proof = child_ref(out, ref, f"switchport port-security aging time {aging_time}")
    elif enabled:
        proof = child_ref(out, ref, "switchport port-security")
    else:
        proof = child_ref(out, ref, f"switchport port-security {lines[0]}")
    return PortSecurity(
        enabled=enabled,
        aging_time_min=aging_time,
        aging_type="inactivity" if aging_type == "inactivity" else "absolute",
        maximum=maximum,
        ref=proof,
    )


_TRUST_STATES = ("dscp", "cos", "ip-precedence")


def _qos_trust(raw: dict[str, Any], out: Output, ref: Ref) -> tuple[str | None, Ref | None]:
    """What the port trusts: ``auto qos voip ...`` first, then the trust state (``mls qos
    trust dscp|cos``, also when paired with ``mls qos trust device cisco-phone``), then a
    bare ``[mls qos] trust device cisco-phone``."""
    if raw.get("auto_qos"):
        value = f"auto qos {' '.join(str(raw['auto_qos']).split())}"
        return value, child_ref(out, ref, value)
    trusts = split_joined(raw.get("mls_qos_trust"))
    if trusts:
        states = [t for t in trusts if t in _TRUST_STATES]
        trust = states[0] if states else trusts[0]
        return trust, child_ref(out, ref, f"mls qos trust {trust}")
    if raw.get("trust_device"):
        value = f"device {raw['trust_device']}"
        return value, child_ref(out, ref, f"trust {value}")
    return None, None
