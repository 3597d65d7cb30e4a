"""Reports of the demo sites, audited once over the in-process lab and kept in a store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fleetaudit.cli import main
from fleetaudit.model import Report
from fleetaudit.store import Store


def cli(*args: str) -> int:
    return main(list(args))


def run_args(site: str, inventory: Path, *more: str) -> list[str]:
    return ["run", "--site", site, "--inventory", str(inventory), "--quiet", *more]


@pytest.fixture(scope="session")
def stored(lab_inventory: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """office1, office2 and lab-faults audited once: the store, and each site's JSON."""
    db = tmp_path_factory.mktemp("store") / "fa.sqlite"
    out = tmp_path_factory.mktemp("json")
    reports: dict[str, Any] = {"db": db, "inventory": lab_inventory}
    for site in ("office1", "office2", "lab-faults"):
        path = out / f"{site}.json"
        main(
            [
                *run_args(site, lab_inventory, "--db", str(db)),
                "--format",
                "json",
                "--output",
                str(path),
            ]
        )
        reports[site] = json.loads(path.read_text())
    return reports


def stored_report(stored: dict[str, Any], site: str) -> Report:
    with Store.open(stored["db"]) as store:
        report = store.report(stored[site]["run"]["id"])
    report.stored = True
    return report
