"""`fleetaudit lab serve` as a user runs it: one line per device, a ready line, a clean
stop on Ctrl-C — and an audit against it with the demo inventory as written (read by
Nornir itself, not a copy rewritten by the test harness)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.labserve import lab_serve, run_json, shifted_inventory

SHIFT = 12000  # away from the demo's ports and below the ephemeral range (32768+)


def test_lab_serve_then_audit_the_demo_inventory(tmp_path: Path) -> None:
    inventory = shifted_inventory(tmp_path, SHIFT)
    with lab_serve("--site", "office1", "--inventory", str(inventory)) as lab:
        audit = run_json(inventory, "office1")
    lines, err = lab.lines, lab.stderr
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
