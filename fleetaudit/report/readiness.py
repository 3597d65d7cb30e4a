"""Readiness of a site for voice: one figure, 0–100, from what failed and what was seen.

The formula (documented in the README and by ``fleetaudit schema report``)::

    penalty   = Σ over failing findings of WEIGHT[severity]
                (critical 20, high 8, medium 3, low 1, info 0; waived findings count 0)
    findings  = 100 × 50 / (50 + penalty)        one high finding: 86; ten: 38
    coverage  = assessed hosts / hosts × decided / (decided + unknown)
                (decided: pass, fail or waived results; unknown and error: not decided)
    readiness = floor(findings × coverage), and at most 99 when coverage < 1

so a site with an unassessed host or a check that could not be assessed never scores 100,
and a site where nothing could be assessed scores 0.

>>> score({"high": 1}, hosts=4, assessed=4, decided=20, unknown=0)
86
>>> score({}, hosts=4, assessed=4, decided=20, unknown=0)
100
>>> score({}, hosts=4, assessed=4, decided=20, unknown=1)
95
>>> score({}, hosts=5, assessed=0, decided=0, unknown=32)
0
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fleetaudit.model import SEVERITIES, Report

if TYPE_CHECKING:
    from fleetaudit.store import RunSummary

WEIGHT = {"critical": 20, "high": 8, "medium": 3, "low": 1, "info": 0}
ASSESSED = ("ok", "offline", "partial")
FORMULA = (
    "readiness = floor(100 × 50/(50 + penalty) × coverage), penalty = Σ failing findings "
    "(critical 20, high 8, medium 3, low 1); coverage = assessed hosts/hosts × "
    "decided/(decided + unknown); at most 99 unless every host and check was assessed"
)


def score(fails: dict[str, int], hosts: int, assessed: int, decided: int, unknown: int) -> int:
    penalty = sum(WEIGHT.get(s, 0) * n for s, n in fails.items())
    findings = 100 * 50 / (50 + penalty)
    host_cover = assessed / hosts if hosts else 0.0
    check_cover = decided / (decided + unknown) if decided + unknown else 0.0
    coverage = host_cover * check_cover
    value = math.floor(findings * coverage + 1e-9)
    return min(value, 99) if coverage < 1 else value


@dataclass
class SiteSummary:
    site: str
    hosts: int = 0
    assessed: int = 0
    failing: dict[str, int] = field(default_factory=dict)
    unknown: int = 0
    passed: int = 0
    waived: int = 0

    @property
    def readiness(self) -> int:
        decided = self.passed + self.waived + sum(self.failing.values())
        return score(self.failing, self.hosts, self.assessed, decided, self.unknown)

    def to_json(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "hosts": self.hosts,
            "assessed": self.assessed,
            "failing": self.failing,
            "unknown": self.unknown,
            "passed": self.passed,
            "waived": self.waived,
            "readiness": self.readiness,
        }


def of_run(run: RunSummary) -> int:
    """A stored run's readiness (of the site it was listed for)."""
    hosts = sum(run.hosts.values())
    assessed = sum(n for status, n in run.hosts.items() if status in ASSESSED)
    decided = run.passed + run.waived + sum(run.fails.values())
    return score(run.fails, hosts, assessed, decided, run.unknown)


def sites(report: Report) -> list[SiteSummary]:
    """One summary per site of the report (``-`` for hosts without a site)."""
    site_of = {h.name: h.site or report.site or "-" for h in report.hosts}
    found: dict[str, SiteSummary] = {}
    for h in report.hosts:
        s = found.setdefault(site_of[h.name], SiteSummary(site_of[h.name]))
        s.hosts += 1
        s.assessed += h.status in ASSESSED
    for name, s in found.items():
        mine = [f for f in report.findings if site_of.get(f.host) == name]
        fails = Counter(f.severity for f in mine if f.status == "fail")
        s.failing = {sev: fails[sev] for sev in SEVERITIES if fails.get(sev)}
        s.unknown = sum(1 for f in mine if f.status in ("unknown", "error"))
        s.passed = sum(1 for f in mine if f.status == "pass")
        s.waived = sum(1 for f in mine if f.status == "waived")
    return [found[k] for k in sorted(found)]


def overall(report: Report) -> int:
    """The report's figure: its site's, or the lowest of its sites'."""
    return min((s.readiness for s in sites(report)), default=0)


def bar(value: int, width: int = 20) -> str:
    """A plain-text gauge.

    >>> bar(50, 10)
    '[#####.....]'
    """
    filled = round(value * width / 100)
    return "[" + "#" * filled + "." * (width - filled) + "]"


def sparkline(values: list[int], width: int = 160, height: int = 40) -> str:
    """A small SVG line of readiness over stored runs (oldest first), 0 at the bottom."""
    if len(values) < 2:
        return ""
    step = width / (len(values) - 1)
    points = " ".join(
        f"{i * step:.1f},{height - 2 - v * (height - 4) / 100:.1f}" for i, v in enumerate(values)
    )
    return (
        f'<svg class="trend" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="readiness over the last {len(values)} runs: '
        f'{", ".join(map(str, values))}"><polyline fill="none" stroke="#1570ef" '
        f'stroke-width="2" points="{points}"/></svg>'
    )


def trend_text(values: list[int]) -> str:
    """Readiness over stored runs for the console.

    >>> trend_text([12, 40, 100])
    'readiness trend (oldest first): 12 → 40 → 100'
    """
    return "readiness trend (oldest first): " + " → ".join(map(str, values))
