"""`fleetaudit lab serve` as a user runs it: one line per device, a ready line, a clean
stop on Ctrl-C — and an audit against it with the demo inventory as written (read by
Nornir itself, not a copy rewritten by the test harness)."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from fleetaudit.paths import builtin_dir

SHIFT = 12000  # away from the demo's ports and below the ephemeral range (32768+)
PORT = re.compile(r"(port: |127\.0\.0\.1:)(\d+)")


def fleetaudit(*args: str) -> list[str]:
    return [sys.executable, "-m", "fleetaudit.cli", *args]


def test_lab_serve_then_audit_the_demo_inventory(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory"
    shutil.copytree(builtin_dir("inventory"), inventory)
    hosts = inventory / "hosts.yaml"
    hosts.write_text(PORT.sub(lambda m: f"{m[1]}{int(m[2]) + SHIFT}", hosts.read_text()))
    lab = subprocess.Popen(
        fleetaudit("lab", "serve", "--site", "office1", "--inventory", str(inventory)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert lab.stdout is not None
        lines = []
        for line in lab.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("ready"):
                break
        audit = subprocess.run(
            fleetaudit(
                "run",
                "--site",
                "office1",
                "--inventory",
                str(inventory),
                "--format",
                "json",
                "--no-store",
                "--quiet",
            ),
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        lab.send_signal(signal.SIGINT)
        _, err = lab.communicate(timeout=30)
    assert lab.returncode == 0, err
    assert "Traceback" not in err
    assert lines[-1] == "ready: 9 devices"  # 5 over SSH (the PBX too), 4 phones over HTTP
    assert f"office1-gw1  cisco_ios  127.0.0.1:{10001 + SHIFT}" in lines
    assert f"office1-phone3  poly_phone  127.0.0.1:{10033 + SHIFT}" in lines
    assert len(lines) == 10

    assert audit.returncode == 1, audit.stderr
    report = json.loads(audit.stdout)
    assert all(h["status"] == "ok" for h in report["hosts"]), report["hosts"]
    alg = {
        f["host"] for f in report["findings"] if f["check"] == "ALG001" and f["status"] == "fail"
    }
    assert alg == {"office1-gw1", "office1-fw1", "office1-rtr1"}
    assert not [f for f in report["findings"] if f["status"] == "unknown"]
