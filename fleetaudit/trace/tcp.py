"""SIP over TCP: segments put back in order per direction, then cut into messages by
their Content-Length (RFC 3261 section 18.3): several messages may share a segment and
one message may span several segments.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field

from fleetaudit.trace.capture import Datagram
from fleetaudit.trace.sip import looks_like_sip

SYN, FIN, RST = 0x02, 0x01, 0x04
CONTENT_LENGTH = re.compile(rb"^(?:content-length|l)[ \t]*:[ \t]*(\d+)", re.IGNORECASE | re.M)
MAX_BUFFER = 1 << 20  # a SIP message is far smaller; a stream this far behind is not SIP
MAX_OUT_OF_ORDER = 64
MAX_FLOWS = 65536

Flow = tuple[bytes, int, bytes, int]


@dataclass
class Stream:
    next_seq: int | None = None
    buffer: bytearray = field(default_factory=bytearray)
    first_packet: int = 0  # packet that brought the buffer's first byte
    last_packet: int = 0  # packet that brought its last byte
    waiting: dict[int, tuple[int, bytes]] = field(default_factory=dict)  # seq -> (packet, data)
    sip: bool | None = None  # None: not yet known


@dataclass(frozen=True)
class Framed:
    """A whole SIP message cut out of a stream: its first and last packet."""

    first_packet: int
    last_packet: int
    data: bytes


class Reassembler:
    def __init__(self) -> None:
        self.streams: OrderedDict[Flow, Stream] = OrderedDict()

    def add(self, segment: Datagram) -> list[Framed]:
        flow = (segment.src, segment.sport, segment.dst, segment.dport)
        stream = self.streams.get(flow)
        if stream is None:
            stream = self.streams[flow] = Stream()
            if len(self.streams) > MAX_FLOWS:
                self.streams.popitem(last=False)
        seq = segment.seq
        if segment.flags & SYN:
            stream.next_seq = (seq + 1) & 0xFFFFFFFF
        data = segment.payload
        if segment.flags & RST or (segment.flags & FIN and not data):
            self.streams.pop(flow, None)
            return []
        if not data or stream.sip is False:
            return []
        if stream.next_seq is None:  # capture started mid-stream
            stream.next_seq = seq
        self._place(stream, seq, segment.number, data)
        stream.last_packet = segment.number  # the packet that completes what is buffered
        return self._messages(flow, stream)

    def _place(self, stream: Stream, seq: int, number: int, data: bytes) -> None:
        assert stream.next_seq is not None
        delta = (seq - stream.next_seq) & 0xFFFFFFFF
        if delta >= 0x80000000:  # starts before what we have: a retransmission or overlap
            overlap = 0x100000000 - delta
            if overlap >= len(data):
                return
            data, seq = data[overlap:], stream.next_seq
            delta = 0
        if delta:
            if len(stream.waiting) < MAX_OUT_OF_ORDER:
                stream.waiting[seq] = (number, data)
            return
        self._append(stream, number, data)
        while stream.next_seq in stream.waiting:
            number, data = stream.waiting.pop(stream.next_seq)
            self._append(stream, number, data)

    @staticmethod
    def _append(stream: Stream, number: int, data: bytes) -> None:
        assert stream.next_seq is not None
        if not stream.buffer:
            stream.first_packet = number
        stream.buffer += data
        stream.next_seq = (stream.next_seq + len(data)) & 0xFFFFFFFF

    def _messages(self, flow: Flow, stream: Stream) -> list[Framed]:
        found: list[Framed] = []
        buffer = stream.buffer
        last = stream.last_packet
        while buffer:
            while buffer[:2] == b"\r\n":  # CRLF keep-alives (RFC 5626)
                del buffer[:2]
            if not buffer:
                break
            if stream.sip is None:
                stream.sip = looks_like_sip(bytes(buffer[:1024]))
                if not stream.sip and (b"\n" in buffer[:1024] or len(buffer) >= 1024):
                    buffer.clear()
                    return found
                if not stream.sip:
                    stream.sip = None
                    return found
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(buffer) > MAX_BUFFER:
                    stream.sip = False
                    buffer.clear()
                break
            match = CONTENT_LENGTH.search(buffer, 0, end)
            size = end + 4 + (int(match.group(1)) if match else 0)
            if len(buffer) < size:
                break
            found.append(Framed(stream.first_packet, last, bytes(buffer[:size])))
            del buffer[:size]
            stream.first_packet = last
        return found
