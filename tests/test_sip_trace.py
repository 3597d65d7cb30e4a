"""sip-trace on what real captures hold besides plain UDP over Ethernet: TCP streams
(several messages in a segment, one message over segments), IPv6 with fragments, Linux
cooked headers, BSD loopback, pcapng; and what is not a capture at all."""

from __future__ import annotations

import json
import socket
import struct
from pathlib import Path
from typing import Any

import dpkt
import pytest

from fleetaudit.cli import main
from fleetaudit.trace.analyse import analyse

A4, B4 = "198.51.100.7", "192.0.2.10"
A6, B6 = "2001:db8::7", "2001:db8::10"


def sip(first: str, cseq: str, call_id: str = "c1", body: str = "", extra: str = "") -> bytes:
    headers = (
        f"{first}\r\nVia: SIP/2.0/UDP {A4}:5060;branch=z9hG4bK{cseq.replace(' ', '')}\r\n"
        f"From: <sip:200@{A4}>;tag=a\r\nTo: <sip:300@{B4}>\r\nCall-ID: {call_id}\r\n"
        f"CSeq: {cseq}\r\n{extra}Content-Length: {len(body)}\r\n\r\n{body}"
    )
    return headers.encode()


SDP = (
    "v=0\r\no=- 1 1 IN IP4 10.1.1.1\r\ns=-\r\nc=IN IP4 10.1.1.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\n"
    + ("a=x-padding:" + "p" * 3000 + "\r\n")
)
INVITE = sip(
    "INVITE sip:300@192.0.2.10 SIP/2.0",
    "1 INVITE",
    body=SDP,
    extra="Content-Type: application/sdp\r\n",
)
BUSY = sip("SIP/2.0 404 Not Found", "1 INVITE")


def udp4(src: str, dst: str, payload: bytes) -> dpkt.ip.IP:
    udp = dpkt.udp.UDP(sport=5060, dport=5060, data=payload)
    udp.ulen = len(udp)
    return dpkt.ip.IP(src=socket.inet_aton(src), dst=socket.inet_aton(dst), p=17, data=udp)


def write(path: Path, frames: list[bytes], linktype: int, ng: bool = False) -> Path:
    with path.open("wb") as out:
        writer = (dpkt.pcapng.Writer if ng else dpkt.pcap.Writer)(out, linktype=linktype)
        for n, frame in enumerate(frames):
            writer.writepkt(frame, ts=1700000000 + n * 0.01)
    return path


def ether(ip: bytes, kind: int = 0x0800) -> bytes:
    return b"\x02" * 6 + b"\x04" * 6 + struct.pack(">H", kind) + ip


def fragments4(ip: dpkt.ip.IP, size: int = 1400) -> list[bytes]:
    """IPv4 fragments of ``ip`` (as a router would cut a big SIP/SDP datagram)."""
    data = bytes(ip.data)
    parts = []
    for offset in range(0, len(data), size):
        chunk = data[offset : offset + size]
        more = offset + size < len(data)
        frag = dpkt.ip.IP(src=ip.src, dst=ip.dst, p=17, id=77, data=chunk)
        frag.offset, frag.mf = offset // 8, int(more)
        parts.append(bytes(frag))
    return parts


def test_ipv4_fragments_over_ethernet(tmp_path: Path) -> None:
    frames = [ether(f) for f in fragments4(udp4(A4, B4, INVITE))] + [
        ether(bytes(udp4(B4, A4, BUSY)))
    ]
    trace = analyse([write(tmp_path / "frag.pcap", frames, dpkt.pcap.DLT_EN10MB)])
    assert trace.sip_messages == 2
    [problem] = [p for p in trace.problems if p.check == "TRC002"]
    assert [r.number for r in problem.rows] == [3, 4]  # the INVITE completes in packet 3


def ipv6_fragments(payload: bytes) -> list[bytes]:
    udp = dpkt.udp.UDP(sport=5060, dport=5060, data=payload)
    udp.ulen = len(udp)
    data = bytes(udp)
    frames = []
    for offset in range(0, len(data), 1232):
        chunk = data[offset : offset + 1232]
        more = 1 if offset + 1232 < len(data) else 0
        header = struct.pack(">BBHI", 17, 0, offset | more, 99)
        fixed = struct.pack(">IHBB", 6 << 28, len(header) + len(chunk), 44, 64)
        frames.append(
            fixed
            + socket.inet_pton(socket.AF_INET6, A6)
            + socket.inet_pton(socket.AF_INET6, B6)
            + header
            + chunk
        )
    return frames


def test_ipv6_fragments_in_linux_cooked_v2(tmp_path: Path) -> None:
    sll2 = struct.pack(">HHIHBB8s", 0x86DD, 0, 1, 1, 0, 6, b"\x00" * 8)
    frames = [sll2 + f for f in ipv6_fragments(INVITE)]
    trace = analyse([write(tmp_path / "v6.pcap", frames, 276)])
    assert trace.sip_messages == 1
    assert trace.files[0].stats.link_types == {276}


def test_linux_cooked_v1_and_pcapng(tmp_path: Path) -> None:
    sll = struct.pack(">HHH8sH", 0, 1, 6, b"\x00" * 8, 0x0800)
    frames = [sll + bytes(udp4(A4, B4, INVITE)), sll + bytes(udp4(B4, A4, BUSY))]
    trace = analyse([write(tmp_path / "any.pcapng", frames, 113, ng=True)])
    assert trace.sip_messages == 2
    assert [p.check for p in trace.problems] == ["TRC002", "TRC004"]  # 404; private SDP c=


def test_bsd_loopback_null(tmp_path: Path) -> None:
    frames = [
        struct.pack("<I", 2) + bytes(udp4(A4, B4, INVITE)),
        struct.pack("<I", 2) + bytes(udp4(B4, A4, BUSY)),
    ]
    assert analyse([write(tmp_path / "lo.pcap", frames, 0)]).sip_messages == 2


def tcp4(src: str, dst: str, seq: int, payload: bytes, flags: int = dpkt.tcp.TH_ACK) -> bytes:
    tcp = dpkt.tcp.TCP(
        sport=5060 if src == A4 else 40000,
        dport=40000 if src == A4 else 5060,
        seq=seq,
        flags=flags,
        data=payload,
    )
    return ether(
        bytes(dpkt.ip.IP(src=socket.inet_aton(src), dst=socket.inet_aton(dst), p=6, data=tcp))
    )


def test_tcp_stream_several_messages_per_segment_and_one_across_segments(tmp_path: Path) -> None:
    trying = sip("SIP/2.0 100 Trying", "1 INVITE")
    reply = trying + BUSY  # two messages in one segment
    frames = [
        tcp4(B4, A4, 1000, b"", dpkt.tcp.TH_SYN),
        tcp4(B4, A4, 1001, INVITE[:700]),
        tcp4(B4, A4, 1001 + 700 + 1000, INVITE[1700:]),  # out of order
        tcp4(B4, A4, 1001 + 700, INVITE[700:1700]),
        tcp4(A4, B4, 5000, reply),
    ]
    trace = analyse([write(tmp_path / "tcp.pcap", frames, dpkt.pcap.DLT_EN10MB)])
    assert trace.sip_messages == 3
    [problem] = [p for p in trace.problems if p.check == "TRC002"]
    assert [r.number for r in problem.rows] == [4, 5, 5]
    assert problem.rows[0].transport == "TCP"


def run(capsys: Any, *args: str) -> tuple[int, str, str]:
    code = main(["sip-trace", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_garbage_is_not_a_capture(tmp_path: Path, capsys: Any) -> None:
    garbage = tmp_path / "notes.pcap"
    garbage.write_text("INVITE sip:x SIP/2.0\r\n" * 20)
    code, _out, err = run(capsys, str(garbage))
    assert code == 2 and "not a pcap or pcapng capture" in err and "Traceback" not in err
    empty = tmp_path / "empty.pcap"
    empty.write_bytes(b"")
    assert run(capsys, str(empty))[0] == 2
    assert run(capsys, str(tmp_path / "missing.pcap"))[0] == 2


def test_truncated_capture(tmp_path: Path, capsys: Any) -> None:
    whole = write(
        tmp_path / "whole.pcap",
        [ether(bytes(udp4(A4, B4, INVITE[:900]))), ether(bytes(udp4(B4, A4, BUSY)))],
        1,
    )
    data = whole.read_bytes()
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(data[:-50])  # the 404 is cut short
    code, out, err = run(capsys, str(cut), "--format", "json")
    assert "truncated: the file ends inside packet 2" in err
    assert code == 1  # what was read is judged: the INVITE's private SDP address (TRC004)
    assert json.loads(out)["hosts"][0]["status"] == "partial"
    header_only = tmp_path / "header.pcap"
    header_only.write_bytes(data[:30])
    code, _out, err = run(capsys, str(header_only))
    assert code == 4 and "nothing to assess" in err and "ends inside the header of packet 1" in err


def test_capture_without_sip(tmp_path: Path, capsys: Any) -> None:
    dns = ether(bytes(udp4(A4, B4, b"\x12\x34\x01\x00" + b"\x00" * 20)))
    pcap = write(tmp_path / "dns.pcap", [dns], 1)
    code, _out, err = run(capsys, str(pcap))
    assert code == 4 and "no SIP message" in err


def test_checks_list_and_explain_show_trace_checks(capsys: Any) -> None:
    assert main(["checks", "list"]) == 0
    out = capsys.readouterr().out
    assert all(f"TRC00{n}" in out for n in range(1, 7)) and "ALG001" in out
    assert main(["checks", "explain", "TRC001"]) == 0
    assert "Why it breaks calls" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_formats_draw_the_ladder(tmp_path: Path, capsys: Any, fmt: str) -> None:
    pcap = write(
        tmp_path / "c.pcap",
        [ether(bytes(udp4(A4, B4, INVITE[:900]))), ether(bytes(udp4(B4, A4, BUSY)))],
        1,
    )
    code, out, _err = run(capsys, str(pcap), "--format", fmt)
    assert code == 1 and "TRC002" in out
    assert ("<svg" in out) if fmt == "html" else ("404 Not Found" in out and "#2" in out)


def test_trace_checks_are_documented_like_the_others() -> None:
    from fleetaudit.checkkit import ID_PATTERN, load_trace_checks

    checks = load_trace_checks()
    assert [c.id for c in checks] == [f"TRC00{n}" for n in range(1, 7)]
    for check in checks:
        assert ID_PATTERN.match(check.id) and check.slug.startswith("trace-")
        assert check.path is not None
        assert check.path.stem == f"{check.id.lower()}_{check.slug.replace('-', '_')}"
        for heading in ("## What it checks", "## Why it breaks calls", "## How to fix"):
            assert heading in check.doc
        assert check.platforms == ("capture",) and "capture" in check.fix
