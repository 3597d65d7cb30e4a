"""Normalisers for cisco_ios outputs (IOS and IOS-XE routers, voice gateways, Catalysts).

The TTP templates in ``templates/cisco_ios/`` capture raw values; the functions here turn
them into platform-neutral facts, applying the IOS defaults that the configuration does
not print (proxy ARP on, NAT SIP ALG on for udp/tcp 5060, NAT UDP timeout 300 s,
port-security aging type absolute) and citing the line each fact was read from.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from typing import Any

from fleetaudit.facts import (
    Device,
    Interface,
    Nat,
    NatRule,
    PortSecurity,
    Qos,
    QosClass,
    QosPolicy,
    Ref,
    Registration,
    SipAlg,
    SipCounter,
    SipService,
    SipUaStatistics,
    SipUaStatus,
    SipUaTimers,
)
from fleetaudit.normalise import Output, as_list, ios_acl, normaliser

PLATFORM = "cisco_ios"

#: IOS prints one of these when it rejects a command.
_REJECTIONS = (
    "% Invalid input detected",
    "% Ambiguous command",
    "% Incomplete command",
    "% Unknown command",
    "% Unrecognized command",
)
NAT_UDP_TIMEOUT_DEFAULT_S = 300  # `ip nat translation udp-timeout` when not configured
_SIP_ALG_PORT = 5060
_NO_NAT = "no NAT: the IOS SIP ALG only touches translated traffic"


def rejected(out: Output) -> bool:
    """True when the device refused the command (``% Invalid input detected ...``).

    >>> rejected(Output("show sip service", "        ^\\n% Invalid input detected at '^' marker."))
    True
    >>> rejected(Output("show sip service", "SIP Service is up"))
    False
    """
    return any(line.strip().startswith(_REJECTIONS) for line in out.lines)


def _dict(value: Any) -> dict[str, Any]:
    """A TTP group that matched once (a list when it matched several times: first one)."""
    if isinstance(value, list):
        value = value[0] if value else {}
    return value if isinstance(value, dict) else {}


def _split(value: Any, sep: str = ";") -> list[str]:
    """Values of a ``joinmatches(sep)`` variable, in order."""
    if not value:
        return []
    return [part.strip() for part in str(value).split(sep) if part.strip()]


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _major(version: str | None) -> int | None:
    """Major release number of a config ``version`` line.

    >>> _major("17.3"), _major("15.2"), _major(None)
    (17, 15, None)
    """
    match = re.match(r"(\d+)", version or "")
    return int(match.group(1)) if match else None


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


# --------------------------------------------------------------------------------------
# show running-config
# --------------------------------------------------------------------------------------

_CONFIG_FACTS = ("interfaces", "nat", "sip_alg", "qos", "acl")


@normaliser(PLATFORM, "show running-config")
def running_config(parsed: Any, out: Output) -> dict[str, Any]:
    parsed = _dict(parsed)
    is_config = any(parsed.get(key) for key in ("interfaces", "hostname", "version"))
    if rejected(out) or not is_config:
        return dict.fromkeys(_CONFIG_FACTS)
    raw_interfaces = [_dict(item) for item in as_list(parsed.get("interfaces"))]
    interfaces = [_interface(raw, out) for raw in raw_interfaces if raw.get("name")]
    nat = _nat(parsed, interfaces, out)
    return {
        "interfaces": interfaces,
        "nat": nat,
        "sip_alg": _sip_alg(parsed, nat, out),
        "qos": _qos(parsed, raw_interfaces, interfaces, out),
        "acl": ios_acl.acl(parsed, raw_interfaces, out),
    }


def _child_ref(out: Output, parent: Ref, text: str) -> Ref:
    """The first line ``text`` at or after the block opened by ``parent``."""
    return out.ref(text, after=parent.line or 0)


def _interface(raw: dict[str, Any], out: Output) -> Interface:
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
        access_vlan=_int(raw.get("access_vlan")),
        voice_vlan=_int(voice_vlan),
        voice_vlan_ref=(
            _child_ref(out, ref, f"switchport voice vlan {voice_vlan}") if voice_vlan else None
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
    for operands in _split(raw.get("secondary")):
        parts = operands.split()
        found.append(to_cidr(parts[0], parts[1]) if len(parts) == 2 else None)
    return found


def _proxy_arp(raw: dict[str, Any], out: Output, ref: Ref) -> tuple[bool, Ref]:
    """IOS answers ARP for other subnets unless ``no ip proxy-arp`` is configured.

    Only asked for interfaces with an address (static, or ``ip address dhcp``); the proof is
    the ``[no] ip proxy-arp`` line when printed, else the ``interface`` line."""
    if raw.get("proxy_arp") is False:
        return False, _child_ref(out, ref, "no ip proxy-arp")
    if raw.get("proxy_arp") is True:
        return True, _child_ref(out, ref, "ip proxy-arp")
    return True, ref


def _port_security(raw: dict[str, Any], out: Output, ref: Ref) -> PortSecurity | None:
    lines = _split(raw.get("port_security_lines"))
    enabled = bool(raw.get("port_security"))
    if not lines and not enabled:
        return None
    aging_time = aging_type = maximum = None
    for line in lines:
        words = line.split()
        if words[:2] == ["aging", "time"] and len(words) == 3:
            aging_time = _int(words[2])
        elif words[:2] == ["aging", "type"] and len(words) == 3:
            aging_type = words[2]
        elif words[0] == "maximum" and len(words) == 2:
            maximum = _int(words[1])
    if aging_time is not None:
        proof = _child_ref(out, ref, f"switchport port-security aging time {aging_time}")
    elif enabled:
        proof = _child_ref(out, ref, "switchport port-security")
    else:
        proof = _child_ref(out, ref, f"switchport port-security {lines[0]}")
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
        return value, _child_ref(out, ref, value)
    trusts = _split(raw.get("mls_qos_trust"))
    if trusts:
        states = [t for t in trusts if t in _TRUST_STATES]
        trust = states[0] if states else trusts[0]
        return trust, _child_ref(out, ref, f"mls qos trust {trust}")
    if raw.get("trust_device"):
        value = f"device {raw['trust_device']}"
        return value, _child_ref(out, ref, f"trust {value}")
    return None, None


def _nat(parsed: dict[str, Any], interfaces: list[Interface], out: Output) -> Nat:
    rules: list[NatRule] = []
    for raw in as_list(parsed.get("nat_rules")):
        for direction in ("inside", "outside"):
            operands = _dict(raw).get(f"{direction}_source")
            if operands:
                text = f"ip nat {direction} source {operands}"
                kind = f"{direction} source {str(operands).split()[0]}"
                rules.append(NatRule(text=text, kind=kind, ref=out.ref(text)))
    inside = [i.name for i in interfaces if i.nat == "inside"]
    outside = [i.name for i in interfaces if i.nat == "outside"]
    timeout = _int(_dict(parsed.get("nat_udp_timeout")).get("seconds"))
    return Nat(
        enabled=bool(inside and outside and rules),
        inside=inside,
        outside=outside,
        rules=rules,
        udp_timeout_s=timeout if timeout is not None else NAT_UDP_TIMEOUT_DEFAULT_S,
        udp_timeout_ref=out.ref(f"ip nat translation udp-timeout {timeout}") if timeout else None,
    )


def _sip_alg(parsed: dict[str, Any], nat: Nat, out: Output) -> SipAlg:
    """The IOS NAT SIP ALG rewrites udp/5060 and tcp/5060 whenever NAT translates, unless
    ``no ip nat service sip udp|tcp port 5060`` turns it off."""
    if not nat.enabled:
        return SipAlg(enabled=False, detail=_NO_NAT)
    services = [_dict(item) for item in as_list(parsed.get("nat_sip_service"))]
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


# QoS ----------------------------------------------------------------------------------

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


def _qos(
    parsed: dict[str, Any],
    raw_interfaces: list[dict[str, Any]],
    interfaces: list[Interface],
    out: Output,
) -> Qos:
    policies = _policies(parsed, out)
    wan = [i.name for i in interfaces if i.nat == "outside"]
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
        version = _dict(parsed.get("version")).get("version")
        major = _major(str(version) if version else None)
        if major is not None and major >= 16:
            qos.trust_by_default = True  # Catalyst 9000 / 3850 IOS-XE: no `mls qos`
        else:
            qos.mls_qos = bool(_dict(parsed.get("mls_qos")).get("mls_qos"))
            qos.mls_qos_ref = out.ref("mls qos") if qos.mls_qos else None
    return qos


def _is_switchport(raw: dict[str, Any]) -> bool:
    keys = ("switchport", "mode", "access_vlan", "voice_vlan", "switchport_other")
    return any(raw.get(key) for key in (*keys, "port_security", "port_security_lines"))


def _policies(parsed: dict[str, Any], out: Output) -> list[QosPolicy]:
    class_maps: dict[str, list[str]] = {}
    for raw in map(_dict, as_list(parsed.get("class_maps"))):
        if raw.get("name") and not raw.get("type"):
            class_maps[str(raw["name"])] = _split(raw.get("matches"))
    policies: list[QosPolicy] = []
    for raw in map(_dict, as_list(parsed.get("policy_maps"))):
        if not raw.get("name") or raw.get("type"):
            continue
        ref = out.ref(f"policy-map {raw['name']}")
        classes = [_qos_class(_dict(c), class_maps, out, ref) for c in as_list(raw.get("classes"))]
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
        ref=_child_ref(out, policy, f"class {name}"),
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


# --------------------------------------------------------------------------------------
# show version
# --------------------------------------------------------------------------------------


@normaliser(PLATFORM, "show version")
def show_version(parsed: Any, out: Output) -> dict[str, Any]:
    parsed = _dict(parsed)
    ios_line = _dict(parsed.get("software")).get("ios_line")
    xe_version = _dict(parsed.get("xe")).get("xe_version")
    hostname = _dict(parsed.get("uptime")).get("hostname")
    if rejected(out) or not (ios_line or xe_version or hostname):
        return {"device": None}
    version = xe_version
    if not version and ios_line:
        match = re.search(r"Version ([^,\s]+)", str(ios_line))
        version = match.group(1) if match else None
    if xe_version:
        ref: Ref | None = out.ref(f"Cisco IOS XE Software, Version {xe_version}")
    else:
        ref = out.ref(str(ios_line)) if ios_line else None
    device = Device(
        hostname=hostname,
        vendor="Cisco",
        model=_dict(parsed.get("hardware")).get("model")
        or _dict(parsed.get("model_number")).get("model"),
        os_version=version,
        serial=_dict(parsed.get("serial")).get("serial")
        or _dict(parsed.get("system_serial")).get("serial"),
        ref=ref,
    )
    return {"device": device}


# --------------------------------------------------------------------------------------
# show sip service / show sip-ua status / show sip-ua timers
# --------------------------------------------------------------------------------------


@normaliser(PLATFORM, "show sip service")
def show_sip_service(parsed: Any, out: Output) -> dict[str, Any]:
    service = _dict(_dict(parsed).get("service"))
    if rejected(out) or not service.get("state"):
        return {"sip_service": None}
    state = " ".join(str(service["state"]).split())
    ref = out.ref(f"SIP {service.get('word', 'Service')} is {state}")
    return {"sip_service": SipService(up=state.lower() == "up", state=state, ref=ref)}


_TRANSPORTS = {"udp": "udp", "tcp": "tcp", "tls over tcp": "tls", "tls": "tls"}


@normaliser(PLATFORM, "show sip-ua status")
def show_sip_ua_status(parsed: Any, out: Output) -> dict[str, Any]:
    parsed = _dict(parsed)
    rows = [_dict(row) for row in as_list(parsed.get("transports"))]
    if rejected(out) or not rows:
        return {"sip_ua_status": None}
    transports: dict[str, bool] = {}
    refs: dict[str, Ref] = {}
    for row in rows:
        printed = " ".join(str(row.get("transport", "")).split())
        key = _TRANSPORTS.get(printed.lower(), printed.lower())
        transports[key] = str(row.get("state")).upper() == "ENABLED"
        refs[key] = out.ref(f"SIP User Agent for {printed} : {row.get('state')}")
    status = SipUaStatus(
        transports=transports,
        bind_signalling=_enabled(_dict(parsed.get("bind_signalling")).get("state")),
        bind_media=_enabled(_dict(parsed.get("bind_media")).get("state")),
        max_forwards=_int(_dict(parsed.get("max_forwards")).get("value")),
        redirection=_enabled(_dict(parsed.get("redirection")).get("state")),
        refs=refs,
    )
    return {"sip_ua_status": status}


def _enabled(value: Any) -> bool | None:
    """``ENABLED`` / ``ENABLED 172.18.192.204`` -> True, ``DISABLED`` -> False."""
    if not value:
        return None
    word = str(value).split()[0].upper()
    return {"ENABLED": True, "DISABLED": False}.get(word)


_TIMER = re.compile(r"^(?P<name>[a-z][a-z0-9/ -]*?)\s+(?P<value>\d+)(?:\s+(?P<unit>\w+))?$")
_UNIT_MS = {None: 1, "ms": 1, "millisecs": 1, "seconds": 1000, "minutes": 60_000}


def parse_timers(lines: Iterable[str]) -> dict[str, int]:
    """``name value [unit]`` items, comma-separated over lines, in milliseconds.

    >>> parse_timers(["trying 500, expires 180000", ", register-dns-cache 3600 seconds",
    ...               "tcp/udp aging 5 minutes"])
    {'trying': 500, 'expires': 180000, 'register-dns-cache': 3600000, 'tcp/udp aging': 300000}
    """
    timers: dict[str, int] = {}
    for line in lines:
        for item in line.split(","):
            match = _TIMER.match(" ".join(item.split()))
            if match and match.group("unit") in _UNIT_MS:
                timers[match.group("name")] = (
                    int(match.group("value")) * _UNIT_MS[match.group("unit")]
                )
    return timers


@normaliser(PLATFORM, "show sip-ua timers")
def show_sip_ua_timers(parsed: Any, out: Output) -> dict[str, Any]:
    group = _dict(_dict(parsed).get("timers"))
    timers = parse_timers(str(group.get("lines") or "").splitlines())
    if rejected(out) or not timers:
        return {"sip_ua_timers": None}
    ref = out.ref(f"SIP UA Timer Values {group.get('units', '')}")
    return {"sip_ua_timers": SipUaTimers(timers_ms=timers, ref=ref)}


# --------------------------------------------------------------------------------------
# show sip-ua statistics
# --------------------------------------------------------------------------------------

SECTIONS = (
    "Informational",
    "Success",
    "Redirection",
    "Client Error",
    "Server Error",
    "Global Failure",
    "Miscellaneous counters",
    "SIP Total Traffic Statistics",
    "Retry Statistics",
    "SDP application statistics",
    "SIP Response Statistics",
)
_COUNTER = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9 ]*?):?\s+(?P<inb>\d+)(?:/(?P<outb>\d+))?$")


def section_name(header: str) -> str:
    """Canonical section of a statistics header.

    >>> section_name("Redirection (Inbound only except for MovedTemp(Inbound/Outbound)) ")
    'Redirection'
    >>> section_name("SIP Total Traffic Statistics (Inbound/Outbound)")
    'SIP Total Traffic Statistics'
    """
    header = " ".join(header.split()).rstrip(" :")
    for name in SECTIONS:
        if header.lower().startswith(name.lower()):
            return name
    return header


def parse_counters(line: str) -> list[tuple[str, int, int | None]]:
    """Counters printed on one line: ``name in/out`` or ``name n``, comma-separated.

    >>> parse_counters("ReqTimeout 3/0, Conflict 0/0, Gone 0/0,")
    [('ReqTimeout', 3, 0), ('Conflict', 0, 0), ('Gone', 0, 0)]
    >>> parse_counters("Invalid token order: 0, Invalid param: 0")
    [('Invalid token order', 0, None), ('Invalid param', 0, None)]
    """
    found: list[tuple[str, int, int | None]] = []
    for item in line.split(","):
        match = _COUNTER.match(" ".join(item.split()))
        if match:
            outbound = match.group("outb")
            found.append(
                (match.group("name"), int(match.group("inb")), int(outbound) if outbound else None)
            )
    return found


@normaliser(PLATFORM, "show sip-ua statistics")
def show_sip_ua_statistics(parsed: Any, out: Output) -> dict[str, Any]:
    parsed = _dict(parsed)
    counters: list[SipCounter] = []
    cursor = 0
    for raw in map(_dict, as_list(parsed.get("sections"))):
        header = " ".join(str(raw.get("header", "")).split())
        cursor = out.find_prefix(header, after=cursor) or cursor
        section = section_name(header)
        for line in str(raw.get("lines") or "").splitlines():
            if not line.strip() or line.strip().startswith("Last time"):
                continue
            number = out.find(line, after=cursor)
            cursor = number or cursor
            ref = out.ref_line(number) if number else None
            for name, inbound, outbound in parse_counters(line):
                counters.append(SipCounter(name, section, inbound, outbound, ref))
    if rejected(out) or not counters:
        return {"sip_ua_statistics": None}
    cleared = _dict(parsed.get("cleared")).get("cleared")
    return {"sip_ua_statistics": SipUaStatistics(counters=counters, cleared=cleared)}


# --------------------------------------------------------------------------------------
# show sip-ua register status
# --------------------------------------------------------------------------------------


@normaliser(PLATFORM, "show sip-ua register status")
def show_sip_ua_register_status(parsed: Any, out: Output) -> dict[str, Any]:
    parsed = _dict(parsed)
    header = str(_dict(parsed.get("header")).get("columns") or "")
    rows = [_dict(row) for row in as_list(parsed.get("registrations"))]
    if rejected(out) or not (rows or "expires" in header):
        return {"sip_ua_registrations": None}
    registrations = []
    for row in rows:
        printed = [row.get(k) for k in ("line", "peer", "expires", "registered", "extra")]
        text = " ".join(str(value) for value in printed if value is not None)
        registrations.append(
            Registration(
                line=str(row["line"]),
                peer=str(row["peer"]),
                expires_s=_int(row.get("expires")),
                registered=row.get("registered") == "yes",
                ref=out.ref(text),
            )
        )
    return {"sip_ua_registrations": registrations}
