"""The ``show running-config`` normaliser: interfaces, NAT, SIP ALG, QoS and ACL facts,
each read by its own module of this package."""

from __future__ import annotations

from typing import Any

from fleetaudit.normalise import Output, normaliser
from fleetaudit.platforms.cisco_asa.parse.acl import _acl
from fleetaudit.platforms.cisco_asa.parse.common import PLATFORM, _Lines, _records, is_error_output
from fleetaudit.platforms.cisco_asa.parse.inspection import _sip_alg
from fleetaudit.platforms.cisco_asa.parse.interfaces import _interfaces
from fleetaudit.platforms.cisco_asa.parse.nat import _nat
from fleetaudit.platforms.cisco_asa.parse.qos import _qos


def _is_running_config(parsed: Any, text: str) -> bool:
    if is_error_output(text):
        return False
    keys = ("system", "interfaces", "legacy_nameifs")
    return any(_records(parsed, key) for key in keys)


@normaliser(PLATFORM, "show running-config")
def running_config(parsed: Any, out: Output) -> dict[str, Any]:
    """interfaces, nat, sip_alg, qos and acl from an ASA running config."""
    if not _is_running_config(parsed, out.text):
        return dict.fromkeys(("interfaces", "nat", "sip_alg", "qos", "acl"))
    lines = _Lines(out)
    interfaces = _interfaces(parsed, lines)
    return {
        "interfaces": interfaces,
        "nat": _nat(parsed, lines),
        "sip_alg": _sip_alg(parsed, lines),
        "qos": _qos(parsed, lines, interfaces),
        "acl": _acl(parsed, lines),
    }
