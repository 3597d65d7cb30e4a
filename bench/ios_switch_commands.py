"""Lines an IOS switch receives in one audit (issue 9: one parser per fact).

python bench/ios_switch_commands.py  -> per switch of office1/office2: lines received,
grouped. Runs the demo lab on ephemeral ports, audits both sites, reads Lab.received.
"""

from __future__ import annotations

import collections
import sys
import tempfile
from pathlib import Path

from fleetaudit.cli import main
from fleetaudit.lab import Lab
from fleetaudit.paths import builtin_dir


def measure() -> dict[str, collections.Counter[str]]:
    with (
        tempfile.TemporaryDirectory() as tmp,
        Lab(builtin_dir("inventory"), ephemeral_ports=True) as lab,
    ):
        inventory = lab.write_inventory(Path(tmp) / "inventory")
        for site in ("office1", "office2"):
            main(
                [
                    "run",
                    "--site",
                    site,
                    "--inventory",
                    str(inventory),
                    "--quiet",
                    "--no-store",
                    "--format",
                    "json",
                    "--output",
                    str(Path(tmp) / f"{site}.json"),
                ]
            )
        found: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
        for entry in lab.received:
            device = str(entry["device"])
            if device.endswith("-sw1"):
                found[device][str(entry["line"])] += 1
        return found


if __name__ == "__main__":
    for device, lines in sorted(measure().items()):
        print(f"{device}: {sum(lines.values())} lines")
        for line, count in sorted(lines.items()):
            print(f"  {count} x {line}")
    sys.exit(0)
