"""Normalisers for napalm getters (their output is the getter's JSON)."""

from __future__ import annotations

from typing import Any

from fleetaudit.facts import Device, Ref
from fleetaudit.normalise import Output, normaliser


@normaliser("cisco_ios", "napalm get_facts")
def get_facts(parsed: Any, output: Output) -> dict[str, Any]:
    if not isinstance(parsed, dict) or not parsed.get("os_version"):
        return {"device": None}
    return {
        "device": Device(
            hostname=parsed.get("hostname") or None,
            vendor=parsed.get("vendor") or None,
            model=parsed.get("model") or None,
            os_version=parsed.get("os_version") or None,
            serial=parsed.get("serial_number") or None,
            ref=Ref(source=output.command, line=None, text=str(parsed.get("os_version"))),
        )
    }
