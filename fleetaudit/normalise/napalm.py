"""Normalisers for napalm getters (their output is the getter's JSON)."""

from __future__ import annotations

import re
from typing import Any

from fleetaudit.facts import Device, Ref
from fleetaudit.normalise import Output, normaliser


def _version_number(text: str) -> str:
    """napalm's IOS os_version is the whole banner line; keep the release.

    >>> _version_number("ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.3.4a, RELEASE")
    '17.3.4a'
    """
    found = re.search(r"Version ([^\s,]+)", text)
    return found.group(1) if found else text


@normaliser("cisco_ios", "napalm get_facts")
def get_facts(parsed: Any, output: Output) -> dict[str, Any]:
    if not isinstance(parsed, dict) or not parsed.get("os_version"):
        return {"device": None}
    return {
        "device": Device(
            hostname=parsed.get("hostname") or None,
            vendor=parsed.get("vendor") or None,
            model=parsed.get("model") or None,
            os_version=_version_number(str(parsed.get("os_version"))),
            serial=parsed.get("serial_number") or None,
            ref=Ref(source=output.command, line=None, text=str(parsed.get("os_version"))),
        )
    }
