"""``fleetaudit sip-trace FILE...``: captures in, the usual report out (findings from
the ``TRC`` checks, one host per capture file), each failing call's ladder after it."""

from __future__ import annotations

import json
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from fleetaudit import __version__
from fleetaudit.checkkit import load_trace_checks, run_checks
from fleetaudit.errors import UsageError
from fleetaudit.model import HostResult, Report
from fleetaudit.trace import ladder
from fleetaudit.trace.analyse import Trace, analyse
from fleetaudit.trace.capture import open_capture
from fleetaudit.trace.checks import FACT, PLATFORM, CaptureFacts
from fleetaudit.trace.site import SiteLinks, links

FORMATS = ("table", "json", "markdown", "html")
MAX_LADDERS = 50  # drawn in a report; the JSON keeps every kept call


class NothingToAssess(Exception):
    """A valid capture with no SIP in it (or truncated before any): exit 4."""


def check_files(paths: list[Path]) -> None:
    """Every FILE exists and is a capture, before anything is read (exit 2 otherwise)."""
    for path in paths:
        if not path.is_file():
            raise UsageError(f"{path}: no such capture file")
        open_capture(path).close()


def site_links(site: str | None, db: str | None) -> SiteLinks | None:
    if site is None:
        return None
    from fleetaudit.store import Store

    with Store.open(db) as store:
        return links(store, site)


def build_report(trace: Trace, site: SiteLinks | None, started: float) -> Report:
    hosts = []
    for summary in trace.files:
        stats = summary.stats
        status: Any = "ok"
        error = None
        facts: dict[str, Any] = {
            FACT: CaptureFacts(
                trace.for_file(summary.path),
                trace.registrations,
                site is not None and site.nat_timeout is not None,
                trace.not_listed(summary.path),
            )
        }
        if stats.truncated:
            status, error = "partial", f"truncated: {stats.truncated}"
        if not summary.sip_messages:
            status = "partial"
            error = (error + "; " if error else "") + "no SIP message in it"
            facts = {FACT: None}
        host = HostResult(summary.path, PLATFORM, site.site if site else None, None, status, error)
        host.facts = facts
        if not summary.sip_messages:
            host.why_unknown[FACT] = f"{summary.path}: {error}"
        hosts.append(host)
    findings = run_checks(hosts, {}, load_trace_checks())
    return Report(
        run_id=uuid.uuid4().hex,
        started=datetime.fromtimestamp(started, UTC).isoformat(timespec="seconds"),
        site=site.site if site else None,
        tool_version=__version__,
        hosts=hosts,
        findings=findings,
        duration_s=time.time() - started,
        mode="offline",
        sip_trace=trace_json(trace, site),
    )


def trace_json(trace: Trace, site: SiteLinks | None) -> dict[str, Any]:
    return {
        "files": [
            {
                "path": f.path,
                "packets": f.stats.packets,
                "sip_messages": f.sip_messages,
                "truncated": f.stats.truncated or None,
                "link_types": sorted(f.stats.link_types),
                "problems": {c: n for (p, c), n in sorted(trace.counts.items()) if p == f.path},
            }
            for f in trace.files
        ],
        "calls": trace.calls,
        "site_audit": site.run_id if site else None,
        "ladders": [
            {
                "call_id": call.call_id,
                "summary": call.summary(),
                "messages": [
                    {
                        "file": r.file,
                        "packet": r.number,
                        "time": r.ts,
                        "src": r.src,
                        "dst": r.dst,
                        "label": r.label,
                        "transport": r.transport,
                        "retransmission": r.retransmission,
                    }
                    for r in call.rows
                ],
            }
            for call in trace.kept
        ],
    }


def render(report: Report, trace: Trace, fmt: str, output: Path | None, note: str) -> None:
    calls = trace.kept[:MAX_LADDERS]
    if fmt == "table":
        from fleetaudit.report.console import render as console_report
        from fleetaudit.report.terminal import make_console

        stream: TextIO = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            console = make_console(stream)
            console_report(report, console, note)
            for call in calls:
                console.print()
                console.print(ladder.text(call), markup=False, highlight=False, soft_wrap=True)
        finally:
            if output:
                stream.close()
        return
    from fleetaudit.report.render import report_text, write

    text = report_text(report, fmt, note)
    if fmt == "markdown" and calls:
        text += "\n## Call ladders\n\n" + "".join(
            f"```\n{ladder.text(call)}\n```\n\n" for call in calls
        )
    elif fmt == "html" and calls:
        section = (
            "<section><h2>Call ladders</h2>"
            + "".join(
                f"<h3>{_escape(call.call_id)}: {_escape(call.summary())}</h3>{ladder.svg(call)}"
                for call in calls
            )
            + "</section>"
        )
        text = text.replace("</body>", section + "</body>", 1)
    write(text, output)


def _escape(text: str) -> str:
    from html import escape

    return escape(text)


def nothing_to_assess(trace: Trace) -> str | None:
    """Why no file gave anything to judge, or None when one did."""
    if trace.sip_messages:
        return None
    reasons = []
    for f in trace.files:
        why = f"truncated ({f.stats.truncated})" if f.stats.truncated else "no SIP message"
        reasons.append(f"{f.path}: {f.stats.packets} packet(s) read, {why}")
    return "; ".join(reasons)


def run(
    paths: list[Path], fmt: str, output: Path | None, site: str | None, db: str | None
) -> tuple[Report, Trace]:
    check_files(paths)
    started = time.time()
    links_ = site_links(site, db)
    trace = analyse(paths, links_)
    for f in trace.files:
        if f.stats.truncated and f.sip_messages:
            print(
                f"fleetaudit: {f.path}: truncated: {f.stats.truncated}; the {f.stats.packets} "
                "packet(s) before it were read",
                file=sys.stderr,
            )
    why = nothing_to_assess(trace)
    if why is not None:
        raise NothingToAssess(f"nothing to assess: {why}")
    report = build_report(trace, links_, started)
    note = f"{len(paths)} capture(s), {trace.sip_messages} SIP message(s), {trace.calls} call(s)"
    if links_ is not None:
        note += f"; linked to site {links_.site}'s audit {links_.run_id[:8]}"
    render(report, trace, fmt, output, note)
    return report, trace


def dump(trace: Trace) -> str:
    """The trace section alone (debugging aid)."""
    return json.dumps(trace_json(trace, None), indent=2)
