"""Normalisers for mikrotik_routeros outputs (RouterOS v6 and v7).

Split by what they read: :mod:`.export` (the export model), :mod:`.defaults` (v6/v7
defaults an export omits, durations), :mod:`.interfaces`, :mod:`.nat` (NAT, connection
tracking, SIP helper), :mod:`.qos`, :mod:`.firewall` and :mod:`.resource`
(``/system resource print``). ``/export verbose`` is normalised here from those parts;
importing the package registers every normaliser and the preprocessor.
"""

from __future__ import annotations

from typing import Any

from fleetaudit.normalise import Output, normaliser
from fleetaudit.platforms.mikrotik_routeros.parse.defaults import (
    CONNTRACK_DEFAULTS,
    DEFAULT_QUEUE_PRIORITY,
    SIP_DEFAULT_PORTS,
    duration_s,
)
from fleetaudit.platforms.mikrotik_routeros.parse.export import (
    PLATFORM,
    VERBS,
    Command,
    Export,
    _export,
    _is_export,
    commands,
    is_error_output,
    is_yes,
    join_continuations,
    logical_lines,
    tokenise,
    unquote,
)
from fleetaudit.platforms.mikrotik_routeros.parse.firewall import _firewall
from fleetaudit.platforms.mikrotik_routeros.parse.interfaces import INTERFACE_SECTIONS, _interfaces
from fleetaudit.platforms.mikrotik_routeros.parse.nat import _nat, _sip_alg
from fleetaudit.platforms.mikrotik_routeros.parse.qos import (
    RTP_RANGE,
    VOICE_SIGNALLING_PORTS,
    _qos,
    _wan,
)
from fleetaudit.platforms.mikrotik_routeros.parse.resource import system_resource

__all__ = [
    "CONNTRACK_DEFAULTS",
    "DEFAULT_QUEUE_PRIORITY",
    "EXPORT",
    "INTERFACE_SECTIONS",
    "PLATFORM",
    "RTP_RANGE",
    "SIP_DEFAULT_PORTS",
    "VERBS",
    "VOICE_SIGNALLING_PORTS",
    "Command",
    "Export",
    "commands",
    "duration_s",
    "export_verbose",
    "is_error_output",
    "is_yes",
    "join_continuations",
    "logical_lines",
    "system_resource",
    "tokenise",
    "unquote",
]

EXPORT = "/export verbose"


@normaliser(PLATFORM, EXPORT)
def export_verbose(parsed: Any, out: Output) -> dict[str, Any]:
    """interfaces, nat, sip_alg, qos and firewall from an export."""
    if not _is_export(parsed, out.text):
        return dict.fromkeys(("interfaces", "nat", "sip_alg", "qos", "firewall"))
    export = _export(parsed, out)
    nat = _nat(export)
    qos, void = _qos(export, _wan(export, nat.outside))
    firewall = _firewall(export)
    firewall.voice_queue_void = void
    return {
        "interfaces": _interfaces(export, nat.outside),
        "nat": nat,
        "sip_alg": _sip_alg(export),
        "qos": qos,
        "firewall": firewall,
    }
