"""The device (hostname, model, IOS / IOS-XE version, serial) from ``show version``."""

from __future__ import annotations

import re
from typing import Any

from fleetaudit.facts import Device, Ref
from fleetaudit.normalise import Output, normaliser
from fleetaudit.platforms.cisco_ios.parse.common import PLATFORM, first_group, rejected

_RELEASE = re.compile(r"\d+\.\d+")  # 17.03.04a, 16.9.5


@normaliser(PLATFORM, "show version")
def show_version(parsed: Any, out: Output) -> dict[str, Any]:
    parsed = first_group(parsed)
    ios_line = first_group(parsed.get("software")).get("ios_line")
    xe_version = first_group(parsed.get("xe")).get("xe_version")
    hostname = first_group(parsed.get("uptime")).get("hostname")
    if rejected(out) or not (ios_line or xe_version or hostname):
        return {"device": None}
    # a special build names itself on the XE line (`Version V169_5_SR689355441_2`); its
    # release is the IOS line's (`Version 16.9.5, CUST-SPECIAL:...`)
    if xe_version and not _RELEASE.match(str(xe_version)):
        xe_version = None
    version = xe_version
    if not version and ios_line:
        match = re.search(r"Version ([^,\s]+)", str(ios_line))
        version = match.group(1) if match else None
    if xe_version:
        ref: Ref | None = out.ref(f"Cisco IOS XE Software, Version {xe_version}")
    else:
        ref = out.ref(str(ios_line)) if ios_line else None
    device = Device(
        hostname=hostname,
        vendor="Cisco",
        model=first_group(parsed.get("hardware")).get("model")
        or first_group(parsed.get("model_number")).get("model"),
        os_version=version,
        serial=first_group(parsed.get("serial")).get("serial")
        or first_group(parsed.get("system_serial")).get("serial"),
        ref=ref,
    )
    return {"device": device}
