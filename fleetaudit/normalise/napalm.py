"""Normalisers for napalm getters (their output is the getter's JSON)."""

from __future__ import annotations

import json
import re
from typing import Any

from fleetaudit.facts import Device, Ref
from fleetaudit.normalise import Output, source


def _version_number(text: str) -> str:
    """napalm's IOS os_version is the whole banner line; keep the release.

    >>> _version_number("ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.3.4a, RELEASE")
    '17.3.4a'
    """
    found = re.search(r"Version ([^\s,]+)", text)
    return found.group(1) if found else text


@source("cisco_ios", "napalm get_facts", facts=("device",))
def get_facts(_: Any, output: Output) -> dict[str, Any]:
    try:
        parsed = json.loads(output.text)
    except json.JSONDecodeError:
        return {"device": None}
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
