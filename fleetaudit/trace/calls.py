"""Dialogs and transactions: SIP messages grouped by Call-ID, then by CSeq (number and
method), with the NAT traces, registrations, SDP and RTP each call shows.

Memory stays flat on a capture of any size: a call that has ended and been quiet for
:data:`QUIET_S` capture seconds is judged there and then (:mod:`problems`), and kept only
when something is wrong with it (at most :data:`MAX_KEPT_CALLS` ladders); each ladder
keeps at most :data:`MAX_ROWS` messages.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from fleetaudit.trace.capture import UDP, Datagram
from fleetaudit.trace.sip import Sdp, SipMessage, Via

QUIET_S = 64.0  # RFC 3261 timer B/F (64*T1 = 32 s) twice over: the call is over
MAX_ROWS = 200
MAX_KEPT_CALLS = 500


@lru_cache(maxsize=8192)
def text_address(packed: bytes) -> str:
    return socket.inet_ntop(socket.AF_INET6 if len(packed) == 16 else socket.AF_INET, packed)


def media_key(address: str, port: int) -> tuple[bytes, int]:
    """How RTP packets are matched to an SDP address: packed, as the capture has it."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            return socket.inet_pton(family, address), port
        except OSError:
            continue
    return address.encode(), port


def endpoint(address: str, port: int) -> str:
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


@lru_cache(maxsize=8192)
def packed_endpoint(packed: bytes, port: int) -> str:
    """``endpoint`` of a packed address as the capture has it (the same few per call)."""
    return endpoint(text_address(packed), port)


PRIVATE_NETS = [
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
]


@lru_cache(maxsize=4096)
def is_private(address: str) -> bool:
    """RFC 1918, carrier-grade NAT (RFC 6598) or IPv6 unique-local: an address that only
    means something behind a NAT."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in PRIVATE_NETS if net.version == ip.version)


@lru_cache(maxsize=4096)
def is_public(address: str) -> bool:
    """Routable on the internet as far as a NAT is concerned (documentation ranges such
    as 203.0.113.0/24 count: captures in examples use them)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return (
        not (is_private(address) or ip.is_loopback or ip.is_link_local or ip.is_multicast)
        and not ip.is_unspecified
    )


class Row(NamedTuple):
    """One message on a call's ladder (a tuple: millions are made on a big capture)."""

    file: str
    number: int  # packet number (the last packet, for a message over several segments)
    ts: float
    src: str  # "192.0.2.1:5060"
    dst: str
    label: str  # "INVITE", "503 Service Unavailable"
    transport: str  # "UDP" / "TCP"
    retransmission: bool = False


@dataclass(slots=True)
class Response:
    status: int
    reason: str
    row: Row
    explanation: dict[str, str] = field(default_factory=dict)  # Reason, X-Asterisk-...


@dataclass(slots=True)
class Transaction:
    cseq: int
    method: str
    requests: list[Row] = field(default_factory=list)  # first send and retransmissions
    responses: list[Response] = field(default_factory=list)
    branch: str = ""
    user: str = ""  # the From user, for REGISTER/INVITE findings

    @property
    def final(self) -> Response | None:
        return next((r for r in reversed(self.responses) if r.status >= 200), None)

    @property
    def retransmissions(self) -> int:
        return sum(1 for r in self.requests if r.retransmission)


@dataclass(frozen=True)
class NatTrace:
    kind: str  # "private-address", "received-rport", "sdp-rewritten"
    detail: str
    row: Row
    address: str = ""  # the private address, for linking to the site's devices
    other: Row | None = None


@dataclass(frozen=True)
class Registration:
    row: Row  # the REGISTER (or its 2xx when that grants the interval)
    expires_s: int
    contact: str
    granted: bool  # read from the registrar's 2xx rather than the request


@dataclass(slots=True)
class Media:
    """One side's announced RTP address (from its SDP) and the packets sent to it."""

    side: str  # "caller" / "callee"
    address: str
    port: int
    row: Row  # the message that announced it
    packets: int = 0
    first: Row | None = None  # the first RTP packet to it


@dataclass(slots=True)
class Call:
    call_id: str
    rows: list[Row] = field(default_factory=list)
    rows_dropped: int = 0
    transactions: dict[tuple[int, str], Transaction] = field(default_factory=dict)
    nat: list[NatTrace] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    sdp_seen: dict[tuple[int, str, str], tuple[str, tuple[str, ...], Row]] = field(
        default_factory=dict
    )
    last_ts: float = 0.0

    def add_row(self, row: Row) -> None:
        self.last_ts = max(self.last_ts, row.ts)
        if len(self.rows) < MAX_ROWS:
            self.rows.append(row)
        else:
            self.rows_dropped += 1

    @property
    def first(self) -> Row:
        return self.rows[0]

    @property
    def invite(self) -> Transaction | None:
        return next((t for t in self.transactions.values() if t.method == "INVITE"), None)

    @property
    def answered(self) -> bool:
        return any(
            t.method == "INVITE" and t.final is not None and 200 <= t.final.status < 300
            for t in self.transactions.values()
        )

    @property
    def ended(self) -> bool:
        """Nothing more is expected: every transaction has its final answer, and an
        answered INVITE was hung up."""
        if any(t.final is None and t.method != "ACK" for t in self.transactions.values()):
            return False
        return not self.answered or any(t.method == "BYE" for t in self.transactions.values())

    def summary(self) -> str:
        invite = self.invite
        first = next(iter(self.transactions.values()), None)
        main = invite or first
        if main is None:
            return self.call_id
        final = main.final
        outcome = final.row.label if final else "no final answer"
        return f"{main.method} {main.user or ''} -> {outcome}".replace("  ", " ")


ExplainHeaders = ("reason", "x-asterisk-hangupcause", "x-asterisk-hangupcausecode")


class Calls:
    """Feeds SIP messages and RTP packets into calls; hands finished calls to ``judge``."""

    def __init__(self, judge: Callable[[Call], bool]) -> None:
        self.open: dict[str, Call] = {}
        self.kept: list[Call] = []
        self.judge = judge  # True: keep the call's ladder (something is wrong with it)
        self.finished = 0
        self.media: dict[tuple[bytes, int], Media] = {}
        self.now = 0.0

    def message(
        self, file: str, number: int, datagram: Datagram, message: SipMessage, transport: str
    ) -> None:
        if datagram.ts > self.now:
            self.now = datagram.ts
        src = packed_endpoint(datagram.src, datagram.sport)
        call_id = message.call_id
        call = self.open.get(call_id)
        quiet = datagram.ts - call.last_ts if call is not None else 0.0
        if call is not None and (quiet > 5 * QUIET_S or (quiet > QUIET_S and call.ended)):
            self._finish(call)  # the Call-ID is used again for a new call
            call = None
        if call is None:
            call = self.open[call_id] = Call(call_id)
        cseq, method = message.cseq
        key = (cseq, method)
        transaction = call.transactions.get(key)
        top = message.top_via()
        retransmission = False
        request = message.method is not None
        if request:
            if transaction is None:
                transaction = call.transactions[key] = Transaction(
                    cseq, method, branch=top.branch if top else "", user=_user(message)
                )
            elif transaction.requests and not transaction.responses:
                retransmission = any(r.src == src for r in transaction.requests)
        row = Row(
            file,
            number,
            datagram.ts,
            src,
            packed_endpoint(datagram.dst, datagram.dport),
            message.label,
            transport,
            retransmission,
        )
        call.add_row(row)
        if request:
            assert transaction is not None
            transaction.requests.append(row)
            if method == "REGISTER":
                self._requested(call, message, row)
        elif transaction is not None and message.status is not None:
            explanation = {h: v for h in ExplainHeaders if (v := message.header(h))}
            transaction.responses.append(Response(message.status, message.reason, row, explanation))
            self._rport(call, top, row)
            if method == "REGISTER":
                self._granted(call, transaction, message, row)
        sdp = message.sdp()
        src_ip = text_address(datagram.src)
        if is_public(src_ip):
            self._private(call, message, sdp, src_ip, top, row)
        if sdp is not None:
            self._sdp(call, message, sdp, row, key)

    @staticmethod
    def _rport(call: Call, top: Via | None, row: Row) -> None:
        if top is None or (top.received is None and not top.rport):
            return
        moved = top.received is not None and top.received != top.host
        port_moved = bool(top.rport) and top.port is not None and top.rport != str(top.port)
        if moved or port_moved:
            seen = endpoint(top.received or top.host, int(top.rport or top.port or 5060))
            says = endpoint(top.host, top.port or 5060)
            call.nat.append(
                NatTrace(
                    "received-rport",
                    f"the far end saw the request come from {seen}, the Via says {says}: "
                    "a NAT sits between them",
                    row,
                    top.host if is_private(top.host) else "",
                )
            )

    @staticmethod
    def _requested(call: Call, message: SipMessage, row: Row) -> None:
        header = message.expires()
        for host, _port, expires in message.contacts() or [("", None, None)]:
            interval = expires if expires is not None else header
            if interval:
                call.registrations.append(Registration(row, interval, host, False))

    @staticmethod
    def _granted(call: Call, transaction: Transaction, message: SipMessage, row: Row) -> None:
        if transaction.method != "REGISTER" or not (200 <= (message.status or 0) < 300):
            return
        header = message.expires()
        for host, _port, expires in message.contacts():
            interval = expires if expires is not None else header
            if interval:
                call.registrations.append(Registration(row, interval, host, True))

    @staticmethod
    def _private(
        call: Call, message: SipMessage, sdp: Sdp | None, src_ip: str, top: Via | None, row: Row
    ) -> None:
        if not is_public(src_ip):
            return
        places: list[tuple[str, str]] = []
        if top is not None and message.is_request:
            places.append(("Via", top.host))
        places += [("Contact", host) for host, _port, _expires in message.contacts()]
        if sdp is not None:
            places += [("SDP c=", address) for address in sdp.connections]
        for where, address in places:
            if is_private(address):
                call.nat.append(
                    NatTrace(
                        "private-address",
                        f"{where} names the private address {address} in a packet from the "
                        f"public address {src_ip}: nothing rewrote it at the NAT",
                        row,
                        address,
                    )
                )

    def _sdp(
        self,
        call: Call,
        message: SipMessage,
        sdp: Sdp | None,
        row: Row,
        key: tuple[int, str],
    ) -> None:
        if sdp is None:
            return
        audio = tuple(f"{kind} {address}:{port}" for kind, address, port in sdp.media)
        point = f"{row.file} {row.src}>{row.dst}"
        seen_key = (key[0], key[1], message.label)
        earlier = call.sdp_seen.get(seen_key)
        if earlier is None:
            call.sdp_seen[seen_key] = (point, audio, row)
        elif earlier[0] != point and earlier[1] != audio and not row.retransmission:
            first = earlier[2]
            where = f"packet {first.number}"
            if first.file != row.file:  # two capture points in two files: both number from 1
                where += f" of {first.file}"
                after = f" in packet {row.number} of {row.file}"
            else:
                after = f" in packet {row.number}"
            call.nat.append(
                NatTrace(
                    "sdp-rewritten",
                    f"the SDP of {message.label} (CSeq {key[0]}) was rewritten between two "
                    f"legs: {', '.join(earlier[1])} at {where} became "
                    f"{', '.join(audio)}{after}",
                    row,
                    other=earlier[2],
                )
            )
        if key[1] != "INVITE" or (message.status is not None and message.status >= 300):
            return
        side = "caller" if message.is_request else "callee"
        for kind, address, port in sdp.media:
            if kind != "audio" or not port:
                continue
            media = Media(side, address, port, row)
            call.media = [m for m in call.media if m.side != side] + [media]
            self.media[media_key(address, port)] = media

    def rtp(self, file: str, datagram: Datagram) -> None:
        if datagram.proto != UDP or not self.media:
            return
        media = self.media.get((datagram.dst, datagram.dport))
        if media is None or len(datagram.payload) < 12 or datagram.payload[0] >> 6 != 2:
            return
        media.packets += 1
        if media.first is None:
            media.first = Row(
                file,
                datagram.number,
                datagram.ts,
                endpoint(text_address(datagram.src), datagram.sport),
                endpoint(media.address, media.port),
                "RTP",
                "UDP",
            )

    def sweep(self, force: bool = False) -> None:
        """Judge the calls that are over (all of them when ``force``)."""
        done = [
            call
            for call in self.open.values()
            if force
            or (self.now - call.last_ts > QUIET_S and call.ended)
            or self.now - call.last_ts > 5 * QUIET_S
        ]
        for call in done:
            self._finish(call)

    def _finish(self, call: Call) -> None:
        del self.open[call.call_id]
        for media in call.media:
            key = media_key(media.address, media.port)
            if self.media.get(key) is media:
                del self.media[key]
        self.finished += 1
        if self.judge(call) and len(self.kept) < MAX_KEPT_CALLS:
            self.kept.append(call)


def _user(message: SipMessage) -> str:
    text = message.header("from") or ""
    start = text.find("sip:")
    if start < 0:
        return ""
    user = text[start + 4 :].split("@", 1)
    return user[0] if len(user) == 2 else ""
