"""Make ``store-v1.sqlite``: a history store as fleetaudit wrote it before migrations
(SQLite, ``PRAGMA user_version = 1``), and ``store-v1.expected.json``: what that
fleetaudit's ``history``, ``history show``, ``drift`` and ``run --candidate --offline``
said about it. tests/history/test_migration.py upgrades a copy and expects the same.

Run with the code of that time (main at 326c8f5; two runs of office2, SIP ALG turned on between them) first on the path, e.g.:
    git archive 326c8f5 | tar -x -C /tmp/v1 && \\
    PYTHONPATH=/tmp/v1 .venv/bin/python tests/history/data/make_v1_store.py tests/history/data
"""

from __future__ import annotations

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


def observed(work: Path, inventory: Path, folder: Path) -> dict[str, Any]:
    """What fleetaudit says about the store (the same calls for both versions)."""
    listing = cli_json(work / "h.json", "history")
    latest = cli_json(work / "s.json", "history", "show", "latest")
    drift = cli_json(work / "d.json", "drift", "--site", "office2")
    candidate = cli_json(
        work / "c.json",
        *("run", "--site", "office2", "--inventory", str(inventory), "--quiet"),
        *("--candidate", str(folder), "--offline", "--no-store"),
    )
    said = {
        "history": listing["runs"],
        "show": latest,
        "drift": drift,
        "candidate": {k: candidate[k] for k in ("candidate", "findings", "hosts")},
    }
    text = json.dumps(said, sort_keys=True)  # the same wherever the files were
    for place, name in ((folder, "<candidate>"), (inventory, "<inventory>"), (work, "<work>")):
        text = text.replace(json.dumps(str(place))[1:-1], name)
    observed: dict[str, Any] = json.loads(text)
    return observed


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
