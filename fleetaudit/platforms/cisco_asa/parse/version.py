"""The device (hostname, model, ASA version, serial) from ``show version``."""

from __future__ import annotations

from typing import Any

from fleetaudit.facts import Device
from fleetaudit.normalise import Output, normaliser
from fleetaudit.platforms.cisco_asa.parse.common import (
    PLATFORM,
    clean_text,
    is_error_output,
    ttp_records,
)


@normaliser(PLATFORM, "show version")
def show_version(parsed: Any, out: Output) -> dict[str, Any]:
    """device from `show version`."""
    versions = ttp_records(parsed, "version")
    if is_error_output(out.text) or not versions:
        return {"device": None}
    version = clean_text(versions[0].get("version"))
    uptime = ttp_records(parsed, "uptime")
    hardware = ttp_records(parsed, "hardware")
    serial = ttp_records(parsed, "serial")
    # in a security context the line goes on (` <context>`): found by its start
    line = out.find_prefix(f"Cisco Adaptive Security Appliance Software Version {version}")
    return {
        "device": Device(
            hostname=clean_text(uptime[0].get("hostname")) if uptime else None,
            vendor="Cisco",
            model=clean_text(hardware[0].get("model")) if hardware else None,
            os_version=version,
            serial=clean_text(serial[0].get("serial")) if serial else None,
            ref=out.ref_line(line) if line else None,
        )
    }
