"""IP phones, audited over their web interfaces (one platform per vendor)."""

from __future__ import annotations

from fleetaudit.platforms.base import Platform
from fleetaudit.platforms.grammar import http_reads_only
from fleetaudit.platforms.phones.completeness import completeness
from fleetaudit.platforms.phones.vendors import VENDORS

PLATFORMS = tuple(
    Platform(
        name=platform,
        title=f"{vendor.vendor} IP phone",
        transport="http",
        # a phone's provisioning file stands where its web API's configuration answer would
        config_command=vendor.config.command,
        read_only=http_reads_only(platform),
        complete=completeness(platform),
        family="phone",
        roles=("phone",),
        parsers=("fleetaudit.platforms.phones.parsers",),
        collector="fleetaudit.platforms.phones.collect:collect_phone",
        lab="fleetaudit.platforms.phones.lab:PhoneServer",
        # a Cisco phone fetches its SEP<MAC>.cnf.xml from a configuration server
        lab_serves_config=platform == "cisco_phone",
    )
    for platform, vendor in VENDORS.items()
)
