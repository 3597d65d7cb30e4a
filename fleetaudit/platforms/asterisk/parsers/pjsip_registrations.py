"""``pjsip show registrations`` (res_pjsip_outbound_registration, 13 to 22).

Formats, from ``res/res_pjsip_outbound_registration.c`` ``cli_print_header`` / ``cli_print_body``:

- 13.0 to 16.26 and 18.0 to 18.12: header
  ``<Registration/ServerURI..............................>  <Auth..........>  <Status.......>``,
  rows ``" %-s/%-*.*s  %-16s  %-16s"``: id/server_uri (the URI cut to 53 - len(id)), the
  first outbound auth or ``n/a``, the status;
- 16.27+, 18.13+, 20 and later: the Auth column widens to 26 (``<Auth....................>``)
  and the status is followed by the expiration, ``" %-s/%-*.*s  %-26s  %-16s %s%d%s"``:
  ``Registered (exp. 3545s)``, ``Rejected (exp. 12s ago)``; without a registration state the
  ``%d`` still prints, a bare ``0``.

Status strings (``sip_outbound_registration_status_str``): Registered, Unregistered, Rejected
(temporary or permanent); 13.0 also printed Stopped. The rows are framed like every
``pjsip show`` list (90 ``=``, ``Objects found: N``; ``No objects found.`` when empty).
"""

from __future__ import annotations

import re

from fleetaudit.platforms.asterisk.facts import (
    Listing,
    PjsipRegistration,
    PjsipRegStatus,
    Refused,
    Unknown,
)
from fleetaudit.platforms.asterisk.parsers.common import body, find, lines_of, not_found
from fleetaudit.platforms.asterisk.parsers.pjsip_objects import FOUND, NONE_FOUND, SEPARATOR

COMMAND = "pjsip show registrations"
URI_WIDTH = 53
HEADER = re.compile(r"^\s*<Registration/ServerURI\.*>\s+<Auth(?P<auth>\.*)>\s+<Status\.*>\s*$")
ROW = re.compile(
    r"^\s*(?P<id>[^/\s]+)/(?P<uri>\S+)\s+(?P<auth>\S+)\s+"
    r"(?P<status>Registered|Unregistered|Rejected|Stopped)"
    r"(?:\s+\(exp\. (?P<exp>\d+)s(?P<ago> ago)?\)|\s+\d+)?\s*$"
)


def parse_pjsip_registrations(text: str) -> Listing[PjsipRegistration] | Refused | Unknown:
    lines = lines_of(text)
    found_header = find(lines, HEADER)
    if found_header is None:
        if any(NONE_FOUND.match(line.text) for line in lines):
            return Listing((), True, "res_pjsip", ("No objects found.",))
        return not_found(text, COMMAND, "<Registration/ServerURI...>")
    index, header = found_header
    wide_auth = len(header["auth"]) > 16
    layout = "res_pjsip 16.27+/18.13+/20+ (expiration)" if wide_auth else "res_pjsip 13-16.26/18.12"
    rows: list[PjsipRegistration] = []
    notes: list[str] = []
    found: int | None = None
    for row in body(lines, index + 1):
        if not row.text.strip() or SEPARATOR.match(row.text):
            continue
        if footer := FOUND.match(row.text):
            found = int(footer["count"])
            break
        match = ROW.match(row.text)
        if not match:
            notes.append(f"line {row.number} is not a registration row: {row.text.strip()!r}")
            continue
        expires = None
        if match["exp"] is not None:
            expires = -int(match["exp"]) if match["ago"] else int(match["exp"])
        status: PjsipRegStatus = match["status"]  # type: ignore[assignment]
        rows.append(
            PjsipRegistration(
                name=match["id"],
                server_uri=match["uri"],
                truncated=len(match["uri"]) >= URI_WIDTH - len(match["id"]),
                auth=None if match["auth"] == "n/a" else match["auth"],
                status=status,
                expires_s=expires,
                ref=row.ref(COMMAND),
            )
        )
    if found is None:
        notes.append("no 'Objects found: N' footer: the output may be cut short")
    elif found != len(rows):
        notes.append(f"the footer counts {found} registrations, {len(rows)} rows were read")
    return Listing(tuple(rows), not notes, layout, tuple(notes))
