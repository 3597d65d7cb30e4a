"""Access lists and firewall rules as configured: the ``acl`` fact (IOS, ASA) and the
``firewall`` fact (RouterOS). Evaluating them is a later stage's job
(:mod:`fleetaudit.rules`).

Entries stay dicts at run time (the normalisers, planners and drift read them by key),
typed as ``TypedDict`` so mypy and the fact schema know their fields. A key a parser
adds that is not listed here is kept (``extra="allow"``), never dropped on a round trip
through the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NotRequired

from pydantic import ConfigDict, with_config
from typing_extensions import TypedDict

from fleetaudit.facts.base import Ref

_KEEP_EXTRA = ConfigDict(extra="allow")


@with_config(_KEEP_EXTRA)
class AclEntry(TypedDict):
    """One access-control entry (IOS ``access-list`` / ASA ``access-list ... extended``)."""

    index: int  # position in its list, from 0
    text: str  # the entry as configured
    config_line: int  # 1-based line of the running-config
    action: str | None  # "permit" | "deny"; None on a remark
    protocol: str | None  # "udp", "ip", "object-group X", "object X"
    source: str | None  # "any", "host A", "A W", "object-group X", ...
    src_port: str | None  # "eq 5060", "range 10000 20000"
    destination: str | None
    dst_port: str | None
    options: list[str]  # what follows: "log", "inactive", ...
    remark: bool
    sequence: NotRequired[int | None]  # IOS: as printed (IOS 15 prints none)
    kind: NotRequired[str]  # IOS: "standard" | "extended"
    inactive: NotRequired[bool]  # ASA: the entry is configured but does nothing


@with_config(_KEEP_EXTRA)
class AclObject(TypedDict):
    """An ASA ``object network|service``."""

    type: str  # "network" | "service"
    config_line: int
    host: NotRequired[str]
    subnet: NotRequired[str]
    range: NotRequired[str]
    fqdn: NotRequired[str]
    service: NotRequired[str]
    description: NotRequired[str]


@with_config(_KEEP_EXTRA)
class ObjectGroup(TypedDict):
    """An ``object-group`` (IOS and ASA): its members as the platform's parser reads them."""

    type: str  # "network" | "service" | "protocol" | "icmp-type"
    config_line: int
    members: list[dict[str, Any]]
    protocol: NotRequired[str | None]  # ASA service groups: "udp", "tcp-udp"
    description: NotRequired[str | None]


@with_config(_KEEP_EXTRA)
class AccessGroup(TypedDict):
    """Where an access list is applied: ``ip access-group`` / ASA ``access-group``."""

    acl: str
    direction: str  # "in" | "out" | "global"
    interface: str | None  # None for an ASA global access-group
    ref: Ref


FirewallRule = TypedDict(
    "FirewallRule",
    {
        "index": int,  # position in its section, from 0
        "config_line": int,
        "disabled": bool,
        "chain": NotRequired[str],
        "action": NotRequired[str],
        "protocol": NotRequired[str],
        "dst-port": NotRequired[str],
        "src-address-list": NotRequired[str],
        "in-interface": NotRequired[str],
        "out-interface": NotRequired[str],
        "in-interface-list": NotRequired[str],
        "out-interface-list": NotRequired[str],
        "to-addresses": NotRequired[str],
        "comment": NotRequired[str],
        "kind": NotRequired[str],  # queues: "simple" | "tree"
        "name": NotRequired[str],
    },
)
"""One RouterOS ``/ip firewall`` rule or ``/queue`` entry: its properties as printed
(values are RouterOS strings; every property RouterOS prints is kept)."""
FirewallRule.__pydantic_config__ = _KEEP_EXTRA  # type: ignore[attr-defined]


@dataclass(slots=True)
class Acl:
    """Access lists as configured; evaluating them is a later stage's job."""

    names: dict[str, str] = field(default_factory=dict)  # ASA `name` aliases
    objects: dict[str, AclObject] = field(default_factory=dict)
    object_groups: dict[str, ObjectGroup] = field(default_factory=dict)
    access_lists: dict[str, list[AclEntry]] = field(default_factory=dict)
    access_groups: list[AccessGroup] = field(default_factory=list)
    # IOS zone-based firewall in use (zone-member / zone-pair): ACLs alone do not decide
    zone_firewall: Ref | None = None


@dataclass(slots=True)
class Firewall:
    """RouterOS /ip firewall sections as rules, in order, defaults filled in."""

    filter: list[FirewallRule] = field(default_factory=list)
    nat: list[FirewallRule] = field(default_factory=list)
    mangle: list[FirewallRule] = field(default_factory=list)
    address_lists: dict[str, list[str]] = field(default_factory=dict)
    queues: list[FirewallRule] = field(default_factory=list)
    connection_tracking: dict[str, str] = field(default_factory=dict)
    interface_lists: dict[str, list[str]] = field(default_factory=dict)  # /interface list member
    # WAN interface -> why its voice queue does nothing (no max-limit above it, fasttrack)
    voice_queue_void: dict[str, str] = field(default_factory=dict)
