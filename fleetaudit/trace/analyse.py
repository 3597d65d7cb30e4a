"""One pass over the captures: packets -> SIP messages and RTP -> calls -> problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fleetaudit.trace.calls import Call, Calls
from fleetaudit.trace.capture import TCP, UDP, ReadStats, datagrams
from fleetaudit.trace.problems import Context, Problem, judge
from fleetaudit.trace.sip import looks_like_sip, parse
from fleetaudit.trace.site import SiteLinks
from fleetaudit.trace.tcp import Reassembler

SWEEP_EVERY = 20000  # packets between two looks for finished calls


@dataclass
class FileSummary:
    path: str
    stats: ReadStats
    sip_messages: int = 0
    unparsable: int = 0  # payloads that looked like SIP and were not


@dataclass
class Trace:
    files: list[FileSummary]
    problems: list[Problem] = field(default_factory=list)
    kept: list[Call] = field(default_factory=list)  # calls with a problem, their ladders
    calls: int = 0  # every Call-ID seen
    registrations: int = 0  # calls that held a REGISTER

    @property
    def sip_messages(self) -> int:
        return sum(f.sip_messages for f in self.files)

    def for_file(self, path: str) -> list[Problem]:
        return [p for p in self.problems if p.file == path]


def analyse(paths: list[Path], site: SiteLinks | None = None) -> Trace:
    trace = Trace([])
    ctx = Context(end_ts=0.0, site=site)

    def keep(call: Call) -> bool:
        ctx.end_ts = max(ctx.end_ts, calls.now)
        if call.registrations:
            trace.registrations += 1
        found = judge(call, ctx)
        trace.problems.extend(found)
        return bool(found)

    calls = Calls(keep)
    for path in paths:
        summary = FileSummary(str(path), ReadStats())
        trace.files.append(summary)
        name = str(path)
        streams = Reassembler()
        next_sweep = SWEEP_EVERY
        for datagram in datagrams(path, summary.stats, calls.media):
            if datagram.proto == UDP:
                payload = datagram.payload
                if payload[:3] == b"SIP" or (payload[:1].isalpha() and looks_like_sip(payload)):
                    message = parse(payload)
                    if message is None or not message.call_id:
                        summary.unparsable += 1
                        continue
                    summary.sip_messages += 1
                    calls.message(name, datagram.number, datagram, message, "UDP")
                else:
                    calls.rtp(name, datagram)
            elif datagram.proto == TCP:
                for framed in streams.add(datagram):
                    message = parse(framed.data)
                    if message is None or not message.call_id:
                        summary.unparsable += 1
                        continue
                    summary.sip_messages += 1
                    calls.message(name, framed.last_packet, datagram, message, "TCP")
            if datagram.number >= next_sweep:
                next_sweep = datagram.number + SWEEP_EVERY
                if calls.open:
                    calls.sweep()
    ctx.end_ts = calls.now
    calls.sweep(force=True)
    trace.kept = calls.kept
    trace.calls = calls.finished
    return trace
