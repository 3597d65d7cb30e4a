"""A configuration file as read from the PBX (``cat /etc/asterisk/<name>``)."""

from __future__ import annotations

from dataclasses import dataclass

from fleetaudit.facts import Ref


@dataclass(frozen=True)
class ConfFile:
    name: str  # "pjsip.conf"
    text: str | None  # None: the file does not exist on the PBX
    missing_ref: Ref | None  # cat's "No such file or directory" line, when missing
