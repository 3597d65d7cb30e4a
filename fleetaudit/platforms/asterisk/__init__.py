"""Asterisk / FreePBX: the PBX the trunk ends on, audited over SSH as a Linux host.

The session runs ``asterisk -rx "<show command>"`` (:data:`grammar.SHOW_COMMANDS`) and reads
configuration with ``cat /etc/asterisk/<name>.conf`` (:data:`CONF_FILES`: plain Asterisk's
files and FreePBX's split and ``_custom`` ones); nothing else is read-only. Outputs become
typed facts through :mod:`.normalise` (the parsers in :mod:`.parsers`); the lab serves the
PBX with :class:`.lab.AsteriskShell`.

A command Asterisk does not know ("No such command": chan_sip gone in 21, a module not
loaded) is ``rejected`` evidence that answers the question (``absent_feature``): its fact
records the refusal ("chan_sip not loaded") and the host is not ``partial`` for it.
"Unable to connect to remote asterisk" (the daemon is down) is the platform's refusal: the
host is ``partial``, checks ``unknown``.
"""

from __future__ import annotations

from fleetaudit.platforms.asterisk.grammar import SHOW_COMMANDS, cat, read_only, rx
from fleetaudit.platforms.asterisk.secrets import SECRET_FILTERS
from fleetaudit.platforms.base import ExecChannels, Platform

#: the configuration files read (a missing one is an answer too: "No such file")
CONF_FILES = (
    "pjsip.conf",
    "pjsip_custom.conf",
    "pjsip.transports.conf",
    "pjsip.transports_custom.conf",
    "pjsip.endpoint.conf",
    "pjsip.endpoint_custom.conf",
    "pjsip.aor.conf",
    "pjsip.auth.conf",
    "pjsip.identify.conf",
    "pjsip.registration.conf",
    "pjsip.registration_custom.conf",
    "sip.conf",
    "sip_nat.conf",
    "sip_general_custom.conf",
    "sip_custom.conf",
    "rtp.conf",
)

#: what scan reads a saved file as: a transcript, or configuration files
SAVED = "saved asterisk output"

#: a saved folder's files by the plain command (``sip_show_peers.txt``) or the
#: configuration file's own name (``pjsip.conf``), besides the collector's slugs
SAVED_NAMES = {
    **{f"{'_'.join(show.split())}.txt": rx(show) for show in SHOW_COMMANDS},
    **{name: cat(name) for name in CONF_FILES},
}

PLATFORM = Platform(
    name="asterisk",
    title="Asterisk / FreePBX",
    transport="ssh",
    config_command=SAVED,
    read_only=read_only,
    # netmiko's linux driver sends only line ends to find the prompt; on log-out at a `#`
    # prompt it takes the shell for "config mode" and sends `exit` before its own `exit`
    session_setup=("exit",),
    netmiko_device_type="linux",
    # Each command on its own exec channel, 8 at once on one connection: OpenSSH's sshd
    # refuses channels beyond MaxSessions (10 by default, often lowered), and each channel
    # forks a shell and an `asterisk -rx` client on the PBX, which is carrying calls.
    exec_channels=ExecChannels(at_once=8),
    roles=("pbx",),
    parsers=("fleetaudit.platforms.asterisk.normalise",),
    lab="fleetaudit.platforms.asterisk.lab:AsteriskShell",
    refusals=(
        "Unable to connect to remote asterisk",
        "-bash: asterisk: command not found",
        "asterisk: command not found",
    ),
    # chan_sip gone (21+) or a module not loaded: the PBX does not have that feature
    absent_feature=("No such command",),
    saved_names=SAVED_NAMES,
    secret_filters=SECRET_FILTERS,
)
