"""The line grammar shared by res_pjsip's ``pjsip show ...`` commands, and the tree it builds.

Format, from ``res/res_pjsip/pjsip_cli.c`` ``ast_sip_cli_traverse_objects`` (13 to 22): a blank
line, the formatter's header lines (``<Endpoint/CID....>``-style placeholders), a line of 90
``=``, the objects, then ``Objects found: N``; an empty container prints only
``No objects found.``. Each object line is ``"%*s:  ..."``, its title right-aligned in
``CLI_INDENT_TO_SPACES(level)`` = 9 + 2*level columns (``res_pjsip_cli.h``):

- ``Endpoint:  %-*.*s  %-12.12s  %d of %.0f`` (``pjsip_configuration.c``): id[/callerid number],
  device state, channels "of" limit (``inf``);
- ``InAuth:``/``OutAuth:  %s/%s`` (``config_auth.c``): auth id / username;
- ``Aor:  %-*.*s %12u`` (``location.c``): id, max_contacts;
- ``Contact:  %s/%-*.*s %-10.10s %-7.7s %11.3f`` (``location.c``, 13.7+): aor/uri, 10 characters
  of the contact id's hash, short status (``Avail``, ``Unavail``, ``NonQual`` — ``Created`` in 13
  — ``Unknown``, ``Removed``), RTT in ms or ``nan``; before 13.7 ``%-*.*s  %-12.12s  %11.3f``
  without the hash;
- ``Transport:  %-21s  %6s  %5u  %5u  %s`` (``config_transport.c``): id, type, cos, tos, bind;
- ``Identify:  %s/%s`` with ``Match: %s%s/%d`` lines (``res_pjsip_endpoint_identifier_ip.c``,
  13.5+; ``!`` marks an excluded range); 13.0-13.4 print ``Identify:  <cidr,cidr>`` only;
- ``Channel:`` / ``Exten:`` lines (``channels/pjsip/cli_commands.c``), not read here.

``pjsip show <object> <name>`` also prints the object's parameters as `` %-*s : %s`` lines
(``ast_sip_cli_print_sorcery_objectset``); they are kept as ``details``.

Lines are read by words, so captures whose spaces a web page collapsed read too — even when
one object's lines were run together into one line (each title starts a new line here).
"""

from __future__ import annotations

import ipaddress
import math
import re
from dataclasses import dataclass, field, replace
from typing import Literal

from fleetaudit.facts import Ref
from fleetaudit.platforms.asterisk.facts import (
    ContactStatus,
    PjsipAor,
    PjsipAuthRef,
    PjsipContact,
    PjsipEndpoint,
    PjsipIdentify,
    PjsipTransport,
)
from fleetaudit.platforms.asterisk.parsers.common import Line, body

TITLES = r"(?:Endpoint|InAuth|OutAuth|Aor|Contact|Transport|Identify|Match|Channel|Exten)"
#: where a run-together capture starts its next object line: a whole run of blanks before
#: a title (``\s+(?=title)``; the look-behind spares it retrying from inside each run of
#: the padded columns, which cost the square of the run's length)
NEXT_TITLE = re.compile(r"(?<!\s)\s+(?=" + TITLES + r":\s)")
TITLED = re.compile(r"^\s*(?P<title>" + TITLES + r"):\s+(?P<rest>.*?)\s*$")
PLACEHOLDER = re.compile(r"<[^<>]*\.{2,}[^<>]*>|<(?:Status|Hash|MaxContact|Type|cos|tos)[^>]*>")
SEPARATOR = re.compile(r"^\s*={20,}\s*$")
FOUND = re.compile(r"^\s*Objects found: (?P<count>\d+)\s*$")
NONE_FOUND = re.compile(r"^\s*No objects found\.\s*$")
DETAIL = re.compile(r"^\s*(?P<key>[A-Za-z0-9][\w-]*)\s+:\s?(?P<value>.*?)\s*$")

DEVICE_STATES = "Not in use|In use|Busy|Invalid|Unavailable|Ringing|Ring\\+Inuse|On Hold|Unknown"
ENDPOINT = re.compile(
    r"^(?P<id>\S+)\s+(?P<state>" + DEVICE_STATES + r")\s+(?P<channels>\d+) of (?P<limit>inf|\d+)$"
)
AUTH = re.compile(r"^(?P<id>[^/\s]+)/(?P<user>\S*)$")
AOR = re.compile(r"^(?P<id>\S+)\s+(?P<max>\d+)$")
STATUSES = "Avail|Unavail|NonQual|Created|Unknown|Removed"
CONTACT = re.compile(
    r"^(?P<aor>[^/\s]+)/(?P<uri>.+?)(?:\s+(?P<hash>[0-9a-f]{10}))?\s+(?P<status>"
    + STATUSES
    + r")\s+(?P<rtt>-?nan|-?\d+\.\d+)$"
)
TRANSPORT = re.compile(
    r"^(?P<id>\S+)\s+(?P<type>\S+)\s+(?P<cos>\d+)\s+(?P<tos>\d+)\s+(?P<bind>\S+)$"
)
IDENTIFY = re.compile(r"^(?P<id>[^/\s]+)/(?P<endpoint>\S+)$")

#: flexible column widths: 62 (CLI_LAST_TABSTOP) minus indent and fixed columns
ENDPOINT_WIDTH = 51


@dataclass
class Tree:
    """Objects in the order printed, each holding the lines nested under it."""

    endpoints: list[PjsipEndpoint] = field(default_factory=list)
    aors: list[PjsipAor] = field(default_factory=list)  # top-level (pjsip show aors)
    contacts: list[PjsipContact] = field(default_factory=list)  # top-level
    transports: list[PjsipTransport] = field(default_factory=list)  # top-level
    identifies: list[PjsipIdentify] = field(default_factory=list)  # top-level
    found: int | None = None
    none_found: bool = False
    separator_seen: bool = False
    details: dict[str, str] = field(default_factory=dict)
    unread: list[str] = field(default_factory=list)


def object_lines(lines: list[Line], start: int) -> list[Line]:
    """Body lines from ``start``, a run-together capture split at each title."""
    split: list[Line] = []
    for line in body(lines, start):
        parts = NEXT_TITLE.split(line.text)
        split.extend(Line(line.number, part) for part in parts)
    return split


def read_tree(lines: list[Line], start: int, source: str, top: str) -> Tree:
    """Read object lines from ``start`` (the header); ``top`` is the top-level title."""
    tree = Tree()
    endpoint: _EndpointBuilder | None = None
    aor: _AorBuilder | None = None
    identify: _IdentifyBuilder | None = None
    skipping = False  # under an Endpoint line that could not be read
    for line in object_lines(lines, start):
        text = line.text
        if not text.strip() or PLACEHOLDER.search(text):
            continue
        if SEPARATOR.match(text):
            tree.separator_seen = True
            continue
        if found := FOUND.match(text):
            tree.found = int(found["count"])
            break
        if NONE_FOUND.match(text):
            tree.none_found = True
            break
        titled = TITLED.match(text)
        if titled is None:
            if detail := DETAIL.match(text):
                if detail["key"] != "ParameterName":
                    tree.details[detail["key"]] = detail["value"]
                continue
            # the output ends here: an admin's comment, or garbled
            tree.unread.append(f"the output stops at line {line.number}: {text.strip()!r}")
            break
        title, rest = titled["title"], titled["rest"]
        ref = line.ref(source)
        if skipping and title != "Endpoint":
            tree.unread.append(f"line {line.number} unreadable: {text.strip()!r}")
            continue
        if title == "Endpoint":
            if endpoint is not None:
                tree.endpoints.append(endpoint.build())
            endpoint = _endpoint(rest, ref, tree)
            skipping = endpoint is None
            aor = identify = None
        elif title in ("InAuth", "OutAuth"):
            auth = AUTH.match(rest)
            if auth and endpoint is not None:
                direction: Literal["in", "out"] = "in" if title == "InAuth" else "out"
                endpoint.auths.append(PjsipAuthRef(auth["id"], auth["user"], direction, ref))
            else:
                tree.unread.append(f"line {line.number} unreadable: {text.strip()!r}")
        elif title == "Aor":
            if aor is not None and endpoint is None:
                tree.aors.append(aor.build())
            match = AOR.match(rest)
            aor = _AorBuilder(match["id"], int(match["max"]), ref) if match else None
            if aor is None:
                tree.unread.append(f"line {line.number} unreadable: {text.strip()!r}")
            elif endpoint is not None:
                endpoint.aors.append(aor)
        elif title == "Contact":
            nested = aor is not None and top != "Contact"
            level = (2 if endpoint is not None else 1) if nested else 0
            contact = _contact(rest, ref, level)
            if contact is None:
                tree.unread.append(f"line {line.number} unreadable: {text.strip()!r}")
            elif aor is not None and nested:
                aor.contacts.append(contact)
            else:
                tree.contacts.append(contact)
        elif title == "Transport":
            transport = _transport(rest, ref)
            if transport is None:
                tree.unread.append(f"line {line.number} unreadable: {text.strip()!r}")
            elif endpoint is not None:
                endpoint.transports.append(transport)
            else:
                tree.transports.append(transport)
        elif title == "Identify":
            if identify is not None and endpoint is None:
                tree.identifies.append(identify.build())
            identify = _identify(rest, ref)
            if endpoint is not None:
                endpoint.identifies.append(identify)
        elif title == "Match":
            if identify is None:
                tree.unread.append(f"line {line.number} unreadable: {text.strip()!r}")
            else:
                identify.add(rest)
    if endpoint is not None:
        tree.endpoints.append(endpoint.build())
    if aor is not None and top == "Aor":
        tree.aors.append(aor.build())
    if identify is not None and top == "Identify":
        tree.identifies.append(identify.build())
    if tree.details and top == "Transport" and len(tree.transports) == 1:
        tree.transports[0] = replace(tree.transports[0], details=dict(tree.details))
    if tree.details and top == "Endpoint" and len(tree.endpoints) == 1:
        tree.endpoints[0] = replace(tree.endpoints[0], details=dict(tree.details))
    return tree


def _endpoint(rest: str, ref: Ref, tree: Tree) -> _EndpointBuilder | None:
    match = ENDPOINT.match(rest)
    if match is None:
        tree.unread.append(f"line {ref.line} unreadable: 'Endpoint: {rest}'")
        return None
    name, _, number = match["id"].partition("/")
    limit = None if match["limit"] == "inf" else int(match["limit"])
    return _EndpointBuilder(
        name=name,
        caller_id=number or None,
        truncated=len(match["id"]) >= ENDPOINT_WIDTH,
        state=match["state"],
        channels=int(match["channels"]),
        channel_limit=limit,
        ref=ref,
    )


def _contact(rest: str, ref: Ref, level: int) -> PjsipContact | None:
    match = CONTACT.match(rest)
    if match is None:
        return None
    rtt = float(match["rtt"]) if "nan" not in match["rtt"] else math.nan
    status: ContactStatus = match["status"]  # type: ignore[assignment]
    # %-*.*s: the URI's column is 62 (CLI_LAST_TABSTOP) - indent - 9 - len(aor) + 1 wide
    # (13.7+); before, "aor/uri" together was 62 - indent - 2 wide. Filled means maybe cut.
    indent = 9 + 2 * level
    if match["hash"] is not None:
        width = 62 - indent - 9 - len(match["aor"]) + 1
    else:
        width = 62 - indent - 2 - len(match["aor"]) - 1
    return PjsipContact(
        aor=match["aor"],
        uri=match["uri"],
        truncated=len(match["uri"]) >= width,
        hash=match["hash"],
        status=status,
        rtt_ms=None if math.isnan(rtt) else rtt,
        ref=ref,
    )


def _transport(rest: str, ref: Ref) -> PjsipTransport | None:
    match = TRANSPORT.match(rest)
    if match is None:
        return None
    return PjsipTransport(
        name=match["id"],
        protocol=match["type"],
        cos=int(match["cos"]),
        tos=int(match["tos"]),
        bind=match["bind"],
        ref=ref,
    )


def _identify(rest: str, ref: Ref) -> _IdentifyBuilder:
    named = IDENTIFY.match(rest)
    if named and not _is_network(rest):
        return _IdentifyBuilder(named["id"], named["endpoint"], ref)
    identify = _IdentifyBuilder(None, None, ref)  # 13.0-13.4: the match list itself
    for part in rest.split(","):
        if part.strip():
            identify.add(part.strip())
    return identify


def _is_network(text: str) -> bool:
    try:
        ipaddress.ip_network(text.lstrip("!").split(",")[0].strip(), strict=False)
    except ValueError:
        return False
    return True


@dataclass
class _AorBuilder:
    name: str
    max_contacts: int
    ref: Ref
    contacts: list[PjsipContact] = field(default_factory=list)

    def build(self) -> PjsipAor:
        return PjsipAor(self.name, self.max_contacts, tuple(self.contacts), self.ref)


@dataclass
class _IdentifyBuilder:
    name: str | None
    endpoint: str | None
    ref: Ref
    matches: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)

    def add(self, criterion: str) -> None:
        address = criterion.lstrip("!")
        if not _is_network(address.split(":")[0] if address.count(":") == 1 else address):
            self.headers.append(criterion)
        elif criterion.startswith("!"):
            self.excluded.append(address)
        else:
            self.matches.append(address)

    def build(self) -> PjsipIdentify:
        return PjsipIdentify(
            name=self.name,
            endpoint=self.endpoint,
            matches=tuple(self.matches),
            excluded=tuple(self.excluded),
            header_matches=tuple(self.headers),
            ref=self.ref,
        )


@dataclass
class _EndpointBuilder:
    name: str
    caller_id: str | None
    truncated: bool
    state: str
    channels: int
    channel_limit: int | None
    ref: Ref
    auths: list[PjsipAuthRef] = field(default_factory=list)
    aors: list[_AorBuilder] = field(default_factory=list)
    transports: list[PjsipTransport] = field(default_factory=list)
    identifies: list[_IdentifyBuilder] = field(default_factory=list)

    def build(self) -> PjsipEndpoint:
        return PjsipEndpoint(
            name=self.name,
            caller_id=self.caller_id,
            truncated=self.truncated,
            state=self.state,
            channels=self.channels,
            channel_limit=self.channel_limit,
            auths=tuple(self.auths),
            aors=tuple(aor.build() for aor in self.aors),
            transports=tuple(self.transports),
            identifies=tuple(identify.build() for identify in self.identifies),
            ref=self.ref,
        )
