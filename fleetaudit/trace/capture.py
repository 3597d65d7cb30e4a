"""Packets out of a capture file: pcap or pcapng, the link layers tcpdump writes
(Ethernet, Linux cooked SLL/SLL2 from ``-i any``, BSD loopback/NULL, raw IP), IPv4 and
IPv6 with their fragments put back together, down to UDP and TCP payloads.

dpkt reads pcapng (blocks, interfaces, timestamp resolutions); classic pcap, the format
tcpdump writes, is read here in 1 MB chunks and walked with ``struct``, which is several
times faster than any per-packet object, tells a truncated last record from a whole one
and keeps RSS flat (a memory map's pages count in RSS: 1 GB read, 1 GB resident).
Headers are decoded by hand for the same reason: a 1 GB capture is millions of packets,
and plain IPv4/UDP, the bulk of them, without a function call per layer.
"""

from __future__ import annotations

import struct
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple, Protocol

from fleetaudit.errors import UsageError

PCAP_MAGICS = {
    b"\xd4\xc3\xb2\xa1": ("<", 1e-6),
    b"\xa1\xb2\xc3\xd4": (">", 1e-6),
    b"\x4d\x3c\xb2\xa1": ("<", 1e-9),
    b"\xa1\xb2\x3c\x4d": (">", 1e-9),
}
PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"

# link types (https://www.tcpdump.org/linktypes.html)
NULL, EN10MB, RAW, LOOP, LINUX_SLL, IPV4, IPV6, LINUX_SLL2 = 0, 1, 101, 108, 113, 228, 229, 276
RAW_ALIASES = {12, 14}  # DLT_RAW on some BSDs
ETH_IPV4, ETH_IPV6, ETH_VLAN, ETH_QINQ = 0x0800, 0x86DD, 0x8100, 0x88A8
UDP, TCP = 17, 6
MAX_PENDING_FRAGMENTS = 4096  # datagrams being reassembled at once; the oldest are dropped


class Datagram(NamedTuple):
    """One UDP datagram or TCP segment (IP addresses as packed bytes)."""

    number: int  # 1-based packet number in its file, as Wireshark/sngrep count
    ts: float
    proto: int  # UDP or TCP
    src: bytes
    sport: int
    dst: bytes
    dport: int
    payload: bytes
    seq: int = 0  # TCP only
    flags: int = 0  # TCP only


@dataclass
class ReadStats:
    packets: int = 0
    bytes: int = 0
    truncated: str = ""  # why reading stopped early ("" when the file ended cleanly)
    link_types: set[int] = field(default_factory=set)
    skipped_link: int = 0  # packets of a link type this reader does not decode


def open_capture(path: Path) -> BinaryIO:
    """The file, checked to be a capture; a user error (exit 2) otherwise."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it ({exc.strerror}); give a capture file") from None
    magic = handle.read(4)
    handle.seek(0)
    if magic not in PCAP_MAGICS and magic != PCAPNG_MAGIC:
        handle.close()
        what = "empty" if not magic else "not a pcap or pcapng capture"
        raise UsageError(f"{path}: {what}; record one with `tcpdump -i any -s0 -w FILE port 5060`")
    return handle


class RtpCounter(Protocol):
    """A media address's RTP tally (:class:`fleetaudit.trace.calls.Media`)."""

    packets: int

    @property
    def first(self) -> object | None: ...  # its first packet's ladder row, once seen


MediaTable = Mapping[tuple[bytes, int], RtpCounter]


def datagrams(path: Path, stats: ReadStats, media: MediaTable | None = None) -> Iterator[Datagram]:
    """Every UDP/TCP payload in the capture at ``path``, IP fragments reassembled.

    With ``media`` (packed destination address and port -> tally), UDP payloads that
    cannot be SIP (a SIP message starts with a letter) are not yielded: RTP to an
    address in ``media`` is counted on the spot once its first packet has been yielded
    (its ladder row), everything else is dropped. RTP is most of a real capture.
    """
    with open_capture(path) as handle:
        magic = handle.read(4)
        handle.seek(0)
        fragments = Fragments()
        if magic in PCAP_MAGICS:
            yield from _pcap_datagrams(handle, stats, fragments, media)
            return
        for number, ts, link, frame in _pcapng_frames(handle, stats):
            for datagram in _decode(number, ts, link, frame, fragments, stats):
                if media is None or datagram.proto != UDP or _maybe_sip(datagram.payload):
                    yield datagram
                else:
                    counter = media.get((datagram.dst, datagram.dport))
                    if counter is not None and counter.first is not None and _is_rtp(datagram):
                        counter.packets += 1
                    elif counter is not None:
                        yield datagram


def _maybe_sip(payload: bytes) -> bool:
    return payload[:1].isalpha()


def _is_rtp(datagram: Datagram) -> bool:
    return len(datagram.payload) >= 12 and datagram.payload[0] >> 6 == 2


Frame = tuple[int, float, int, bytes]

CHUNK = 1 << 20  # bytes read at a time: RSS stays flat, unlike a memory map of the file
# (ethertype offset, IP header offset) in the frame, for link types with a fixed layout
FIXED_LINKS = {EN10MB: (12, 14), LINUX_SLL: (14, 16), LINUX_SLL2: (0, 20)}
# IPv4 header without options, then the UDP header: version/IHL, total length,
# flags/fragment offset, protocol, source, destination, ports, UDP length
IPV4_UDP = struct.Struct(">BxH2xHxB2x4s4sHHH")
LETTERS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _pcap_datagrams(
    handle: BinaryIO, stats: ReadStats, fragments: Fragments, media: MediaTable | None
) -> Iterator[Datagram]:
    """Classic pcap, read in chunks. Plain IPv4/UDP on a fixed-layout link is decoded
    inline (the bulk of any capture); everything else goes through :func:`_decode`."""
    header = handle.read(24)
    if len(header) < 24:
        stats.truncated = f"the file ends inside the pcap header ({len(header)} of 24 bytes)"
        return
    order, unit = PCAP_MAGICS[header[:4]]
    link = struct.unpack_from(order + "I", header, 20)[0] & 0x0FFFFFFF
    stats.link_types.add(link)
    record = struct.Struct(order + "IIII").unpack_from
    type_at, ip_at = FIXED_LINKS.get(link, (-1, 0))
    # from the ethertype on: it, then the IPv4 and UDP headers (see IPV4_UDP)
    gap = max(ip_at - type_at - 2, 0)
    unpack_ip = struct.Struct(f">H{gap}x{IPV4_UDP.format[1:]}").unpack_from
    least = ip_at + 28  # a frame shorter than this is not plain IPv4/UDP
    letters = LETTERS
    table: MediaTable = media if media is not None else {}
    filtering = media is not None
    buf, pos, limit, number, dropped = b"", 0, 0, 0, 24  # dropped: file bytes before buf
    try:
        while True:
            if pos + 16 > limit:
                more = handle.read(CHUNK)
                if more:
                    dropped += pos
                    buf, pos = buf[pos:] + more, 0
                    limit = len(buf)
                    continue
                if pos < limit:
                    stats.truncated = f"the file ends inside the header of packet {number + 1}"
                return
            sec, frac, caplen, _wirelen = record(buf, pos)
            start = pos + 16
            end = start + caplen
            if end > limit:  # also when caplen is absurd: a chunk is far smaller
                more = handle.read(max(CHUNK, end - limit)) if caplen <= 0x4000000 else b""
                if more:
                    dropped += pos
                    buf, pos = buf[pos:] + more, 0
                    limit = len(buf)
                    continue
                stats.truncated = (
                    f"the file ends inside packet {number + 1} ({limit - start} of {caplen} bytes)"
                )
                return
            number += 1
            pos = end
            if type_at >= 0 and caplen >= least:
                kind, vhl, total, flags_frag, proto, src, dst, sport, dport, length = unpack_ip(
                    buf, start + type_at
                )
                if kind == ETH_IPV4 and vhl == 0x45 and proto == UDP and not flags_frag & 0x3FFF:
                    ip = start + ip_at
                    stop = ip + total if 20 <= total <= end - ip else end
                    if stop - ip < 28:
                        continue  # no whole UDP header
                    payload_at = ip + 28
                    if 8 <= length <= stop - ip - 20:
                        stop = payload_at + length - 8
                    if filtering and (payload_at >= stop or buf[payload_at] not in letters):
                        counter = table.get((dst, dport))
                        if counter is None:
                            continue
                        if counter.first is not None:
                            if stop - payload_at >= 12 and buf[payload_at] >> 6 == 2:
                                counter.packets += 1
                            continue
                    yield Datagram(
                        number,
                        sec + frac * unit,
                        UDP,
                        src,
                        sport,
                        dst,
                        dport,
                        buf[payload_at:stop],
                    )
                    continue
            ts = sec + frac * unit
            for datagram in _decode(number, ts, link, buf[start:end], fragments, stats):
                if not filtering or datagram.proto != UDP or _maybe_sip(datagram.payload):
                    yield datagram
                else:
                    counter = table.get((datagram.dst, datagram.dport))
                    if counter is not None and counter.first is not None and _is_rtp(datagram):
                        counter.packets += 1
                    elif counter is not None:
                        yield datagram
    finally:
        stats.packets += number
        stats.bytes += dropped + pos - 24


def _pcapng_frames(handle: BinaryIO, stats: ReadStats) -> Iterator[Frame]:
    import dpkt  # only pcapng needs it: `checks list` loads this module's checks without

    try:
        reader = dpkt.pcapng.Reader(handle)
    except (ValueError, dpkt.NeedData, dpkt.UnpackError, struct.error) as exc:
        stats.truncated = f"the pcapng section header cannot be read ({exc})"
        return
    link = int(reader.datalink())
    stats.link_types.add(link)
    number = 0
    iterator = iter(reader)
    while True:
        try:
            ts, frame = next(iterator)
        except StopIteration:
            return
        except (ValueError, dpkt.NeedData, dpkt.UnpackError, struct.error) as exc:
            stats.truncated = f"packet {number + 1} cannot be read ({exc or 'cut short'})"
            return
        number += 1
        stats.packets += 1
        stats.bytes += len(frame)
        yield number, float(ts), link, bytes(frame)


def _network(link: int, frame: bytes) -> tuple[int, int]:
    """(ethertype, offset of the IP header) for a frame of this link type; (0, 0) when
    the frame carries no IP."""
    if link == EN10MB:
        offset, kind = 14, int.from_bytes(frame[12:14], "big")
        while kind in (ETH_VLAN, ETH_QINQ) and len(frame) >= offset + 4:
            kind = int.from_bytes(frame[offset + 2 : offset + 4], "big")
            offset += 4
        return kind, offset
    if link == LINUX_SLL:
        return int.from_bytes(frame[14:16], "big"), 16
    if link == LINUX_SLL2:
        return int.from_bytes(frame[0:2], "big"), 20
    if link in (NULL, LOOP):
        family = int.from_bytes(frame[0:4], "big" if link == LOOP else "little")
        if family > 0xFFFF:  # written on a host of the other byte order
            family = int.from_bytes(frame[0:4], "little" if link == LOOP else "big")
        return (ETH_IPV4 if family == 2 else ETH_IPV6 if family in (10, 24, 28, 30) else 0), 4
    if link in (RAW, IPV4, IPV6) or link in RAW_ALIASES:
        version = frame[0] >> 4 if frame else 0
        return (ETH_IPV4 if version == 4 else ETH_IPV6 if version == 6 else 0), 0
    return 0, 0


def _decode(
    number: int, ts: float, link: int, frame: bytes, fragments: Fragments, stats: ReadStats
) -> Iterator[Datagram]:
    kind, offset = _network(link, frame)
    if kind == ETH_IPV4:
        packet = _ipv4(frame, offset, fragments)
    elif kind == ETH_IPV6:
        packet = _ipv6(frame, offset, fragments)
    else:
        if kind == 0 and offset == 0:
            stats.skipped_link += 1
        return
    if packet is None:
        return
    proto, src, dst, body = packet
    if proto == UDP and len(body) >= 8:
        length = int.from_bytes(body[4:6], "big")
        end = length if 8 <= length <= len(body) else len(body)
        yield Datagram(
            number,
            ts,
            UDP,
            src,
            int.from_bytes(body[0:2], "big"),
            dst,
            int.from_bytes(body[2:4], "big"),
            bytes(body[8:end]),
        )
    elif proto == TCP and len(body) >= 20:
        header = (body[12] >> 4) * 4
        yield Datagram(
            number,
            ts,
            TCP,
            src,
            int.from_bytes(body[0:2], "big"),
            dst,
            int.from_bytes(body[2:4], "big"),
            bytes(body[header:]),
            int.from_bytes(body[4:8], "big"),
            body[13],
        )


IpPacket = tuple[int, bytes, bytes, bytes]  # proto, src, dst, transport bytes


def _ipv4(frame: bytes, offset: int, fragments: Fragments) -> IpPacket | None:
    if len(frame) < offset + 20:
        return None
    header = (frame[offset] & 0x0F) * 4
    total = int.from_bytes(frame[offset + 2 : offset + 4], "big")
    end = offset + total if total >= header and offset + total <= len(frame) else len(frame)
    proto = frame[offset + 9]
    src, dst = frame[offset + 12 : offset + 16], frame[offset + 16 : offset + 20]
    body = frame[offset + header : end]
    flags_frag = int.from_bytes(frame[offset + 6 : offset + 8], "big")
    more, frag_offset = flags_frag & 0x2000, (flags_frag & 0x1FFF) * 8
    if more or frag_offset:
        key = (4, src, dst, frame[offset + 4 : offset + 6], proto)
        whole = fragments.add(key, frag_offset, bytes(body), not more)
        if whole is None:
            return None
        body = whole
    return proto, bytes(src), bytes(dst), body


IPV6_EXTENSIONS = {0, 43, 60, 51}  # hop-by-hop, routing, destination options, AH
IPV6_FRAGMENT = 44


def _ipv6(frame: bytes, offset: int, fragments: Fragments) -> IpPacket | None:
    if len(frame) < offset + 40:
        return None
    payload_len = int.from_bytes(frame[offset + 4 : offset + 6], "big")
    nxt = frame[offset + 6]
    src, dst = bytes(frame[offset + 8 : offset + 24]), bytes(frame[offset + 24 : offset + 40])
    end = min(len(frame), offset + 40 + payload_len) if payload_len else len(frame)
    pos = offset + 40
    while nxt in IPV6_EXTENSIONS or nxt == IPV6_FRAGMENT:
        if pos + 8 > end:
            return None
        if nxt == IPV6_FRAGMENT:
            word = int.from_bytes(frame[pos + 2 : pos + 4], "big")
            key = (6, src, dst, frame[pos + 4 : pos + 8], frame[pos])
            whole = fragments.add(key, word & 0xFFF8, bytes(frame[pos + 8 : end]), not word & 1)
            if whole is None:
                return None
            return frame[pos], src, dst, whole
        length = (frame[pos + 1] + 2) * 4 if nxt == 51 else (frame[pos + 1] + 1) * 8
        nxt, pos = frame[pos], pos + length
    return nxt, src, dst, frame[pos:end]


class Fragments:
    """IP datagrams being put back together, keyed by addresses, id and protocol."""

    def __init__(self) -> None:
        self.pending: OrderedDict[tuple[object, ...], dict[int, bytes]] = OrderedDict()
        self.total: dict[tuple[object, ...], int] = {}

    def add(self, key: tuple[object, ...], offset: int, data: bytes, last: bool) -> bytes | None:
        parts = self.pending.setdefault(key, {})
        parts[offset] = data
        if last:
            self.total[key] = offset + len(data)
        if len(self.pending) > MAX_PENDING_FRAGMENTS:
            old, _ = self.pending.popitem(last=False)
            self.total.pop(old, None)
        size = self.total.get(key)
        if size is None:
            return None
        joined, at = bytearray(), 0
        for start in sorted(parts):
            if start > at:
                return None  # a hole: more fragments to come
            joined += parts[start][at - start :]
            at = max(at, start + len(parts[start]))
        if at < size:
            return None
        del self.pending[key]
        del self.total[key]
        return bytes(joined[:size])
