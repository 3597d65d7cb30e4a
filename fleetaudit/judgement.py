"""Judging one answer by its platform: refused, cut short or garbled, or whole."""

from __future__ import annotations

from fleetaudit import platforms
from fleetaudit.evidence import EvidenceStatus


def judged(output: str, platform: str, command: str = "") -> tuple[EvidenceStatus, str | None]:
    r"""What one answer is: ``("rejected", the device's complaint)`` when the output is
    the platform's refusal, ``("incomplete", why)`` when it is cut short or garbled,
    else ``("ok", None)``. Live and saved outputs are judged by this one function
    (without ``command`` only refusals and garbage are seen; the parse stage judges again).
    Examples are in each platform's package (``fleetaudit/platforms/<name>/__init__.py``).
    """
    found = platforms.get(platform)
    complaint = found.refusal(output)
    if complaint is not None:
        return "rejected", complaint
    damage = found.damaged(command, output)
    return ("ok", None) if damage is None else ("incomplete", f"`{command}` {damage}")
