"""Platform-neutral facts about IP phones, from their web APIs or provisioning files.

A field that a source does not hold is ``None`` (unknown), never a guessed default.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fleetaudit.facts.base import Ref


@dataclass(slots=True)
class PhoneNeighbor:
    """The switch port a phone hears on its network port (CDP or LLDP)."""

    protocol: str  # "cdp" | "lldp"
    device: str | None = None  # the switch's name as it announces itself
    port: str | None = None  # e.g. "GigabitEthernet1/0/5"
    ip: str | None = None
    ref: Ref | None = None


@dataclass(slots=True)
class Phone:
    """What a phone says about itself on the network."""

    mac: str | None = None  # "00:11:22:33:44:55"
    name: str | None = None  # e.g. "SEP001122334455" (Cisco), else the host name it reports
    ip: str | None = None
    vlan: int | None = None
    neighbor: PhoneNeighbor | None = None
    ref: Ref | None = None  # where the MAC was read


@dataclass(slots=True)
class PhoneAccount:
    """One SIP account (line) of a phone, as configured."""

    index: int
    enabled: bool
    user: str | None = None
    registrar: str | None = None  # host[:port]
    transport: str | None = None  # "udp" | "tcp" | "tls" | "tcp+udp" | "dns-naptr"
    register_expires_s: int | None = None  # the registration expiry the phone asks for
    register_refresh_s: int | None = None  # how often it re-registers (expiry less margin)
    keepalive_s: int | None = None  # NAT keep-alive interval; None: keep-alives off
    stun: bool | None = None
    nat_traversal: bool | None = None  # rport / static NAT address / vendor "NAT traversal"
    outbound_proxy: str | None = None  # None: no outbound proxy
    codecs: list[str] | None = None  # enabled codecs, most preferred first (PCMU, PCMA, ...)
    dtmf: str | None = None  # "rfc2833" | "inband" | "sip_info" | "auto"
    refs: dict[str, Ref] = field(default_factory=dict)  # field name -> where it was read

    @property
    def refresh_s(self) -> int | None:
        """How often the phone sends something that keeps its NAT binding and its MAC
        fresh: the shorter of its keep-alive and its re-registration interval.

        >>> PhoneAccount(1, True, register_refresh_s=3540, keepalive_s=30).refresh_s
        30
        >>> PhoneAccount(1, True, register_refresh_s=115).refresh_s
        115
        """
        known = [s for s in (self.keepalive_s, self.register_refresh_s) if s]
        return min(known) if known else None

    def ref(self, *names: str) -> Ref | None:
        """The first known reference among ``names``."""
        return next((self.refs[n] for n in names if n in self.refs), None)


@dataclass(slots=True)
class PhoneRegistration:
    """One account's registration state, as the phone reports it."""

    account: int
    registered: bool
    state: str  # the phone's own word: "Registered", "Active", "failed", ...
    registrar: str | None = None
    ref: Ref | None = None
