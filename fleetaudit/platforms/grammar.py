r"""Read-only command grammars: what a platform's session may send, checked before it leaves.

A command is judged whole: one line, printable, nothing chained after it, nothing that
writes a file. Each grammar returns the reason a command is refused, or ``None``. They
are allow-lists (``show``, ``print``, ``/export``, declared web calls), so a form nobody
thought of is refused rather than sent.

>>> cisco_show_only("show running-config")
>>> cisco_show_only("show clock\nreload")
'more than one line'
>>> cisco_show_only("show running-config | redirect flash:x.cfg")
'output redirection (| redirect)'
>>> cisco_show_only("show clock | app flash:x")
'output redirection (| append)'
>>> routeros_print_only("/ip address print; /system reboot")
'`;` chains a second command'
>>> routeros_print_only("/export file=x")
'`file=` writes a file on the device'
"""

from __future__ import annotations

import re
from collections.abc import Callable

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")

#: what Cisco's ``|`` may be followed by: display filters, all of which only read
_CISCO_FILTERS = ("include", "exclude", "begin", "section", "count", "grep")
#: ``|`` options that write (IOS ``redirect|append|tee``, IOS-XE ``copy``) or read a file
_CISCO_PIPE_WRITES = ("redirect", "append", "tee", "copy", "file", "format")


def _one_line(command: str) -> str | None:
    if "\n" in command or "\r" in command:
        return "more than one line"
    if _CONTROL.search(command):
        return "control characters"
    if not command.strip():
        return "empty"
    return None


def _pipe_option(word: str) -> tuple[str | None, str | None]:
    """(the filter ``word`` abbreviates, the writing option it may abbreviate)."""
    word = word.lower()
    writes = [w for w in _CISCO_PIPE_WRITES if w.startswith(word)]
    filters = [f for f in _CISCO_FILTERS if f.startswith(word)]
    return (filters[0] if len(filters) == 1 else None), (writes[0] if writes else None)


def cisco_show_only(command: str) -> str | None:
    """IOS and ASA: ``show …`` (abbreviations such as ``sh`` included), filtered by
    ``| include|exclude|begin|section|count|grep`` at most, never redirected to a file.

    An abbreviation that could stand for a writing option (``| red``, ``| app``, ``| c``)
    is refused like the option itself.
    """
    reason = _one_line(command)
    if reason:
        return reason
    first = command.split()[0]
    if not ("show".startswith(first.lower()) and len(first) >= 2):
        return f"`{first}` is not `show`"
    segments = command.split("|")
    if not segments[0].split()[1:]:
        return "`show` without what to show"
    if ">" in segments[0]:
        return "output redirection (>)"
    for segment in segments[1:]:
        words = segment.split()
        if not words:
            return "`|` without a filter"
        shown, writes = _pipe_option(words[0])
        if writes is not None:
            return f"output redirection (| {writes})"
        if shown is None:
            return f"`| {words[0]}` is not a display filter"
        if len(words) < 2:
            return f"`| {shown}` without a pattern"
    return None


#: ``/menu sub print …``, ``/menu/sub/print …`` (v7), ``/export …``, ``/menu export …``
_ROUTEROS_READ = re.compile(r"/(?:[a-z0-9][a-z0-9-]*[ /]+)*?(print|export)(?:\s.*)?")
#: RouterOS commands that act: a path naming one of them before ``print`` runs it (with
#: ``print`` as its argument: ``/system script run print`` runs a script called print)
_ACTION_WORDS = """add set unset remove edit enable disable reset reset-counters reset-counters-all
    move
    comment run import reboot shutdown reset-configuration upgrade downgrade install
    uninstall update download check-for-updates apply-changes save load fetch execute flush
    send monitor monitor-traffic ping traceroute bandwidth-test find get do quit password
    release renew generate sign clear cancel make-static make-supout blink beep restore
    upload create delete start stop sniff torch scan setup format-drive erase eject-drive
    wipe cable-test power-cycle"""
_ROUTEROS_ACTIONS = frozenset(_ACTION_WORDS.split())
#: characters that run scripting: ``[ … ]`` substitutions, ``$`` variables, ``{ … }``
#: blocks, ``:`` commands (``:execute``), ``\`` continuations, ``;`` chains
_ROUTEROS_SCRIPT = re.compile(r"[\[\]${}\\]|(?:^|\s):[a-z]")


def routeros_print_only(command: str) -> str | None:
    """RouterOS v6/v7: ``/<menu> print …`` or ``/export …`` only (the verb in full), one
    command, no file written, no scripting."""
    reason = _one_line(command)
    if reason:
        return reason
    if ";" in command:
        return "`;` chains a second command"
    if re.search(r"\bfile\s*=", command, re.IGNORECASE):
        return "`file=` writes a file on the device"
    if _ROUTEROS_SCRIPT.search(command):
        return "scripting (`[ … ]`, `$`, `{ … }`, `:command`, `\\`) runs commands"
    read = _ROUTEROS_READ.fullmatch(command.strip())
    if not read:
        return "only `/<menu> print` and `/export` are read-only"
    acting = _ROUTEROS_ACTIONS.intersection(re.split(r"[ /]+", command[: read.start(1)]))
    if acting:
        return f"`{sorted(acting)[0]}` acts: only `print` and `export` read"
    return None


def http_reads_only(platform: str) -> Callable[[str], str | None]:
    """Phones: only the web calls the vendor module declares (and nothing else)."""

    def read_only(command: str) -> str | None:
        from fleetaudit.platforms.phones.vendors import VENDORS

        reason = _one_line(command)
        if reason:
            return reason
        vendor = VENDORS[platform]
        if any(call.command == command for call in (*vendor.calls, vendor.config)):
            return None
        return "not one of the web calls this phone's audit declares"

    return read_only
