"""Site policy: the provider profile a site's checks are judged against (DESIGN §3.1).

It lives in inventory group data under ``voip``. A site without one gets the defaults
below, and the report says so. Besides the provider's figures, a site says where the
provider's traffic must arrive (``voip_targets`` in the site's group data, or ``targets``
inside ``voip``)::

    voip:
      provider: vats
      subnets: [193.201.230.128/26]        # the provider's networks
      any_traffic: true                    # "allow any traffic from these subnets"
      signalling: {tcp: "80,443,5060,5061,11024", udp: "5060"}
      rtp: {udp: "10000-65535"}
      keepalive_s: 120
    voip_targets:
      pbx: [192.168.20.10]                 # PBX / SBC the trunk terminates on
      gateways: []                         # voice gateways not audited themselves
      phones: [192.168.20.0/25]            # phones' subnets
      phone_vlan: 20

One provider profile (a group) serves many sites; each site group adds its targets.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from fleetaudit.errors import UsageError
from fleetaudit.settings import VoiceTargetsModel, VoipProfile, validated

PROTOCOLS = ("tcp", "udp")
DEFAULT_KEEPALIVE_S = 120  # Cisco phones: 120 s from the call manager (seed 001)
TARGET_KEYS = ("pbx", "gateways", "phones", "phone_vlan")


@dataclass(frozen=True)
class PortRange:
    low: int
    high: int

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"


@dataclass(frozen=True)
class VoiceTargets:
    """Where the provider's SIP and RTP must arrive at this site."""

    pbx: tuple[ipaddress.IPv4Address, ...] = ()
    gateways: tuple[ipaddress.IPv4Address, ...] = ()
    phones: tuple[ipaddress.IPv4Network, ...] = ()
    phone_vlan: int | None = None

    def for_provider(self) -> list[tuple[str, ipaddress.IPv4Network]]:
        """What the provider sends to: the PBX and gateways; the phones themselves only
        when there is neither (a cloud PBX: phones register with the provider)."""
        found = [("PBX", ipaddress.IPv4Network(a)) for a in self.pbx]
        found += [("gateway", ipaddress.IPv4Network(a)) for a in self.gateways]
        return found or [("phones", net) for net in self.phones]


@dataclass(frozen=True)
class VoipPolicy:
    provider: str | None = None
    subnets: tuple[ipaddress.IPv4Network, ...] = ()
    signalling: dict[str, tuple[PortRange, ...]] = field(default_factory=dict)
    rtp: dict[str, tuple[PortRange, ...]] = field(default_factory=dict)
    codecs: tuple[str, ...] = ()
    sip_alg: bool = False  # the provider wants it off
    phone_features_off: tuple[str, ...] = ()
    kbps_per_call: int | None = None
    keepalive_s: int = DEFAULT_KEEPALIVE_S
    transports: tuple[str, ...] = ("udp",)  # SIP transports the trunk uses
    any_traffic: bool = False  # the provider asks for any traffic from its subnets
    targets: VoiceTargets = VoiceTargets()
    is_default: bool = True

    def describe(self) -> str:
        if self.is_default:
            return f"no provider profile: defaults (keep-alive {self.keepalive_s} s, UDP)"
        return f"provider {self.provider or '?'} (keep-alive {self.keepalive_s} s)"


def parse_ports(value: Any, key: str) -> tuple[PortRange, ...]:
    """``"80,443,10000-20000"`` (or an int, or a list of those) to port ranges.

    >>> [str(r) for r in parse_ports("5060, 10000-65535", "k")]
    ['5060', '10000-65535']
    """
    items = value if isinstance(value, list) else str(value).split(",")
    ranges = []
    for item in (str(i).strip() for i in items):
        low_text, _, high_text = item.partition("-")
        try:
            low, high = int(low_text), int(high_text or low_text)
        except ValueError:
            raise UsageError(f"{key}: {item!r} is not a port or a range like 10000-20000") from None
        if low > high:
            raise UsageError(
                f"{key}: {item!r} is reversed; write the low port first ({high}-{low})"
            )
        if not (1 <= low <= high <= 65535):
            raise UsageError(f"{key}: {item!r} must be ports 1-65535, low before high")
        ranges.append(PortRange(low, high))
    return tuple(ranges)


def _per_protocol(value: Any, key: str) -> dict[str, tuple[PortRange, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UsageError(f'{key}: expected a mapping like {{udp: "5060"}}')
    for proto in value:
        if proto not in PROTOCOLS:
            raise UsageError(f"{key}.{proto}: unknown protocol {proto!r}; use tcp or udp")
    return {proto: parse_ports(ports, f"{key}.{proto}") for proto, ports in value.items()}


def _items(value: Any, key: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise UsageError(f"{key}: expected a list, e.g. [192.0.2.10]")
    return value


def _prefixes(value: Any, key: str) -> tuple[ipaddress.IPv4Network, ...]:
    found = []
    for at, item in enumerate(_items(value, key)):
        try:
            found.append(ipaddress.IPv4Network(str(item)))
        except ValueError as exc:
            raise UsageError(
                f"{key}[{at}]: {item!r} is not an IPv4 prefix ({exc}); {_hint(item)}"
            ) from None
    return tuple(found)


def _hint(item: Any) -> str:
    """``193.201.230.129/26`` -> write 193.201.230.128/26."""
    try:
        return f"write {ipaddress.IPv4Network(str(item), strict=False)}"
    except ValueError:
        return "write prefixes like 193.201.230.128/26"


def _addresses(value: Any, key: str) -> tuple[ipaddress.IPv4Address, ...]:
    found = []
    for at, item in enumerate(_items(value, key)):
        try:
            found.append(ipaddress.IPv4Address(str(item)))
        except ValueError:
            raise UsageError(
                f"{key}[{at}]: {item!r} is not an IPv4 address; give the host's address, "
                "e.g. 192.168.20.10"
            ) from None
    return tuple(found)


FLAGS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def flag(value: Any, key: str) -> bool:
    """A yes/no setting. Nornir reads YAML 1.2, where ``off`` and ``no`` are strings, not
    false: take the words people write as well as real booleans.

    >>> flag("off", "k"), flag(True, "k"), flag("Yes", "k")
    (False, True, True)
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in FLAGS:
        return FLAGS[value.strip().lower()]
    raise UsageError(f"{key}: {value!r} is not a yes/no value; write true or false (on/off)")


def load_targets(data: Any, key: str) -> VoiceTargets:
    if data is None:
        return VoiceTargets()
    if not isinstance(data, dict):
        raise UsageError(f"{key}: expected a mapping with {', '.join(TARGET_KEYS)}")
    validated(VoiceTargetsModel, data, key)  # unknown keys, with the closest known one
    vlan = data.get("phone_vlan")
    if vlan is not None and (not isinstance(vlan, int) or not 1 <= vlan <= 4094):
        raise UsageError(f"{key}.phone_vlan: {vlan!r} must be a VLAN id 1-4094")
    return VoiceTargets(
        pbx=_addresses(data.get("pbx"), f"{key}.pbx"),
        gateways=_addresses(data.get("gateways"), f"{key}.gateways"),
        phones=_prefixes(data.get("phones"), f"{key}.phones"),
        phone_vlan=vlan,
    )


def load_policy(data: dict[str, Any] | None, where: str) -> VoipPolicy:
    """The ``voip`` mapping of a host's data, validated. ``where`` names it in errors."""
    if not data:
        return VoipPolicy()
    if not isinstance(data, dict):
        raise UsageError(f"{where}.voip: expected a mapping (see DESIGN §3.1)")
    key = f"{where}.voip"
    validated(VoipProfile, data, key)  # unknown keys (keepalive for keepalive_s) and types
    subnets = _prefixes(data.get("subnets"), f"{key}.subnets")
    signalling = _per_protocol(data.get("signalling"), f"{key}.signalling")
    keepalive = data.get("keepalive_s", DEFAULT_KEEPALIVE_S)
    if not isinstance(keepalive, int) or keepalive <= 0:
        raise UsageError(f"{key}.keepalive_s: must be a positive number of seconds")
    transports = data.get("transports") or [
        proto
        for proto, ranges in signalling.items()
        if any(r.low <= 5060 <= r.high for r in ranges)
    ]
    bad = set(transports) - {"udp", "tcp", "tls"}
    if bad:
        raise UsageError(f"{key}.transports: unknown {sorted(bad)}; use udp, tcp or tls")
    any_traffic = flag(data.get("any_traffic", False), f"{key}.any_traffic")
    return VoipPolicy(
        provider=data.get("provider"),
        subnets=subnets,
        signalling=signalling,
        rtp=_per_protocol(data.get("rtp"), f"{key}.rtp"),
        codecs=tuple(data.get("codecs", ())),
        sip_alg=flag(data.get("sip_alg", False), f"{key}.sip_alg"),
        phone_features_off=tuple(data.get("phone_features_off", ())),
        kbps_per_call=data.get("kbps_per_call"),
        keepalive_s=keepalive,
        transports=tuple(transports) or ("udp",),
        any_traffic=any_traffic,
        targets=load_targets(data.get("targets"), f"{key}.targets"),
        is_default=False,
    )
