"""What a whole Cisco ASA answer looks like, per command.

``show running-config`` closes with ``: end``; ``show version`` with the line that says
when the configuration last changed.
"""

from __future__ import annotations

from fleetaudit.platforms.cisco_ios.completeness import PAGER, Rule, closing_line
from fleetaudit.platforms.lines import last_config_line


def ends_with_colon_end(output: str) -> str | None:
    return None if last_config_line(output) == ": end" else "looks truncated: no `: end` line"


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
