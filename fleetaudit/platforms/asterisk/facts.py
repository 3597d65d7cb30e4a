"""Typed facts about an Asterisk PBX, read from its CLI outputs and its ``.conf`` files.

Every parser returns one of three outcomes:

- the facts (a frozen dataclass, lists inside as tuples);
- :class:`Refused`: Asterisk (or the shell) declined the command — "No such command"
  (chan_sip removed in 21, a module not loaded), "Unable to connect to remote asterisk"
  (the daemon is down). That is evidence, distinct from "nothing configured";
- :class:`Unknown`: the output could not be read (empty, cut short before the table,
  another command's output). Never an empty list.

A table read whole says so with ``complete=True``; rows read from an output that lacks
its footer, or whose footer count disagrees, keep ``complete=False`` and the reason in
``notes`` — a check may fail on what it sees but must not pass on it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

from fleetaudit.facts import Ref

T = TypeVar("T")

RefusalKind = Literal["no_such_command", "daemon_down", "not_installed", "permission_denied"]


@dataclass(frozen=True)
class Refused:
    """The PBX (or its shell) refused the command; ``line`` is the refusal as printed."""

    kind: RefusalKind
    reason: str
    line: str


@dataclass(frozen=True)
class Unknown:
    """The output could not be read; ``reason`` says why."""

    reason: str


@dataclass(frozen=True)
class Listing(Generic[T]):
    """Rows of one table. ``complete`` only when the footer was seen and its count agrees."""

    items: tuple[T, ...]
    complete: bool
    layout: str  # which source format the header matched, e.g. "chan_sip 11.10+"
    notes: tuple[str, ...] = ()


def _cidr(network: str) -> str:
    try:
        return str(ipaddress.ip_network(network, strict=False))
    except ValueError:
        return network


# --- core ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AsteriskVersion:
    text: str  # "16.30.1", "certified/18.9-cert4", "GIT-master-1234abc"
    major: int | None
    minor: int | None
    patch: int | None
    certified: bool
    ref: Ref

    @property
    def has_chan_sip(self) -> bool | None:
        """chan_sip was removed in Asterisk 21."""
        return None if self.major is None else self.major < 21


# --- chan_sip -----------------------------------------------------------------------

PeerStatus = Literal["OK", "LAGGED", "UNREACHABLE", "UNKNOWN", "Unmonitored"]
NatFlag = Literal["yes", "no", "auto-yes", "auto-no"]


@dataclass(frozen=True)
class SipPeer:
    name: str
    username: str | None
    truncated: bool  # "name/username" filled the 25-character column: the tail may be cut
    host: str | None  # None where Asterisk printed "(Unspecified)" (never registered)
    dynamic: bool
    force_rport: NatFlag | None  # the "Nat"/"Forcerport" column
    comedia: NatFlag | None  # None where the layout has no Comedia column (before 11.10)
    acl: bool  # permit/deny configured
    port: int
    status: PeerStatus
    latency_ms: int | None  # from "OK (12 ms)" / "LAGGED (2100 ms)"
    description: str | None
    realtime: bool  # "Cached RT"
    ref: Ref

    @property
    def reachable(self) -> bool | None:
        """False for UNREACHABLE; None where not qualified (Unmonitored) or not yet known."""
        if self.status in ("OK", "LAGGED"):
            return True
        if self.status == "UNREACHABLE":
            return False
        return None


@dataclass(frozen=True)
class SipPeerSummary:
    total: int
    monitored_online: int
    monitored_offline: int
    unmonitored_online: int
    unmonitored_offline: int
    ref: Ref


@dataclass(frozen=True)
class SipPeers:
    peers: Listing[SipPeer]
    summary: SipPeerSummary | None


SipRegState = Literal[
    "Registered",
    "Rejected",
    "No Authentication",
    "Request Sent",
    "Unregistered",
    "Auth. Sent",
    "Failed",
    "Timeout",
    "Unknown",
]


@dataclass(frozen=True)
class SipRegistration:
    host: str
    port: int
    dnsmgr: bool
    username: str  # "user" or "user@domain[:port]", cut to 12 characters by Asterisk
    truncated: bool
    refresh_s: int
    state: SipRegState
    registered_at: str | None  # "Thu, 07 May 2015 19:01:41" as printed (PBX local time)
    ref: Ref


@dataclass(frozen=True)
class SipSettings:
    """``sip show settings``: the NAT-relevant values, plus every ``key: value`` line read."""

    udp_bind: str | None
    externaddr: str | None  # None when "(null)" / unset
    externhost: str | None  # None when "<none>"
    remapping: str | None  # "Enabled using externaddr", "Disabled, no localnet list", ...
    localnets: tuple[str, ...]  # CIDR
    allow_guest: bool | None  # "Allow unknown access"
    symmetric_rtp: NatFlag | None  # global comedia
    force_rport: NatFlag | None
    values: Mapping[str, str] = field(default_factory=dict)
    ref: Ref | None = None


# --- res_pjsip ----------------------------------------------------------------------

ContactStatus = Literal["Avail", "Unavail", "NonQual", "Created", "Unknown", "Removed"]
PjsipRegStatus = Literal["Registered", "Unregistered", "Rejected", "Stopped"]


@dataclass(frozen=True)
class PjsipContact:
    aor: str
    uri: str
    truncated: bool  # the URI filled its column
    hash: str | None  # 10 characters of the contact id's hash (13.7+); None before
    status: ContactStatus
    rtt_ms: float | None  # None where Asterisk printed "nan" (not qualified / unreachable)
    ref: Ref


@dataclass(frozen=True)
class PjsipAor:
    name: str
    max_contacts: int
    contacts: tuple[PjsipContact, ...]
    ref: Ref


@dataclass(frozen=True)
class PjsipAuthRef:
    name: str
    username: str
    direction: Literal["in", "out"]
    ref: Ref


@dataclass(frozen=True)
class PjsipTransport:
    name: str
    protocol: str  # udp, tcp, tls, ws, wss, flow
    cos: int
    tos: int
    bind: str  # "0.0.0.0:5060"
    ref: Ref
    #: ``pjsip show transport <name>`` detail lines (parameter -> value), when shown
    details: Mapping[str, str] = field(default_factory=dict)

    @property
    def external_media_address(self) -> str | None:
        return self.details.get("external_media_address") or None

    @property
    def external_signaling_address(self) -> str | None:
        return self.details.get("external_signaling_address") or None

    @property
    def local_net(self) -> tuple[str, ...]:
        """CIDR networks from ``local_net`` (printed by ``ast_ha_join`` as addr/mask,...)."""
        raw = self.details.get("local_net", "")
        return tuple(_cidr(part.strip()) for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class PjsipIdentify:
    name: str | None  # None in the 13.0-13.4 endpoint detail, which prints only the matches
    endpoint: str | None
    matches: tuple[str, ...]  # CIDR, "1.2.3.4/32" or "1.2.3.4:5060/32"
    excluded: tuple[str, ...]  # "!" entries
    header_matches: tuple[str, ...]  # match_header criteria
    ref: Ref


@dataclass(frozen=True)
class PjsipEndpoint:
    name: str
    caller_id: str | None  # the "/number" after the name
    truncated: bool
    state: str  # device state: "Not in use", "Unavailable", "In use", "Busy", ...
    channels: int
    channel_limit: int | None  # None for "inf"
    auths: tuple[PjsipAuthRef, ...]
    aors: tuple[PjsipAor, ...]
    transports: tuple[PjsipTransport, ...]
    identifies: tuple[PjsipIdentify, ...]
    ref: Ref
    #: ``pjsip show endpoint <name>`` parameter lines (direct_media, rtp_symmetric, ...)
    details: Mapping[str, str] = field(default_factory=dict)

    @property
    def available(self) -> bool:
        return self.state not in ("Unavailable", "Invalid", "Unknown")


@dataclass(frozen=True)
class PjsipRegistration:
    name: str
    server_uri: str
    truncated: bool
    auth: str | None  # None for "n/a"
    status: PjsipRegStatus
    expires_s: (
        int | None
    )  # "(exp. 3545s)" -> 3545, "(exp. 12s ago)" -> -12; before 16.27/18.13: None
    ref: Ref


# --- RTP ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RtpSettings:
    port_start: int
    port_end: int
    strict_rtp: bool | None
    ice_support: bool | None
    stun_address: str | None  # None for "0.0.0.0:0"
    ref: Ref


# --- .conf files ----------------------------------------------------------------------


@dataclass(frozen=True)
class ConfItem:
    key: str
    value: str
    file: str
    line: int
    inherited_from: str | None = None  # the template this item was copied from

    def ref(self) -> Ref:
        return Ref(source=self.file, line=self.line, text=f"{self.key} = {self.value}")


@dataclass(frozen=True)
class ConfSection:
    name: str
    file: str
    line: int
    template: bool  # "(!)": a template, not an object
    inherits: tuple[str, ...]  # "(tpl1,tpl2)"
    items: tuple[ConfItem, ...]

    def get(self, key: str) -> str | None:
        """The last value of ``key`` (a later line overrides an earlier or inherited one)."""
        for item in reversed(self.items):
            if item.key == key:
                return item.value
        return None

    def item(self, key: str) -> ConfItem | None:
        for item in reversed(self.items):
            if item.key == key:
                return item
        return None

    def values(self, key: str) -> tuple[str, ...]:
        """Every value of a repeatable key (allow=, permit=, match=), in order."""
        return tuple(item.value for item in self.items if item.key == key)

    def ref(self) -> Ref:
        return Ref(source=self.file, line=self.line, text=f"[{self.name}]")


@dataclass(frozen=True)
class ConfInclude:
    directive: Literal["include", "tryinclude"]
    target: str
    file: str
    line: int
    found: tuple[str, ...]  # files it resolved to; empty when missing


@dataclass(frozen=True)
class ConfTree:
    """One configuration file with its includes resolved, sections in the order read."""

    root: str
    sections: tuple[ConfSection, ...]
    includes: tuple[ConfInclude, ...]
    problems: tuple[str, ...]  # what Asterisk would warn about: no '=', no category, ...

    def named(self, name: str) -> tuple[ConfSection, ...]:
        return tuple(section for section in self.sections if section.name == name)

    def objects(self, type_: str) -> tuple[ConfSection, ...]:
        """Non-template sections with ``type=<type_>`` (res_pjsip's sorcery objects)."""
        return tuple(
            section
            for section in self.sections
            if not section.template and (section.get("type") or "").lower() == type_
        )

    @property
    def missing_includes(self) -> tuple[ConfInclude, ...]:
        return tuple(include for include in self.includes if not include.found)


# --- facts derived from the .conf files -----------------------------------------------


@dataclass(frozen=True)
class RtpRange:
    """rtp.conf ``rtpstart``/``rtpend``; Asterisk's defaults (10000-20000) when unset."""

    start: int
    end: int
    start_ref: Ref | None  # None where the default applies
    end_ref: Ref | None

    @property
    def defaulted(self) -> bool:
        return self.start_ref is None and self.end_ref is None


@dataclass(frozen=True)
class PjsipEndpointConf:
    name: str
    codecs: tuple[str, ...]  # allow/disallow applied in order: ("ulaw", "alaw"); "all" kept
    direct_media: bool  # default yes
    rtp_symmetric: bool  # default no
    force_rport: bool  # default yes
    rewrite_contact: bool  # default no
    transport: str | None
    aors: tuple[str, ...]
    auths: tuple[str, ...]
    outbound_auths: tuple[str, ...]
    context: str | None
    section: ConfSection


@dataclass(frozen=True)
class PjsipTransportConf:
    name: str
    protocol: str  # default udp
    bind: str | None
    external_media_address: str | None
    external_signaling_address: str | None
    external_signaling_port: int | None
    local_net: tuple[str, ...]
    section: ConfSection


@dataclass(frozen=True)
class PjsipIdentifyConf:
    name: str
    endpoint: str | None
    matches: tuple[str, ...]  # each value of each match= line, split at commas
    match_header: str | None
    section: ConfSection


@dataclass(frozen=True)
class PjsipAorConf:
    name: str
    max_contacts: int  # default 0: registrations refused
    qualify_frequency: int  # default 0: never qualified
    contacts: tuple[str, ...]  # static contact= URIs
    section: ConfSection


@dataclass(frozen=True)
class PjsipRegistrationConf:
    name: str
    server_uri: str | None
    client_uri: str | None
    outbound_auth: str | None
    transport: str | None
    expiration: int  # default 3600
    section: ConfSection


@dataclass(frozen=True)
class PjsipConfig:
    endpoints: tuple[PjsipEndpointConf, ...]
    transports: tuple[PjsipTransportConf, ...]
    identifies: tuple[PjsipIdentifyConf, ...]
    aors: tuple[PjsipAorConf, ...]
    registrations: tuple[PjsipRegistrationConf, ...]
    auths: tuple[str, ...]  # names only: credentials stay out of facts


@dataclass(frozen=True)
class SipRegisterLine:
    """A sip.conf ``register =>`` line, without its secret."""

    user: str
    domain: str | None
    host: str
    port: int | None
    transport: str | None
    extension: str | None
    ref: Ref


@dataclass(frozen=True)
class SipGeneralConf:
    externip: str | None  # externip= or its newer name externaddr=
    externhost: str | None
    localnets: tuple[str, ...]
    nat: str | None  # as written; None when unset
    allowguest: bool  # default yes
    directmedia: str | None
    qualify: str | None
    section: ConfSection | None


@dataclass(frozen=True)
class SipPeerConf:
    name: str
    type: str  # peer, friend, user
    host: str | None  # "dynamic" or an address
    insecure: str | None
    permit: tuple[str, ...]
    deny: tuple[str, ...]
    codecs: tuple[str, ...]  # [general] allow/disallow, then the peer's, applied in order
    qualify: str | None  # the peer's, else [general]'s
    nat: str | None  # the peer's, else [general]'s
    directmedia: str | None
    context: str | None
    section: ConfSection


@dataclass(frozen=True)
class SipConfig:
    general: SipGeneralConf
    peers: tuple[SipPeerConf, ...]
    registrations: tuple[SipRegisterLine, ...]
