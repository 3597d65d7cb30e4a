"""``/system resource print`` -> device (model from ``board``, RouterOS version)."""

from __future__ import annotations

from typing import Any

from fleetaudit.facts import Device
from fleetaudit.normalise import Output, normaliser
from fleetaudit.platforms.mikrotik_routeros.parse.export import (
    PLATFORM,
    clean_value,
    export_records,
    is_error_output,
)


@normaliser(PLATFORM, "/system resource print")
def system_resource(parsed: Any, out: Output) -> dict[str, Any]:
    """device from `/system resource print`."""
    records = export_records(parsed, "resource")
    if is_error_output(out.text) or not records or not records[0].get("version"):
        return {"device": None}
    record = records[0]
    version = clean_value(record.get("version"))
    number = next(
        (n for n, line in enumerate(out.lines, start=1) if line.strip().startswith("version:")),
        None,
    )
    return {
        "device": Device(
            hostname=None,
            vendor="MikroTik",
            model=clean_value(record.get("board")) or None,
            os_version=version,
            serial=None,
            ref=out.ref_line(number) if number else None,
        )
    }
