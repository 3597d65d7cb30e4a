"""The voice gateway's SIP state: ``show sip service``, ``show sip-ua status``,
``show sip-ua timers``, ``show sip-ua statistics`` and ``show sip-ua register status``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from fleetaudit.facts import (
    Ref,
    Registration,
    SipCounter,
    SipService,
    SipUaStatistics,
    SipUaStatus,
    SipUaTimers,
)
from fleetaudit.normalise import Output, as_list, normaliser
from fleetaudit.platforms.cisco_ios.parse.common import PLATFORM, first_group, rejected, to_int

# --------------------------------------------------------------------------------------
# show sip service / show sip-ua status / show sip-ua timers
# --------------------------------------------------------------------------------------


@normaliser(PLATFORM, "show sip service")
def show_sip_service(parsed: Any, out: Output) -> dict[str, Any]:
    service = first_group(first_group(parsed).get("service"))
    if rejected(out) or not service.get("state"):
        return {"sip_service": None}
    state = " ".join(str(service["state"]).split())
    ref = out.ref(f"SIP {service.get('word', 'Service')} is {state}")
    return {"sip_service": SipService(up=state.lower() == "up", state=state, ref=ref)}


_TRANSPORTS = {"udp": "udp", "tcp": "tcp", "tls over tcp": "tls", "tls": "tls"}


@normaliser(PLATFORM, "show sip-ua status")
def show_sip_ua_status(parsed: Any, out: Output) -> dict[str, Any]:
    parsed = first_group(parsed)
    rows = [first_group(row) for row in as_list(parsed.get("transports"))]
    if rejected(out) or not rows:
        return {"sip_ua_status": None}
    transports: dict[str, bool] = {}
    refs: dict[str, Ref] = {}
    for row in rows:
        printed = " ".join(str(row.get("transport", "")).split())
        key = _TRANSPORTS.get(printed.lower(), printed.lower())
        transports[key] = str(row.get("state")).upper() == "ENABLED"
        refs[key] = out.ref(f"SIP User Agent for {printed} : {row.get('state')}")
    status = SipUaStatus(
        transports=transports,
        bind_signalling=_enabled(first_group(parsed.get("bind_signalling")).get("state")),
        bind_media=_enabled(first_group(parsed.get("bind_media")).get("state")),
        max_forwards=to_int(first_group(parsed.get("max_forwards")).get("value")),
        redirection=_enabled(first_group(parsed.get("redirection")).get("state")),
        refs=refs,
    )
    return {"sip_ua_status": status}


def _enabled(value: Any) -> bool | None:
    """``ENABLED`` / ``ENABLED 172.18.192.204`` -> True, ``DISABLED`` -> False."""
    if not value:
        return None
    word = str(value).split()[0].upper()
    return {"ENABLED": True, "DISABLED": False}.get(word)


_TIMER = re.compile(r"^(?P<name>[a-z][a-z0-9/ -]*?)\s+(?P<value>\d+)(?:\s+(?P<unit>\w+))?$")
_UNIT_MS = {None: 1, "ms": 1, "millisecs": 1, "seconds": 1000, "minutes": 60_000}


def parse_timers(lines: Iterable[str]) -> dict[str, int]:
    """``name value [unit]`` items, comma-separated over lines, in milliseconds.

    >>> parse_timers(["trying 500, expires 180000", ", register-dns-cache 3600 seconds",
    ...               "tcp/udp aging 5 minutes"])
    {'trying': 500, 'expires': 180000, 'register-dns-cache': 3600000, 'tcp/udp aging': 300000}
    """
    timers: dict[str, int] = {}
    for line in lines:
        for item in line.split(","):
            match = _TIMER.match(" ".join(item.split()))
            if match and match.group("unit") in _UNIT_MS:
                timers[match.group("name")] = (
                    int(match.group("value")) * _UNIT_MS[match.group("unit")]
                )
    return timers


@normaliser(PLATFORM, "show sip-ua timers")
def show_sip_ua_timers(parsed: Any, out: Output) -> dict[str, Any]:
    group = first_group(first_group(parsed).get("timers"))
    timers = parse_timers(str(group.get("lines") or "").splitlines())
    if rejected(out) or not timers:
        return {"sip_ua_timers": None}
    ref = out.ref(f"SIP UA Timer Values {group.get('units', '')}")
    return {"sip_ua_timers": SipUaTimers(timers_ms=timers, ref=ref)}


# --------------------------------------------------------------------------------------
# show sip-ua statistics
# --------------------------------------------------------------------------------------

SECTIONS = (
    "Informational",
    "Success",
    "Redirection",
    "Client Error",
    "Server Error",
    "Global Failure",
    "Miscellaneous counters",
    "SIP Total Traffic Statistics",
    "Retry Statistics",
    "SDP application statistics",
    "SIP Response Statistics",
)
_COUNTER = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9 ]*?):?\s+(?P<inb>\d+)(?:/(?P<outb>\d+))?$")


def section_name(header: str) -> str:
    """Canonical section of a statistics header.

    >>> section_name("Redirection (Inbound only except for MovedTemp(Inbound/Outbound)) ")
    'Redirection'
    >>> section_name("SIP Total Traffic Statistics (Inbound/Outbound)")
    'SIP Total Traffic Statistics'
    """
    header = " ".join(header.split()).rstrip(" :")
    for name in SECTIONS:
        if header.lower().startswith(name.lower()):
            return name
    return header


def parse_counters(line: str) -> list[tuple[str, int, int | None]]:
    """Counters printed on one line: ``name in/out`` or ``name n``, comma-separated.

    >>> parse_counters("ReqTimeout 3/0, Conflict 0/0, Gone 0/0,")
    [('ReqTimeout', 3, 0), ('Conflict', 0, 0), ('Gone', 0, 0)]
    >>> parse_counters("Invalid token order: 0, Invalid param: 0")
    [('Invalid token order', 0, None), ('Invalid param', 0, None)]
    """
    found: list[tuple[str, int, int | None]] = []
    for item in line.split(","):
        match = _COUNTER.match(" ".join(item.split()))
        if match:
            outbound = match.group("outb")
            found.append(
                (match.group("name"), int(match.group("inb")), int(outbound) if outbound else None)
            )
    return found


@normaliser(PLATFORM, "show sip-ua statistics")
def show_sip_ua_statistics(parsed: Any, out: Output) -> dict[str, Any]:
    parsed = first_group(parsed)
    counters: list[SipCounter] = []
    cursor = 0
    for raw in map(first_group, as_list(parsed.get("sections"))):
        header = " ".join(str(raw.get("header", "")).split())
        cursor = out.find_prefix(header, after=cursor) or cursor
        section = section_name(header)
        for line in str(raw.get("lines") or "").splitlines():
            if not line.strip() or line.strip().startswith("Last time"):
                continue
            number = out.find(line, after=cursor)
            cursor = number or cursor
            ref = out.ref_line(number) if number else None
            for name, inbound, outbound in parse_counters(line):
                counters.append(SipCounter(name, section, inbound, outbound, ref))
    if rejected(out) or not counters:
        return {"sip_ua_statistics": None}
    cleared = first_group(parsed.get("cleared")).get("cleared")
    return {"sip_ua_statistics": SipUaStatistics(counters=counters, cleared=cleared)}


# --------------------------------------------------------------------------------------
# show sip-ua register status
# --------------------------------------------------------------------------------------


@normaliser(PLATFORM, "show sip-ua register status")
def show_sip_ua_register_status(parsed: Any, out: Output) -> dict[str, Any]:
    parsed = first_group(parsed)
    header = str(first_group(parsed.get("header")).get("columns") or "")
    rows = [first_group(row) for row in as_list(parsed.get("registrations"))]
    if rejected(out) or not (rows or "expires" in header):
        return {"sip_ua_registrations": None}
    registrations = []
    for row in rows:
        printed = [row.get(k) for k in ("line", "peer", "expires", "registered", "extra")]
        text = " ".join(str(value) for value in printed if value is not None)
        registrations.append(
            Registration(
                line=str(row["line"]),
                peer=str(row["peer"]),
                expires_s=to_int(row.get("expires")),
                registered=row.get("registered") == "yes",
                ref=out.ref(text),
            )
        )
    return {"sip_ua_registrations": registrations}
