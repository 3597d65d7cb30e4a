"""Facts about routers, firewalls and switches as layer-3/voice devices: identity,
interfaces, NAT, SIP ALG, QoS and the IOS SIP user agent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from fleetaudit.facts.base import Ref


@dataclass(slots=True)
class Device:
    hostname: str | None = None
    vendor: str | None = None
    model: str | None = None
    os_version: str | None = None
    serial: str | None = None
    ref: Ref | None = None


@dataclass(slots=True)
class PortSecurity:
    enabled: bool  # bare `switchport port-security` present; aging lines alone do nothing
    aging_time_min: int | None = None  # None: no aging configured (addresses never age)
    aging_type: Literal["absolute", "inactivity"] = "absolute"  # IOS default
    maximum: int | None = None
    ref: Ref | None = None  # the aging-time line, else the enabling line


@dataclass(slots=True)
class Interface:
    name: str
    ref: Ref | None = None  # the line that opens the interface
    description: str | None = None
    ipv4: list[str] = field(default_factory=list)  # CIDR, e.g. "192.0.2.1/24"
    kind: str | None = None  # RouterOS section ("ethernet", "vlan"...); ASA: "context NAME"
    enabled: bool = True
    # L3 behaviour
    nat: Literal["inside", "outside"] | None = None
    proxy_arp: bool | None = None  # None where it does not apply (no IP, L2 port)
    proxy_arp_ref: Ref | None = None  # line that proves the state (or the interface line)
    service_policy_in: str | None = None
    service_policy_out: str | None = None
    # ASA
    nameif: str | None = None
    security_level: int | None = None
    # switching
    mode: Literal["access", "trunk"] | None = None
    access_vlan: int | None = None
    voice_vlan: int | None = None
    voice_vlan_ref: Ref | None = None
    port_security: PortSecurity | None = None
    qos_trust: str | None = None  # "dscp", "cos", "device cisco-phone", "auto qos voip ..."
    qos_trust_ref: Ref | None = None


@dataclass(slots=True)
class NatRule:
    text: str
    kind: str  # "inside source list", "static", "masquerade", "srcnat", "object", ...
    ref: Ref | None = None


@dataclass(slots=True)
class Nat:
    enabled: bool  # NAT actually translates traffic on this device
    inside: list[str] = field(default_factory=list)  # interface names
    outside: list[str] = field(default_factory=list)
    rules: list[NatRule] = field(default_factory=list)
    udp_timeout_s: int | None = None  # from config, or the platform default
    udp_timeout_ref: Ref | None = None
    # RouterOS udp-stream-timeout: UDP flows once a reply was seen (udp-timeout: until then)
    udp_stream_timeout_s: int | None = None
    udp_stream_timeout_ref: Ref | None = None


@dataclass(slots=True)
class SipAlg:
    """Whether the device rewrites SIP signalling in transit."""

    enabled: bool
    detail: str  # e.g. "udp/5060 and tcp/5060 (IOS default while NAT is configured)"
    refs: list[Ref] = field(default_factory=list)  # lines that prove the state
    protocols: list[str] = field(default_factory=list)  # where on: ["udp", "tcp"]
    by_default: bool = False  # on because nothing in the config turns it off


@dataclass(slots=True)
class QosClass:
    name: str
    matches: list[str] = field(default_factory=list)  # e.g. ["dscp ef", "protocol rtp"]
    priority: bool = False  # LLQ / strict priority
    voice: bool = False  # matches voice traffic (DSCP EF / 46, RTP, SIP ports)
    ref: Ref | None = None
    service_policy: str | None = None  # child policy under this class (hierarchical QoS)


@dataclass(slots=True)
class QosPolicy:
    name: str
    classes: list[QosClass] = field(default_factory=list)
    ref: Ref | None = None


@dataclass(slots=True)
class Qos:
    policies: list[QosPolicy] = field(default_factory=list)
    wan_interfaces: list[str] = field(default_factory=list)  # where the site meets the ISP
    voice_priority: dict[str, Ref] = field(default_factory=dict)  # interface -> proof
    mls_qos: bool | None = None  # Catalyst global `mls qos`; None: not a Catalyst switch
    mls_qos_ref: Ref | None = None
    trust_by_default: bool = False  # platforms that trust DSCP without config (Cat9k)


@dataclass(slots=True)
class SipService:
    up: bool
    state: str  # "up", "shut globally", "forced shut", ...
    ref: Ref | None = None


@dataclass(slots=True)
class SipUaStatus:
    transports: dict[str, bool]  # {"udp": True, "tcp": True, "tls": False}
    bind_signalling: bool | None = None
    bind_media: bool | None = None
    max_forwards: int | None = None
    redirection: bool | None = None
    refs: dict[str, Ref] = field(default_factory=dict)  # transport -> line


@dataclass(slots=True)
class SipTrunkTransport:
    """A transport the trunk uses, and what says so (a SIP dial-peer, the registrar)."""

    transport: str  # "udp", "tcp", "tls"
    where: str  # "dial-peer voice 100", "sip-ua registrar"
    ref: Ref | None = None


@dataclass(slots=True)
class SipCounter:
    name: str  # as IOS prints it: "ReqTimeout"
    section: str  # "Client Error", "Retry Statistics", ...
    inbound: int
    outbound: int | None  # None for inbound-only / single counters
    ref: Ref | None = None


@dataclass(slots=True)
class SipUaStatistics:
    counters: list[SipCounter]
    cleared: str | None = None  # "Last time SIP Statistics were cleared"

    def get(self, section: str, name: str) -> SipCounter | None:
        for counter in self.counters:
            if counter.section == section and counter.name.lower() == name.lower():
                return counter
        return None


@dataclass(slots=True)
class SipUaTimers:
    timers_ms: dict[str, int]
    ref: Ref | None = None


@dataclass(slots=True)
class Registration:
    line: str
    peer: str
    expires_s: int | None
    registered: bool
    ref: Ref | None = None
