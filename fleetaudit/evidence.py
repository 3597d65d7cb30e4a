"""Evidence: one command's raw output with its envelope. The collector's only product."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from fleetaudit import platforms

#: ``incomplete``: an answer came, but cut short or garbled (``error`` says how); the
#: output is kept as seen, and the facts it would give are unknown.
EvidenceStatus = Literal["ok", "error", "timeout", "rejected", "incomplete"]


def judged(output: str, platform: str, command: str = "") -> tuple[EvidenceStatus, str | None]:
    r"""What one answer is: ``("rejected", the device's complaint)`` when the output is
    the platform's refusal, ``("incomplete", why)`` when it is cut short or garbled,
    else ``("ok", None)``. Live and saved outputs are judged by this one function
    (without ``command`` only refusals and garbage are seen; the parse stage judges again).

    >>> judged("show sip\n  ^\n% Invalid input detected at '^' marker.", "cisco_ios", "show sip")
    ('rejected', "% Invalid input detected at '^' marker.")
    >>> judged("SIP Service is up", "cisco_ios", "show sip service")
    ('ok', None)
    >>> judged("hostname gw1\ninterface Gi0/0\n", "cisco_ios", "show running-config")
    ('incomplete', '`show running-config` looks truncated: no `end` line')
    """
    found = platforms.get(platform)
    complaint = found.refusal(output)
    if complaint is not None:
        return "rejected", complaint
    damage = found.damaged(command, output)
    return ("ok", None) if damage is None else ("incomplete", f"`{command}` {damage}")


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
