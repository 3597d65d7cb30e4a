"""The rich console report: summary, failing findings with evidence and fix, and what
could not be assessed."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from typing import TextIO

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from fleetaudit.model import SEVERITIES, Finding, Report, severity_rank
from fleetaudit.phones import is_phone
from fleetaudit.phones.collect import PLAIN_HTTP, UNVERIFIED_TLS

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


def _hosts(report: Report, phones: Collection[str] = ()) -> Table:
    table = Table(title="Hosts", title_justify="left", expand=False)
    for column in ("host", "platform", "role", "status", "detail"):
        table.add_column(column, overflow="fold")
    for host in report.hosts:
        if host.name in phones and host.status == "ok":
            continue  # counted in the phone summary; phones in trouble are listed here
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
    phones = {h.name for h in report.hosts if is_phone(h.platform)}
    console.print(_hosts(report, phones))
    if phones:  # many phones: counts per problem, then one line per phone finding
        console.print(_phone_summary(report, phones))
    others = [f for f in failing if f.host not in phones]
    if others:
        console.print(_findings(others))
    if failing and len(others) < len(failing):
        console.print(_phone_problems([f for f in failing if f.host in phones]))
        console.print(_phone_findings([f for f in failing if f.host in phones]))
    if not failing:
        console.print(Text("No failing findings.", style="bold green"))
    if unknowns:
        console.print(_unassessed([f for f in unknowns if f.host not in phones]))
        if phones & {f.host for f in unknowns}:
            console.print(_phone_unassessed([f for f in unknowns if f.host in phones]))


# Phones: a site can have hundreds; they are counted per problem, then listed one per line.


def _phone_summary(report: Report, phones: set[str]) -> Text:
    hosts = [h for h in report.hosts if h.name in phones]
    statuses = Counter(h.status for h in hosts)
    failing = {f.host for f in report.findings if f.status == "fail" and f.host in phones}
    parts = ", ".join(f"{n} {status}" for status, n in statuses.most_common())
    warned = [
        f"{n} {warning}"
        for warning in (PLAIN_HTTP, UNVERIFIED_TLS)
        if (n := sum(1 for h in hosts if warning in (h.error or "")))
    ]
    return Text(
        f"Phones: {len(hosts)} ({parts}); {len(failing)} with failing findings, "
        f"{len(hosts) - len(failing)} without" + "".join(f"; {w}" for w in warned),
        style="bold",
    )


def _phone_problems(failing: list[Finding]) -> Table:
    table = Table(title="Phone problems (counts)", title_justify="left", expand=True)
    table.add_column("sev", no_wrap=True)
    table.add_column("check", no_wrap=True)
    table.add_column("phones", justify="right")
    table.add_column("accounts", justify="right")
    table.add_column("why it breaks calls", overflow="fold", ratio=3)
    table.add_column("example fix", overflow="fold", ratio=2)
    by_check: dict[str, list[Finding]] = defaultdict(list)
    for finding in failing:
        by_check[finding.check].append(finding)
    ordered = sorted(by_check.values(), key=lambda fs: (-severity_rank(fs[0].severity), -len(fs)))
    for found in ordered:
        first = found[0]
        table.add_row(
            Text(first.severity, style=STYLE[first.severity]),
            f"{first.check} {first.slug}",
            str(len({f.host for f in found})),
            str(len(found)),
            Text(first.why, style="dim italic"),
            Text(first.remediation, style="green"),
        )
    return table


def _phone_findings(failing: list[Finding]) -> Table:
    table = Table(title="Phone findings", title_justify="left", expand=True, show_lines=False)
    table.add_column("phone", no_wrap=True)
    table.add_column("check", no_wrap=True)
    table.add_column("what", overflow="fold", ratio=4)
    table.add_column("evidence", overflow="fold", ratio=2)
    for f in sorted(failing, key=lambda f: (f.host, f.check, f.subject)):
        ref = f.evidence[0] if f.evidence else None
        where = (
            f"{ref.source}:{ref.line} {ref.text}" if ref and ref.line else (ref.text if ref else "")
        )
        table.add_row(f.host, f.check, f.message, Text(where, style="dim"))
    return table


def _phone_unassessed(unknowns: list[Finding]) -> Table:
    table = Table(title="Phones not assessed (unknown)", title_justify="left")
    table.add_column("phones", justify="right")
    table.add_column("checks", overflow="fold")
    table.add_column("why", overflow="fold")
    table.add_column("which", overflow="fold")
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for f in unknowns:
        grouped[f.message].append(f)
    for why, found in sorted(grouped.items(), key=lambda item: -len({f.host for f in item[1]})):
        hosts = sorted({f.host for f in found})
        shown = ", ".join(hosts[:8]) + (f" and {len(hosts) - 8} more" if len(hosts) > 8 else "")
        table.add_row(str(len(hosts)), ", ".join(sorted({f.check for f in found})), why, shown)
    return table
