"""CPU of loading an inventory as a run does, per phase (not a test).

``python bench/inventory_load.py DIR [--site bench] [--repeat 3]`` prints, median of the
repeats, the CPU seconds of each phase of one load (read, parse, groups, validation, Nornir
objects) and of a run's loading: ``api.site_policies`` then the audit's ``load_nornir``.
Make an inventory with ``fleetaudit lab serve --site bench --devices N --inventory-out DIR``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fleetaudit import api, inventory


def cpu(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.process_time()
    result = action()
    return time.process_time() - start, result


def phases(directory: Path) -> dict[str, float]:
    spent: dict[str, float] = {}
    spent["read"], raw = cpu(lambda: inventory._raw(directory))
    spent["parse"], files = cpu(lambda: inventory._parse(directory, raw))
    spent["groups"], _ = cpu(lambda: inventory._check_groups(directory, files))
    spent["validate"], _ = cpu(lambda: inventory._validate_files(directory, files))
    spent["nornir objects"], _ = cpu(lambda: inventory._inventory(files))
    return spent


def run_loading(directory: Path, site: str) -> dict[str, float]:
    inventory._SPARE.clear()
    first, _ = cpu(lambda: api.site_policies(directory, site))
    second, _ = cpu(lambda: inventory.select(inventory.load_nornir(directory, 50), site))
    return {"site_policies": first, "audit load_nornir": second, "run total": first + second}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--site", default="bench")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    samples: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        for name, seconds in {
            **phases(args.directory),
            **run_loading(args.directory, args.site),
        }.items():
            samples.setdefault(name, []).append(seconds)
    for name, values in samples.items():
        print(f"{name:20s} {statistics.median(values) * 1000:8.1f} ms CPU")


if __name__ == "__main__":
    main()
