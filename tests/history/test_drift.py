"""Drift between stored runs: findings by fingerprint, voice-relevant fact changes,
SIP counter deltas; nothing else."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import HistoryDb, cli, cli_json, fixture_text

from fleetaudit.audit import Options, audit_offline
from fleetaudit.drift import counter_deltas, fact_changes
from fleetaudit.lab import Lab
from fleetaudit.parse import to_data
from fleetaudit.policy import VoipPolicy

ASA = Path(__file__).parents[1] / "data" / "scan" / "asa-clean.cfg"


def run(inventory: Path, site: str, tmp_path: Path, name: str) -> dict[str, object]:
    _, report = cli_json(
        tmp_path / f"{name}.json", "run", "--site", site, "--inventory", str(inventory), "--quiet"
    )
    return report


def test_sip_alg_back_on_is_exactly_the_drift(
    office_lab: tuple[Lab, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    history_db: HistoryDb,
) -> None:
    lab, inventory = office_lab
    run(inventory, "office2", tmp_path, "before")
    export = fixture_text("office2-rtr1", "export_verbose")
    assert "set sip disabled=yes" in export
    lab.set_output(
        "office2-rtr1",
        "/export verbose",
        export.replace("set sip disabled=yes", "set sip disabled=no"),
    )
    run(inventory, "office2", tmp_path, "after")

    code, drift = cli_json(tmp_path / "drift.json", "drift", "--site", "office2")
    assert code == 1  # a new high finding
    assert drift["schema"] == "fleetaudit.drift/1" and drift["site"] == "office2"
    new = [(d["check"], d["host"], d["subject"]) for d in drift["findings"]["new"]]
    assert new == [("ALG001", "office2-rtr1", "sip_alg")]
    assert drift["findings"]["resolved"] == [] and drift["findings"]["severity_changed"] == []
    assert drift["findings"]["unassessed"] == [] and drift["hosts"] == []
    assert [(c["host"], c["fact"]) for c in drift["facts"]] == [("office2-rtr1", "sip_alg")]
    enabled = next(c for c in drift["facts"][0]["changes"] if c["path"] == "enabled")
    assert (enabled["before"], enabled["after"]) == (False, True)
    assert drift["counters"] == []
    assert drift["findings"]["new"][0]["evidence"]["text"].startswith("set sip disabled=no")

    assert (
        cli(
            "drift", "--site", "office2", "--format", "markdown", "--output", str(tmp_path / "d.md")
        )
        == 1
    )
    markdown = (tmp_path / "d.md").read_text()
    assert "# Drift at office2" in markdown and "**1 new**, **0 resolved**" in markdown
    assert "| high | ALG001 | office2-rtr1 | sip_alg |" in markdown
    assert "| office2-rtr1 | sip_alg | enabled | off | on |" in markdown
    rows = [line for line in markdown.split("<details>")[0].splitlines() if "| office2-" in line]
    assert len(rows) == 1 + len(drift["facts"][0]["changes"])  # nothing else

    assert cli("drift", "--site", "office2", "--fail-on", "critical") == 0  # the threshold
    assert "ALG001" in capsys.readouterr().out
    assert (
        cli("drift", "--site", "office2", "--format", "html", "--output", str(tmp_path / "d.html"))
        == 1
    )
    assert "office2-rtr1" in (tmp_path / "d.html").read_text()

    # the fix resolves it; and SIP counters that moved show as deltas, not as changes
    lab.set_output("office2-rtr1", "/export verbose", export)
    stats = fixture_text("office2-gw1", "show_sip-ua_statistics")
    assert stats.count("    Register 0\n") == 1  # the retry counter
    lab.set_output(
        "office2-gw1",
        "show sip-ua statistics",
        stats.replace("    Register 0\n", "    Register 37\n"),
    )
    run(inventory, "office2", tmp_path, "third")
    code, drift = cli_json(tmp_path / "drift2.json", "drift", "--site", "office2")
    assert [(d["check"], d["host"]) for d in drift["findings"]["resolved"]] == [
        ("ALG001", "office2-rtr1")
    ]
    assert [(c["section"], c["name"], c["delta"]) for c in drift["counters"]] == [
        ("Retry Statistics", "Register", 37)
    ]
    new = {(d["check"], d["host"]) for d in drift["findings"]["new"]}
    assert new <= {("SIP003", "office2-gw1")}  # retries above zero is SIP003's business
    assert [c["fact"] for c in drift["facts"]] == ["sip_alg"]  # statistics are not a fact change
    assert code == (1 if new else 0)


def test_explicit_runs_and_since(
    office_lab: tuple[Lab, Path], tmp_path: Path, history_db: HistoryDb
) -> None:
    _, inventory = office_lab
    first = run(inventory, "office2", tmp_path, "one")["run"]["id"]  # type: ignore[index]
    second = run(inventory, "office2", tmp_path, "two")["run"]["id"]  # type: ignore[index]
    code, drift = cli_json(
        tmp_path / "d.json", "drift", "--site", "office2", "--from", first, "--to", second
    )
    assert code == 0 and (drift["from"]["id"], drift["to"]["id"]) == (first, second)
    assert (
        drift["facts"] == [] and drift["findings"]["new"] == []
    )  # two live runs, no change: no noise
    code, drift = cli_json(tmp_path / "d.json", "drift", "--site", "office2", "--from", first[:-2])
    assert drift["to"]["id"] == second  # a unique prefix; --to defaults to the latest
    history_db.sql(
        "UPDATE runs SET started_ts = :ts WHERE id = :id", ts=time.time() - 8 * 86400, id=first
    )
    code, drift = cli_json(tmp_path / "d.json", "drift", "--site", "office2", "--since", "7d")
    assert drift["from"]["id"] == first and drift["notes"] == []
    code, drift = cli_json(tmp_path / "d.json", "drift", "--site", "office2", "--since", "30d")
    assert drift["from"]["id"] == first and "oldest" in drift["notes"][0]
    assert cli("drift", "--site", "office2", "--since", "a week") == 2
    assert cli("drift", "--site", "office1") == 2  # no runs of office1: says so, exit 2
    assert cli("drift", "--site", "office2", "--from", "nope") == 2


def _facts(config: str, tmp_path: Path) -> dict[str, object]:
    path = tmp_path / "fw1.cfg"
    path.write_text(config)
    report = audit_offline([path], "cisco_asa", "firewall", VoipPolicy(), Options())
    return to_data(report.hosts[0].facts)  # type: ignore[no-any-return]


def test_an_acl_line_added_is_one_fact_change(tmp_path: Path) -> None:
    config = ASA.read_text()
    lines = config.splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith("access-list "))
    name = lines[at].split()[1]
    added = f"access-list {name} extended permit udp any host 192.0.2.10 range 10000 20000"
    changed = "\n".join([*lines[: at + 1], added, *lines[at + 1 :]]) + "\n"
    changes = fact_changes("fw1", _facts(config, tmp_path), _facts(changed, tmp_path))
    assert [c.fact for c in changes] == ["acl"]  # line numbers of everything below moved: no noise
    assert [(c.path, c.after) for c in changes[0].changes] == [(f"access_lists.{name}[+]", added)]


def test_volatile_values_are_not_changes() -> None:
    before = {
        "sip_ua_registrations": [
            {"line": "4001", "peer": "20001", "expires_s": 412, "registered": True}
        ]
    }
    after = {
        "sip_ua_registrations": [
            {"line": "4001", "peer": "20001", "expires_s": 97, "registered": True}
        ]
    }
    assert fact_changes("gw1", before, after) == []
    after["sip_ua_registrations"][0]["registered"] = False
    (change,) = fact_changes("gw1", before, after)
    assert [(c.path, c.before, c.after) for c in change.changes] == [
        ("[4001].registered", True, False)
    ]
    assert (
        fact_changes("gw1", {"nat": None}, {"nat": {"enabled": True}}) == []
    )  # unknown: not compared


def test_counters_cleared_count_from_zero() -> None:
    def stats(register: int, cleared: str) -> dict[str, object]:
        counters = [
            {
                "name": "Register",
                "section": "Retry Statistics",
                "inbound": register,
                "outbound": None,
            }
        ]
        counters.append({"name": "Trying", "section": "Informational", "inbound": 5, "outbound": 5})
        return {"counters": counters, "cleared": cleared}

    (delta,) = counter_deltas("gw1", stats(148, "<never>"), stats(185, "<never>"))
    assert (delta.label(), delta.delta, delta.cleared) == ("Retry Statistics / Register", 37, False)
    deltas = counter_deltas("gw1", stats(148, "<never>"), stats(3, "10:01:00 UTC Mon Jun 2 2025"))
    assert [(d.name, d.direction, d.delta, d.cleared) for d in deltas] == [
        ("Register", "", 3, True),
        ("Trying", "in", 5, True),
        ("Trying", "out", 5, True),
    ]


def test_history_lists_and_shows_runs(
    office_lab: tuple[Lab, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    history_db: HistoryDb,
) -> None:
    _, inventory = office_lab
    report = run(inventory, "office1", tmp_path, "office1")
    run(inventory, "office2", tmp_path, "office2")
    capsys.readouterr()
    assert cli("history") == 0
    table = capsys.readouterr().out
    assert report["run"]["id"] in table and "office2" in table  # type: ignore[index]
    code, listing = cli_json(tmp_path / "h.json", "history", "--site", "office1")
    assert code == 0 and [r["id"] for r in listing["runs"]] == [report["run"]["id"]]  # type: ignore[index]
    (entry,) = listing["runs"]
    assert entry["hosts"]["ok"] >= 4 and entry["failing"]["high"] >= 3
    assert (
        cli(
            "history",
            "show",
            "latest",
            "--site",
            "office1",
            "--format",
            "json",
            "--output",
            str(tmp_path / "s.json"),
        )
        == 0
    )
    shown = json.loads((tmp_path / "s.json").read_text())
    assert shown["findings"] == report["findings"]
    assert cli("history", "show", "latest~5") == 2
