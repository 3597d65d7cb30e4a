"""Make ``store-v1.sqlite``: a history store as fleetaudit wrote it before migrations
(SQLite, ``PRAGMA user_version = 1``), and ``store-v1.expected.json``: what that
fleetaudit's store served from it (runs, reports, hosts, findings, evidence) and what its
``drift`` and ``run --candidate --offline`` said. tests/history/test_migration.py upgrades a copy and expects the same.

Run with the code of that time (main at 326c8f5; two runs of office2, SIP ALG turned on between them) first on the path, e.g.:
    git archive 326c8f5 | tar -x -C /tmp/v1 && \\
    PYTHONPATH=/tmp/v1 .venv/bin/python tests/history/data/make_v1_store.py tests/history/data
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from fleetaudit.cli import main
from fleetaudit.lab import Lab
from fleetaudit.paths import builtin_dir

ALG_OFF = "no ip nat service sip udp port 5060\nno ip nat service sip tcp port 5060\n"


def cli_json(out: Path, *args: str) -> dict[str, Any]:
    main([*args, "--format", "json", "--output", str(out)])
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def candidate_folder(work: Path) -> Path:
    """office2-gw1 with its SIP ALG back on (tests/history/test_candidate.py's
    office2_gw1_alg_back)."""
    lab = builtin_dir("inventory") / "lab"
    config = (lab / "office2-gw1" / "show_running-config.txt").read_text()
    folder = work / "candidate"
    folder.mkdir()
    for line in ALG_OFF.splitlines(keepends=True):
        config = config.replace(line, "")
    (folder / "office2-gw1.cfg").write_text(config)
    return folder


def digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def observed(work: Path, inventory: Path, folder: Path) -> dict[str, Any]:
    """What the store serves (the same calls for both versions): the runs ``history``
    lists, each run's report, hosts, findings and evidence (``history show``, drift and
    ``--candidate --offline`` read these), and what drift and a candidate make of them,
    as far as later checks and renderers cannot change it (fingerprints, statuses)."""
    from fleetaudit.store import Store

    said: dict[str, Any] = {"runs": {}}
    with Store.open(os.environ["FLEETAUDIT_DB"]) as store:
        said["history"] = [r.to_json() for r in store.runs()]
        for run in store.runs():
            said["runs"][run.id] = {
                "report": digest(store.report_data(run.id)),
                "findings": [digest(f) for f in store.findings(run.id)],
                "hosts": [
                    [h.name, h.platform, h.site, h.role, h.status, h.error, h.why_unknown]
                    + [sorted(h.facts)]
                    for h in store.hosts(run.id, "office2")
                ],
                "evidence": {
                    c.name: {
                        command: [
                            e.platform,
                            e.status,
                            e.started,
                            e.duration_s,
                            e.error,
                            digest(e.output),
                        ]
                        for command, e in c.evidence.items()
                    }
                    for c in store.collections(run.id, "office2")
                },
            }
    drift = cli_json(work / "d.json", "drift", "--site", "office2")
    said["drift"] = {
        "from": drift["from"]["id"],
        "to": drift["to"]["id"],
        "findings": {k: [d["fingerprint"] for d in v] for k, v in drift["findings"].items()},
        "facts": [[c["host"], c["fact"]] for c in drift["facts"]],
    }
    candidate = cli_json(
        work / "c.json",
        *("run", "--site", "office2", "--inventory", str(inventory), "--quiet"),
        *("--candidate", str(folder), "--offline", "--no-store"),
    )
    said["candidate"] = {
        "compared_with": candidate["candidate"]["compared_with"],
        "hosts": {h["name"]: h["status"] for h in candidate["hosts"]},
    }
    return said


def main_(out: Path) -> None:
    work = Path(tempfile.mkdtemp())
    db = out / "store-v1.sqlite"
    db.unlink(missing_ok=True)
    os.environ["FLEETAUDIT_HOME"] = str(work / "home")
    os.environ["FLEETAUDIT_DB"] = str(db)
    with Lab(builtin_dir("inventory"), ephemeral_ports=True) as lab:
        inventory = lab.write_inventory(work / "inventory")
        run = ("run", "--inventory", str(inventory), "--quiet")
        main([*run, "--site", "office2"])
        export = (
            builtin_dir("inventory") / "lab" / "office2-rtr1" / "export_verbose.txt"
        ).read_text()
        lab.set_output(
            "office2-rtr1",
            "/export verbose",
            export.replace("set sip disabled=yes", "set sip disabled=no"),
        )
        main([*run, "--site", "office2"])
    expected = observed(work, inventory, candidate_folder(work))
    (out / "store-v1.expected.json").write_text(
        json.dumps(expected, indent=1, sort_keys=True) + "\n"
    )


if __name__ == "__main__":
    main_(Path(sys.argv[1]))
