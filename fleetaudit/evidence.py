"""Evidence: one command's raw output with its envelope. The collector's only product."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

EvidenceStatus = Literal["ok", "error", "timeout", "rejected"]


@dataclass
class Evidence:
    host: str
    platform: str
    command: str
    status: EvidenceStatus
    output: str = ""
    started: str = ""  # ISO 8601, UTC
    duration_s: float = 0.0
    error: str | None = None

    def envelope(self) -> dict[str, Any]:
        """Everything but the output, for the ``.json`` file beside it."""
        data = asdict(self)
        data.pop("output")
        return data
