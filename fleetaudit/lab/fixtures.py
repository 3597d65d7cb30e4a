"""Canned command outputs: ``<fixtures dir>/<command_slug(command)>.txt``, read once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from fleetaudit.evidence import command_slug


def crlf(text: str) -> str:
    """Any line ends → ``\\r\\n``; a non-empty text ends with one."""
    text = re.sub(r"\r\n|\r|\n", "\r\n", text)
    return text if not text or text.endswith("\r\n") else text + "\r\n"


_WORD = re.compile(r"[a-z0-9-]+")


def words(command: str) -> list[tuple[str, int]]:
    """A command's words as ``command_slug`` sees them, with their offsets.

    >>> words("/ip  firewall")
    [('ip', 1), ('firewall', 5)]
    """
    return [(m.group(), m.start()) for m in _WORD.finditer(command.lower())]


@dataclass(frozen=True)
class Fixtures:
    """One device's outputs by slug (CRLF line ends), and the commands they answer."""

    directory: Path
    outputs: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path) -> Fixtures:
        outputs = {}
        if directory.is_dir():
            for path in sorted(directory.glob("*.txt")):
                outputs[path.stem] = crlf(path.read_text(encoding="utf-8", errors="replace"))
        return cls(directory, outputs)

    def get(self, command: str) -> str | None:
        return self.outputs.get(command_slug(command))

    def expand(self, command: str, known: tuple[str, ...] = ()) -> str | None:
        """The slug a (possibly abbreviated) command stands for, when unambiguous.

        ``sh run`` → ``show_running-config`` when that fixture exists.
        """
        typed = [w for w, _ in words(command)]
        slug = "_".join(typed)
        candidates = [*self.outputs, *known]
        if slug in candidates:
            return slug
        found = {
            c
            for c in candidates
            if len(parts := c.split("_")) == len(typed)
            and all(p.startswith(t) for p, t in zip(parts, typed, strict=True))
        }
        return found.pop() if len(found) == 1 else None

    def matched_words(
        self, command: str, known: tuple[str, ...] = (), include_outputs: bool = True
    ) -> int:
        """How many leading words of ``command`` some known command accepts (for ``^``)."""
        typed = [w for w, _ in words(command)]
        best = 0
        for candidate in (*self.outputs, *known) if include_outputs else known:
            parts = candidate.split("_")
            n = 0
            while n < min(len(parts), len(typed)) and parts[n].startswith(typed[n]):
                n += 1
            best = max(best, n)
        return best

    def version(self, pattern: str) -> str | None:
        """The first group of ``pattern`` in any output (e.g. the RouterOS version)."""
        for text in self.outputs.values():
            if match := re.search(pattern, text):
                return match.group(1)
        return None
