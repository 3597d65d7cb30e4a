"""A self-contained HTML report (one file, inline CSS, no script, nothing fetched):
site summary, findings by severity with evidence and fix, per-device detail."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from fleetaudit import __version__
from fleetaudit.drift import Drift
from fleetaudit.model import SEVERITIES, Report
from fleetaudit.report.markdown import fact_value
from fleetaudit.report.view import unknown_groups, view

TEMPLATES = Path(__file__).resolve().parent / "jinja"


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def _sites(report: Report) -> list[dict[str, Any]]:
    site_of = {h.name: h.site or "-" for h in report.hosts}
    rows = []
    for name in sorted(set(site_of.values())):
        mine = [f for f in report.findings if site_of.get(f.host) == name]
        counts = Counter(f.severity for f in mine if f.status == "fail")
        rows.append(
            {
                "name": name,
                "hosts": sum(1 for s in site_of.values() if s == name),
                "assessed": sum(
                    1
                    for h in report.hosts
                    if (h.site or "-") == name and h.status in ("ok", "partial", "offline")
                ),
                "counts": {s: counts.get(s, 0) for s in SEVERITIES},
                "unknown": sum(1 for f in mine if f.status in ("unknown", "error")),
            }
        )
    return rows


def render_report(report: Report, note: str = "", trend: str = "") -> str:
    return "".join(render_pieces(report, note, trend))


def render_pieces(report: Report, note: str = "", trend: str = "") -> Iterator[str]:
    """The page as Jinja generates it, piece by piece (the text ``render`` would join)."""
    from fleetaudit.report.fixes import plan
    from fleetaudit.report.readiness import FORMULA, sites

    v = view(report)
    cand = v.candidate
    changes: dict[str, str] = {}
    if cand is not None:
        changes = {d["fingerprint"]: "unchanged" for d in cand["unchanged"]}
        changes |= {d["fingerprint"]: "worse" for d in cand.get("worsened", [])}
        changes |= {d["fingerprint"]: "new" for d in cand["introduced"]}
    return (
        environment()
        .get_template("report.html.j2")
        .generate(
            r=report,
            v=v,
            notes=v.notes(note),
            sites=_sites(report),
            severities=SEVERITIES,
            cand=cand,
            base=v.baseline,
            changes=changes,
            unknown_groups=unknown_groups(v.unknown),
            version=__version__,
            readiness=sites(report),
            formula=FORMULA,
            plans=plan(report),
            trend=trend,
        )
    )


def render_drift(d: Drift) -> str:
    return (
        environment()
        .get_template("drift.html.j2")
        .render(d=d, f=d.findings.to_json(), show=fact_value, version=__version__)
    )
