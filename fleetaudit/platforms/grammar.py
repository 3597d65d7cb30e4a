r"""Read-only command grammars: what a platform's session may send, checked before it leaves.

A command is judged whole: one line, printable, nothing chained after it, nothing that
writes a file. Each grammar returns the reason a command is refused, or ``None``.

>>> cisco_show_only("show running-config")
>>> cisco_show_only("show clock\nreload")
'more than one line'
>>> cisco_show_only("show running-config | redirect flash:x.cfg")
'output redirection (| redirect)'
>>> routeros_print_only("/ip address print; /system reboot")
'`;` chains a second command'
>>> routeros_print_only("/export file=x")
'`file=` writes a file on the device'
"""

from __future__ import annotations

import re
from collections.abc import Callable

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CISCO_PIPE_WRITES = re.compile(r"\|\s*(redirect|append|tee|copy)\b", re.IGNORECASE)
_CISCO_PIPE = re.compile(r"\|\s*(include|exclude|begin|section|count|i|e|b|s|c)\b", re.I)


def _one_line(command: str) -> str | None:
    if "\n" in command or "\r" in command:
        return "more than one line"
    if _CONTROL.search(command):
        return "control characters"
    if not command.strip():
        return "empty"
    return None


def cisco_show_only(command: str) -> str | None:
    """IOS and ASA: ``show …`` (abbreviations such as ``sh`` included), filtered by
    ``| include|exclude|begin|section|count`` at most, never redirected to a file."""
    reason = _one_line(command)
    if reason:
        return reason
    words = command.split()
    if not ("show".startswith(words[0].lower()) and len(words[0]) >= 2):
        return f"`{words[0]}` is not `show`"
    written = _CISCO_PIPE_WRITES.search(command)
    if written:
        return f"output redirection (| {written[1].lower()})"
    for pipe in command.split("|")[1:]:
        if not _CISCO_PIPE.match("|" + pipe):
            return f"`|{pipe.split()[0] if pipe.split() else ''}` is not a display filter"
    return None


_ROUTEROS_READ = re.compile(r"^/[a-z0-9 /-]+?\s(print|export)\b|^/export\b", re.IGNORECASE)


def routeros_print_only(command: str) -> str | None:
    """RouterOS: ``/<menu> print …`` or ``/export …`` only, one command, no file written."""
    reason = _one_line(command)
    if reason:
        return reason
    if ";" in command:
        return "`;` chains a second command"
    if re.search(r"\bfile\s*=", command):
        return "`file=` writes a file on the device"
    if "[" in command or "]" in command or "$" in command:
        return "scripting (`[ … ]`, `$`) runs commands"
    if not _ROUTEROS_READ.match(command.strip()):
        return "only `/<menu> print` and `/export` are read-only"
    return None


def http_reads_only(platform: str) -> Callable[[str], str | None]:
    """Phones: only the web calls the vendor module declares (and nothing else)."""

    def read_only(command: str) -> str | None:
        from fleetaudit.phones.vendors import VENDORS

        reason = _one_line(command)
        if reason:
            return reason
        calls = VENDORS[platform].calls
        if any(call.command == command for call in calls):
            return None
        return "not one of the web calls this phone's audit declares"

    return read_only
