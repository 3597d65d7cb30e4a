"""CPU of loading an inventory as a run does (not a test).

``python bench/inventory_load.py DIR [--site bench] [--repeat 3]`` prints, median of the
repeats, the CPU seconds of parsing the three files, of one whole ``load_nornir`` (parse,
validation, Nornir objects) and of a run's loading: ``api.site_policies`` (a read-only
load) then the audit's ``load_nornir`` of the same folder. Make an inventory with
``fleetaudit lab serve --site bench --devices N --inventory-out DIR``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fleetaudit import api
from fleetaudit.inventory import FILES, load_nornir, select
from fleetaudit.yamlfile import load_yaml


def cpu(action: Callable[[], Any]) -> float:
    start = time.process_time()
    action()
    return time.process_time() - start


def sample(directory: Path, site: str) -> dict[str, float]:
    parse = cpu(lambda: [load_yaml(directory / name, "inventory", nornir=True) for name in FILES])
    whole = cpu(lambda: load_nornir(directory, 50))  # no read-only load before: a fresh one
    policies = cpu(lambda: api.site_policies(directory, site))
    audit = cpu(lambda: select(load_nornir(directory, 50), site))
    return {
        "parse (3 files)": parse,
        "one load_nornir": whole,
        "site_policies": policies,
        "audit load_nornir": audit,
        "run's loading": policies + audit,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--site", default="bench")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    samples: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        for name, seconds in sample(args.directory, args.site).items():
            samples.setdefault(name, []).append(seconds)
    for name, values in samples.items():
        print(f"{name:20s} {statistics.median(values) * 1000:8.1f} ms CPU")


if __name__ == "__main__":
    main()
