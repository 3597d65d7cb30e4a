"""The one list of facts: each fact's name, its type and what it holds.

Parsers yield facts under these names, checks declare the names they need (a name not
declared here fails when the check is defined), the store writes facts as JSON and reads
them back as these types, and ``--facts`` shows them. The types are dataclasses (and
``TypedDict`` rule entries); pydantic's :class:`~pydantic.TypeAdapter` gives each one its
JSON form, its validation on the way back and its JSON schema.

``FACTS_VERSION`` counts changes of these shapes that old stored facts do not survive
(a renamed or retyped field); adding a fact or an optional field does not change it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pydantic import PydanticSchemaGenerationError, TypeAdapter, ValidationError

from fleetaudit.facts.acl import Acl, Firewall
from fleetaudit.facts.layer2 import MacEntry, Neighbor
from fleetaudit.facts.network import (
    Device,
    Interface,
    Nat,
    Qos,
    Registration,
    SipAlg,
    SipService,
    SipTrunkTransport,
    SipUaStatistics,
    SipUaStatus,
    SipUaTimers,
)
from fleetaudit.facts.phones import Phone, PhoneAccount, PhoneRegistration

FACTS_VERSION = 1
TEMPLATE_PREFIX = "ttp:"  # a user template without a normaliser: its TTP result as is


class UnknownFact(ValueError):
    """A fact name nobody declared (a typo in a check's ``facts=``, a parser's output)."""


@dataclass(frozen=True)
class FactType:
    name: str
    type: Any  # a class, or ``list[Class]``
    doc: str

    @cached_property
    def adapter(self) -> TypeAdapter[Any] | None:
        try:
            return TypeAdapter(self.type)
        except PydanticSchemaGenerationError:  # a type pydantic cannot describe: kept plain
            return None

    def dump(self, value: Any) -> Any:
        """The fact as JSON-able data."""
        if value is None or self.adapter is None:
            return plain(value)
        return self.adapter.dump_python(value, mode="json")

    def load(self, data: Any) -> Any:
        """The fact back as its type (raises :class:`pydantic.ValidationError`)."""
        if data is None or self.adapter is None:
            return data
        return self.adapter.validate_python(data)


_FACTS: dict[str, FactType] = {}
_FAMILIES: dict[str, FactType] = {}  # name prefix -> the type of every fact it starts


def declare(name: str, type_: Any, doc: str = "") -> str:
    """Declare a fact (a platform package or an extension may add its own); returns the
    name, for modules to use as a constant. Declaring a name twice with two types fails."""
    known = _FACTS.get(name)
    if known is not None and known.type != type_:
        raise ValueError(f"fact {name!r} is already declared as {known.type!r}")
    if known is None:
        _FACTS[name] = FactType(name, type_, doc)
    return name


def declare_family(prefix: str, type_: Any, doc: str = "") -> str:
    """Declare every fact named ``<prefix><anything>`` (``conf:<file name>``) as ``type_``."""
    known = _FAMILIES.get(prefix)
    if known is not None and known.type != type_:
        raise ValueError(f"fact family {prefix!r} is already declared as {known.type!r}")
    if known is None:
        _FAMILIES[prefix] = FactType(f"{prefix}*", type_, doc)
    return prefix


def fact_type(name: str) -> FactType | None:
    found = _FACTS.get(name)
    if found is not None:
        return found
    return next((t for prefix, t in _FAMILIES.items() if name.startswith(prefix)), None)


def declared() -> Mapping[str, FactType]:
    return {**_FACTS, **{t.name: t for t in _FAMILIES.values()}}


def require(*names: str) -> tuple[str, ...]:
    """``names`` when every one is declared (or of a declared family); else
    :class:`UnknownFact` naming the ones that are not, and the names that exist."""
    unknown = [n for n in names if fact_type(n) is None]
    if unknown:
        raise UnknownFact(
            f"unknown fact(s) {', '.join(map(repr, unknown))}; declared facts: "
            f"{', '.join(sorted([*_FACTS, *(t.name for t in _FAMILIES.values())]))}"
        )
    return names


def dump_facts(facts: Mapping[str, Any]) -> dict[str, Any]:
    """One host's facts as JSON-able data, each through its declared type."""
    found: dict[str, Any] = {}
    for name, value in facts.items():
        declared_type = fact_type(name)
        found[name] = declared_type.dump(value) if declared_type else plain(value)
    return found


def load_facts(
    data: Mapping[str, Any], version: int = FACTS_VERSION
) -> tuple[dict[str, Any], dict[str, str]]:
    """Stored facts back as types, and why each one that does not read is unknown (a
    fact stored by another facts version whose shape changed)."""
    facts: dict[str, Any] = {}
    unreadable: dict[str, str] = {}
    for name, value in data.items():
        declared_type = fact_type(name)
        if declared_type is None:
            facts[name] = value
            continue
        try:
            facts[name] = declared_type.load(value)
        except ValidationError as exc:
            facts[name] = None
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or name
            unreadable[name] = (
                f"stored `{name}` (facts version {version}) does not read as facts version "
                f"{FACTS_VERSION}: {where}: {first['msg']}"
            )
    return facts, unreadable


def schema() -> dict[str, Any]:
    """The JSON schema of every declared fact (``{name: schema}``)."""
    found: dict[str, Any] = {}
    for name, declared_type in sorted(declared().items()):
        adapter = declared_type.adapter
        found[name] = adapter.json_schema(mode="serialization") if adapter else {}
    return found


def plain(value: Any) -> Any:
    """Any value as plain JSON-able data (dataclasses become dicts), for facts no type
    was declared for."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


DEVICE = declare("device", Device, "what the device says it is: model, OS version, serial")
INTERFACES = declare("interfaces", list[Interface], "interfaces as configured, in order")
NAT = declare("nat", Nat, "NAT: inside/outside interfaces, rules, UDP timeouts")
SIP_ALG = declare("sip_alg", SipAlg, "whether the device rewrites SIP in transit")
QOS = declare("qos", Qos, "QoS policies, where they apply, voice priority")
ACL = declare("acl", Acl, "access lists, objects, object-groups and where they apply")
FIREWALL = declare("firewall", Firewall, "RouterOS firewall filter/nat/mangle, queues")
SIP_SERVICE = declare("sip_service", SipService, "IOS `show sip service`")
SIP_UA_STATUS = declare("sip_ua_status", SipUaStatus, "IOS SIP user agent transports")
SIP_UA_STATISTICS = declare("sip_ua_statistics", SipUaStatistics, "IOS SIP UA counters")
SIP_UA_TIMERS = declare("sip_ua_timers", SipUaTimers, "IOS SIP UA timers")
SIP_UA_REGISTRATIONS = declare(
    "sip_ua_registrations", list[Registration], "IOS SIP UA registrations"
)
SIP_TRUNK = declare(
    "sip_trunk", list[SipTrunkTransport], "IOS: the transports the SIP trunk uses (dial-peers)"
)
MAC_TABLE = declare("mac_table", list[MacEntry], "a switch's MAC address table")
CDP_NEIGHBORS = declare("cdp_neighbors", list[Neighbor], "a switch's CDP neighbours")
LLDP_NEIGHBORS = declare("lldp_neighbors", list[Neighbor], "a switch's LLDP neighbours")
PHONE = declare("phone", Phone, "what a phone says about itself on the network")
PHONE_ACCOUNTS = declare("phone_accounts", list[PhoneAccount], "a phone's SIP accounts")
PHONE_REGISTRATIONS = declare(
    "phone_registrations", list[PhoneRegistration], "a phone's registration states"
)
TEMPLATE_RESULTS = declare_family(
    TEMPLATE_PREFIX, Any, "a user template without a normaliser: its TTP result"
)
