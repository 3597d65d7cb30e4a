"""``pjsip show endpoints|contacts|aors|transports|identifies`` (res_pjsip, 13 to 22), and the
single-object views ``pjsip show endpoint|transport <name>``.

The line grammar is in :mod:`pjsip_objects`. An output is this command's when the first
header placeholder after the blank line is this command's top object (``pjsip show
endpoints`` also prints the headers of every nested object). ``No objects found.`` is an
empty container: the command ran and nothing is configured.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from fleetaudit.platforms.asterisk.facts import (
    Listing,
    PjsipAor,
    PjsipContact,
    PjsipEndpoint,
    PjsipIdentify,
    PjsipTransport,
    Refused,
    Unknown,
)
from fleetaudit.platforms.asterisk.parsers.common import Line, lines_of, not_found
from fleetaudit.platforms.asterisk.parsers.pjsip_objects import (
    NONE_FOUND,
    PLACEHOLDER,
    TITLED,
    Tree,
    read_tree,
)

T = TypeVar("T")

HEADERS = {
    "Endpoint": "<Endpoint/CID",
    "Contact": "<Aor/ContactUri",
    "Aor": "<Aor",
    "Transport": "<TransportId",
    "Identify": "<Identify/Endpoint",  # 13.0-13.4: <MatchList (no pjsip show identifies)
}
NO_SUCH_OBJECT = re.compile(r"^\s*Unable to find object (?P<name>\S+)\.\s*$")


def parse_pjsip_endpoints(text: str) -> Listing[PjsipEndpoint] | Refused | Unknown:
    return _parse(text, "pjsip show endpoints", "Endpoint", lambda tree: tree.endpoints)


def parse_pjsip_contacts(text: str) -> Listing[PjsipContact] | Refused | Unknown:
    return _parse(text, "pjsip show contacts", "Contact", lambda tree: tree.contacts)


def parse_pjsip_aors(text: str) -> Listing[PjsipAor] | Refused | Unknown:
    return _parse(text, "pjsip show aors", "Aor", lambda tree: tree.aors)


def parse_pjsip_transports(text: str) -> Listing[PjsipTransport] | Refused | Unknown:
    return _parse(text, "pjsip show transports", "Transport", lambda tree: tree.transports)


def parse_pjsip_identifies(text: str) -> Listing[PjsipIdentify] | Refused | Unknown:
    return _parse(text, "pjsip show identifies", "Identify", lambda tree: tree.identifies)


def _parse(
    text: str, command: str, top: str, pick: Callable[[Tree], list[T]]
) -> Listing[T] | Refused | Unknown:
    lines = lines_of(text)
    start, notes = _start(lines, top)
    if start is None:
        for line in lines:
            if NONE_FOUND.match(line.text) or NO_SUCH_OBJECT.match(line.text):
                return Listing((), True, "res_pjsip", (line.text.strip(),))
        return not_found(text, command, f"{top}:  {HEADERS[top]}...>")
    if isinstance(start, Unknown):
        return start
    tree = read_tree(lines, start, command, top)
    items = pick(tree)
    if tree.none_found and not items:
        return Listing((), True, _layout(lines, top), ())
    notes.extend(tree.unread)
    single_view = tree.found is None and bool(tree.details) and len(items) == 1
    if tree.found is None and not single_view:
        notes.append("no 'Objects found: N' footer: the output may be cut short")
    elif tree.found is not None and tree.found != len(items):
        notes.append(f"the footer counts {tree.found} objects, {len(items)} were read")
    complete = not notes
    return Listing(tuple(items), complete, _layout(lines, top), tuple(notes))


def _start(lines: list[Line], top: str) -> tuple[int | Unknown | None, list[str]]:
    """Index of this command's header; failing that, of its first object line (a pasted
    fragment without header, read but never complete); ``Unknown`` for another command's."""
    for index, line in enumerate(lines):
        titled = TITLED.match(line.text)
        if titled and PLACEHOLDER.search(line.text):
            ours = HEADERS[top] in line.text or (top == "Identify" and "<MatchList" in line.text)
            if titled["title"] == top and ours:
                return index, []
            if titled["title"] in HEADERS:
                return (
                    Unknown(f"this is the output of a 'pjsip show' of {titled['title']} objects"),
                    [],
                )
    for index, line in enumerate(lines):
        first = line.text.strip()
        if first.startswith(f"{top}:") and not PLACEHOLDER.search(first):
            return index, ["no header: a fragment of the output, read line by line"]
    return None, []


def _layout(lines: list[Line], top: str) -> str:
    for line in lines:
        if "<Hash" in line.text:
            return "res_pjsip 13.7+ (contact hash)"
        if "<Status....>" in line.text:
            return "res_pjsip 13.0-13.6 (no contact hash)"
        if "<MatchList" in line.text:
            return "res_pjsip 13.0-13.4 (identify match list)"
    return "res_pjsip"
