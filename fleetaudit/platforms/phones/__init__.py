"""IP phones, audited over their web interfaces (one platform per vendor)."""

from __future__ import annotations

from fleetaudit.phones.vendors import VENDORS
from fleetaudit.platforms.base import Platform
from fleetaudit.platforms.grammar import http_reads_only
from fleetaudit.platforms.phones.completeness import completeness

PLATFORMS = tuple(
    Platform(
        name=platform,
        title=f"{vendor.vendor} IP phone",
        transport="http",
        # a phone's provisioning file stands where its web API's configuration answer would
        config_command=vendor.config.command,
        read_only=http_reads_only(platform),
        complete=completeness(platform),
    )
    for platform, vendor in VENDORS.items()
)
