"""The rich console every report draws on (kept apart from the report's modules, so
`checks list` gets one without importing the report model)."""

from __future__ import annotations

import os
from typing import TextIO

from rich.console import Console


def make_console(stream: TextIO) -> Console:
    """Colour and the terminal's width on a terminal; plain text when piped (width from
    $COLUMNS, else 100; code lines are never cut either way)."""
    if stream.isatty():
        return Console(file=stream, highlight=False)
    width = int(os.environ.get("COLUMNS", "0") or 0) or 100
    return Console(
        file=stream, width=width, force_terminal=False, color_system=None, highlight=False
    )
