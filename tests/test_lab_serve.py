"""`fleetaudit lab serve`: one line per device, a ready line, a clean stop on Ctrl-C."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from fleetaudit.paths import builtin_dir

SHIFT = 41000  # away from the demo's ports, so a running demo does not collide


def test_lab_serve_prints_devices_and_stops_on_interrupt(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory"
    shutil.copytree(builtin_dir("inventory"), inventory)
    hosts = inventory / "hosts.yaml"
    hosts.write_text(
        re.sub(r"port: (\d+)", lambda m: f"port: {int(m[1]) + SHIFT}", hosts.read_text())
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "fleetaudit.cli",
            "lab",
            "serve",
            "--site",
            "office2",
            "--inventory",
            str(inventory),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(line.rstrip("\n"))
        if line.startswith("ready"):
            break
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert lines[-1] == "ready: 8 devices"  # 4 over SSH, 4 phones over HTTP
    assert f"office2-gw1  cisco_ios  127.0.0.1:{10011 + SHIFT}" in lines
    assert f"office2-phone3  poly_phone  127.0.0.1:{10043 + SHIFT}" in lines
    assert len(lines) == 9
