"""Benchmark: a site of N simulated phones, some slow and some hung, audited live.

The phones (clones of office1's four vendors' fixtures) answer over real HTTP from the
lab; ``--hung`` of them never answer and ``--slow`` answer after ``--delay`` seconds.
Timeouts are per phone (connect 2 s, command 2 s), so a hung phone costs one worker
about one timeout, not the run. Prints wall time for the clean site and the faulty one,
their ratio, and the statuses. Not a test: it measures and prints.

    python bench/bench_phones.py [--phones 200] [--hung 10] [--slow 10] [--workers 20]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from fleetaudit.audit import Options, audit_live
from fleetaudit.lab import Lab
from fleetaudit.paths import builtin_dir

VENDORS = [
    ("office1-phone1", "cisco_phone"),
    ("office1-phone2", "yealink_phone"),
    ("office1-phone3", "poly_phone"),
    ("office1-phone4", "grandstream_phone"),
]


def inventory(folder: Path, phones: int, hung: int, slow: int, delay: float) -> Path:
    folder.mkdir(parents=True)
    (folder / "lab").symlink_to(builtin_dir("inventory") / "lab")
    hosts: dict[str, Any] = {}
    for i in range(phones):
        fixtures, platform = VENDORS[i % len(VENDORS)]
        lab: dict[str, Any] = {"fixtures": fixtures}
        if i < hung:
            lab["fault"] = "hang"
        elif i < hung + slow:
            lab |= {"fault": "slow", "delay": delay}
        hosts[f"phone-{i + 1:03d}"] = {
            "hostname": "127.0.0.1",
            "platform": platform,
            "groups": ["phones_lab", "site"],
            "data": {"role": "phone", "phone": {"scheme": "http"}, "lab": lab},
        }
    groups = {
        "phones_lab": {"username": "admin", "password": "lab-phone"},
        "site": {"data": {"site": "phones", "timeouts": {"connect": 2, "command": 2}}},
    }
    (folder / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    (folder / "groups.yaml").write_text(yaml.safe_dump(groups))
    (folder / "defaults.yaml").write_text(yaml.safe_dump({"data": {}}))
    return folder


def run(
    phones: int, hung: int, slow: int, delay: float, workers: int
) -> tuple[float, Counter[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        source = inventory(Path(tmp) / "src", phones, hung, slow, delay)
        with Lab(source, ephemeral_ports=True) as lab:
            served = lab.write_inventory(Path(tmp) / "served")
            started = time.perf_counter()
            report, _ = audit_live(served, "phones", workers, Options())
            wall = time.perf_counter() - started
    return wall, Counter(h.status for h in report.hosts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--hung", type=int, default=10)
    parser.add_argument("--slow", type=int, default=10)
    parser.add_argument("--delay", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=20)
    args = parser.parse_args()
    clean, clean_status = run(args.phones, 0, 0, 0, args.workers)
    faulty, faulty_status = run(args.phones, args.hung, args.slow, args.delay, args.workers)
    print(f"{args.phones} phones, {args.workers} workers, per-phone timeouts 2 s")
    print(f"  all healthy:                 {clean:6.2f} s  {dict(clean_status)}")
    print(
        f"  {args.hung} hung + {args.slow} slow ({args.delay:g} s): {faulty:6.2f} s  "
        f"{dict(faulty_status)}"
    )
    serial = args.hung * 2 + args.slow * args.delay * 4
    print(
        f"  extra wall time {faulty - clean:5.2f} s; serial cost of the faulty phones {serial:g} s"
    )


if __name__ == "__main__":
    main()
