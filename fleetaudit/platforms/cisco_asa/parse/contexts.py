"""Files holding several security contexts (multiple context mode): each context's
configuration follows a ``changeto context NAME`` line, often pasted into notes with tab
indents, abbreviated ``int``, and prose around. The preprocessor gives TTP the indents it
knows; the normalisers tell which context a line belongs to by its line number."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from fleetaudit.normalise import Output, preprocessor
from fleetaudit.platforms.cisco_asa.parse.common import PLATFORM, spelled_out

#: what :func:`spelled_out` respells (``int X``, ``interf X``; not ``interface X``)
_ABBREVIATIONS = ("int ", "interf ", "interfa ", "interfac ")
CHANGETO = re.compile(r"\s*changeto\s+(?:context\s+(?P<name>\S+)|(?P<system>system))\s*")


@preprocessor(PLATFORM)
def as_printed(text: str) -> str:
    r"""The text TTP sees: leading tabs as the one-space indents ASA prints (a tab per
    level), and ``int X`` spelled out.

    >>> as_printed("int inside\n\tnameif inside\n\t\tinspect sip")
    'interface inside\n nameif inside\n  inspect sip'
    """
    physical = text.splitlines()
    if "\t" not in text and not any(line.startswith(_ABBREVIATIONS) for line in physical):
        return "\n".join(physical)  # most configs: nothing to respell, line by line
    lines = []
    for line in physical:
        body = line.lstrip("\t")
        indent = " " * (len(line) - len(body))
        lines.append(indent + spelled_out(body))
    return "\n".join(lines)


@dataclass(frozen=True)
class Contexts:
    """Where each ``changeto`` line starts a context (line numbers, 1-based)."""

    starts: tuple[int, ...] = ()
    names: tuple[str, ...] = ()

    @property
    def multiple(self) -> bool:
        return any(name != "system" for name in self.names)

    def at(self, line: int | None) -> str | None:
        """The context a line belongs to (None: before any ``changeto``, or unknown)."""
        if line is None:
            return None
        index = bisect_right(self.starts, line) - 1
        return self.names[index] if index >= 0 else None

    def user_contexts(self) -> list[str]:
        return sorted({name for name in self.names if name != "system"})


def contexts_of(out: Output) -> Contexts:
    if "changeto" not in out.text:  # single context mode: no line to look at
        return Contexts()
    starts, names = [], []
    for number, line in enumerate(out.lines, start=1):
        match = CHANGETO.fullmatch(line)
        if match:
            starts.append(number)
            names.append(match["name"] or "system")
    return Contexts(tuple(starts), tuple(names))
