"""``sip show registry`` (chan_sip, 1.6 to 20).

Format, from ``channels/chan_sip.c`` ``sip_show_registry`` (1.6 prints Host 30 wide, 1.8 to 20
39 wide, otherwise the same): ``FORMAT2 "%-39.39s %-6.6s %-12.12s  %8.8s %-20.20s %-25.25s"`` for the header
``Host dnsmgr Username Refresh State Reg.Time``, ``FORMAT`` with ``%8d`` for each row, and
``"%d SIP registrations."`` as the footer. Host is ``hostname:port``; Username is
``user[@regdomain[:port]]`` cut to 12 characters; State is one of ``regstatestrings``:
Failed, Unregistered, Request Sent, Auth. Sent, Registered, Rejected, Timeout (1.8; later
printed as Registered), No Authentication; Reg.Time is ``%a, %d %b %Y %T`` or empty.
"""

from __future__ import annotations

import re
from typing import get_args

from fleetaudit.platforms.asterisk.facts import (
    Listing,
    Refused,
    SipRegistration,
    SipRegState,
    Unknown,
)
from fleetaudit.platforms.asterisk.parsers.common import body, find, lines_of, not_found

COMMAND = "sip show registry"
USERNAME_WIDTH = 12

HEADER = re.compile(r"^\s*Host\s+dnsmgr\s+Username\s+Refresh\s+State\s+Reg\.Time\s*$")
FOOTER = re.compile(r"^\s*(?P<count>\d+) SIP registrations?\.")
STATES: tuple[SipRegState, ...] = get_args(SipRegState)
#: a pasted capture may change the case ("Auth. sent"); facts carry Asterisk's spelling
CANONICAL: dict[str, SipRegState] = {state.lower(): state for state in STATES}
ROW = re.compile(
    r"^\s*(?P<host>\S+):(?P<port>\d+)\s+(?P<dnsmgr>[YN])\s+(?P<user>\S+)\s+(?P<refresh>-?\d+)\s+"
    r"(?P<state>(?i:" + "|".join(re.escape(state) for state in STATES) + r"))"
    r"(?:\s+(?P<time>\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d))?\s*$"
)


def parse_sip_registry(text: str) -> Listing[SipRegistration] | Refused | Unknown:
    lines = lines_of(text)
    found = find(lines, HEADER)
    if found is None:
        return not_found(text, COMMAND, "Host dnsmgr Username Refresh State Reg.Time")
    index = found[0]
    rows: list[SipRegistration] = []
    notes: list[str] = []
    count: int | None = None
    for row in body(lines, index + 1):
        if not row.text.strip():
            continue
        if footer := FOOTER.match(row.text):
            count = int(footer["count"])
            break
        match = ROW.match(row.text)
        if not match:  # the output ends here: an admin's comment, or garbled
            notes.append(f"the table stops at line {row.number}: {row.text.strip()!r}")
            break
        state = CANONICAL[match["state"].lower()]
        rows.append(
            SipRegistration(
                host=match["host"],
                port=int(match["port"]),
                dnsmgr=match["dnsmgr"] == "Y",
                username=match["user"],
                truncated=len(match["user"]) >= USERNAME_WIDTH,
                refresh_s=int(match["refresh"]),
                state=state,
                registered_at=match["time"],
                ref=row.ref(COMMAND),
            )
        )
    if count is None:
        notes.append("no 'N SIP registrations.' footer: the output may be cut short")
    elif count != len(rows):
        notes.append(f"the footer counts {count} registrations, {len(rows)} rows were read")
    complete = count == len(rows) and not notes
    return Listing(tuple(rows), complete, "chan_sip 1.8+", tuple(notes))
