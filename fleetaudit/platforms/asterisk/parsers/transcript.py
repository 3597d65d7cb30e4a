"""A console transcript split into (command, output) parts.

A command starts at a line that runs ``asterisk -rx "<cmd>"`` (any quotes, after a shell prompt
or not) or types ``<cmd>`` at a ``*CLI>`` prompt; its output runs to the next such line.
Text before the first command (an admin's comments, the console banner) belongs to none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fleetaudit.platforms.asterisk.parsers.common import ASTERISK_RX, lines_of

CLI_COMMAND = re.compile(r"^\s*[\w.-]*\*CLI>\s*(?P<cmd>\S.*?)\s*$")


@dataclass(frozen=True)
class Part:
    command: str  # as typed, whitespace collapsed: "sip show peers"
    output: str
    line: int  # 1-based line of the command in the transcript


def split_transcript(text: str) -> list[Part]:
    parts: list[Part] = []
    command: str | None = None
    start = 0
    collected: list[str] = []
    for line in lines_of(text):
        found = ASTERISK_RX.search(line.text) or CLI_COMMAND.match(line.text)
        if found:
            if command is not None:
                parts.append(Part(command, "\n".join(collected), start))
            command, start, collected = " ".join(found["cmd"].split()), line.number, []
        elif command is not None:
            collected.append(line.text)
    if command is not None:
        parts.append(Part(command, "\n".join(collected), start))
    return parts
