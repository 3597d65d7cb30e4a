"""Operations: --limit narrows a run (Nornir F() semantics), history prune asks first."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.report.conftest import cli, run_args


@pytest.mark.parametrize(
    ("limit", "hosts"),
    [
        ("office1-gw1", {"office1-gw1"}),
        ("switch", {"office1-sw1"}),
        ("office1-fw1,router", {"office1-fw1", "office1-rtr1"}),
        ("phones_lab", {f"office1-phone{n}" for n in range(1, 5)}),
    ],
)
def test_limit_by_host_role_or_group(
    stored: dict[str, Any], tmp_path: Path, limit: str, hosts: set[str]
) -> None:
    out = tmp_path / "r.json"
    args = run_args("office1", stored["inventory"], "--no-store", "--limit", limit)
    cli(*args, "--format", "json", "--output", str(out))
    report = json.loads(out.read_text())
    assert {h["name"] for h in report["hosts"]} == hosts


def test_limit_naming_nothing_is_a_usage_error(
    stored: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(*run_args("office1", stored["inventory"], "--limit", "office9-gw1")) == 2
    assert "--limit office9-gw1: no host, group or role" in capsys.readouterr().err


def test_connection_errors_name_the_address_tried(stored: dict[str, Any]) -> None:
    import yaml

    hosts = yaml.safe_load((stored["inventory"] / "hosts.yaml").read_text())
    errors = {h["name"]: h["error"] or "" for h in stored["lab-faults"]["hosts"]}
    for name in ("faults-closed", "faults-badpass", "faults-nobanner"):
        address = f"{hosts[name]['hostname']}:{hosts[name]['port']}"
        assert errors[name].startswith(f"{address}: "), errors[name]
    assert "connection refused" in errors["faults-closed"]
