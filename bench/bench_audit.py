"""Benchmark: audit N cloned lab devices with W workers, against the floor.

For each (N, W): the lab runs in its own process (so its CPU is measured apart), the
audit runs in a fresh process (so its peak RSS is its own), and the floor is a bare
asyncssh client that runs the same commands on the same devices over SSH exec requests,
W at a time. Prints wall time, CPU seconds, peak RSS, devices/s and fleetaudit/floor.
Not a test: it measures and prints.

    python bench/bench_audit.py [--sizes 100,500] [--workers 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

LAB_SCRIPT = """
import sys
from pathlib import Path
from fleetaudit.lab import Lab
from fleetaudit.paths import builtin_dir
with Lab(builtin_dir("inventory"), site="office1", devices=int(sys.argv[1]),
         ephemeral_ports=True) as lab:
    lab.write_inventory(Path(sys.argv[2]))
    print("ready", flush=True)
    sys.stdin.read()
"""


def _cpu(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def audit_once(inventory: str, workers: int) -> dict[str, Any]:
    """Runs in a fresh process: one live audit of the bench site."""
    from fleetaudit.audit import Options, audit_live

    start, cpu = time.perf_counter(), _cpu(resource.getrusage(resource.RUSAGE_SELF))
    report, _ = audit_live(Path(inventory), "bench", workers, Options())
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    ok = sum(h.status == "ok" for h in report.hosts)
    return {
        "wall_s": wall,
        "cpu_s": _cpu(usage) - cpu,
        "process_cpu_s": _cpu(usage),
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "hosts": len(report.hosts),
        "hosts_ok": ok,
        "findings": len(report.findings),
    }


async def floor(inventory: Path, workers: int) -> dict[str, Any]:
    """The same commands over bare asyncssh exec channels, W devices at a time."""
    import asyncssh
    import yaml

    from fleetaudit.templates import templates_for

    hosts = yaml.safe_load((inventory / "hosts.yaml").read_text())
    groups = yaml.safe_load((inventory / "groups.yaml").read_text())
    lab = groups["lab"]
    gate = asyncio.Semaphore(workers)
    failures = 0

    async def one(spec: dict[str, Any]) -> None:
        nonlocal failures
        commands = [t.command for t in templates_for(spec["platform"], spec["data"].get("role"))]
        async with gate:
            try:
                async with asyncssh.connect(
                    spec["hostname"],
                    port=spec["port"],
                    username=lab["username"],
                    password=lab["password"],
                    known_hosts=None,
                ) as conn:
                    for command in commands:
                        await conn.run(command, check=False)
            except (OSError, asyncssh.Error):
                failures += 1

    bench = [h for h in hosts.values() if "site_bench" in h.get("groups", [])]
    start, cpu = time.perf_counter(), _cpu(resource.getrusage(resource.RUSAGE_SELF))
    await asyncio.gather(*(one(h) for h in bench))
    return {
        "wall_s": time.perf_counter() - start,
        "cpu_s": _cpu(resource.getrusage(resource.RUSAGE_SELF)) - cpu,
        "hosts": len(bench),
        "failures": failures,
    }


def measure(size: int, workers: int) -> None:
    children_before = _cpu(resource.getrusage(resource.RUSAGE_CHILDREN))
    with tempfile.TemporaryDirectory() as tmp:
        inventory = Path(tmp) / "inventory"
        lab = subprocess.Popen(
            [sys.executable, "-c", LAB_SCRIPT, str(size), str(inventory)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert lab.stdout is not None and lab.stdout.readline().strip() == "ready"
        audit = json.loads(
            subprocess.run(
                [sys.executable, __file__, "--audit-once", str(inventory), str(workers)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        base = asyncio.run(floor(inventory, workers))
        assert lab.stdin is not None
        lab.stdin.close()
        lab.wait()
    # both children have been waited for: what is not the audit process is the lab's
    children = _cpu(resource.getrusage(resource.RUSAGE_CHILDREN)) - children_before
    lab_cpu = children - audit["process_cpu_s"]
    print(
        f"N={size:4d} W={workers:3d} | fleetaudit {audit['wall_s']:6.2f} s wall, "
        f"{audit['cpu_s']:6.2f} s CPU, peak RSS {audit['peak_rss_mb']:6.1f} MB, "
        f"{audit['hosts'] / audit['wall_s']:6.1f} devices/s, {audit['hosts_ok']}/{audit['hosts']} ok"
        f" | floor {base['wall_s']:6.2f} s wall, {base['cpu_s']:5.2f} s CPU"
        f" ({base['failures']} failed) | lab {lab_cpu:6.2f} s CPU (both runs)"
        f" | ratio wall {audit['wall_s'] / base['wall_s']:5.1f}x"
        f", CPU {audit['cpu_s'] / max(base['cpu_s'], 1e-9):5.1f}x",
        flush=True,
    )


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--audit-once":
        print(json.dumps(audit_once(sys.argv[2], int(sys.argv[3]))))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,500")
    parser.add_argument("--workers", default="50")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    for size in (int(s) for s in args.sizes.split(",")):
        for workers in (int(w) for w in args.workers.split(",")):
            measure(size, workers)


if __name__ == "__main__":
    main()
