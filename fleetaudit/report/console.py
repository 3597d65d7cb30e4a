"""The rich console report: summary, failing findings with evidence and fix, and what
could not be assessed."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TextIO

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from fleetaudit.model import SEVERITIES, Finding, Report, severity_rank

STYLE = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "yellow",
    "low": "cyan",
    "info": "dim",
}
HOST_STYLE = {"ok": "green", "offline": "green", "partial": "yellow"}


def make_console(stream: TextIO) -> Console:
    """Colour and the terminal's width on a terminal; plain text, 180 columns when piped."""
    if stream.isatty():
        return Console(file=stream)
    return Console(file=stream, width=180, force_terminal=False, color_system=None)


def _evidence(finding: Finding) -> Text:
    text = Text()
    for ref in finding.evidence[:3]:
        where = f"{ref.source}" + (f":{ref.line}" if ref.line else "")
        text.append(where + "\n", style="dim")
        text.append(ref.text + "\n")
    return text


def _summary(report: Report) -> Table:
    fails = Counter(f.severity for f in report.findings if f.status == "fail")
    other = Counter(f.status for f in report.findings if f.status != "fail")
    table = Table.grid(padding=(0, 2))
    cells = [
        Text(f"{fails.get(s, 0)} {s}", style=STYLE[s] if fails.get(s) else "dim")
        for s in SEVERITIES
    ]
    cells += [
        Text(
            f"{other.get('unknown', 0)} unknown", style="magenta" if other.get("unknown") else "dim"
        ),
        Text(f"{other.get('pass', 0)} passed", style="green"),
    ]
    if other.get("error"):
        cells.append(Text(f"{other['error']} check errors", style="bold magenta"))
    table.add_row(*cells)
    return table


def _per_site(report: Report, sites: list[str]) -> Table:
    site_of = {h.name: h.site or "-" for h in report.hosts}
    table = Table(title="Sites", title_justify="left")
    for column in ("site", "hosts", *SEVERITIES, "unknown"):
        table.add_column(column, justify="right" if column != "site" else "left")
    for site in sites:
        mine = [f for f in report.findings if site_of.get(f.host) == site]
        fails = Counter(f.severity for f in mine if f.status == "fail")
        table.add_row(
            site,
            str(sum(1 for h in report.hosts if (h.site or "-") == site)),
            *(
                Text(str(fails.get(s, 0)), style=STYLE[s] if fails.get(s) else "dim")
                for s in SEVERITIES
            ),
            str(sum(1 for f in mine if f.status == "unknown")),
        )
    return table


def _hosts(report: Report) -> Table:
    table = Table(title="Hosts", title_justify="left", expand=False)
    for column in ("host", "platform", "role", "status", "detail"):
        table.add_column(column, overflow="fold")
    for host in report.hosts:
        model = host.facts.get("device")
        detail = host.error or (
            " ".join(filter(None, [model.model, model.os_version])) if model else ""
        )
        table.add_row(
            host.name,
            host.platform,
            host.role or "-",
            Text(host.status, style=HOST_STYLE.get(host.status, "bold red")),
            detail,
        )
    return table


def _findings(failing: list[Finding]) -> Table:
    table = Table(title="Findings", title_justify="left", show_lines=True, expand=True)
    table.add_column("sev", no_wrap=True)
    table.add_column("host / check", overflow="fold", ratio=2)
    table.add_column("what and why", overflow="fold", ratio=4)
    table.add_column("evidence", overflow="fold", ratio=4)
    table.add_column("fix", overflow="fold", ratio=4)
    for f in failing:
        table.add_row(
            Text(f.severity, style=STYLE[f.severity]),
            Text.assemble((f.host, "bold"), "\n", f"{f.check} {f.slug}\n", (f.subject, "dim")),
            Text.assemble(f.message, "\n", (f.why, "dim italic")),
            _evidence(f),
            Text(f.remediation, style="green"),
        )
    return table


def _unassessed(unknowns: list[Finding]) -> Table:
    table = Table(title="Not assessed (unknown: never counted as a pass)", title_justify="left")
    table.add_column("host", no_wrap=True)
    table.add_column("checks", overflow="fold")
    table.add_column("why", overflow="fold")
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in unknowns:
        grouped[(f.host, f.message)].append(f.check)
    for (host, why), checks in grouped.items():
        table.add_row(host, ", ".join(sorted(set(checks))), why)
    return table


def render(report: Report, console: Console, policy_note: str = "") -> None:
    failing = sorted(
        (f for f in report.findings if f.status == "fail"),
        key=lambda f: (-severity_rank(f.severity), f.host, f.check),
    )
    unknowns = [f for f in report.findings if f.status in ("unknown", "error")]
    title = f"fleetaudit — {report.site or 'offline scan'}"
    notes = " · ".join(filter(None, [policy_note, *report.policies]))
    header = Group(
        Text(f"run {report.run_id}  ·  {len(report.hosts)} hosts  ·  {report.duration_s:.1f} s"),
        Text(notes, style="dim"),
        _summary(report),
    )
    console.print(Panel(header, title=title, title_align="left"))
    sites = sorted({h.site or "-" for h in report.hosts})
    if len(sites) > 1:
        console.print(_per_site(report, sites))
    console.print(_hosts(report))
    if failing:
        console.print(_findings(failing))
    else:
        console.print(Text("No failing findings.", style="bold green"))
    if unknowns:
        console.print(_unassessed(unknowns))
