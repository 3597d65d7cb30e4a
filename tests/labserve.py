"""`fleetaudit lab serve` and `fleetaudit run` as a user runs them, for tests: the demo
inventory with its ports shifted, the lab started until it says ``ready`` and stopped with
Ctrl-C, and a JSON audit through the CLI in a child process.

Fixed ports: each test passes a shift of its own that lands below the ephemeral range
(32768+), since other tests (and other checkouts) serve labs on this machine at once.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fleetaudit.paths import builtin_dir

PORT = re.compile(r"(port: |127\.0\.0\.1:)(\d+)")


def fleetaudit(*args: str) -> list[str]:
    return [sys.executable, "-m", "fleetaudit.cli", *args]


def shifted_inventory(folder: Path, shift: int) -> Path:
    """A copy of the demo inventory in ``folder/inventory`` with every port plus ``shift``."""
    inventory = folder / "inventory"
    shutil.copytree(builtin_dir("inventory"), inventory)
    hosts = inventory / "hosts.yaml"
    hosts.write_text(PORT.sub(lambda m: f"{m[1]}{int(m[2]) + shift}", hosts.read_text()))
    return inventory


@dataclass
class Served:
    """A running `lab serve`: the lines it printed up to ``ready``; once stopped, how it
    exited and what it wrote to stderr."""

    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    returncode: int | None = None
    stderr: str = ""


@contextmanager
def lab_serve(*args: str) -> Iterator[Served]:
    """`fleetaudit lab serve ARGS` until it prints ``ready``; Ctrl-C (SIGINT) on leaving."""
    process = subprocess.Popen(
        fleetaudit("lab", "serve", *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    served = Served(process)
    try:
        assert process.stdout is not None
        for line in process.stdout:
            served.lines.append(line.rstrip("\n"))
            if line.startswith("ready"):
                break
        else:
            raise AssertionError(f"lab serve stopped before `ready`: {process.communicate()[1]}")
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        _, served.stderr = process.communicate(timeout=30)
        served.returncode = process.returncode


def run_json(
    inventory: Path, site: str, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`fleetaudit run --site SITE --format json --no-store --quiet EXTRA` in a child."""
    return subprocess.run(
        fleetaudit("run", "--site", site, "--inventory", str(inventory))
        + ["--format", "json", "--no-store", "--quiet", *extra],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
