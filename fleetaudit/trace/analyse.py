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
MAX_EXAMPLES = 100  # problems of one check in one file listed with their evidence; the
# rest are counted (a capture of 100k calls failing alike needs a count, not 100k findings)


@dataclass
class FileSummary:
    path: str
    stats: ReadStats
    sip_messages: int = 0
    unparsable: int = 0  # payloads that looked like SIP and were not


@dataclass
class Trace:
    files: list[FileSummary]
    problems: list[Problem] = field(default_factory=list)  # the first MAX_EXAMPLES each
    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (file, check) -> all
    kept: list[Call] = field(default_factory=list)  # calls with a problem, their ladders
    calls: int = 0  # every Call-ID seen
    registrations: int = 0  # calls that held a REGISTER

    @property
    def sip_messages(self) -> int:
        return sum(f.sip_messages for f in self.files)

    def for_file(self, path: str) -> list[Problem]:
        return [p for p in self.problems if p.file == path]

    def not_listed(self, path: str) -> dict[str, int]:
        """Check -> how many of its problems in ``path`` are counted, not listed."""
        return {
            check: count - MAX_EXAMPLES
            for (file, check), count in self.counts.items()
            if file == path and count > MAX_EXAMPLES
        }


def analyse(paths: list[Path], site: SiteLinks | None = None) -> Trace:
    trace = Trace([])
    ctx = Context(end_ts=0.0, site=site)

    def keep(call: Call) -> bool:
        ctx.end_ts = max(ctx.end_ts, calls.now)
        if call.registrations:
            trace.registrations += 1
        found = judge(call, ctx)
        for problem in found:
            key = (problem.file, problem.check)
            count = trace.counts[key] = trace.counts.get(key, 0) + 1
            if count <= MAX_EXAMPLES:
                trace.problems.append(problem)
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
