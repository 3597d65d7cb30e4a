"""Normalisers for cisco_ios outputs (IOS and IOS-XE routers, voice gateways, Catalysts).

The TTP templates in ``templates/cisco_ios/`` capture raw values; the functions here turn
them into platform-neutral facts, applying the IOS defaults that the configuration does
not print (proxy ARP on, NAT SIP ALG on for udp/tcp 5060, NAT UDP timeout 300 s,
port-security aging type absolute) and citing the line each fact was read from.

One module per thing read: ``config`` (``show running-config``, wiring ``interfaces``,
``nat``, ``qos`` and ``ios_acl`` together), ``version``, ``sip`` (``show sip ...`` and
``show sip-ua ...``); what they share is in ``common``. Importing this package registers
every normaliser.
"""

from __future__ import annotations

from fleetaudit.platforms.cisco_ios.parse.common import PLATFORM, rejected
from fleetaudit.platforms.cisco_ios.parse.config import running_config
from fleetaudit.platforms.cisco_ios.parse.interfaces import to_cidr
from fleetaudit.platforms.cisco_ios.parse.nat import NAT_UDP_TIMEOUT_DEFAULT_S
from fleetaudit.platforms.cisco_ios.parse.qos import is_voice_match
from fleetaudit.platforms.cisco_ios.parse.sip import (
    SECTIONS,
    parse_counters,
    parse_timers,
    section_name,
    show_sip_service,
    show_sip_ua_register_status,
    show_sip_ua_statistics,
    show_sip_ua_status,
    show_sip_ua_timers,
)
from fleetaudit.platforms.cisco_ios.parse.version import show_version

__all__ = [
    "NAT_UDP_TIMEOUT_DEFAULT_S",
    "PLATFORM",
    "SECTIONS",
    "is_voice_match",
    "parse_counters",
    "parse_timers",
    "rejected",
    "running_config",
    "section_name",
    "show_sip_service",
    "show_sip_ua_register_status",
    "show_sip_ua_statistics",
    "show_sip_ua_status",
    "show_sip_ua_timers",
    "show_version",
    "to_cidr",
]
