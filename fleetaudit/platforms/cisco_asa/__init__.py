"""Cisco ASA firewalls."""

from __future__ import annotations

from fleetaudit.platforms.base import Platform
from fleetaudit.platforms.cisco_asa.completeness import complete
from fleetaudit.platforms.grammar import cisco_show_only

PLATFORM = Platform(
    name="cisco_asa",
    title="Cisco ASA",
    transport="ssh",
    config_command="show running-config",
    read_only=cisco_show_only,
    session_setup=("terminal pager 0", "enable", "login", "exit"),
    dialogues={"enable": ("secret",), "login": ("username", "password")},
    netmiko_device_type="cisco_asa",
    session="fleetaudit.platforms.cisco_asa.session:CiscoAsaSession",
    # netmiko's ASA driver would otherwise enter configuration mode for `terminal width`
    connection_options={"allow_auto_change": False},
    refusals=("ERROR: %", "% Invalid input detected", "% Incomplete command"),
    complete=complete,
    roles=("firewall",),
    config_syntax="indented",
    comment="!",
    config_mode=("configure terminal", "end"),
    parsers=("fleetaudit.platforms.cisco_asa.parse",),
    firewall_planner="fleetaudit.platforms.cisco_asa.firewall:plan",
    firewall_fact="acl",
    lab="fleetaudit.platforms.cisco_asa.lab:AsaShell",
    lab_ssh_version="Cisco-1.25",
)
