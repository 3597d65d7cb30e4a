"""The device (hostname, model, ASA version, serial) from ``show version``."""

from __future__ import annotations

from typing import Any

from fleetaudit.facts import Device
from fleetaudit.normalise import Output, normaliser
from fleetaudit.platforms.cisco_asa.parse.common import PLATFORM, _records, _text, is_error_output


@normaliser(PLATFORM, "show version")
def show_version(parsed: Any, out: Output) -> dict[str, Any]:
    """device from `show version`."""
    versions = _records(parsed, "version")
    if is_error_output(out.text) or not versions:
        return {"device": None}
    version = _text(versions[0].get("version"))
    uptime = _records(parsed, "uptime")
    hardware = _records(parsed, "hardware")
    serial = _records(parsed, "serial")
    # in a security context the line goes on (` <context>`): found by its start
    line = out.find_prefix(f"Cisco Adaptive Security Appliance Software Version {version}")
    return {
        "device": Device(
            hostname=_text(uptime[0].get("hostname")) if uptime else None,
            vendor="Cisco",
            model=_text(hardware[0].get("model")) if hardware else None,
            os_version=version,
            serial=_text(serial[0].get("serial")) if serial else None,
            ref=out.ref_line(line) if line else None,
        )
    }
