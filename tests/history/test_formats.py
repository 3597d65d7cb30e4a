"""Output formats for CI and people: SARIF 2.1.0 (validated against the official schema,
located at the causing line), JUnit XML (read back with a JUnit reader), HTML (opened in
headless Chromium), Markdown."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import cli, fixture_text, run_args
from junitparser import Error, Failure, JUnitXml, Skipped

SCHEMA = Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json"
ROUTEROS_ALG_ON = Path(__file__).parents[1] / "data" / "scan" / "routeros-v7-alg-on.rsc"


def sarif(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    schema = json.loads(SCHEMA.read_text())
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(data)
    return data


def line_of(path: Path, text: str) -> int:
    return next(
        n for n, line in enumerate(path.read_text().splitlines(), 1) if line.startswith(text)
    )


def test_sarif_points_at_the_candidate_line(
    lab_inventory: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a repository checkout in CI: paths come out relative
    folder = tmp_path / "candidates"
    folder.mkdir()
    config = fixture_text("office2-gw1", "show_running-config")
    for line in ("no ip nat service sip tcp port 5060\n", "no ip nat service sip udp port 5060\n"):
        config = config.replace(line, "")
    (folder / "office2-gw1.cfg").write_text(config)
    out = tmp_path / "out.sarif"
    args = run_args("office2", lab_inventory)
    assert cli(*args, "--candidate", str(folder), "--format", "sarif", "--output", str(out)) == 1
    data = sarif(out)
    run = data["runs"][0]
    assert data["version"] == "2.1.0" and run["tool"]["driver"]["name"] == "fleetaudit"
    (alg,) = [r for r in run["results"] if r["ruleId"] == "ALG001"]
    location = alg["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "candidates/office2-gw1.cfg"
    cfg = folder / "office2-gw1.cfg"
    assert location["region"]["startLine"] == line_of(cfg, "ip nat inside source list NAT")
    assert location["region"]["snippet"]["text"].startswith("ip nat inside source list NAT")
    assert alg["baselineState"] == "new" and alg["level"] == "error"
    assert alg["partialFingerprints"]["fleetauditFingerprint/v1"] == "ALG001|office2-gw1|sip_alg"
    rule = run["tool"]["driver"]["rules"][alg["ruleIndex"]]
    assert rule["id"] == "ALG001" and "How to fix" in rule["help"]["text"]
    assert all(r["properties"]["host"] == "office2-gw1" for r in run["results"])


def test_sarif_of_a_scan_routeros_and_a_live_run(lab_inventory: Path, tmp_path: Path) -> None:
    out = tmp_path / "scan.sarif"
    assert (
        cli(
            "scan",
            str(ROUTEROS_ALG_ON),
            "--platform",
            "mikrotik_routeros",
            "--format",
            "sarif",
            "--output",
            str(out),
        )
        == 1
    )
    (alg,) = [r for r in sarif(out)["runs"][0]["results"] if r["ruleId"] == "ALG001"]
    region = alg["locations"][0]["physicalLocation"]["region"]
    lines = ROUTEROS_ALG_ON.read_text().splitlines()
    assert lines[region["startLine"] - 1].strip().startswith(region["snippet"]["text"].strip()[:30])
    assert "sip" in lines[region["startLine"] - 1]
    live = tmp_path / "live.sarif"
    args = run_args("office1", lab_inventory, "--no-store")
    assert cli(*args, "--format", "sarif", "--output", str(live)) == 1
    results = sarif(live)["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"ALG001", "ARP001", "PSEC001", "SIP002"}
    assert all(
        r["locations"][0]["logicalLocations"][0]["name"].startswith("office1-") for r in results
    )


def test_junit_one_case_per_check_and_host(lab_inventory: Path, tmp_path: Path) -> None:
    out = tmp_path / "junit.xml"
    json_out = tmp_path / "r.json"
    args = run_args("office1", lab_inventory, "--no-store")
    assert cli(*args, "--format", "junit", "--output", str(out)) == 1
    assert cli(*args, "--format", "json", "--output", str(json_out)) == 1
    report = json.loads(json_out.read_text())
    xml = JUnitXml.fromfile(str(out))
    cases = {(suite.name, case.name): case for suite in xml for case in suite}
    expected = {(f"office1.{f['host']}", f"{f['check']} {f['slug']}") for f in report["findings"]}
    assert set(cases) == expected  # one per check × host, nothing more
    failing = {
        (f"office1.{f['host']}", f"{f['check']} {f['slug']}")
        for f in report["findings"]
        if f["status"] == "fail"
    }
    assert {k for k, c in cases.items() if any(isinstance(r, Failure) for r in c.result)} == failing
    alg = cases[("office1.office1-gw1", "ALG001 sip-alg-enabled")]
    assert "no ip nat service sip udp port 5060" in alg.result[0].text
    assert xml.failures == len(failing) and xml.tests == len(expected)
    assert not any(isinstance(r, Error) for c in cases.values() for r in c.result)


def test_junit_unknown_is_skipped(lab_inventory: Path, tmp_path: Path) -> None:
    out = tmp_path / "junit.xml"
    args = run_args("lab-faults", lab_inventory, "--no-store")
    cli(*args, "--format", "junit", "--output", str(out))
    cases = [case for suite in JUnitXml.fromfile(str(out)) for case in suite]
    assert cases and all(isinstance(c.result[0], Skipped) for c in cases)
    assert all("not assessed" in (c.result[0].message or "") for c in cases)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: `make test` installs it (apt-get install chromium)")
        pytest.skip("chromium not installed (make test installs it)")
    return found


def headless(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_html_report_in_headless_chromium(lab_inventory: Path, tmp_path: Path) -> None:
    browser = chromium()
    page = tmp_path / "office1.html"
    args = run_args("office1", lab_inventory, "--no-store")
    assert cli(*args, "--format", "html", "--output", str(page)) == 1
    html = page.read_text()
    assert "<script" not in html and "http://" not in html and "https://" not in html  # offline
    shot = tmp_path / "office1.png"
    proc = headless(
        browser,
        tmp_path / "profile",
        "--hide-scrollbars",
        "--window-size=1280,2000",
        f"--screenshot={shot}",
        page.as_uri(),
    )
    assert shot.is_file() and shot.stat().st_size > 20_000, proc.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dom = headless(browser, tmp_path / "profile", "--dump-dom", page.as_uri()).stdout
    for text in (
        "fleetaudit — office1",
        "Findings by severity",
        "Site summary",
        "ALG001",
        "office1-fw1",
        "sysopt noproxyarp inside",
        "Devices",
    ):
        assert text in dom, text
    assert cli(*args, "--format", "json", "--output", str(tmp_path / "r.json")) == 1
    report = json.loads((tmp_path / "r.json").read_text())
    failing = [f for f in report["findings"] if f["status"] == "fail"]
    assert dom.count('<div class="finding ') == len(failing)  # one card per failing finding
    assert 'id="ALG001|office1-gw1|sip_alg"' in dom


def test_markdown_report(lab_inventory: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    args = run_args("office1", lab_inventory, "--no-store")
    assert cli(*args, "--format", "markdown", "--output", str(out)) == 1
    text = out.read_text()
    assert text.startswith("# fleetaudit — office1\n")
    assert (
        "### High (" in text and "#### ALG001 `sip-alg-enabled` — office1-gw1 · `sip_alg`" in text
    )
    assert (
        "no ip nat service sip udp port 5060" in text
        and "| office1-gw1 | cisco_ios | gateway | ok |" in text
    )
