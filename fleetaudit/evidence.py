"""Evidence: one command's raw output with its envelope. The collector's only product."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from fleetaudit import platforms

EvidenceStatus = Literal["ok", "error", "timeout", "rejected"]


def judged(output: str, platform: str) -> tuple[EvidenceStatus, str | None]:
    r"""``("rejected", the device's complaint)`` when the output is the platform's refusal,
    else ``("ok", None)``.

    >>> judged("show sip\n    ^\n% Invalid input detected at '^' marker.", "cisco_ios")
    ('rejected', "% Invalid input detected at '^' marker.")
    >>> judged("SIP Service is up", "cisco_ios")
    ('ok', None)
    """
    complaint = platforms.get(platform).refusal(output)
    return ("ok", None) if complaint is None else ("rejected", complaint)


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
    # set by fleetaudit.sanitize.scrub_evidence only: the store keeps nothing without it
    scrubbed: bool = False

    def envelope(self) -> dict[str, Any]:
        """Everything but the output, for the ``.json`` file beside it."""
        data = asdict(self)
        data.pop("output")
        return data
