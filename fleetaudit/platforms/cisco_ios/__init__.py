"""Cisco IOS / IOS-XE: voice gateways, routers and access switches."""

from __future__ import annotations

from fleetaudit.platforms.base import Platform
from fleetaudit.platforms.cisco_ios.completeness import complete
from fleetaudit.platforms.grammar import cisco_show_only

PLATFORM = Platform(
    name="cisco_ios",
    title="Cisco IOS / IOS-XE",
    transport="ssh",
    config_command="show running-config",
    read_only=cisco_show_only,
    session_setup=("terminal width 511", "terminal length 0", "enable", "exit"),
    dialogues={"enable": ("secret",)},
    netmiko_device_type="cisco_ios",
    napalm_driver="ios",
    refusals=(
        "% Invalid input detected",
        "% Ambiguous command",
        "% Incomplete command",
        "% Unknown command",
        "% Unrecognized command",
    ),
    complete=complete,
)
