"""Waivers (reason and expiry required; waived findings do not fail; expired ones are
reported) and baselines (fail only on what is new)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import (
    ALG001_FAILING_CONFIG,
    HistoryDb,
    cli,
    cli_json,
    fixture_text,
    run_args,
)

from fleetaudit.waivers import Waiver, apply_waivers

TOMORROW = (date.today() + timedelta(days=1)).isoformat()
YESTERDAY = (date.today() - timedelta(days=2)).isoformat()


def waivers(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text("waivers:\n" + "".join(entries))
    return path


def entry(
    check: str, host: str, expires: str, subject: str | None = None, reason: str = "accepted: NET-1"
) -> str:
    text = (
        f"  - check: {check}\n    host: '{host}'\n    reason: '{reason}'\n    expires: {expires}\n"
    )
    return text + (f"    subject: '{subject}'\n" if subject else "")


def test_waived_findings_do_not_fail_and_expired_ones_come_back(
    lab_inventory: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = run_args("office1", lab_inventory, "--check", "ALG001")
    every = entry(
        "ALG001", "office1-*", TOMORROW, reason="provider SBC needs it until the migration"
    )
    code, report = cli_json(tmp_path / "w.json", *args, "--waivers", str(waivers(tmp_path, every)))
    assert code == 0
    alg = [f for f in report["findings"] if f["check"] == "ALG001"]
    assert {f["status"] for f in alg} == {"waived"} and len(alg) == 3
    applied = report["waivers"]["applied"]
    assert {w["fingerprint"] for w in applied} == {f["fingerprint"] for f in alg}
    assert applied[0]["reason"] == "provider SBC needs it until the migration"

    one = entry("ALG001", "office1-rtr?", TOMORROW, subject="sip_alg")
    stale = entry("ALG001", "office1-gw1", YESTERDAY, reason="old exception")
    code, report = cli_json(
        tmp_path / "w.json", *args, "--waivers", str(waivers(tmp_path, one, stale))
    )
    assert code == 1
    statuses = {f["host"]: f["status"] for f in report["findings"] if f["check"] == "ALG001"}
    assert statuses == {"office1-gw1": "fail", "office1-fw1": "fail", "office1-rtr1": "waived"}
    (expired,) = report["waivers"]["expired"]
    assert expired["reason"] == "old exception" and expired["findings"] == [
        "ALG001|office1-gw1|sip_alg"
    ]

    assert (
        cli(
            *args,
            "--waivers",
            str(tmp_path / "waivers.yaml"),
            "--no-waivers",
            "--format",
            "json",
            "--output",
            str(tmp_path / "n.json"),
        )
        == 1
    )
    assert "waivers" not in json.loads((tmp_path / "n.json").read_text())
    capsys.readouterr()
    assert cli(*args, "--waivers", str(tmp_path / "waivers.yaml")) == 1
    table = capsys.readouterr().out
    assert "Expired waivers" in table and "old exception" in table and "Waived (1)" in table
    for fmt in ("markdown", "html"):
        out = tmp_path / f"w.{fmt}"
        cli(
            *args,
            "--waivers",
            str(tmp_path / "waivers.yaml"),
            "--format",
            fmt,
            "--output",
            str(out),
        )
        assert "Expired waivers" in out.read_text() and "old exception" in out.read_text()


def test_inventory_waivers_are_the_default(lab_inventory: Path, tmp_path: Path) -> None:
    inventory = tmp_path / "inventory"
    inventory.mkdir()
    for name in ("hosts.yaml", "groups.yaml", "defaults.yaml"):
        if (lab_inventory / name).exists():
            (inventory / name).write_text((lab_inventory / name).read_text())
    waivers(inventory, entry("ALG001", "*", TOMORROW))
    args = run_args("office1", inventory, "--check", "ALG001")
    assert cli(*args) == 0
    assert cli(*args, "--no-waivers") == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("waivers:\n  - {check: ALG001, host: '*', expires: 2030-01-01}\n", "`reason` is required"),
        ("waivers:\n  - {check: ALG001, host: '*', reason: x}\n", "`expires` is required"),
        (
            "waivers:\n  - {check: NOPE001, host: '*', reason: x, expires: 2030-01-01}\n",
            "no check 'NOPE001'",
        ),
        ("waivers:\n  - {check: ALG001, host: '*', reason: x, expires: soon}\n", "not a date"),
        (
            "waivers:\n  - {check: ALG001, hots: '*', reason: x, expires: 2030-01-01}\n",
            "unknown key",
        ),
        ("waivers: {check: ALG001}\n", "list of entries"),
        ("waivers: [\n", "not valid YAML"),
    ],
)
def test_waiver_mistakes_exit_2(
    text: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text(text)
    assert (
        cli("scan", str(ALG001_FAILING_CONFIG), "--platform", "cisco_ios", "--waivers", str(path))
        == 2
    )
    err = capsys.readouterr().err
    assert message in err and str(path) in err and "Traceback" not in err


def test_waiver_holds_through_its_expiry_day() -> None:
    from fleetaudit.model import Finding, Report

    def report() -> Report:
        finding = Finding("ALG001", "sip-alg-enabled", "high", "fail", "gw1", "sip_alg", "on")
        return Report("r", "2025-01-01T00:00:00+00:00", "s", "0", [], [finding])

    waiver = Waiver("ALG001", "gw*", None, "why", date(2025, 6, 30), "test")
    on_the_day = report()
    apply_waivers(on_the_day, [waiver], today=date(2025, 6, 30))
    assert on_the_day.findings[0].status == "waived"
    after = report()
    apply_waivers(after, [waiver], today=date(2025, 7, 1))
    assert after.findings[0].status == "fail" and after.waivers and after.waivers["expired"]


def test_baseline_fails_only_on_new_findings(
    office_lab: tuple[object, Path], tmp_path: Path, history_db: HistoryDb
) -> None:
    lab, inventory = office_lab
    args = run_args("office2", inventory)
    code, first = cli_json(tmp_path / "one.json", *args)
    assert cli(*args, "--baseline", "latest") == 0  # whatever office2 has is known by now
    assert cli(*args, "--baseline", str(tmp_path / "one.json")) == 0
    export = fixture_text("office2-rtr1", "export_verbose")
    lab.set_output(
        "office2-rtr1",
        "/export verbose",
        export.replace("set sip disabled=yes", "set sip disabled=no"),
    )  # type: ignore[attr-defined]
    code, report = cli_json(tmp_path / "two.json", *args, "--baseline", first["run"]["id"])
    assert code == 1 and report["baseline"]["new"] == ["ALG001|office2-rtr1|sip_alg"]
    assert cli(*args, "--baseline", "latest") == 0  # the previous run already had it
    assert cli(*args, "--baseline", "no-such-run") == 2
