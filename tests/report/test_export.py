"""`history export RUN DIR`: a stored run's evidence as folders `scan` reads back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from fleetaudit.paths import builtin_dir
from tests.report.conftest import cli

# checks that look at other devices of the site (a scan of one folder cannot see them):
# NAT001 weighs a router's timeout against the site's phones' keep-alives; FW001/FW002
# need the site's voip_targets, which scan has no option for (so no firewall host here)
SITE_WIDE = {"PHN002", "NAT001"}


def judged(findings: list[dict[str, Any]], host: str) -> set[tuple[str, str, str]]:
    return {
        (f["check"], f["subject"], f["status"])
        for f in findings
        if f["host"] == host and f["check"] not in SITE_WIDE
    }


@pytest.mark.parametrize("host", ["office1-gw1", "office1-sw1"])
def test_an_exported_folder_scans_to_the_stored_findings(
    stored: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str], host: str
) -> None:
    run = stored["office1"]["run"]["id"]
    out = tmp_path / "export"
    assert cli("history", "export", run, str(out), "--db", str(stored["db"])) == 0
    assert f"run {run}:" in capsys.readouterr().out
    manifest = json.loads((out / ".fleetaudit-export.json").read_text())
    assert manifest["run"] == run
    assert set(manifest["hosts"]) == {h["name"] for h in stored["office1"]["hosts"]}
    me = manifest["hosts"][host]
    assert sorted(p.name for p in (out / host).iterdir()) == sorted(me["files"])

    groups = yaml.safe_load((builtin_dir("inventory") / "groups.yaml").read_text())
    policy = tmp_path / "policy.yaml"  # the site's provider profile, as the run had it
    policy.write_text(yaml.safe_dump({"voip": groups["provider_vats"]["data"]["voip"]}))
    scanned = tmp_path / "scan.json"
    cli(
        "scan",
        "--policy",
        str(policy),
        str(out / host),
        "--platform",
        me["platform"],
        "--role",
        me["role"],
        "--format",
        "json",
        "--output",
        str(scanned),
    )
    again = json.loads(scanned.read_text())
    assert again["hosts"][0]["name"] == host
    before = judged(stored["office1"]["findings"], host)
    assert any(status == "fail" for _, _, status in before)
    assert judged(again["findings"], host) == before


def test_export_never_overwrites(
    stored: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    run = stored["office1"]["run"]["id"]
    assert cli("history", "export", run, str(tmp_path), "--db", str(stored["db"])) == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
