"""Every output format, in one place: ``emit`` writes a report (run, scan, history
show) or a drift in the format asked for, to a file or stdout."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from fleetaudit.model import Report
from fleetaudit.report.readiness import of_run
from fleetaudit.store import RunSummary

if TYPE_CHECKING:  # a run's report needs no drift: imported where a drift is drawn
    from rich.console import Console  # nor rich when written as JSON, SARIF...: where drawn
    from rich.table import Table

    from fleetaudit.drift import Drift, FindingDelta


def write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        output.write_text(text, encoding="utf-8")


def _write_pieces(pieces: Iterable[str], output: Path | None) -> None:
    stream: TextIO = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        stream.writelines(pieces)
        stream.flush()
    finally:
        if output:
            stream.close()


def _with_stream(output: Path | None, draw: Callable[[Console], None]) -> None:
    stream: TextIO = output.open("w", encoding="utf-8") if output else sys.stdout
    from fleetaudit.report.terminal import make_console

    try:
        draw(make_console(stream))
    finally:
        if output:
            stream.close()


def _t(console: Console, title: str, **options: Any) -> Table:
    """A table of :mod:`fleetaudit.report.console` (rich is imported where one is drawn)."""
    from fleetaudit.report.console import table

    return table(console, title, **options)


# -- reports ---------------------------------------------------------------------------


def report_text(
    report: Report,
    fmt: str,
    note: str = "",
    check_dirs: tuple[Path, ...] = (),
    trend: list[int] | None = None,
    facts: bool = False,
) -> str:
    """The report in ``fmt``; ``facts``: JSON carries each host's facts (``--facts``)."""
    if fmt == "json":
        return "".join(_json_chunks(report, facts))
    if fmt == "fixes":
        from fleetaudit.report.fixes import render_text

        return render_text(report)
    if fmt == "markdown":
        from fleetaudit.report.markdown import render_report

        return render_report(report, note)
    if fmt == "html":
        from fleetaudit.report.html import render_report as html
        from fleetaudit.report.readiness import sparkline

        return html(report, note, sparkline(trend or []))
    if fmt == "junit":
        from fleetaudit.report.junit import render

        return render(report)
    if fmt == "sarif":
        from fleetaudit.report.sarif import render as sarif

        return sarif(report, check_dirs)
    raise ValueError(fmt)


def _json_chunks(report: Report, facts: bool) -> Iterator[str]:
    """The JSON report, ``json.dumps(…, indent=2)`` and a line end, in pieces (one host
    or finding at a time: the document is never whole in memory)."""
    from fleetaudit.report.readiness import sites
    from fleetaudit.reportjson import report_pieces

    readiness = [s.to_json() for s in sites(report)]  # per site
    yield from report_pieces(report, facts=facts, indent=2, extra={"sites": readiness})
    yield "\n"


def emit_report(
    report: Report,
    fmt: str,
    output: Path | None,
    note: str = "",
    check_dirs: tuple[Path, ...] = (),
    verbose: bool = False,
    trend: list[int] | None = None,
    facts: bool = False,
) -> None:
    if fmt == "json":  # written as it is encoded: a large run's text is never whole
        _write_pieces(_json_chunks(report, facts), output)
        return
    if fmt == "markdown":
        from fleetaudit.report.markdown import report_lines, stripped_end

        _write_pieces(stripped_end(report_lines(report, note)), output)
        return
    if fmt == "sarif":
        from fleetaudit.report.sarif import render_pieces

        _write_pieces(render_pieces(report, check_dirs), output)
        return
    if fmt == "junit":
        from fleetaudit.report.junit import render_pieces as junit_pieces

        _write_pieces(junit_pieces(report), output)
        return
    if fmt == "html":
        from fleetaudit.report.html import render_pieces as html_pieces
        from fleetaudit.report.readiness import sparkline

        _write_pieces(html_pieces(report, note, sparkline(trend or [])), output)
        return
    if fmt != "table":
        write(report_text(report, fmt, note, check_dirs, trend, facts), output)
        return
    from fleetaudit.report.console import render, render_end

    def draw(console: Console) -> None:
        from rich.text import Text

        render(report, console, note, verbose)
        extras(report, console)
        render_end(report, console)
        if trend and len(trend) > 1:
            from fleetaudit.report.readiness import trend_text

            console.print(Text(trend_text(trend), style="dim"))

    _with_stream(output, draw)


def _delta_table(
    console: Console,
    title: str,
    items: list[dict[str, Any]] | list[FindingDelta],
    style: str = "",
) -> Table:
    from rich.text import Text

    from fleetaudit.drift import FindingDelta
    from fleetaudit.report.console import STYLE

    t = _t(console, title, title_style=style)
    for column in ("sev", "check", "host", "subject", "message"):
        t.add_column(column, overflow="fold")
    for item in items:
        d = item.to_json() if isinstance(item, FindingDelta) else item
        severity = d["severity"]
        if d.get("before_severity"):
            severity = f"{d['before_severity']} → {severity}"
        message = d.get("message", "") + (f" ({d['note']})" if d.get("note") else "")
        t.add_row(
            Text(severity, style=STYLE.get(d["severity"], "")),
            d["check"],
            d["host"],
            d["subject"],
            message,
        )
    return t


def extras(report: Report, console: Console) -> None:
    """What the console report does not show by itself: the pre-change comparison,
    the baseline, waived findings and expired waivers."""
    from rich.text import Text

    cand = report.candidate
    if cand is not None:
        console.print(
            Text(
                f"Pre-change audit of {cand['dir']} (compared with {cand['compared_with']})",
                style="bold",
            )
        )
        for title, deltas, style in (
            ("Introduced by the change", cand["introduced"], "bold red"),
            ("Made worse by the change", cand["worsened"], "bold red"),
            ("Resolved by the change", cand["resolved"], "bold green"),
            ("No longer assessed", cand["not_assessed"], "magenta"),
        ):
            if deltas:
                console.print(_delta_table(console, f"{title} ({len(deltas)})", deltas, style))
        console.print(
            Text(
                f"{len(cand['unchanged'])} failing finding(s) unchanged by the change.", style="dim"
            )
        )
        if not cand["introduced"] and not cand["worsened"]:
            console.print(
                Text("The change introduces no finding. It makes none worse.", style="bold green")
            )
    base = report.baseline
    if base is not None:
        console.print(
            Text(
                f"Baseline {base['run']}: {len(base['new'])} new failing finding(s), {base['known']} already known."
            )
        )
    waivers: dict[str, Any] = dict(report.waivers or {})
    if waivers.get("applied"):
        table = _t(console, f"Waived ({len(waivers['applied'])})")
        for column in ("finding", "until", "reason"):
            table.add_column(column, overflow="fold")
        for w in waivers["applied"]:
            table.add_row(w["fingerprint"], w["expires"], w["reason"])
        console.print(table)
    if waivers.get("expired"):
        table = _t(console, "Expired waivers (their findings count again)", title_style="bold red")
        for column in ("check", "host", "subject", "expired", "reason", "findings"):
            table.add_column(column, overflow="fold")
        for w in waivers["expired"]:
            table.add_row(
                w["check"],
                w["host"],
                w["subject"] or "*",
                w["expires"],
                w["reason"],
                str(len(w["findings"])),
            )
        console.print(table)


# -- drift -----------------------------------------------------------------------------


def drift_text(d: Drift, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(d.to_json(), indent=2) + "\n"
    if fmt == "markdown":
        from fleetaudit.report.markdown import render_drift

        return render_drift(d)
    if fmt == "html":
        from fleetaudit.report.html import render_drift as html

        return html(d)
    raise ValueError(fmt)


def emit_drift(d: Drift, fmt: str, output: Path | None, trend: list[int] | None = None) -> None:
    from fleetaudit.report.readiness import sparkline, trend_text

    if fmt == "html":
        text = drift_text(d, fmt)
        chart = sparkline(trend or [])
        if chart:
            text = text.replace("<main>", f"<main><p>Readiness over stored runs: {chart}</p>", 1)
        write(text, output)
        return
    if fmt == "markdown" and trend:
        write(drift_text(d, fmt) + f"\n{trend_text(trend)}\n", output)
        return
    if fmt != "table":
        write(drift_text(d, fmt), output)
        return

    def draw(console: Console) -> None:
        from rich.text import Text

        drift_table(d, console)
        if trend:
            console.print(Text(trend_text(trend)))

    _with_stream(output, draw)


def drift_table(d: Drift, console: Console) -> None:
    from rich.text import Text

    from fleetaudit.report.markdown import fact_value

    f = d.findings
    console.print(
        Text.assemble(
            (f"Drift at {d.site}", "bold"),
            f"  {d.before.id} ({d.before.started}) → {d.after.id} ({d.after.started})\n",
            (f"{len(f.new)} new", "bold red" if f.new else "dim"),
            "  ",
            (f"{len(f.resolved)} resolved", "bold green" if f.resolved else "dim"),
            f"  {len(f.persisting)} persisting  {len(f.severity_changed)} severity changes"
            f"  {len(d.facts)} fact changes  {len(d.counters)} counter changes",
        )
    )
    if d.empty():
        console.print(Text("Nothing changed.", style="bold green"))
    for title, items, style in (
        ("New findings", f.new, "bold red"),
        ("Resolved findings", f.resolved, "bold green"),
        ("Severity changes", f.severity_changed, "yellow"),
        ("Failing before, not assessed now", f.unassessed, "magenta"),
    ):
        if items:
            console.print(_delta_table(console, f"{title} ({len(items)})", items, style))
    if d.hosts:
        table = _t(console, "Hosts")
        for column in ("host", "change", "before", "after"):
            table.add_column(column)
        for h in d.hosts:
            table.add_row(h["host"], h["change"], h["before"] or "-", h["after"] or "-")
        console.print(table)
    if d.facts:
        table = _t(console, "Fact changes")
        for column in ("host", "fact", "field", "before", "after"):
            table.add_column(column, overflow="fold")
        for change in d.facts:
            for c in change.changes:
                table.add_row(
                    change.host,
                    change.fact,
                    c.path or "-",
                    fact_value(c.before),
                    fact_value(c.after),
                )
        console.print(table)
    if d.counters:
        table = _t(console, "SIP counters (show sip-ua statistics)")
        for column in ("host", "counter", "before", "after", "change"):
            table.add_column(
                column, justify="right" if column in ("before", "after", "change") else "left"
            )
        for k in d.counters:
            table.add_row(
                k.host, k.label(), str(k.before), str(k.after), Text(f"{k.delta:+d}", style="bold")
            )
        console.print(table)
    for note in d.notes:
        console.print(Text(note, style="dim"))


# -- history ---------------------------------------------------------------------------


def emit_history(
    runs: list[RunSummary], fmt: str, output: Path | None, location: Path | str
) -> None:
    if fmt == "json":
        write(
            json.dumps(
                {
                    "store": str(location),
                    "runs": [{**r.to_json(), "readiness": of_run(r)} for r in runs],
                },
                indent=2,
            )
            + "\n",
            output,
        )
        return

    def draw(console: Console) -> None:
        from rich.text import Text

        from fleetaudit.report.console import STYLE

        if not runs:
            console.print(Text(f"No runs stored in {location}.", style="dim"))
            return
        table = _t(console, f"Runs in {location}", padding=(0, 1, 0, 0))
        shown = ("critical", "high", "medium", "low")  # info counts in the JSON only
        numbers = ("ready", "crit", "high", "med", "low", "unknown", "waived")
        for column in ("run", "site", "started", "hosts", *numbers):
            table.add_column(column, justify="right" if column in numbers else "left", no_wrap=True)
        for r in runs:
            hosts = sum(r.hosts.values())
            bad = hosts - r.hosts.get("ok", 0) - r.hosts.get("offline", 0)
            table.add_row(
                r.id,
                r.site or ", ".join(r.sites) or "-",
                r.started.replace("T", " ")[:16],
                f"{hosts}" + (f" ({bad} not ok)" if bad else ""),
                str(of_run(r)),
                *(
                    Text(str(r.fails.get(s, 0)), style=STYLE[s] if r.fails.get(s) else "dim")
                    for s in shown
                ),
                str(r.unknown),
                str(r.waived),
            )
        console.print(table)

    _with_stream(output, draw)
