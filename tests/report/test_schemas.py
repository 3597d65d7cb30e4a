"""`fleetaudit schema report|drift`: real outputs validate against the printed schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from fleetaudit.paths import builtin_dir
from tests.report.conftest import cli, run_args

SCAN = Path(__file__).parents[1] / "data" / "scan"
GW1_CONFIG = builtin_dir("inventory") / "lab" / "office1-gw1" / "show_running-config.txt"


def printed_schema(name: str, capsys: pytest.CaptureFixture[str]) -> Draft202012Validator:
    assert cli("schema", name) == 0
    schema = json.loads(capsys.readouterr().out)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def valid(validator: Draft202012Validator, document: dict[str, Any]) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []


def json_of(tmp_path: Path, name: str, *args: str) -> dict[str, Any]:
    out = tmp_path / f"{name}.json"
    cli(*args, "--format", "json", "--output", str(out))
    return json.loads(out.read_text())  # type: ignore[no-any-return]


def test_stored_runs_validate(stored: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    validator = printed_schema("report", capsys)
    for site in ("office1", "office2", "lab-faults"):
        valid(validator, stored[site])
    assert any(f["status"] == "fail" for f in stored["office1"]["findings"])
    assert {h["status"] for h in stored["lab-faults"]["hosts"]} - {"ok"}  # failed hosts too


def test_facts_history_show_and_candidate_validate(
    stored: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    validator = printed_schema("report", capsys)
    shown = json_of(
        tmp_path,
        "shown",
        "history",
        "show",
        stored["office1"]["run"]["id"],
        "--db",
        str(stored["db"]),
    )
    valid(validator, shown)

    folder = tmp_path / "candidate"
    folder.mkdir()
    (folder / "office1-gw1.cfg").write_text(GW1_CONFIG.read_text() + "ip nat service sip udp\n")
    candidate = json_of(
        tmp_path,
        "candidate",
        *run_args("office1", stored["inventory"], "--db", str(stored["db"])),
        "--candidate",
        str(folder),
        "--offline",
    )
    assert "candidate" in candidate and "sources" in candidate
    valid(validator, candidate)

    if "--facts" in capsys_help("run", capsys):  # facts9's --facts, once merged
        with_facts = json_of(
            tmp_path,
            "facts",
            *run_args("office1", stored["inventory"], "--no-store", "--limit", "office1-gw1"),
            "--facts",
        )
        assert "facts" in with_facts["hosts"][0]
        valid(validator, with_facts)


def capsys_help(command: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit):
        cli(command, "--help")
    return capsys.readouterr().out


def test_scans_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    validator = printed_schema("report", capsys)
    config = SCAN / "routeros-v7-alg-on.rsc"
    plain = json_of(tmp_path, "scan", "scan", str(config), "--platform", "mikrotik_routeros")
    valid(validator, plain)
    compared = json_of(
        tmp_path,
        "compare",
        "scan",
        str(SCAN / "routeros-v7-alg-off.rsc"),
        "--platform",
        "mikrotik_routeros",
        "--compare-with",
        str(config),
    )
    assert compared["candidate"]["resolved"]
    valid(validator, compared)

    waivers = tmp_path / "waivers.yaml"
    entry = "  - check: ALG001\n    host: '{host}'\n    reason: NET-1\n    expires: {day}\n"
    host = plain["findings"][0]["host"]
    waivers.write_text(
        "waivers:\n"
        + entry.format(host=host, day="2999-01-01")
        + entry.format(host=host, day="2000-01-01")
        + entry.format(host="nobody", day="2999-01-01")
    )
    gated = json_of(
        tmp_path,
        "gated",
        "scan",
        str(config),
        "--platform",
        "mikrotik_routeros",
        "--waivers",
        str(waivers),
        "--baseline",
        str(tmp_path / "scan.json"),
    )
    assert gated["waivers"]["applied"] and gated["waivers"]["unused"] and gated["baseline"]
    valid(validator, gated)


def test_drift_validates(
    lab_inventory: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    validator = printed_schema("drift", capsys)
    db = str(tmp_path / "drift.sqlite")
    for _ in range(2):
        cli(*run_args("lab-faults", lab_inventory, "--db", db))
    drift = json_of(tmp_path, "drift", "drift", "--site", "lab-faults", "--db", db)
    valid(validator, drift)
    assert drift["schema"] == "fleetaudit.drift/1"


def test_a_document_with_an_unknown_field_does_not_validate(
    stored: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    validator = printed_schema("report", capsys)
    broken = json.loads(json.dumps(stored["office1"]))
    broken["findings"][0]["severity"] = "urgent"
    broken["hosts"][0]["surprise"] = 1
    assert len(list(validator.iter_errors(broken))) == 2
