"""What every cisco_asa normaliser shares: the platform name, spotting an error answer,
cleaning TTP captures, finding config lines in order, and where policy-maps are applied."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from fleetaudit.facts import Ref
from fleetaudit.normalise import Output, as_list

PLATFORM = "cisco_asa"
_ABBREVIATED_INTERFACE = re.compile(r"^int(?:erf|erfa|erfac)? (?=\S)")


def spelled_out(words: str) -> str:
    """A line as ASA prints it: ``int inside`` (typed, pasted into notes) is
    ``interface inside``.

    >>> spelled_out("int inside"), spelled_out("interface inside")
    ('interface inside', 'interface inside')
    """
    return _ABBREVIATED_INTERFACE.sub("interface ", words)


_ERROR_MARKERS = ("ERROR:", "% Invalid", "% Incomplete", "% Ambiguous")


def clean_text(value: Any) -> str | None:
    """A TTP capture as a clean string (TTP keeps trailing blanks of `.+` matches)."""
    if value is None:
        return None
    cleaned = " ".join(str(value).split())
    return cleaned or None


def ttp_records(parsed: Any, key: str) -> list[dict[str, Any]]:
    """The list of TTP records under ``key``; the running-config template nests every
    block under one parent group ``config``."""
    if not isinstance(parsed, dict):
        return []
    if isinstance(parsed.get("config"), dict):
        parsed = parsed["config"]
    return [item for item in as_list(parsed.get(key)) if isinstance(item, dict)]


def joined_lines(value: Any) -> list[str]:
    """Values captured with `joinmatches` (newline separated), cleaned."""
    if value is None:
        return []
    return [line for line in (clean_text(v) for v in str(value).splitlines()) if line]


def is_error_output(text: str) -> bool:
    """True when the device answered with an error instead of the command's output."""
    if not any(marker in text for marker in _ERROR_MARKERS):  # a scan without the lines
        return False
    head = [line.strip() for line in text.splitlines() if line.strip()][:4]
    return any(line.startswith(_ERROR_MARKERS) for line in head)


@dataclass
class ConfigLines:
    """Finds config lines in order; ``indented`` tells block children from top level."""

    out: Output

    @cached_property
    def _numbers(self) -> dict[str, list[tuple[int, bool]]]:
        """Each line as ASA prints it, squeezed -> its (1-based number, indented), in
        order: built once per config, so each citation is a lookup, not a scan."""
        index: dict[str, list[tuple[int, bool]]] = {}
        for number, line in enumerate(self.out.lines, start=1):
            spelled = spelled_out(" ".join(line.split()))
            index.setdefault(spelled, []).append((number, line[:1].isspace()))
        return index

    def find(self, text: str, after: int = 0, indented: bool | None = None) -> int | None:
        r"""The first line at or after ``after`` reading ``text`` (``int x`` as ``interface
        x``), top level or indented when ``indented`` says which.

        >>> lines = ConfigLines(Output("show run", "int inside\n nameif in\nnameif in"))
        >>> lines.find("interface inside"), lines.find("nameif in", indented=False)
        (1, 3)
        """
        for number, line_indented in self._numbers.get(" ".join(text.split()), ()):
            if number >= after and (indented is None or line_indented == indented):
                return number
        return None

    def ref(self, number: int | None, fallback: str) -> Ref:
        if number is None:
            return Ref(source=self.out.command, line=None, text=fallback)
        return self.out.ref_line(number)

    def line_ref(self, text: str, after: int = 0, indented: bool | None = None) -> Ref:
        return self.ref(self.find(text, after, indented), " ".join(text.split()))


def policies_applied(parsed: Any, lines: ConfigLines) -> dict[str, tuple[str, Ref]]:
    """policy-map name -> (where it applies: "global" or a nameif, service-policy line)."""
    applied: dict[str, tuple[str, Ref]] = {}
    for record in ttp_records(parsed, "service_policies"):
        policy = clean_text(record.get("policy")) or ""
        interface = clean_text(record.get("interface"))
        where = interface or "global"
        text = f"service-policy {policy} " + (f"interface {interface}" if interface else "global")
        applied.setdefault(policy, (where, lines.line_ref(text, indented=False)))
    return applied
