"""What the lab's devices received: every line typed in a shell, every exec request, every
web call — judged against the platform's read-only set and kept as evidence.

Each entry is one JSON object (``--log FILE`` appends one per line, on disk at once):
``{"time", "device", "platform", "via": "shell|exec|http", "line", "violation"}`` and,
for a violation, its ``"reason"``. A line typed at a ``Password:`` prompt is logged as
``"<password>"``, never as typed.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from fleetaudit import platforms
from fleetaudit.errors import UsageError

Via = Literal["shell", "exec", "http"]
PASSWORD = "<password>"


def violation(platform: str, line: str) -> str | None:
    """Why ``line`` is outside ``platform``'s read-only set (the collector's own rules:
    its grammar and declared set-up lines), or ``None``."""
    return platforms.get(platform).refuses_line(line)


class ReceivedLog:
    """The lab's log of received lines: in memory (``entries``) and, with a path, on disk."""

    def __init__(self, path: Path | None = None, keep: bool = True) -> None:
        self.path = path
        self.keep = keep  # False: on disk only (``lab serve`` runs for days)
        self.entries: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        if path is not None:
            self._append("")  # a log that cannot be written is said before the lab starts

    def record(
        self, device: str, platform: str, via: Via, line: str, reason: str | None = None
    ) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "device": device,
            "platform": platform,
            "via": via,
            "line": line,
            "violation": reason is not None,
        }
        if reason is not None:
            entry["reason"] = reason
        with self._lock:
            if self.keep:
                self.entries.append(entry)
            if self.path is not None:
                self._append(json.dumps(entry) + "\n")
        return entry

    def _append(self, text: str) -> None:
        """Opened, written and closed per entry: on disk as soon as it is received."""
        assert self.path is not None
        try:
            with self.path.open("a", encoding="utf-8") as file:
                file.write(text)
        except OSError as exc:
            raise UsageError(
                f"--log {self.path}: cannot write the log ({exc.strerror or exc}); "
                "give a file in a folder that exists and is writable"
            ) from None

    def violations(self) -> list[dict[str, Any]]:
        with self._lock:
            return [e for e in self.entries if e["violation"]]
