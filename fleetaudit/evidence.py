"""Evidence: one command's raw output with its envelope. The collector's only product."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Literal

EvidenceStatus = Literal["ok", "error", "timeout", "rejected"]

# what IOS, ASA and RouterOS print when they refuse a command
REJECTED = re.compile(
    r"^\s*(% ?Invalid input|% ?Ambiguous command|% ?Incomplete command|% ?Unknown command"
    r"|ERROR: %|bad command name|syntax error \(line|expected end of command)",
    re.MULTILINE,
)


def judged(output: str) -> tuple[EvidenceStatus, str | None]:
    r"""``("rejected", the device's complaint)`` when the output is a refusal, else ``("ok", None)``.

    >>> judged("show sip\n    ^\n% Invalid input detected at '^' marker.")
    ('rejected', "% Invalid input detected at '^' marker.")
    >>> judged("SIP Service is up")
    ('ok', None)
    """
    if not REJECTED.search(output[:500]):
        return "ok", None
    return "rejected", output.strip().splitlines()[-1]


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
