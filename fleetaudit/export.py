"""``fleetaudit history export RUN DIR``: a stored run's evidence as saved-output folders.

``DIR/<host>/<command_slug>.txt`` is the layout ``scan`` and ``run --candidate`` read, so
an exported folder can be scanned again, edited into a candidate, or handed to someone
without the store. Only outputs the device answered are written (a command that timed
out or never ran has no file, so it reads back as unknown, as it was). The evidence was
scrubbed before it was stored; nothing here adds a secret. ``DIR/.fleetaudit-export.json``
(skipped by ``--candidate``, which ignores dot files) says per host what to pass to
``scan`` (``--platform``, ``--role``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from fleetaudit.errors import UsageError
from fleetaudit.evidence import command_slug
from fleetaudit.store import Store

MANIFEST = ".fleetaudit-export.json"


@dataclass(frozen=True)
class Exported:
    run: str
    hosts: int
    files: int


def export_run(store: Store, ref: str, directory: Path, site: str | None = None) -> Exported:
    """Write run ``ref``'s evidence under ``directory`` (which must be new or empty)."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise UsageError(
            f"history export: {directory} exists and is not an empty folder; "
            "give a new folder (nothing is overwritten)"
        )
    run = store.resolve(ref, site)
    collections = store.collections(run.id, site)
    directory.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, object] = {"run": run.id, "started": run.started, "hosts": {}}
    files = 0
    for host in collections:
        written = []
        for command, evidence in host.evidence.items():
            if not evidence.output:
                continue
            folder = directory / host.name
            folder.mkdir(exist_ok=True)
            name = f"{command_slug(command)}.txt"
            (folder / name).write_text(evidence.output, encoding="utf-8")
            written.append(name)
        files += len(written)
        manifest["hosts"][host.name] = {  # type: ignore[index]
            "platform": host.platform,
            "role": host.role,
            "site": host.site,
            "status": host.status,
            "files": written,
        }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return Exported(run.id, len(collections), files)
