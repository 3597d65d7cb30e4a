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
