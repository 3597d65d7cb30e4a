"""What a platform module hands the checks: for one voice target behind one device, the
pipeline a provider's packet passes, and how to write a fix into it."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field

from fleetaudit.facts import Interface, Ref
from fleetaudit.rules.intervals import IntervalSet, network
from fleetaudit.rules.model import Pipeline, RuleRef, Unsupported


@dataclass(frozen=True)
class Target:
    """Where the provider's traffic must arrive: a PBX, a gateway, the phones' subnet,
    or the device itself (a voice gateway terminating the trunk)."""

    prefix: ipaddress.IPv4Network
    label: str  # "PBX 192.168.20.10"
    own: bool = False

    @property
    def addresses(self) -> IntervalSet:
        return network(self.prefix)

    @property
    def is_host(self) -> bool:
        return self.prefix.prefixlen == 32


@dataclass(frozen=True)
class FixRequest:
    """Permit ``protocol`` (None: any IP) ``ports`` from ``subnet`` to the target, in the
    table where ``before`` decides, placed ahead of it."""

    protocol: str | None
    ports: IntervalSet | None
    subnet: ipaddress.IPv4Network
    before: RuleRef


@dataclass(frozen=True)
class Example:
    """A platform's documented example for `checks explain`: a config (the platform's
    ``config_command`` output) of a device in ``role`` whose rules partly close the
    example provider's RTP and signalling (:data:`fleetaudit.rules.examples.PROVIDER`) to
    the PBX 192.168.20.10 behind it (a voice gateway: to itself). Its firewall module
    declares it as ``EXAMPLE`` beside ``plan``."""

    role: str
    config: str


@dataclass(frozen=True)
class Plan:
    target: Target
    pipeline: Pipeline
    path: str  # how the packet gets there, for messages
    fixer: Callable[[list[FixRequest]], list[str]]
    evidence: tuple[Ref, ...] = ()  # lines that set the path (access-group, static NAT)
    notes: tuple[str, ...] = field(default_factory=tuple)
    followup: Pipeline | None = None  # the path once a missing port forward is added


def interface_of(interfaces: list[Interface], address: ipaddress.IPv4Network) -> Interface | None:
    """The interface whose connected subnet holds ``address`` (longest prefix)."""
    best: tuple[int, Interface] | None = None
    for interface in interfaces:
        for cidr in interface.ipv4:
            try:
                net = ipaddress.IPv4Interface(cidr).network
            except ValueError:
                raise Unsupported(
                    f"{interface.name} has address {cidr!r}: no IPv4 address"
                ) from None
            if address.subnet_of(net) and (best is None or net.prefixlen > best[0]):
                best = (net.prefixlen, interface)
    return best[1] if best else None


def own_addresses(interfaces: list[Interface]) -> set[ipaddress.IPv4Address]:
    found = set()
    for interface in interfaces:
        for cidr in interface.ipv4:
            try:
                found.add(ipaddress.IPv4Interface(cidr).ip)
            except ValueError:
                raise Unsupported(
                    f"{interface.name} has address {cidr!r}: no IPv4 address"
                ) from None
    return found


def mask(prefix: ipaddress.IPv4Network) -> str:
    return str(prefix.netmask)


def wildcard(prefix: ipaddress.IPv4Network) -> str:
    return str(prefix.hostmask)
