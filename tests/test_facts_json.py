"""`--facts` (with `--format json`, on `run` and `scan`): each host's facts under
`hosts[].facts`, as their typed model serialises them; the report stays
`fleetaudit.report/1` (the keys are added, nothing else changes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fleetaudit.cli import main
from fleetaudit.facts import FACTS_VERSION, Interface, Nat, SipAlg, load_facts

GW_CONFIG = Path(__file__).parent / "checks" / "ALG001" / "fail-ios-nat-default"
CONFIG = GW_CONFIG / "show_running-config.txt"


def _json(out: Path, *args: str) -> tuple[int, dict[str, Any]]:
    code = main([*args, "--format", "json", "--output", str(out)])
    return code, json.loads(out.read_text(encoding="utf-8"))


def test_scan_shows_interfaces_nat_and_alg_facts(tmp_path: Path) -> None:
    code, report = _json(
        tmp_path / "r.json", "scan", str(CONFIG), "--platform", "cisco_ios", "--facts"
    )
    assert code == 1 and report["schema"] == "fleetaudit.report/1"
    assert report["run"]["facts_version"] == FACTS_VERSION
    (host,) = report["hosts"]
    facts = host["facts"]
    assert facts["sip_alg"]["enabled"] is True and facts["sip_alg"]["by_default"] is True
    assert facts["nat"]["enabled"] is True and facts["nat"]["outside"]
    assert facts["nat"]["rules"][0]["ref"]["source"] == "show running-config"
    assert any(i["nat"] == "outside" for i in facts["interfaces"])
    # what was not collected is null, and says why
    assert facts["sip_service"] is None
    assert "was not collected" in host["facts_unknown"]["sip_service"]
    # the JSON reads back as the typed model
    typed, unreadable = load_facts(facts)
    assert not unreadable
    assert isinstance(typed["nat"], Nat) and isinstance(typed["sip_alg"], SipAlg)
    assert all(isinstance(i, Interface) for i in typed["interfaces"])


def test_without_facts_the_report_is_unchanged(tmp_path: Path) -> None:
    _, plain = _json(tmp_path / "a.json", "scan", str(CONFIG), "--platform", "cisco_ios")
    _, with_facts = _json(
        tmp_path / "b.json", "scan", str(CONFIG), "--platform", "cisco_ios", "--facts"
    )
    assert "facts" not in plain["hosts"][0] and "facts_version" not in plain["run"]
    for host in with_facts["hosts"]:
        del host["facts"], host["facts_unknown"]
    del with_facts["run"]["facts_version"]
    for report in (plain, with_facts):
        del report["run"]["id"], report["run"]["started"], report["run"]["duration_s"]
    assert plain == with_facts


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_facts_needs_json(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["scan", str(CONFIG), "--platform", "cisco_ios", "--facts", "--format", fmt])
    assert code == 2
    assert "--facts" in capsys.readouterr().err


def test_run_shows_each_hosts_facts(lab_inventory: Path, tmp_path: Path) -> None:
    args = ("run", "--site", "office1", "--inventory", str(lab_inventory), "--quiet", "--facts")
    _, report = _json(tmp_path / "r.json", *args)
    hosts = {h["name"]: h for h in report["hosts"]}
    gw = hosts["office1-gw1"]["facts"]
    assert gw["device"]["os_version"] and gw["sip_ua_status"]["transports"]
    assert hosts["office1-sw1"]["facts"]["mac_table"]
    assert hosts["office1-phone1"]["facts"]["phone_accounts"]
