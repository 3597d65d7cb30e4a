"""Benchmark (not a test) of `fleetaudit sip-trace`: a large capture streamed in one
pass; MB/s (wall and CPU), packets/s and peak RSS against issue 14's target: a 1 GB
capture in <= 200 MB RSS at >= 50 MB/s on one core.

The captures are real traffic: sipp calls on 127.0.0.1 recorded by tcpdump on lo, then
replicated to the size asked (each copy shifted by 1000 s, so its calls are new calls).
Two shapes, each analysed in a fresh process (its own peak RSS):

- ``media``: a two-way G.711 call (sipp plays its 7 s g711a.pcap both ways, 252-byte
  RTP payloads): RTP is nearly all of the capture, as in a capture of real calls;
- ``signalling``: the worst case for speed, a call that sends 10 small DTMF RTP packets
  one way (every call is a TRC006 one-way-audio finding): a SIP message every 4 packets.

Also times dpkt and scapy decoding the same packets, the measurement behind reading
with dpkt.

    python bench/bench_trace.py [SIZE_MB] [--shape media|signalling]   (default 1024, both)
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "tests" / "trace" / "scenarios"
TARGET_MB_S = 50.0
TARGET_RSS_MB = 200.0
G711 = "/usr/share/sip-tester/g711a.pcap"
PLAY = '<nop><action><exec play_pcap_audio="{}"/></action></nop>'
SHAPES = ("media", "signalling")


def base_capture(folder: Path, shape: str) -> Path:
    """One answered call (sipp, tcpdump on lo) of the given shape."""
    record = _tests_helpers().record
    uac, uas = str(SCENARIOS / "oneway_uac.xml"), str(SCENARIOS / "oneway_uas.xml")
    if shape == "media":  # the tests' scenarios, playing G.711 audio both ways
        text = (SCENARIOS / "oneway_uac.xml").read_text(encoding="iso-8859-1")
        text = text.replace("/usr/share/sip-tester/dtmf_2833_1.pcap", G711)
        text = text.replace('<pause milliseconds="1500"/>', '<pause milliseconds="7500"/>')
        (folder / "media_uac.xml").write_text(text, encoding="iso-8859-1")
        text = (SCENARIOS / "oneway_uas.xml").read_text(encoding="iso-8859-1")
        text = text.replace('<recv request="ACK"/>', '<recv request="ACK"/>' + PLAY.format(G711))
        (folder / "media_uas.xml").write_text(text, encoding="iso-8859-1")
        uac, uas = str(folder / "media_uac.xml"), str(folder / "media_uas.xml")
    return record(
        folder / f"{shape}.pcap",
        26060,
        ["-sf", uac],
        ["-sf", uas, "-mp", "26063"],
        " or (udp and portrange 6000-6100)",
    )


def _tests_helpers() -> Any:
    """tests/trace/conftest.py (sipp + tcpdump), imported only where captures are made:
    the measuring process stays free of pytest."""
    sys.path.insert(0, str(SCENARIOS.parent))
    import conftest

    return conftest


def replicate(base: Path, out: Path, size_mb: int) -> Path:
    data = base.read_bytes()
    header, body = data[:24], data[24:]
    records = []
    offset = 0
    while offset < len(body):
        sec, usec, caplen, wire = struct.unpack_from("<IIII", body, offset)
        records.append((sec, usec, body[offset + 16 : offset + 16 + caplen], wire))
        offset += 16 + caplen
    target = size_mb * 1024 * 1024
    with out.open("wb") as handle:
        handle.write(header)
        written, copy = 24, 0
        while written < target:
            chunk = bytearray()
            for sec, usec, frame, wire in records:
                chunk += struct.pack("<IIII", sec + 1000 * copy, usec, len(frame), wire) + frame
            handle.write(chunk)
            written += len(chunk)
            copy += 1
    return out


def compare_libraries(path: Path, limit: int = 100_000) -> None:
    import dpkt

    start = time.perf_counter()
    with path.open("rb") as handle:
        for n, (_ts, buf) in enumerate(dpkt.pcap.Reader(handle)):
            eth = dpkt.ethernet.Ethernet(buf)
            _ = eth.data.data.data
            if n >= limit:
                break
    dpkt_rate = limit / (time.perf_counter() - start)
    try:
        from scapy.all import PcapReader  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        print(f"dpkt: {dpkt_rate:,.0f} packets/s decoded; scapy not installed")
        return
    start = time.perf_counter()
    count = 0
    for packet in PcapReader(str(path)):
        _ = bytes(packet.payload.payload.payload)
        count += 1
        if count >= limit // 10:
            break
    scapy_rate = count / (time.perf_counter() - start)
    print(
        f"decoding to UDP payloads: dpkt {dpkt_rate:,.0f} packets/s, scapy {scapy_rate:,.0f} "
        f"packets/s ({dpkt_rate / scapy_rate:.0f}x)"
    )


def measure(path: Path) -> dict[str, float]:
    """Analyse ``path`` in this (fresh) process: its figures, peak RSS included."""
    from fleetaudit.trace.analyse import analyse

    start, cpu = time.perf_counter(), time.process_time()
    trace = analyse([path])
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "mb": path.stat().st_size / 1e6,
        "packets": trace.files[0].stats.packets,
        "sip": trace.sip_messages,
        "calls": trace.calls,
        "problems": sum(trace.counts.values()),
        "wall": wall,
        "cpu": cpu,
        "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def report(shape: str, f: dict[str, float]) -> bool:
    wall_rate, cpu_rate = f["mb"] / f["wall"], f["mb"] / f["cpu"]
    speed, memory = cpu_rate / TARGET_MB_S, f["rss"] / TARGET_RSS_MB
    met = speed >= 1 and memory <= 1
    print(
        f"{shape}: {f['mb']:,.0f} MB, {f['packets']:,.0f} packets, {f['sip']:,.0f} SIP "
        f"messages, {f['calls']:,.0f} calls, {f['problems']:,.0f} problems in {f['wall']:.1f} s"
        f"\n  {wall_rate:.1f} MB/s wall, {cpu_rate:.1f} MB/s CPU, "
        f"{f['packets'] / f['cpu']:,.0f} packets/s CPU, peak RSS {f['rss']:.0f} MB"
        f"\n  target >= {TARGET_MB_S:.0f} MB/s and <= {TARGET_RSS_MB:.0f} MB: speed "
        f"{speed:.2f}x of the target, RSS {memory:.2f}x of the budget -> "
        f"{'met' if met else 'NOT met'}"
    )
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size_mb", nargs="?", type=int, default=1024)
    parser.add_argument("--shape", choices=SHAPES, action="append")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    why = _tests_helpers().tools_missing()
    if why:
        sys.exit(f"bench_trace: {why}")
    folder = Path(tempfile.mkdtemp(prefix="bench-trace-"))
    try:
        for shape in args.shape or SHAPES:
            big = replicate(base_capture(folder, shape), folder / "big.pcap", args.size_mb)
            if shape == "signalling":
                compare_libraries(big)
            child = subprocess.run(
                [sys.executable, __file__, "--measure", str(big)],
                capture_output=True,
                text=True,
                check=True,
            )
            report(shape, json.loads(child.stdout))
            big.unlink()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
