"""Keep every run on disk: its JSON report and its (already scrubbed) evidence.

Layout under ``FLEETAUDIT_HOME`` (default ``~/.local/share/fleetaudit``)::

    runs/<run id>/report.json
    runs/<run id>/evidence/<host>/<command_slug>.txt   the output
    runs/<run id>/evidence/<host>/<command_slug>.json  its envelope
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from fleetaudit.collect import HostCollection
from fleetaudit.model import Report
from fleetaudit.templates import command_slug


def save_run(home: Path, report: Report, collections: list[HostCollection]) -> Path:
    """Write the run to ``home/runs/<id>``; the folder appears whole (renamed into place)."""
    runs = home / "runs"
    final = runs / report.run_id
    partial = runs / f".{report.run_id}.partial"
    for item in collections:
        folder = partial / "evidence" / item.name
        folder.mkdir(parents=True, exist_ok=True)
        for command, evidence in item.evidence.items():
            slug = command_slug(command)
            (folder / f"{slug}.txt").write_text(evidence.output, encoding="utf-8")
            (folder / f"{slug}.json").write_text(
                json.dumps(evidence.envelope(), indent=2), encoding="utf-8"
            )
    partial.mkdir(parents=True, exist_ok=True)
    (partial / "report.json").write_text(json.dumps(report.to_json(), indent=2), encoding="utf-8")
    os.replace(partial, final)
    return final
