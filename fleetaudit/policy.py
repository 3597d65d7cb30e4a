"""Site policy: the provider profile a site's checks are judged against (DESIGN §3.1).

It lives in inventory group data under ``voip``. A site without one gets the defaults
below, and the report says so.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from fleetaudit.errors import UsageError

PROTOCOLS = ("tcp", "udp")
DEFAULT_KEEPALIVE_S = 120  # Cisco phones: 120 s from the call manager (seed 001)


@dataclass(frozen=True)
class PortRange:
    low: int
    high: int

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"


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
        if not (1 <= low <= high <= 65535):
            raise UsageError(f"{key}: {item!r} must be ports 1-65535, low before high")
        ranges.append(PortRange(low, high))
    return tuple(ranges)


def _per_protocol(value: Any, key: str) -> dict[str, tuple[PortRange, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UsageError(f'{key}: expected a mapping like {{udp: "5060"}}')
    unknown = set(value) - set(PROTOCOLS)
    if unknown:
        raise UsageError(f"{key}: unknown protocol {sorted(unknown)}; use tcp or udp")
    return {proto: parse_ports(ports, f"{key}.{proto}") for proto, ports in value.items()}


def load_policy(data: dict[str, Any] | None, where: str) -> VoipPolicy:
    """The ``voip`` mapping of a host's data, validated. ``where`` names it in errors."""
    if not data:
        return VoipPolicy()
    if not isinstance(data, dict):
        raise UsageError(f"{where}.voip: expected a mapping (see DESIGN §3.1)")
    try:
        subnets = tuple(ipaddress.IPv4Network(s) for s in data.get("subnets", []))
    except ValueError as exc:
        raise UsageError(f"{where}.voip.subnets: {exc}; write prefixes like 193.0.2.0/26") from None
    signalling = _per_protocol(data.get("signalling"), f"{where}.voip.signalling")
    keepalive = data.get("keepalive_s", DEFAULT_KEEPALIVE_S)
    if not isinstance(keepalive, int) or keepalive <= 0:
        raise UsageError(f"{where}.voip.keepalive_s: must be a positive number of seconds")
    transports = data.get("transports") or [
        proto
        for proto, ranges in signalling.items()
        if any(r.low <= 5060 <= r.high for r in ranges)
    ]
    bad = set(transports) - {"udp", "tcp", "tls"}
    if bad:
        raise UsageError(f"{where}.voip.transports: unknown {sorted(bad)}; use udp, tcp or tls")
    return VoipPolicy(
        provider=data.get("provider"),
        subnets=subnets,
        signalling=signalling,
        rtp=_per_protocol(data.get("rtp"), f"{where}.voip.rtp"),
        codecs=tuple(data.get("codecs", ())),
        sip_alg=bool(data.get("sip_alg", False)),
        phone_features_off=tuple(data.get("phone_features_off", ())),
        kbps_per_call=data.get("kbps_per_call"),
        keepalive_s=keepalive,
        transports=tuple(transports) or ("udp",),
        is_default=False,
    )
