"""Prometheus textfile-collector metrics of a run (``--metrics-file FILE``).

node_exporter's textfile collector reads every ``*.prom`` file of its folder on each
scrape, so the file is written whole or not at all: to a temporary file in the same
folder, then renamed over the old one.

Families (one sample per label set)::

    fleetaudit_findings{site,check,severity,status}   findings of the run
    fleetaudit_readiness{site}                          0-100, see report/readiness.py
    fleetaudit_hosts{site,status}                       hosts by collection status
    fleetaudit_run_duration_seconds                     the run's wall time
    fleetaudit_run_timestamp_seconds                    when the run started (Unix time)
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import get_args

from fleetaudit.model import HostStatus, Report
from fleetaudit.report.readiness import sites

_HELP = {
    "fleetaudit_findings": ("gauge", "Findings of the last run by site, check, severity, status."),
    "fleetaudit_readiness": ("gauge", "Readiness of the site for voice, 0-100."),
    "fleetaudit_hosts": ("gauge", "Hosts of the last run by site and collection status."),
    "fleetaudit_run_duration_seconds": ("gauge", "Wall time of the last run."),
    "fleetaudit_run_timestamp_seconds": ("gauge", "When the last run started (Unix time)."),
}


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _sample(name: str, labels: dict[str, str], value: float) -> str:
    inner = ",".join(f'{k}="{_label(v)}"' for k, v in labels.items())
    return f"{name}{{{inner}}} {value}" if inner else f"{name} {value}"


def render(report: Report) -> str:
    """The metrics of ``report`` in the Prometheus text exposition format."""
    site_of = {h.name: h.site or report.site or "-" for h in report.hosts}
    findings = Counter(
        (site_of.get(f.host, report.site or "-"), f.check, f.severity, f.status)
        for f in report.findings
    )
    hosts = Counter((site_of[h.name], h.status) for h in report.hosts)
    for site in set(site_of.values()):  # every status, so a recovered host reads 0
        for status in get_args(HostStatus):
            hosts.setdefault((site, status), 0)
    samples: dict[str, list[str]] = {name: [] for name in _HELP}
    for (site, check, severity, status), n in sorted(findings.items()):
        labels = {"site": site, "check": check, "severity": severity, "status": status}
        samples["fleetaudit_findings"].append(_sample("fleetaudit_findings", labels, n))
    for summary in sites(report):
        samples["fleetaudit_readiness"].append(
            _sample("fleetaudit_readiness", {"site": summary.site}, summary.readiness)
        )
    for (site, status), n in sorted(hosts.items()):
        samples["fleetaudit_hosts"].append(
            _sample("fleetaudit_hosts", {"site": site, "status": status}, n)
        )
    samples["fleetaudit_run_duration_seconds"].append(
        _sample("fleetaudit_run_duration_seconds", {}, round(report.duration_s, 3))
    )
    if report.started:
        started = datetime.fromisoformat(report.started.replace("Z", "+00:00")).timestamp()
        samples["fleetaudit_run_timestamp_seconds"].append(
            _sample("fleetaudit_run_timestamp_seconds", {}, started)
        )
    lines: list[str] = []
    for name, (kind, text) in _HELP.items():
        lines += [f"# HELP {name} {text}", f"# TYPE {name} {kind}", *samples[name]]
    return "\n".join(lines) + "\n"


def write_atomically(text: str, path: Path) -> None:
    """Write ``text`` to ``path`` so a reader sees the old file or the new one, never half."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the file from node_exporter
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(report: Report, path: Path) -> None:
    write_atomically(render(report), path)
