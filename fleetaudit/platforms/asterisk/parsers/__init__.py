"""Parsers for Asterisk CLI outputs and ``.conf`` files: pure functions from text to facts.

:data:`PARSERS` maps each command's slug (the command, spaces as underscores) to its parser;
each returns facts, :class:`~fleetaudit.platforms.asterisk.facts.Refused` or
:class:`~fleetaudit.platforms.asterisk.facts.Unknown`.
"""

from __future__ import annotations

from collections.abc import Callable

from fleetaudit.platforms.asterisk.parsers.pjsip import (
    parse_pjsip_aors,
    parse_pjsip_contacts,
    parse_pjsip_endpoints,
    parse_pjsip_identifies,
    parse_pjsip_transports,
)
from fleetaudit.platforms.asterisk.parsers.pjsip_registrations import parse_pjsip_registrations
from fleetaudit.platforms.asterisk.parsers.rtp_settings import parse_rtp_settings
from fleetaudit.platforms.asterisk.parsers.sip_peers import parse_sip_peers
from fleetaudit.platforms.asterisk.parsers.sip_registry import parse_sip_registry
from fleetaudit.platforms.asterisk.parsers.sip_settings import parse_sip_settings
from fleetaudit.platforms.asterisk.parsers.version import parse_core_show_version

PARSERS: dict[str, Callable[[str], object]] = {
    "core_show_version": parse_core_show_version,
    "sip_show_peers": parse_sip_peers,
    "sip_show_registry": parse_sip_registry,
    "sip_show_settings": parse_sip_settings,
    "pjsip_show_endpoints": parse_pjsip_endpoints,
    "pjsip_show_contacts": parse_pjsip_contacts,
    "pjsip_show_registrations": parse_pjsip_registrations,
    "pjsip_show_aors": parse_pjsip_aors,
    "pjsip_show_transports": parse_pjsip_transports,
    "pjsip_show_identifies": parse_pjsip_identifies,
    "rtp_show_settings": parse_rtp_settings,
}


def slug(command: str) -> str:
    """``"sip show peers"`` -> ``"sip_show_peers"``."""
    return "_".join(command.split())
