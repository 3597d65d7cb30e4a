"""Normalisers for cisco_asa outputs.

The TTP templates capture lines; everything that needs a decision (is SIP inspection
applied? which interfaces answer ARP for others? is there voice priority on the WAN?)
lives here, with a reference to the config line that proves it.

One module per thing read: ``config`` (``show running-config``, wiring ``interfaces``,
``nat``, ``inspection``, ``qos`` and ``acl`` together) and ``version``; what they share
is in ``common``. Importing this package registers every normaliser.
"""

from __future__ import annotations

from fleetaudit.platforms.cisco_asa.parse.common import PLATFORM, is_error_output
from fleetaudit.platforms.cisco_asa.parse.config import running_config
from fleetaudit.platforms.cisco_asa.parse.contexts import as_printed
from fleetaudit.platforms.cisco_asa.parse.nat import ASA_DEFAULT_UDP_TIMEOUT_S
from fleetaudit.platforms.cisco_asa.parse.version import show_version

__all__ = [
    "ASA_DEFAULT_UDP_TIMEOUT_S",
    "as_printed",
    "PLATFORM",
    "is_error_output",
    "running_config",
    "show_version",
]
