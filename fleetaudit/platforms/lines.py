"""Small readers of an output's lines that the platforms' completeness rules share."""

from __future__ import annotations

import re


def content_lines(output: str) -> list[str]:
    """The output's non-blank lines, stripped."""
    return [line.strip() for line in output.splitlines() if line.strip()]


def last_line(output: str) -> str:
    lines = content_lines(output)
    return lines[-1] if lines else ""


def has_line(output: str, pattern: re.Pattern[str]) -> bool:
    """Whether a whole (stripped) line of ``output`` matches ``pattern``."""
    return any(pattern.fullmatch(line) for line in content_lines(output))


#: what a saved capture may hold after a configuration's closing line: the device's
#: prompt echoed by the terminal, or `[OK]` of a `write memory` in the same capture
_TRAILER = re.compile(r"\[OK\]|[\w./()@:-]+[#>]\s*")


def last_config_line(output: str) -> str:
    r"""The last non-blank line before the capture's trailers (prompt, ``[OK]``).

    >>> last_config_line(": end\n[OK]\n\nFWSM/ceige#\n")
    ': end'
    >>> last_config_line("interface Gi0/1\n shutdown")
    'shutdown'
    """
    lines = content_lines(output)
    while lines and _TRAILER.fullmatch(lines[-1]):
        lines.pop()
    return lines[-1] if lines else ""
