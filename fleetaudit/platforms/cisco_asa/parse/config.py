"""The ``show running-config`` normaliser: interfaces, NAT, SIP ALG, QoS and ACL facts,
each read by its own module of this package."""

from __future__ import annotations

from typing import Any

from fleetaudit.normalise import Output, normaliser
from fleetaudit.platforms.cisco_asa.parse.acl import read_acl
from fleetaudit.platforms.cisco_asa.parse.common import (
    PLATFORM,
    ConfigLines,
    is_error_output,
    ttp_records,
)
from fleetaudit.platforms.cisco_asa.parse.inspection import read_sip_alg
from fleetaudit.platforms.cisco_asa.parse.interfaces import read_interfaces
from fleetaudit.platforms.cisco_asa.parse.nat import read_nat
from fleetaudit.platforms.cisco_asa.parse.qos import read_qos


def _is_running_config(parsed: Any, text: str) -> bool:
    if is_error_output(text):
        return False
    keys = ("system", "interfaces", "legacy_nameifs")
    return any(ttp_records(parsed, key) for key in keys)


@normaliser(PLATFORM, "show running-config")
def running_config(parsed: Any, out: Output) -> dict[str, Any]:
    """interfaces, nat, sip_alg, qos and acl from an ASA running config."""
    if not _is_running_config(parsed, out.text):
        return dict.fromkeys(("interfaces", "nat", "sip_alg", "qos", "acl"))
    lines = ConfigLines(out)
    interfaces = read_interfaces(parsed, lines)
    return {
        "interfaces": interfaces,
        "nat": read_nat(parsed, lines),
        "sip_alg": read_sip_alg(parsed, lines),
        "qos": read_qos(parsed, lines, interfaces),
        "acl": read_acl(parsed, lines),
    }
