"""Evidence: one command's raw output with its envelope. The collector's only product.

Plain data below the platforms: what an answer *is* (refused, cut short) is judged by
:func:`fleetaudit.judgement.judged`, which asks the answer's platform."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from fleetaudit.model import HostStatus

#: ``incomplete``: an answer came, but cut short or garbled (``error`` says how); the
#: output is kept as seen, and the facts it would give are unknown.
EvidenceStatus = Literal["ok", "error", "timeout", "rejected", "incomplete"]


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
    # the status came from fleetaudit.judgement.judged with this command (live or saved):
    # the parse stage need not judge the output again
    judged: bool = False


@dataclass
class HostCollection:
    """What collecting one host gave: its status and every command's evidence."""

    name: str
    platform: str
    site: str | None
    role: str | None
    status: HostStatus = "ok"
    error: str | None = None
    evidence: dict[str, Evidence] = field(default_factory=dict)


def command_slug(command: str) -> str:
    """File-name form of a command.

    >>> command_slug("show sip-ua register status")
    'show_sip-ua_register_status'
    >>> command_slug("/export verbose")
    'export_verbose'
    """
    return re.sub(r"[^a-z0-9-]+", "_", command.strip().lower()).strip("_")
