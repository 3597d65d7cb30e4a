"""``rtp show settings`` (res_rtp_asterisk; from 13.33 and 16.10 on, absent before).

Format, from ``res/res_rtp_asterisk.c`` ``handle_cli_rtp_settings``: a ``General Settings:``
section of ``"  Port start:      %d"``, ``"  Port end:        %d"``, ``Checksums``,
``DTMF Timeout``, ``Strict RTP`` (``Probation`` when strict), ``Replay Protect``, and with
pjproject ``ICE support`` and ``STUN address:    %s:%d``.
"""

from __future__ import annotations

import re

from fleetaudit.platforms.asterisk.facts import Refused, RtpSettings, Unknown
from fleetaudit.platforms.asterisk.parsers.common import body, find, lines_of, not_found

COMMAND = "rtp show settings"
PORT_START = re.compile(r"^\s*Port start:\s*(?P<port>\d+)\s*$")
KEY_VALUE = re.compile(r"^\s*(?P<key>[A-Za-z][\w .]*?):\s*(?P<value>.*?)\s*$")


def parse_rtp_settings(text: str) -> RtpSettings | Refused | Unknown:
    lines = lines_of(text)
    found = find(lines, PORT_START)
    if found is None:
        return not_found(text, COMMAND, "Port start:")
    index = found[0]
    line = lines[index]
    values: dict[str, str] = {}
    for row in body(lines, index):
        if match := KEY_VALUE.match(row.text):
            values.setdefault(match["key"], match["value"])
    if not values.get("Port end", "").isdigit():
        return Unknown("'rtp show settings' without 'Port end': the output is cut short")
    stun = values.get("STUN address")
    return RtpSettings(
        port_start=int(values["Port start"]),
        port_end=int(values["Port end"]),
        strict_rtp=_yes(values.get("Strict RTP")),
        ice_support=_yes(values.get("ICE support")),
        stun_address=None if stun in (None, "0.0.0.0:0") else stun,
        ref=line.ref(COMMAND),
    )


def _yes(value: str | None) -> bool | None:
    return None if value is None else value == "Yes"
