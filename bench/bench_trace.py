"""Benchmark (not a test) of `fleetaudit sip-trace`: a large capture streamed in one
pass, MB/s and peak RSS (targets: >= 50 MB/s on one core, <= 200 MB RSS for 1 GB).

The capture is real traffic: sipp calls on 127.0.0.1 (uac/uas built-in scenarios with
RTP from sipp's own pcap) recorded by tcpdump on lo, then replicated to the size asked
(each copy shifted by 1000 s so its calls are new calls). Also times dpkt and scapy
decoding the same packets, the measurement behind reading with dpkt.

    python bench/bench_trace.py [SIZE_MB]   (default 1024)
"""

from __future__ import annotations

import resource
import shutil
import struct
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "trace"))

from conftest import record, scenario, tools_missing  # noqa: E402

from fleetaudit.trace.analyse import analyse  # noqa: E402


def base_capture(folder: Path) -> Path:
    """One answered call with RTP one way (sipp, tcpdump on lo)."""
    return record(
        folder / "base.pcap",
        26060,
        ["-sf", scenario("oneway_uac.xml")],
        ["-sf", scenario("oneway_uas.xml"), "-mp", "26063"],
        " or (udp and portrange 6000-6100)",
    )


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


def main() -> None:
    size_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    why = tools_missing()
    if why:
        sys.exit(f"bench_trace: {why}")
    folder = Path(tempfile.mkdtemp(prefix="bench-trace-"))
    try:
        base = base_capture(folder)
        big = replicate(base, folder / "big.pcap", size_mb)
        mb = big.stat().st_size / 1e6
        compare_libraries(big)
        start, cpu = time.perf_counter(), time.process_time()
        trace = analyse([big])
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"sip-trace: {mb:,.0f} MB, {trace.files[0].stats.packets:,} packets, "
            f"{trace.sip_messages:,} SIP messages, {trace.calls:,} calls in {wall:.1f} s: "
            f"{mb / wall:.0f} MB/s ({mb / cpu:.0f} MB/s of CPU), peak RSS {rss:.0f} MB, "
            f"{len(trace.problems):,} problems"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
