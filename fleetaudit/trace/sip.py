"""One SIP message out of bytes (RFC 3261 section 7): start line, the headers a trace
needs (compact forms included), and the SDP body's connection addresses and media ports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

COMPACT = {
    "i": "call-id",
    "v": "via",
    "f": "from",
    "t": "to",
    "m": "contact",
    "l": "content-length",
    "c": "content-type",
}
KEPT = frozenset(
    {
        "call-id",
        "via",
        "from",
        "to",
        "contact",
        "cseq",
        "expires",
        "reason",
        "x-asterisk-hangupcause",
        "x-asterisk-hangupcausecode",
        "user-agent",
        "server",
        "content-type",
        "www-authenticate",
        "proxy-authenticate",
        "authorization",
        "proxy-authorization",
    }
)
MULTI = frozenset({"via", "contact"})  # comma-separated lists of values
SIP_VERSION = b"SIP/2.0"
TAG = re.compile(r";\s*tag=([^;>\s,]+)", re.IGNORECASE)
URI_HOST = re.compile(r"sips?:(?:[^@;>\s]*@)?(\[[0-9a-fA-F:.]+\]|[^:;>\s?]+)(?::(\d+))?")
EXPIRES_PARAM = re.compile(r";\s*expires\s*=\s*(\d+)", re.IGNORECASE)


def looks_like_sip(payload: bytes) -> bool:
    """Whether ``payload`` starts with a SIP request or status line (cheap test)."""
    if payload.startswith(b"SIP/2.0 "):
        return True
    end = payload.find(b"\r\n", 0, 1024)
    if end < 0:
        end = payload.find(b"\n", 0, 1024)
    return end > 0 and payload[:end].rstrip(b"\r").endswith(b" SIP/2.0")


class Via(NamedTuple):
    transport: str
    host: str
    port: int | None
    branch: str
    received: str | None
    rport: str | None  # "" when present without a value (asked for, not answered)


@dataclass(slots=True)
class Sdp:
    connections: list[str] = field(default_factory=list)  # every c= address
    media: list[tuple[str, str, int]] = field(default_factory=list)  # (kind, address, port)
    direction: str = "sendrecv"


@dataclass(slots=True)
class SipMessage:
    method: str | None  # requests
    uri: str
    status: int | None  # responses
    reason: str
    headers: dict[str, list[str]]
    body: bytes

    @property
    def is_request(self) -> bool:
        return self.method is not None

    def header(self, name: str) -> str | None:
        values = self.headers.get(name)
        return values[0] if values else None

    @property
    def call_id(self) -> str:
        return self.header("call-id") or ""

    @property
    def cseq(self) -> tuple[int, str]:
        number, _, method = (self.header("cseq") or "").strip().partition(" ")
        return (int(number) if number.isdigit() else -1), method.strip().upper()

    @property
    def label(self) -> str:
        """How a ladder names it: ``INVITE`` or ``503 Service Unavailable``."""
        if self.method is not None:
            return self.method
        return f"{self.status} {self.reason}".strip()

    def vias(self) -> list[Via]:
        return [v for v in (parse_via(text) for text in self.headers.get("via", [])) if v]

    def top_via(self) -> Via | None:
        """``vias()[0]``, without parsing the others."""
        for text in self.headers.get("via", ()):
            via = parse_via(text)
            if via is not None:
                return via
        return None

    def contacts(self) -> list[tuple[str, int | None, int | None]]:
        """(host, port, expires= parameter) of each Contact."""
        found = []
        for text in self.headers.get("contact", []):
            match = URI_HOST.search(text)
            if match is None:
                continue
            expires = EXPIRES_PARAM.search(text.split(">", 1)[-1] if ">" in text else text)
            found.append(
                (
                    match.group(1).strip("[]"),
                    int(match.group(2)) if match.group(2) else None,
                    int(expires.group(1)) if expires else None,
                )
            )
        return found

    def expires(self) -> int | None:
        value = (self.header("expires") or "").strip()
        return int(value) if value.isdigit() else None

    def sdp(self) -> Sdp | None:
        if not self.body or "sdp" not in (self.header("content-type") or "application/sdp"):
            return None
        return parse_sdp(self.body)


def parse(payload: bytes) -> SipMessage | None:
    """The message in ``payload`` (one whole message), or None when it is not SIP."""
    head, sep, body = payload.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = payload.partition(b"\n\n")
    text = head.decode("utf-8", "replace")
    newline = text.find("\n")
    first = (text if newline < 0 else text[:newline]).strip()
    method: str | None = None
    status: int | None = None
    uri = reason = ""
    if first.startswith("SIP/2.0 "):
        parts = first.split(" ", 2)
        if len(parts) < 2 or not parts[1].isdigit():
            return None
        status, reason = int(parts[1]), parts[2] if len(parts) > 2 else ""
    else:
        parts = first.split(" ")
        if len(parts) != 3 or parts[2] != "SIP/2.0" or not parts[0].isalpha():
            return None
        method, uri = parts[0].upper(), parts[1]
    if newline < 0:
        headers: dict[str, list[str]] = {}
    elif "\n " in text or "\n\t" in text:
        headers = _folded_headers(text.replace("\r\n", "\n").split("\n")[1:])
    else:
        headers = _headers(text, newline)
    return SipMessage(method, uri, status, reason, headers, body)


# a line naming a header the trace keeps (long or compact form), its value up to the
# line's end: one regex pass instead of a Python loop over every header line
KEPT_LINE = re.compile(
    r"^[^\S\n]*("
    + "|".join(
        re.escape(name)
        for name in sorted(KEPT | {c for c, n in COMPACT.items() if n in KEPT}, key=len)[::-1]
    )
    + r")[^\S\n]*:(.*)",
    re.IGNORECASE | re.MULTILINE,
)


CANONICAL: dict[str, str] = {}  # header name as written -> the name kept under


def _canonical(key: str) -> str | None:
    name = key.lower()
    name = COMPACT.get(name, name)
    if name not in KEPT:  # a look-alike that only matches case-insensitively
        return None
    if len(CANONICAL) < 1024:
        CANONICAL[key] = name
    return name


def _headers(text: str, newline: int) -> dict[str, list[str]]:
    """The kept headers of an unfolded header block (after its first line)."""
    headers: dict[str, list[str]] = {}
    for key, value in KEPT_LINE.findall(text, newline + 1):
        name = CANONICAL.get(key)
        if name is None:
            name = _canonical(key)
            if name is None:
                continue
        value = value.strip()
        values = headers.setdefault(name, [])
        if name in MULTI:
            values.extend(split_list(value))
        else:
            values.append(value)
    return headers


def _folded_headers(lines: list[str]) -> dict[str, list[str]]:
    """The kept headers, continuation lines (RFC 3261 7.3.1 folding) joined."""
    headers: dict[str, list[str]] = {}
    name = ""
    for line in lines:
        if line[:1] in (" ", "\t") and name:  # folded continuation
            if name in headers:
                headers[name][-1] += " " + line.strip()
            continue
        key, colon, value = line.partition(":")
        if not colon:
            continue
        name = key.strip().lower()
        name = COMPACT.get(name, name)
        if name not in KEPT:
            continue
        value = value.strip()
        values = headers.setdefault(name, [])
        values.extend(split_list(value) if name in MULTI else [value])
    return headers


def split_list(value: str) -> list[str]:
    """Split a header value on commas outside <...> and quotes."""
    if "," not in value:
        return [value]
    items: list[str] = []
    current: list[str] = []
    depth, quoted = 0, False
    for char in value:
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "<":
            depth += 1
        elif not quoted and char == ">":
            depth -= 1
        elif char == "," and not quoted and depth <= 0:
            items.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    items.append("".join(current).strip())
    return [item for item in items if item]


def parse_via(text: str) -> Via | None:
    protocol, _, rest = text.strip().partition(" ")
    if not rest:
        return None
    sent_by, semicolon, params = rest.partition(";")
    sent_by = sent_by.strip()
    host, port = sent_by, None
    if sent_by.startswith("["):
        host, _, tail = sent_by[1:].partition("]")
        port = int(tail[1:]) if tail.startswith(":") and tail[1:].isdigit() else None
    elif sent_by.count(":") == 1:
        host, _, number = sent_by.partition(":")
        port = int(number) if number.isdigit() else None
    branch, received, rport = "", None, None
    if semicolon:
        for param in params.split(";"):
            key, _, value = param.partition("=")
            key = key.strip().lower()
            if key == "branch":
                branch = value.strip()
            elif key == "received":
                received = value.strip()
            elif key == "rport":
                rport = value.strip()
    return Via(protocol.rsplit("/", 1)[-1].upper(), host.strip(), port, branch, received, rport)


DIRECTIONS = frozenset({"sendonly", "recvonly", "inactive", "sendrecv"})


def parse_sdp(body: bytes) -> Sdp:
    sdp = Sdp()
    media = sdp.media
    session_address = ""
    media_address: str | None = None
    pending: list[tuple[str, int]] = []  # m= lines waiting for their c= (or the session's)
    for raw in body.decode("utf-8", "replace").splitlines():
        line = raw.strip()
        kind = line[:2]
        if kind == "c=":
            parts = line[2:].split()
            address = parts[2].split("/")[0] if len(parts) >= 3 else ""
            sdp.connections.append(address)
            if pending or media_address is not None:
                media_address = address
            else:
                session_address = address
        elif kind == "m=":
            media += [(name, media_address or session_address, port) for name, port in pending]
            pending = []
            media_address = None
            parts = line[2:].split()
            if len(parts) >= 2 and parts[1].split("/")[0].isdigit():
                pending.append((parts[0], int(parts[1].split("/")[0])))
        elif kind == "a=" and line[2:] in DIRECTIONS:
            sdp.direction = line[2:]
    media += [(name, media_address or session_address, port) for name, port in pending]
    return sdp


def from_tag(message: SipMessage, header: str = "from") -> str:
    match = TAG.search(message.header(header) or "")
    return match.group(1) if match else ""
