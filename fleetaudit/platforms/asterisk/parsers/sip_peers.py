"""``sip show peers`` (chan_sip, Asterisk 1.4 to 20; removed in 21).

Formats, from ``channels/chan_sip.c`` (``_sip_show_peers`` / ``PEERS_FORMAT2``):

- 1.4 / 1.6 ``"%-25.25s  %-15.15s %-3.3s %-3.3s %-3.3s %-8s %-10s %s"``:
  ``Name/username Host Dyn Nat ACL Port Status Realtime``;
- 1.8 ``"%-25.25s %-39.39s %-3.3s %-10.10s %-3.3s %-8s %-10s %s"``:
  ``... Dyn Forcerport ACL Port Status Realtime``;
- 11.0-11.9 adds ``Description`` (``%-11s %-32.32s``); the Forcerport column shows
  `` N `` (yes), `` A `` (auto, yes), `` a `` (auto, no) or blank;
- 11.10 to 20 adds ``Comedia``; Forcerport and Comedia print ``Yes``, ``No``,
  ``Auto (Yes)``, ``Auto (No)`` (``force_rport_string`` / ``comedia_string``).

Status is ``OK (N ms)``, ``LAGGED (N ms)``, ``UNREACHABLE``, ``UNKNOWN`` or ``Unmonitored``
(``peer_status``). The name column is cut at 25 characters ("name/username"), so a long
username arrives truncated. The footer ``N sip peers [Monitored: ...]`` closes the table.
Rows are read by words, so captures whose spaces a web page collapsed read too; the flag
columns are read by position when the spacing is intact.
"""

from __future__ import annotations

import re

from fleetaudit.platforms.asterisk.facts import (
    Listing,
    NatFlag,
    PeerStatus,
    Refused,
    SipPeer,
    SipPeers,
    SipPeerSummary,
    Unknown,
)
from fleetaudit.platforms.asterisk.parsers.common import Line, body, find, lines_of, not_found

COMMAND = "sip show peers"
NAME_WIDTH = 25

HEADER = re.compile(
    r"^\s*Name/username\s+Host\s+Dyn\s+(?P<nat>Nat|Forcerport)\s+(?P<comedia>Comedia\s+)?"
    r"ACL\s+Port\s+Status(?P<description>\s+Description)?(?:\s+Realtime)?\s*$"
)
FOOTER = re.compile(
    r"^\s*(?P<total>\d+) sip peers \[Monitored: (?P<mon_on>\d+) online, (?P<mon_off>\d+) offline"
    r"\s+Unmonitored: (?P<unmon_on>\d+) online, (?P<unmon_off>\d+) offline\]"
)
_YESNO = r"Auto \((?:Yes|No)\)|Yes|No"
STATUS = (
    r"(?P<status>OK \((?P<ok_ms>\d+) ms\)|LAGGED \((?P<lag_ms>\d+) ms\)|UNREACHABLE|UNKNOWN"
    r"|Unmonitored)"
)
ROW_START = re.compile(
    r"^(?P<name>\S+)\s+(?P<host>\S+)\s+(?P<flags>.*?)\s*(?P<port>\d+)\s+" + STATUS
)
MODERN_FLAGS = re.compile(
    rf"^(?:(?P<dyn>D)\s+)?(?P<frp>{_YESNO})\s+(?P<comedia>{_YESNO})(?:\s+(?P<acl>A))?$"
)

#: (layout, offset of the Dyn column) when the spacing of the format string is intact
LAYOUTS = {
    ("Nat", False, False): ("chan_sip 1.4/1.6", 43),
    ("Forcerport", False, False): ("chan_sip 1.8", 66),
    ("Forcerport", False, True): ("chan_sip 11.0-11.9", 66),
    ("Forcerport", True, True): ("chan_sip 11.10+", 66),
}


def parse_sip_peers(text: str) -> SipPeers | Refused | Unknown:
    lines = lines_of(text)
    found = find(lines, HEADER)
    if found is None:
        return not_found(text, COMMAND, "Name/username Host Dyn")
    index, header = found
    line = lines[index]
    key = (header["nat"], header["comedia"] is not None, header["description"] is not None)
    if key not in LAYOUTS:
        return Unknown(f"unrecognised 'sip show peers' header: {line.text.strip()!r}")
    layout, dyn_offset = LAYOUTS[key]
    fixed = line.text.find("Dyn") == dyn_offset  # the header kept its column spacing
    peers: list[SipPeer] = []
    notes: list[str] = []
    summary: SipPeerSummary | None = None
    for row in body(lines, index + 1):
        if not row.text.strip():
            continue
        if footer := FOOTER.match(row.text):
            summary = SipPeerSummary(
                total=int(footer["total"]),
                monitored_online=int(footer["mon_on"]),
                monitored_offline=int(footer["mon_off"]),
                unmonitored_online=int(footer["unmon_on"]),
                unmonitored_offline=int(footer["unmon_off"]),
                ref=row.ref(COMMAND),
            )
            break
        peer = _peer(row, layout, dyn_offset if fixed else None, notes)
        if peer is None:  # the output ends here: an admin's comment, or garbled
            notes.append(f"the table stops at line {row.number}: {row.text.strip()!r}")
            break
        peers.append(peer)
    complete = summary is not None and summary.total == len(peers) and not notes
    if summary is None:
        notes.append("no 'N sip peers [Monitored: ...]' footer: the output may be cut short")
    elif summary.total != len(peers):
        notes.append(f"the footer counts {summary.total} peers, {len(peers)} rows were read")
    return SipPeers(Listing(tuple(peers), complete, layout, tuple(notes)), summary)


def _peer(row: Line, layout: str, dyn_offset: int | None, notes: list[str]) -> SipPeer | None:
    match = ROW_START.match(row.text.strip() if dyn_offset is None else row.text)
    if not match:
        return None
    name, _, username = match["name"].partition("/")
    flags = _flags(row.text, match["flags"], layout, dyn_offset)
    if flags is None:
        return None
    dynamic, force_rport, comedia, acl = flags
    if acl is None:
        notes.append(f"line {row.number}: a lone 'A' is either auto force_rport or an ACL")
    rest = row.text[match.end() :].strip()
    realtime = rest.endswith("Cached RT")
    description = rest.removesuffix("Cached RT").strip() or None
    status: PeerStatus = match["status"].split(" ")[0]  # type: ignore[assignment]
    latency = match["ok_ms"] or match["lag_ms"]
    return SipPeer(
        name=name,
        username=username or None,
        truncated=len(match["name"]) >= NAME_WIDTH,
        host=None if match["host"] == "(Unspecified)" else match["host"],
        dynamic=dynamic,
        force_rport=force_rport,
        comedia=comedia,
        acl=bool(acl),
        port=int(match["port"]),
        status=status,
        latency_ms=int(latency) if latency else None,
        description=description,
        realtime=realtime,
        ref=row.ref(COMMAND),
    )


Flags = tuple[bool, NatFlag | None, NatFlag | None, bool | None]


def _flags(text: str, words: str, layout: str, dyn_offset: int | None) -> Flags | None:
    if layout == "chan_sip 11.10+":
        modern = MODERN_FLAGS.match(words.strip())
        if not modern:
            return None
        return (
            modern["dyn"] is not None,
            _yes_no(modern["frp"]),
            _yes_no(modern["comedia"]),
            modern["acl"] is not None,
        )
    if dyn_offset is not None:  # one letter per 3-wide column, at the format's offsets
        nat_width = 3 if layout == "chan_sip 1.4/1.6" else 10
        dyn = text[dyn_offset : dyn_offset + 3].strip()
        nat = text[dyn_offset + 4 : dyn_offset + 4 + nat_width].strip()
        acl_at = dyn_offset + 4 + nat_width + 1
        acl = text[acl_at : acl_at + 3].strip()
        if dyn not in ("", "D") or nat not in ("", "N", "A", "a") or acl not in ("", "A"):
            return None
        return dyn == "D", _letter(nat), None, acl == "A"
    letters = words.split()
    dynamic = bool(letters) and letters[0] == "D"
    letters = letters[1:] if dynamic else letters
    if any(letter not in ("N", "A", "a") for letter in letters) or len(letters) > 2:
        return None
    if len(letters) == 2:
        return dynamic, _letter(letters[0]), None, letters[1] == "A"
    if not letters:
        return dynamic, "no", None, False
    if letters[0] in ("N", "a"):
        return dynamic, _letter(letters[0]), None, False
    if layout == "chan_sip 11.0-11.9":  # "A" is auto force_rport or the ACL here
        return dynamic, None, None, None
    return dynamic, "no", None, True


def _letter(flag: str) -> NatFlag:
    return {"N": "yes", "A": "auto-yes", "a": "auto-no"}.get(flag, "no")  # type: ignore[return-value]


def _yes_no(word: str) -> NatFlag:
    return {"Yes": "yes", "No": "no", "Auto (Yes)": "auto-yes", "Auto (No)": "auto-no"}[word]  # type: ignore[return-value]
