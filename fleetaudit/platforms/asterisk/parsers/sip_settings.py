"""``sip show settings`` (chan_sip): the global NAT settings.

Format, from ``channels/chan_sip.c`` ``sip_show_settings`` (1.8 to 20): sections
``Global Settings:``, ``Network Settings:`` ... of ``"  %-24s%s"``-style lines
(``"  Externaddr:             %s"``). Under Network Settings: ``SIP address remapping:``
(``Disabled, no localnet list`` / ``Disabled`` / ``Enabled using externhost`` /
``Enabled using externaddr``), ``Externhost:`` (``<none>`` when unset), ``Externaddr:``
(``ast_sockaddr_stringify``, ``(null)`` when unset), then ``Localnet:`` followed by one
``addr/mask`` per line (continuation lines have an empty label).
"""

from __future__ import annotations

import ipaddress
import re

from fleetaudit.platforms.asterisk.facts import NatFlag, Refused, SipSettings, Unknown
from fleetaudit.platforms.asterisk.parsers.common import body, find, lines_of, not_found

COMMAND = "sip show settings"
MARKER = re.compile(r"^\s*Global Settings:\s*$")
KEY_VALUE = re.compile(r"^\s{1,4}(?P<key>[^:]+?)\s*:\s*(?P<value>.*?)\s*$")
NETMASK = re.compile(r"^\s*(?P<addr>[0-9a-fA-F:.]+)/(?P<mask>[0-9a-fA-F:.]+)\s*$")
NAT_WORDS: dict[str, NatFlag] = {
    "Yes": "yes",
    "No": "no",
    "Auto (Yes)": "auto-yes",
    "Auto (No)": "auto-no",
}


def parse_sip_settings(text: str) -> SipSettings | Refused | Unknown:
    lines = lines_of(text)
    found = find(lines, MARKER)
    if found is None:
        return not_found(text, COMMAND, "Global Settings:")
    index = found[0]
    values: dict[str, str] = {}
    localnets: list[str] = []
    last_key = ""
    network_ref = None
    for row in body(lines, index + 1):
        mask_line = NETMASK.match(row.text)
        if mask_line and last_key == "Localnet":
            localnets.append(_cidr(mask_line["addr"], mask_line["mask"]))
            continue
        match = KEY_VALUE.match(row.text)
        if not match:
            continue
        key, value = match["key"].strip(), match["value"]
        last_key = key
        if key == "Localnet":
            addr, _, mask = value.partition("/")
            localnets.append(_cidr(addr, mask))
            continue
        values.setdefault(key, value)
        if key == "SIP address remapping":
            network_ref = row.ref(COMMAND)
    if "Externaddr" not in values and "SIP address remapping" not in values:
        return Unknown("'sip show settings' without its Network Settings: the output is cut short")
    externaddr = values.get("Externaddr", "")
    externhost = values.get("Externhost", "")
    guest = values.get("Allow unknown access")
    return SipSettings(
        udp_bind=values.get("UDP Bindaddress"),
        externaddr=None if externaddr in ("", "(null)") else externaddr,
        externhost=None if externhost in ("", "<none>") else externhost,
        remapping=values.get("SIP address remapping"),
        localnets=tuple(localnets),
        allow_guest=None if guest is None else guest == "Yes",
        symmetric_rtp=NAT_WORDS.get(values.get("Symmetric RTP", "")),
        force_rport=NAT_WORDS.get(values.get("Force rport", "")),
        values=values,
        ref=network_ref,
    )


def _cidr(addr: str, mask: str) -> str:
    try:
        return str(ipaddress.ip_network(f"{addr}/{mask}", strict=False))
    except ValueError:
        return f"{addr}/{mask}"
