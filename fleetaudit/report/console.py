"""The console report, readable at 80 columns and up: the summary first, failing findings
grouped by check (one cause each), evidence and fix as whole code lines under each finding,
what could not be assessed, and a one-screen summary at the end.

Code lines (evidence, fixes) are printed whole with ``soft_wrap``: a narrow terminal folds
them on screen, but no line break is ever inserted, so a fix copied from the terminal stays
one command per line. Piped output is plain text: no colour, no box drawing."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from fleetaudit.model import PLAIN_HTTP, SEVERITIES, UNVERIFIED_TLS, Finding, Report
from fleetaudit.platforms import is_of
from fleetaudit.report import readiness
from fleetaudit.report.view import View, by_cause, ordered, unknown_groups, view

STYLE = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "yellow",
    "low": "cyan",
    "info": "dim",
}
HOST_STYLE = {"ok": "green", "offline": "green", "partial": "yellow"}
CODE = "    "  # code lines' margin: IOS, ASA and RouterOS all ignore leading blanks
COMPACT_OVER = 12  # a check with more findings than this lists them one line each


def table(console: Console, title: str = "", **kw: object) -> Table:
    """A table with light rules on a terminal and none when piped (plain text)."""
    return Table(
        title=title or None,
        title_justify="left",
        box=box.SIMPLE_HEAD if console.is_terminal else None,
        pad_edge=False,
        **kw,  # type: ignore[arg-type]
    )


def code(console: Console, lines: Iterable[str], style: str = "") -> None:
    for line in lines:
        console.print(Text(CODE + line, style=style), soft_wrap=True, highlight=False)


def indented(console: Console, text: Text, by: int = 2) -> None:
    """Prose, wrapped at the console's width with its margin kept on every line."""
    console.print(Padding(text, (0, 0, 0, by), expand=False))


def heading(console: Console, text: str) -> None:
    console.print()
    console.print(Text(text, style="bold underline"))


def _counts_line(v: View) -> Text:
    text = Text()
    for s in SEVERITIES:
        n = v.counts.get(s, 0)
        text.append(f"{n} {s}", style=STYLE[s] if n else "dim")
        text.append("  ")
    text.append(f"{len(v.unknown)} unknown", style="magenta" if v.unknown else "dim")
    text.append(f"  {len(v.waived)} waived  {v.passed} passed")
    return text


def _header(console: Console, v: View, note: str) -> None:
    r = v.report
    console.print(Text(f"fleetaudit — {v.title}", style="bold"))
    stored = "" if r.stored else " (not stored)"
    console.print(
        Text(
            f"run {r.run_id}{stored} · {r.started} · {len(r.hosts)} hosts · {r.duration_s:.1f} s",
            style="dim",
        )
    )
    notes = v.notes(note)
    if notes:
        console.print(Text("Judged against: " + "; ".join(notes), style="dim"))
    console.print(_counts_line(v))
    for site in readiness.sites(r):
        console.print(_readiness_line(site))


def _readiness_line(site: readiness.SiteSummary) -> Text:
    value = site.readiness
    style = "bold green" if value >= 90 else "bold yellow" if value >= 60 else "bold red"
    not_seen = site.hosts - site.assessed
    notes = ", ".join(
        filter(
            None,
            [
                f"{not_seen} host(s) not assessed" if not_seen else "",
                f"{site.unknown} check(s) unknown" if site.unknown else "",
            ],
        )
    )
    return Text.assemble(
        "readiness ",
        (f"{site.site} {value}/100 ", style),
        readiness.bar(value),
        f"  ({notes})" if notes else "",
    )


def _hosts(console: Console, report: Report) -> None:
    phones = [h for h in report.hosts if is_of(h.platform, "phone")]
    t = table(console, "Hosts")
    for column in ("host", "platform", "role", "status", "detail"):
        t.add_column(column, overflow="fold")
    v = view(report)
    for h in report.hosts:
        if is_of(h.platform, "phone") and h.status == "ok":
            continue  # counted below; phones in trouble are listed
        t.add_row(
            h.name,
            h.platform,
            h.role or "-",
            Text(h.status, style=HOST_STYLE.get(h.status, "bold red")),
            v.host_detail(h.name),
        )
    if t.row_count:
        console.print(t)
    if phones:
        statuses = Counter(h.status for h in phones)
        failing = {
            f.host for f in report.findings if f.status == "fail" and is_phone_host(f, report)
        }
        parts = ", ".join(f"{n} {status}" for status, n in statuses.most_common())
        warned = [
            f"; {n} {warning}"
            for warning in (PLAIN_HTTP, UNVERIFIED_TLS)
            if (n := sum(1 for h in phones if warning in (h.error or "")))
        ]
        console.print(
            Text(
                f"Phones: {len(phones)} ({parts}); {len(failing)} with failing findings, "
                f"{len(phones) - len(failing)} without" + "".join(warned)
            )
        )


def is_phone_host(f: Finding, report: Report) -> bool:
    return any(h.name == f.host and is_of(h.platform, "phone") for h in report.hosts)


def by_check(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by check (each check is one cause), worst group first."""
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in ordered(findings):
        groups[f.check].append(f)
    return list(groups.items())  # ordered() put the worst first


def _evidence(console: Console, f: Finding, limit: int = 2) -> None:
    for ref in f.evidence[:limit]:
        where = ref.source + (f":{ref.line}" if ref.line else "")
        console.print(Text(f"  evidence ({where}):", style="dim"))
        code(console, [ref.text])


def _group(
    console: Console, check: str, items: list[Finding], waivers: dict[str, dict[str, str]]
) -> None:
    first = items[0]
    hosts = sorted({f.host for f in items})
    console.print()
    console.print(
        Text.assemble(
            (f"{check} {first.slug}", "bold"),
            " · ",
            (first.severity, STYLE[first.severity]),
            f" · {len(items)} finding(s) on {len(hosts)} device(s)",
        )
    )
    if first.why:
        console.print(Text(first.why, style="italic dim"))
    if len(items) > COMPACT_OVER:
        _compact(console, items)
        return
    shown_fix: set[tuple[str, str]] = set()
    for f in items:
        console.print(Text.assemble(("- ", ""), (f.host, "bold"), " · ", (f.subject, "cyan")))
        indented(console, Text(f.message))
        waiver = waivers.get(f.fingerprint)
        if waiver:
            indented(console, Text(f"waived until {waiver['expires']}: {waiver['reason']}"))
        _evidence(console, f)
        if not f.remediation:
            continue
        if (f.host, f.remediation) in shown_fix:
            console.print(Text("  fix: the same as above", style="dim"))
            continue
        shown_fix.add((f.host, f.remediation))
        console.print(Text("  fix:", style="green"))
        code(console, f.remediation.splitlines(), "green")


def _compact(console: Console, items: list[Finding]) -> None:
    """Many findings of one check (phones at scale): one line each, each distinct fix once."""
    for f in items:
        indented(console, Text(f"- {f.host} · {f.subject}: {f.message}"), 0)
    fixes: dict[str, list[str]] = defaultdict(list)
    for f in items:
        if f.remediation:
            fixes[f.remediation].append(f.host)
    for fix, hosts in fixes.items():
        names = sorted(set(hosts))
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        console.print(Text(f"  fix for {shown}:", style="green"))
        code(console, fix.splitlines(), "green")


def _unassessed(console: Console, v: View) -> None:
    if not v.unknown:
        return
    heading(console, f"Not assessed ({len(v.unknown)}; unknown is never counted as a pass)")
    for host, why, checks in unknown_groups(v.unknown):
        console.print(Text.assemble((host, "bold"), f" · {', '.join(checks)}"))
        indented(console, Text(why, style="magenta"))


def _passes(console: Console, report: Report) -> None:
    passed = [f for f in report.findings if f.status == "pass"]
    heading(console, f"Passed ({len(passed)})")
    for host in sorted({f.host for f in passed}):
        mine = sorted(f"{f.check} {f.subject}" for f in passed if f.host == host)
        console.print(Text.assemble((host, "bold"), ": " + ", ".join(mine)))


def _end_summary(console: Console, v: View) -> None:
    """One screen: readiness, counts, worst devices, the causes, what to do next."""
    r = v.report
    heading(console, "Summary")
    for site in readiness.sites(r):
        console.print(_readiness_line(site))
    console.print(_counts_line(v))
    per_host: dict[str, Counter[str]] = defaultdict(Counter)
    for f in v.failing:
        per_host[f.host][f.severity] += 1
    phones = {h.name for h in r.hosts if is_of(h.platform, "phone")}
    devices = [h for h in per_host if h not in phones]
    for host in sorted(devices, key=lambda h: (-sum(per_host[h].values()), h))[:10]:
        counts = ", ".join(f"{n} {s}" for s in SEVERITIES if (n := per_host[host][s]))
        console.print(Text(f"  {host}: {counts}"))
    failing_phones = [h for h in per_host if h in phones]
    if failing_phones:
        console.print(Text(f"  phones: {len(failing_phones)} with failing findings"))
    causes = by_cause(v.failing)
    if causes:
        console.print(
            Text(
                f"{len(causes)} causes: "
                + "; ".join(f"{c} ×{len(items)}" for c, items in causes[:12])
                + (f" and {len(causes) - 12} more" if len(causes) > 12 else "")
            )
        )
    missed = [h for h in r.hosts if h.status not in readiness.ASSESSED]
    if missed:
        console.print(
            Text(
                "not assessed: " + ", ".join(f"{h.name} ({h.status})" for h in missed[:10]),
                style="magenta",
            )
        )
    if v.failing:
        console.print(
            Text("next: the same command with --format fixes prints each device's fix, in order")
        )
    else:
        console.print(Text("No failing findings.", style="bold green"))


def render(report: Report, console: Console, policy_note: str = "", verbose: bool = False) -> None:
    v = view(report)
    _header(console, v, policy_note)
    console.print()
    _hosts(console, report)
    heading(console, f"Findings ({len(v.failing)} failing, grouped by check)")
    if not v.failing:
        console.print(Text("No failing findings.", style="bold green"))
    for check, items in by_check(v.failing):
        _group(console, check, items, {})
    if v.waived:
        heading(console, f"Waived ({len(v.waived)})")
        for check, items in by_check(v.waived):
            _group(console, check, items, v.waivers)
    _unassessed(console, v)
    if verbose:
        _passes(console, report)


def render_end(report: Report, console: Console) -> None:
    _end_summary(console, view(report))
