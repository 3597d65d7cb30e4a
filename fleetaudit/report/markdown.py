"""Markdown: a report or a drift for a ticket, a merge request or a mail."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fleetaudit.drift import Drift, FindingDelta
from fleetaudit.model import SEVERITIES, Finding, Report
from fleetaudit.report.view import by_cause, unknown_groups, view


def cell(text: Any) -> str:
    """Text safe inside a Markdown table cell.

    >>> cell("a|b\\nc")
    'a\\\\|b c'
    """
    return str("" if text is None else text).replace("|", "\\|").replace("\n", " ").strip()


def fence(text: str, lang: str = "") -> str:
    ticks = "```" if "```" not in text else "~~~~"
    return f"{ticks}{lang}\n{text.rstrip()}\n{ticks}"


def _where(finding: Finding | FindingDelta) -> str:
    ev = finding.evidence[0] if isinstance(finding, Finding) and finding.evidence else None
    if isinstance(finding, FindingDelta) and finding.evidence:
        source, line = finding.evidence.get("source"), finding.evidence.get("line")
    elif ev is not None:
        source, line = ev.source, ev.line
    else:
        return ""
    return f"`{source}`" + (f" line {line}" if line else "")


def _finding(f: Finding, waiver: dict[str, Any] | None = None) -> list[str]:
    lines = [f"#### {f.check} `{f.slug}` — {f.host} · `{f.subject}`", "", f.message]
    if f.why:
        lines += ["", f"*Why it breaks calls:* {f.why}"]
    if waiver:
        lines += ["", f"**Waived** until {waiver['expires']}: {waiver['reason']}"]
    if f.evidence:
        lines += [
            "",
            "Evidence:",
            "",
            fence("\n".join(f"{r.source}:{r.line or '?'}  {r.text}" for r in f.evidence[:5])),
        ]
    if f.remediation:
        lines += ["", "Fix:", "", fence(f.remediation)]
    return lines + [""]


def _summary_table(counts: dict[str, int], extra: dict[str, int]) -> list[str]:
    heads = [*SEVERITIES, *extra]
    values = [*(str(counts[s]) for s in SEVERITIES), *(str(v) for v in extra.values())]
    return [
        "| " + " | ".join(heads) + " |",
        "|" + "---:|" * len(heads),
        "| " + " | ".join(values) + " |",
        "",
    ]


def _deltas(title: str, items: list[dict[str, Any]]) -> list[str]:
    if not items:
        return []
    lines = [
        f"### {title} ({len(items)})",
        "",
        "| severity | check | host | subject | message |",
        "|---|---|---|---|---|",
    ]
    for d in items:
        message = d.get("message", "") + (f" ({d['note']})" if d.get("note") else "")
        lines.append(
            f"| {d['severity']} | {d['check']} | {cell(d['host'])} | {cell(d['subject'])} | {cell(message)} |"
        )
    return lines + [""]


def render_report(report: Report, note: str = "") -> str:
    return "".join(stripped_end(report_lines(report, note)))


def report_lines(report: Report, note: str = "") -> Iterator[str]:
    """The report's Markdown, line by line (a line may hold line ends: a fenced block)."""
    v = view(report)
    yield from [f"# fleetaudit — {v.title}", ""]
    meta = [f"run `{report.run_id}`", report.started, f"{len(report.hosts)} hosts", report.mode]
    yield from [" · ".join(filter(None, meta)), ""]
    notes = v.notes(note)
    if notes:
        yield from ["Judged against: " + "; ".join(notes), ""]
    yield from _summary_table(
        v.counts, {"unknown": len(v.unknown), "waived": len(v.waived), "passed": v.passed}
    )
    yield from _readiness(report)
    cand = v.candidate
    if cand is not None:
        yield from [
            f"## Pre-change audit: {cell(cand['dir'])}",
            "",
            f"Compared with {cand['compared_with']}.",
            "",
        ]
        yield from _deltas("Introduced", cand["introduced"])
        yield from _deltas("Worsened", cand.get("worsened", []))
        yield from _deltas("Resolved", cand["resolved"])
        yield from _deltas("Unchanged", cand["unchanged"])
        yield from _deltas("No longer assessed", cand["not_assessed"])
        if not cand["introduced"] and not cand.get("worsened"):
            yield from ["The change introduces no finding. It makes none worse.", ""]
    base = v.baseline
    if base is not None:
        yield from [
            f"Baseline `{base['run']}`: {len(base['new'])} new failing finding(s), {base['known']} already known.",
            "",
        ]
    yield from _fix_plan(report)
    yield from [
        "## Hosts",
        "",
        "| host | platform | role | status | detail |",
        "|---|---|---|---|---|",
    ]
    for h in report.hosts:
        yield (
            f"| {cell(h.name)} | {h.platform} | {h.role or '-'} | {h.status} | {cell(v.host_detail(h.name))} |"
        )
    causes = by_cause(v.failing)
    if causes:
        yield from ["", f"## Root causes ({len(causes)})", "", "| cause | findings |", "|---|---|"]
        for cause, items in causes:
            listed = ", ".join(f"{f.check} {f.host} {f.subject}" for f in items)
            yield f"| {cell(cause)} | {cell(listed)} |"
    yield from ["", "## Findings", ""]
    if not v.failing:
        yield from ["No failing findings.", ""]
    for severity, items in v.by_severity:
        yield from [f"### {severity.capitalize()} ({len(items)})", ""]
        for f in items:
            yield from _finding(f)
    if v.waived:
        yield from [f"## Waived ({len(v.waived)})", ""]
        for f in v.waived:
            yield from _finding(f, v.waivers.get(f.fingerprint))
    if v.expired_waivers:
        yield from [
            "## Expired waivers",
            "",
            "| check | host | subject | expired | reason | findings |",
            "|---|---|---|---|---|---|",
        ]
        for w in v.expired_waivers:
            yield (
                f"| {w['check']} | {cell(w['host'])} | {cell(w['subject'] or '*')} | {w['expires']} | {cell(w['reason'])} | {len(w['findings'])} |"
            )
        yield ""
    if v.unknown:
        yield from [
            "## Not assessed (unknown: never counted as a pass)",
            "",
            "| host | checks | why |",
            "|---|---|---|",
        ]
        for host, why, checks in unknown_groups(v.unknown):
            yield f"| {cell(host)} | {', '.join(checks)} | {cell(why)} |"
        yield ""


def stripped_end(lines: Iterable[str]) -> Iterator[str]:
    """``"\\n".join(lines).rstrip() + "\\n"``, in pieces: only the text after the last
    line with content is held back."""
    held, first = "", True
    for line in lines:
        piece = line if first else "\n" + line
        first = False
        if piece.strip():
            yield held
            held = piece
        else:
            held += piece
    yield held.rstrip() + "\n"


def _readiness(report: Report) -> list[str]:
    from fleetaudit.report.readiness import sites

    lines = [
        f"**Readiness {s.site}: {s.readiness}/100**"
        + (f" ({s.hosts - s.assessed} host(s) not assessed)" if s.hosts > s.assessed else "")
        + (f" ({s.unknown} check(s) unknown)" if s.unknown else "")
        for s in sites(report)
    ]
    return [*lines, ""] if lines else []


def _fix_plan(report: Report) -> list[str]:
    from fleetaudit.report.fixes import plan

    plans = plan(report)
    if not plans:
        return []
    out = [
        "## Fix plan",
        "",
        "Per device, in the order to apply; each part says what it resolves.",
        "",
    ]
    for p in plans:
        out += [f"### {p.host} ({p.platform})", "", fence(p.apply_text()), ""]
        rollback = p.rollback_text()
        if rollback:
            out += [
                "<details><summary>Rollback</summary>",
                "",
                fence(rollback),
                "",
                "</details>",
                "",
            ]
    return out


def _delta_rows(items: list[FindingDelta], with_before: bool = False) -> list[str]:
    head = "| severity | check | host | subject | message | evidence |"
    rows = [head, "|---|---|---|---|---|---|"]
    for d in items:
        severity = (
            f"{d.before_severity} → {d.severity}"
            if with_before and d.before_severity
            else d.severity
        )
        message = d.message + (f" ({d.note})" if d.note else "")
        rows.append(
            f"| {severity} | {d.check} | {cell(d.host)} | {cell(d.subject)} | {cell(message)} | {cell(_where(d))} |"
        )
    return rows + [""]


def render_drift(d: Drift) -> str:
    f = d.findings
    out = [
        f"# Drift at {d.site}",
        "",
        f"From run `{d.before.id}` ({d.before.started}) to `{d.after.id}` ({d.after.started}).",
        "",
    ]
    out += [
        f"**{len(f.new)} new**, **{len(f.resolved)} resolved**, {len(f.persisting)} persisting, "
        f"{len(f.severity_changed)} severity change(s), {len(d.facts)} fact change(s), "
        f"{len(d.counters)} counter change(s).",
        "",
    ]
    if d.empty():
        out += ["Nothing changed.", ""]
    for title, items, before in (
        ("New findings", f.new, False),
        ("Resolved findings", f.resolved, False),
        ("Severity changes", f.severity_changed, True),
        ("Failing before, not assessed now", f.unassessed, False),
    ):
        if items:
            out += [f"## {title} ({len(items)})", "", *_delta_rows(items, before)]
    if d.hosts:
        out += ["## Hosts", "", "| host | change | before | after |", "|---|---|---|---|"]
        out += [
            f"| {cell(h['host'])} | {h['change']} | {h['before'] or '-'} | {h['after'] or '-'} |"
            for h in d.hosts
        ]
        out.append("")
    if d.facts:
        out += [
            "## Fact changes",
            "",
            "| host | fact | field | before | after |",
            "|---|---|---|---|---|",
        ]
        for change in d.facts:
            for c in change.changes:
                out.append(
                    f"| {cell(change.host)} | {change.fact} | {cell(c.path or '-')} | {cell(fact_value(c.before))} | {cell(fact_value(c.after))} |"
                )
        out.append("")
    if d.counters:
        out += [
            "## SIP counters (`show sip-ua statistics`)",
            "",
            "| host | counter | before | after | change |",
            "|---|---|---:|---:|---:|",
        ]
        for k in d.counters:
            out.append(
                f"| {cell(k.host)} | {cell(k.label())} | {k.before} | {k.after} | {k.delta:+d} |"
            )
        out.append("")
    for n in d.notes:
        out.append(f"> {n}")
    if f.persisting:
        out += [
            "",
            f"<details><summary>{len(f.persisting)} persisting finding(s)</summary>",
            "",
            *_delta_rows(f.persisting),
            "</details>",
        ]
    return "\n".join(out).rstrip() + "\n"


def fact_value(value: Any) -> str:
    """A fact's value as a drift table shows it: — for none, on/off for booleans."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)
