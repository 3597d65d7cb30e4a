"""What a whole Cisco ASA answer looks like, per command.

``show running-config`` closes with ``: end``; ``show version`` with the line that says
when the configuration last changed.
"""

from __future__ import annotations

from fleetaudit.platforms.cisco_ios.completeness import PAGER, Rule, closing_line
from fleetaudit.platforms.lines import last_config_line

#: first words of ASA configuration lines: after the last `: end`, a line starting with
#: one of them is configuration that was cut from its end, anything else is the capture's
#: trailer or the prose of the notes the config was pasted into
_CONFIG_WORDS = frozenset(
    [
        "aaa",
        "access-group",
        "access-list",
        "arp",
        "asdm",
        "class-map",
        "context",
        "crypto",
        "dhcpd",
        "dns",
        "failover",
        "changeto",
        "fixup",
        "global",
        "hostname",
        "http",
        "icmp",
        "interface",
        "ip",
        "logging",
        "mtu",
        "name",
        "nameif",
        "names",
        "nat",
        "object",
        "object-group",
        "policy-map",
        "priority-queue",
        "route",
        "service-policy",
        "snmp-server",
        "ssh",
        "static",
        "sysopt",
        "telnet",
        "timeout",
        "username",
        "vpdn",
        "webvpn",
    ]
)


def ends_with_colon_end(output: str) -> str | None:
    r"""Whole when `: end` closes it; what follows may be a prompt, `[OK]`, or prose.

    >>> ends_with_colon_end(": end\nThat is all for context HR.\n")
    >>> ends_with_colon_end(": end\nchangeto context ACC\ninterface inside\n")
    'looks truncated: no `: end` after its last configuration line'
    """
    if last_config_line(output) == ": end":
        return None
    lines = output.splitlines()
    ends = [i for i, line in enumerate(lines) if line.strip() == ": end"]
    if not ends:
        return "looks truncated: no `: end` line"
    after = lines[ends[-1] + 1 :]
    if any(
        line[:1].isspace() and line.strip() or _first_word(line) in _CONFIG_WORDS for line in after
    ):
        return "looks truncated: no `: end` after its last configuration line"
    return None


def _first_word(line: str) -> str:
    words = line.split()
    return words[0] if words else ""


RULES: dict[str, Rule] = {
    "show running-config": ends_with_colon_end,
    "show version": closing_line(
        r"Configuration (?:last modified by \S.*|has not been modified since last system restart\.?)",
        "Configuration last modified by …",
    ),
}


def complete(command: str, output: str) -> str | None:
    """Why ``output`` does not look like the whole answer to ``command``, or ``None``."""
    if PAGER in output or "<--- More --->" in output:
        return "looks truncated: a `<--- More --->` pager prompt is in it (the pager was on)"
    rule = RULES.get(" ".join(command.split()))
    return rule(output) if rule else None
