"""MikroTik RouterOS v6 and v7."""

from __future__ import annotations

from fleetaudit.platforms.base import ExecChannels, Platform, as_routeros_shell_output
from fleetaudit.platforms.grammar import routeros_print_only
from fleetaudit.platforms.mikrotik_routeros.completeness import complete

PLATFORM = Platform(
    name="mikrotik_routeros",
    title="MikroTik RouterOS",
    transport="ssh",
    config_command="/export verbose",
    read_only=routeros_print_only,
    session_setup=("quit",),
    netmiko_device_type="mikrotik_routeros",
    # `ssh admin@router "/export verbose"`: RouterOS runs an exec request as one console
    # command. One channel at a time: no MikroTik document says it takes more at once.
    # The login options are netmiko's (no colours, no terminal detection, 511 columns by
    # 4098 rows), so `print` lays out its columns as it does for the interactive path.
    exec_channels=ExecChannels(
        at_once=1, login_options="+ct511w4098h", as_read=as_routeros_shell_output
    ),
    refusals=(
        "bad command name",
        "syntax error (line",
        "expected end of command",
        "expected command name",
        "input does not match",
        "no such item",
    ),
    complete=complete,
    roles=("router", "firewall"),
    config_syntax="commands",
    parsers=("fleetaudit.platforms.mikrotik_routeros.parse",),
    firewall_planner="fleetaudit.platforms.mikrotik_routeros.firewall:plan",
    firewall_fact="firewall",
    lab="fleetaudit.platforms.mikrotik_routeros.lab:RouterOsShell",
    lab_ssh_version="ROSSSH",
)
