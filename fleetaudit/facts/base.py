"""What every fact can cite: the output line it was read from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Ref:
    """Where a fact was read: the command, the 1-based line in its output, the line."""

    source: str
    line: int | None
    text: str
