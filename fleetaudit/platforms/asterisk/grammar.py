r"""What an Asterisk session may send: ``asterisk -rx "<show command>"`` for the declared
show commands, and ``cat /etc/asterisk/<name>.conf`` (a glob within that folder at most).

>>> read_only('asterisk -rx "sip show peers"')
>>> read_only('asterisk -rx "core restart now"')
'`core restart now` is not one of the declared show commands'
>>> read_only("cat /etc/asterisk/pjsip.endpoint_custom.conf")
>>> read_only("cat /etc/asterisk/../shadow.conf")
'only `cat /etc/asterisk/<name>.conf` reads a configuration file'
>>> read_only('asterisk -rx "sip show peers"; reboot')
'only `asterisk -rx "<show command>"` and `cat /etc/asterisk/<name>.conf` are read-only'
"""

from __future__ import annotations

import re

#: the CLI commands the audit reads (``rtp show settings`` exists from Asterisk 13 on)
SHOW_COMMANDS = (
    "core show version",
    "sip show peers",
    "sip show registry",
    "sip show settings",
    "pjsip show endpoints",
    "pjsip show contacts",
    "pjsip show registrations",
    "pjsip show aors",
    "pjsip show transports",
    "pjsip show identifies",
    "rtp show settings",
)

_RX = re.compile(r'asterisk -rx "(?P<cmd>[a-z ]+)"')
_CAT = re.compile(r"cat (?P<path>\S+)")
#: a file name in /etc/asterisk: letters, digits, ``_ . -`` and the glob ``*``; no ``/``
_CONF = re.compile(r"/etc/asterisk/(?!.*\.\.)[A-Za-z0-9_*][A-Za-z0-9_.*-]*\.conf")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def read_only(command: str) -> str | None:
    if _CONTROL.search(command):
        return "more than one line" if "\n" in command or "\r" in command else "control characters"
    if not command.strip():
        return "empty"
    if rx := _RX.fullmatch(command.strip()):
        shown = " ".join(rx["cmd"].split())
        if shown in SHOW_COMMANDS:
            return None
        return f"`{shown}` is not one of the declared show commands"
    if cat := _CAT.fullmatch(command.strip()):
        if _CONF.fullmatch(cat["path"]):
            return None
        return "only `cat /etc/asterisk/<name>.conf` reads a configuration file"
    return 'only `asterisk -rx "<show command>"` and `cat /etc/asterisk/<name>.conf` are read-only'


def rx(show: str) -> str:
    """``"sip show peers"`` -> ``asterisk -rx "sip show peers"``."""
    return f'asterisk -rx "{show}"'


def cat(name: str) -> str:
    return f"cat /etc/asterisk/{name}"
