"""What a whole MikroTik RouterOS answer looks like, per command.

An export has no closing line, but it prints its menus in a fixed order and ends with
menus fleetaudit reads nothing from (``/system ...``, ``/tool ...``): an export whose last
section is one read for facts (``/ip firewall filter``, ``/queue tree``, ``/ip address``)
may have lost the rest of them, and reads as cut short. Then its last command: it must not
end in a ``\\`` continuation, its quotes and ``[ find ... ]`` brackets must close, and its
last token must be a whole ``key=value`` (or ``!key``). What no rule can see: a cut inside
the trailing menus (harmless) or a line missing from the middle.
``/system resource print`` closes with ``platform:``.
"""

from __future__ import annotations

import re

from fleetaudit.platforms.lines import content_lines, has_line

EXPORTS = ("/export", "/export verbose", "/export compact", "/export terse")
VERBS = ("add", "set", "disable", "enable", "remove", "unset", "move")
_TOKEN = re.compile(r'\[[^\]]*\]|[^\s="]+="(?:[^"\\]|\\.)*"|"(?:[^"\\]|\\.)*"|\S+')
_UNESCAPED_QUOTE = re.compile(r'(?<!\\)(?:\\\\)*"')
_PLATFORM_LINE = re.compile(r"platform: \S.*")
#: the console prompt a saved terminal session ends with: ``[admin@router] >``
_PROMPT = re.compile(r"\[[^\]\s]+@[^\]]+\] ?>.*")


#: menus an export prints after every menu fleetaudit reads facts from
TRAILING_MENUS = (
    "/system",
    "/tool",
    "/snmp",
    "/user",
    "/ipv6",
    "/ip service",
    "/ip route",
    "/ip ssh",
    "/ip cloud",
    "/ip upnp",
    "/ip smb",
    "/ip proxy",
    "/ip socks",
    "/ip traffic-flow",
    "/radius",
    "/ppp",
    "/routing",
    "/mpls",
    "/lcd",
    "/port",
)


def export(output: str) -> str | None:
    output = without_prompt(output)
    physical = content_lines(output)
    if not physical:
        return None
    if physical[-1].endswith("\\"):
        return "looks truncated: its last line ends in a `\\` continuation"
    sections = [line for line in physical if line.startswith("/")]
    if not sections:
        if all(line.startswith("#") for line in physical):
            return "looks truncated: no menu section after its header"
        return None  # not an export: the normaliser says so
    last = _last_command(output)
    if last is None:
        return "looks truncated: no command in any section"
    if last.startswith("/"):
        return f"looks truncated: section `{last}` ends before its first command"
    if not _trailing(sections[-1]):
        return (
            f"looks truncated: it ends in section `{sections[-1]}`, before the /system and "
            "/tool menus an export ends with"
        )
    if len(_UNESCAPED_QUOTE.findall(last)) % 2 or last.count("[") != last.count("]"):
        return "looks truncated: its last command ends inside a quoted value"
    tokens = _TOKEN.findall(last)
    if tokens[0] not in VERBS:
        return f"looks truncated or garbled: `{last[:60]}` is not a command"
    return _last_token(tokens, last)


def without_prompt(output: str) -> str:
    """The export without the console prompt a captured session printed after it."""
    lines = output.rstrip().splitlines()
    while lines and _PROMPT.fullmatch(lines[-1].strip()):
        lines.pop()
    return "\n".join(lines) + "\n"


def _trailing(section: str) -> bool:
    return any(section == menu or section.startswith(menu + " ") for menu in TRAILING_MENUS)


def _last_command(output: str) -> str | None:
    joined: list[str] = []
    pending = ""
    for line in output.splitlines():
        line = pending + line.strip() if pending else line.rstrip()
        if line.endswith("\\"):
            pending = line[:-1]
            continue
        pending = ""
        if line.strip() and not line.lstrip().startswith("#"):
            joined.append(line.strip())
    return joined[-1] if joined else None


def _last_token(tokens: list[str], line: str) -> str | None:
    last = tokens[-1]
    if last.startswith(("[", "!")):
        return None
    key, equals, value = last.partition("=")
    if equals and key and value:
        return None
    if not equals and len(tokens) == 2 and tokens[0] in ("remove", "disable", "enable"):
        return None  # `remove 3`, `disable ether5`: the item is the whole argument
    return f"looks truncated: its last command ends in `{last}`, not a whole key=value"


def system_resource(output: str) -> str | None:
    if has_line(output, _PLATFORM_LINE):
        return None
    return "looks truncated: no closing `platform:` line"


def complete(command: str, output: str) -> str | None:
    """Why ``output`` does not look like the whole answer to ``command``, or ``None``."""
    command = " ".join(command.split())
    if command in EXPORTS:
        return export(output)
    if command == "/system resource print":
        return system_resource(output)
    return None
