"""The ``show running-config`` normaliser: interfaces, NAT, SIP ALG, QoS and ACL facts,
each read by its own module of this package."""

from __future__ import annotations

from typing import Any

from fleetaudit.normalise import Output, as_list, normaliser
from fleetaudit.platforms.cisco_ios.parse import acl as ios_acl
from fleetaudit.platforms.cisco_ios.parse.common import PLATFORM, first_group, rejected
from fleetaudit.platforms.cisco_ios.parse.dialpeers import trunk_transports
from fleetaudit.platforms.cisco_ios.parse.interfaces import read_interface
from fleetaudit.platforms.cisco_ios.parse.nat import read_nat, read_sip_alg
from fleetaudit.platforms.cisco_ios.parse.qos import read_qos

_CONFIG_FACTS = ("interfaces", "nat", "sip_alg", "qos", "acl", "sip_trunk")


@normaliser(PLATFORM, "show running-config")
def running_config(parsed: Any, out: Output) -> dict[str, Any]:
    parsed = first_group(parsed)
    is_config = any(parsed.get(key) for key in ("interfaces", "hostname", "version"))
    if rejected(out) or not is_config:
        return dict.fromkeys(_CONFIG_FACTS)
    raw_interfaces = [first_group(item) for item in as_list(parsed.get("interfaces"))]
    interfaces = [read_interface(raw, out) for raw in raw_interfaces if raw.get("name")]
    nat = read_nat(parsed, interfaces, out)
    return {
        "interfaces": interfaces,
        "nat": nat,
        "sip_alg": read_sip_alg(parsed, nat, out),
        "qos": read_qos(parsed, raw_interfaces, interfaces, out),
        "acl": ios_acl.acl(parsed, raw_interfaces, out),
        "sip_trunk": trunk_transports(out),
    }
