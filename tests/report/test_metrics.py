"""`--metrics-file`: Prometheus textfile-collector metrics, read back with prometheus_client."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from fleetaudit.model import Finding, HostResult, Report
from fleetaudit.paths import builtin_dir
from fleetaudit.report.metrics import render, write_atomically
from tests.report.conftest import cli, run_args

SCAN = Path(__file__).parents[1] / "data" / "scan"


def samples(path: Path) -> dict[str, list[Any]]:
    families = text_string_to_metric_families(path.read_text())
    return {f.name: list(f.samples) for f in families}


def test_run_writes_metrics_that_prometheus_parses(stored: dict[str, Any], tmp_path: Path) -> None:
    prom, out = tmp_path / "fleetaudit.prom", tmp_path / "r.json"
    args = run_args("lab-faults", stored["inventory"], "--no-store", "--metrics-file", str(prom))
    cli(*args, "--format", "json", "--output", str(out))
    report = json.loads(out.read_text())
    got = samples(prom)

    findings = Counter((f["check"], f["severity"], f["status"]) for f in report["findings"])
    assert {
        (s.labels["check"], s.labels["severity"], s.labels["status"]): s.value
        for s in got["fleetaudit_findings"]
    } == findings
    assert {s.labels["site"] for s in got["fleetaudit_findings"]} == {"lab-faults"}

    hosts = Counter(h["status"] for h in report["hosts"])
    by_status = {s.labels["status"]: s.value for s in got["fleetaudit_hosts"]}
    assert {k: v for k, v in by_status.items() if v} == hosts
    assert by_status["host_key_mismatch"] == 0  # every status is present, 0 when none

    readiness = {s.labels["site"]: s.value for s in got["fleetaudit_readiness"]}
    assert readiness == {"lab-faults": report["sites"][0]["readiness"]}
    assert 0 <= readiness["lab-faults"] < 100
    (duration,) = got["fleetaudit_run_duration_seconds"]
    assert duration.value == pytest.approx(report["run"]["duration_s"])
    assert got["fleetaudit_run_timestamp_seconds"][0].value > 1.7e9
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_office2_readiness_matches_the_report(stored: dict[str, Any], tmp_path: Path) -> None:
    prom = tmp_path / "office2.prom"
    cli(*run_args("office2", stored["inventory"], "--no-store", "--metrics-file", str(prom)))
    got = samples(prom)
    assert [s.value for s in got["fleetaudit_readiness"]] == [
        stored["office2"]["sites"][0]["readiness"]
    ]
    assert not [s for s in got["fleetaudit_findings"] if s.labels["status"] == "fail"]


def test_scan_writes_metrics(tmp_path: Path) -> None:
    prom = tmp_path / "scan.prom"
    code = cli(
        "scan",
        str(SCAN / "asa-inspect-sip.cfg"),
        "--platform",
        "cisco_asa",
        "--quiet",
        "--metrics-file",
        str(prom),
    )
    assert code == 1
    failing = [s for s in samples(prom)["fleetaudit_findings"] if s.labels["status"] == "fail"]
    assert failing and all(s.value >= 1 for s in failing)


def test_metrics_file_in_a_missing_folder_is_a_usage_error(
    stored: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prom = tmp_path / "nowhere" / "m.prom"
    assert cli(*run_args("office1", stored["inventory"], "--metrics-file", str(prom))) == 2
    assert "--metrics-file" in capsys.readouterr().err


def test_labels_are_escaped_and_the_old_file_is_replaced_whole(tmp_path: Path) -> None:
    host = HostResult('gw"1', "cisco_ios", 'site\\"a\nb', None, "ok")
    finding = Finding("SIP001", "sip", "high", "fail", 'gw"1', "x", "m")
    report = Report("r1", "2026-01-01T00:00:00+00:00", None, "0", [host], [finding])
    path = tmp_path / "m.prom"
    path.write_text("old\n")
    write_atomically(render(report), path)
    (sample,) = samples(path)["fleetaudit_findings"]
    assert sample.labels["site"] == 'site\\"a\nb'
    assert list(tmp_path.iterdir()) == [path]


def test_a_candidate_audit_writes_no_metrics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prom = tmp_path / "m.prom"
    args = run_args("office1", builtin_dir("inventory"), "--candidate", str(tmp_path))
    assert cli(*args, "--metrics-file", str(prom)) == 2
    assert "hypothetical" in capsys.readouterr().err and not prom.exists()
