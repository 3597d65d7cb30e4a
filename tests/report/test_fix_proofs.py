"""Issue 10: every fix proves itself. For each config-derived failing finding of office1,
its own remediation is applied to its device's saved config, the site is re-audited
(`run --candidate --offline` on the stored run) and the finding must pass with nothing
new failing or worse. Root causes: office1's failing findings group into <= 25."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fleetaudit.paths import builtin_dir
from tests.report.apply_fixes import apply_cisco, apply_routeros
from tests.report.conftest import cli, run_args

LAB = builtin_dir("inventory") / "lab"
CONFIG_FILE = {
    "cisco_ios": "show_running-config.txt",
    "cisco_asa": "show_running-config.txt",
    "mikrotik_routeros": "export_verbose.txt",
}
# read from show commands or phones, not from a config file the fix could change
NOT_CONFIG = ("SIP002", "SIP003", "PHN")


def test_each_config_fix_is_proven_by_re_audit(stored: dict[str, Any], tmp_path: Path) -> None:
    platforms = {h["name"]: h["platform"] for h in stored["office1"]["hosts"]}
    findings = [
        f
        for f in stored["office1"]["findings"]
        if f["status"] == "fail"
        and platforms[f["host"]] in CONFIG_FILE
        and not f["check"].startswith(NOT_CONFIG)
        and f["remediation"]
    ]
    assert len(findings) >= 20
    unproven = []
    for n, f in enumerate(findings):
        platform = platforms[f["host"]]
        config = (LAB / f["host"] / CONFIG_FILE[platform]).read_text()
        apply = apply_routeros if platform == "mikrotik_routeros" else apply_cisco
        folder = tmp_path / f"c{n}"
        folder.mkdir()
        (folder / f"{f['host']}.cfg").write_text(apply(config, f["remediation"]))
        cand = _re_audit(stored, folder, tmp_path / f"c{n}.json", "--offline", "--db")
        if f["fingerprint"] not in {d["fingerprint"] for d in cand["resolved"]}:
            # the stored run keeps no phone's accounts for NAT001 to judge: live re-audit
            cand = _re_audit(stored, folder, tmp_path / f"c{n}.json")
        resolved = {d["fingerprint"] for d in cand["resolved"]}
        if f["fingerprint"] not in resolved or cand["introduced"] or cand["worsened"]:
            unproven.append((f["fingerprint"], cand["introduced"], cand["worsened"]))
    assert not unproven, unproven


def _re_audit(stored: dict[str, Any], folder: Path, out: Path, *offline: str) -> Any:
    args = run_args("office1", stored["inventory"], "--candidate", str(folder))
    if offline:
        args += [*offline, str(stored["db"])]
    cli(*args, "--format", "json", "--output", str(out))
    return json.loads(out.read_text())["candidate"]


def test_office1_failing_findings_group_into_few_causes(stored: dict[str, Any]) -> None:
    failing = [f for f in stored["office1"]["findings"] if f["status"] == "fail"]
    causes = {f["cause"] for f in failing}
    assert all(causes) and len(causes) <= 25, sorted(causes)
    by_host = {(f["check"], f["host"]): f["cause"] for f in failing}
    # the router's 10 s UDP timeout is one cause: NAT001 there and every phone's PHN002
    rtr = by_host[("NAT001", "office1-rtr1")]
    assert {f["cause"] for f in failing if f["check"] == "PHN002"} == {rtr}
    assert all("office1-rtr1" in f["remediation"] for f in failing if f["check"] == "PHN002")
    assert len({f["cause"] for f in failing if f["check"] == "SIP003"}) == 1
