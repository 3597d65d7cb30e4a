"""The console report at 80, 120 and 200 columns: every fix line whole, summary first and
last, plain text (no box drawing, no colour) when piped."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from fleetaudit.report.console import render, render_end
from tests.report.conftest import cli, run_args, stored_report

BOX_DRAWING = re.compile("[\u2500-\u257f]")


def fix_lines(report_json: dict[str, Any]) -> set[str]:
    return {
        line
        for f in report_json["findings"]
        if f["status"] == "fail"
        for line in f["remediation"].splitlines()
    }


def rendered(stored: dict[str, Any], site: str, width: int, terminal: bool) -> str:
    report = stored_report(stored, site)
    console = Console(
        file=io.StringIO(), width=width, force_terminal=terminal, record=True, highlight=False
    )
    render(report, console, "")
    render_end(report, console)
    return console.export_text(styles=False)


@pytest.mark.parametrize("width", [80, 120, 200])
@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "piped"])
def test_every_fix_line_is_whole_at_any_width(
    stored: dict[str, Any], width: int, terminal: bool
) -> None:
    text = rendered(stored, "office1", width, terminal)
    lines = {line.rstrip() for line in text.splitlines()}
    missing = [fix for fix in fix_lines(stored["office1"]) if f"    {fix}".rstrip() not in lines]
    assert not missing, missing
    prose = [line for line in text.splitlines() if not line.startswith("    ")]
    assert all(len(line.rstrip()) <= width for line in prose)  # prose wraps, code does not
    head = text.splitlines()[:6]
    assert head[0] == "fleetaudit — office1"
    assert any(line.startswith("readiness office1 ") for line in head)
    summary = text[text.rindex("\nSummary\n") :]
    assert len(summary.splitlines()) < 24  # one screen
    high = sum(
        1 for f in stored["office1"]["findings"] if (f["status"], f["severity"]) == ("fail", "high")
    )
    assert f"{high} high" in summary and "office1-gw1:" in summary


def test_piped_output_is_plain(stored: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "office1.txt"
    args = run_args("office1", stored["inventory"], "--no-store", "--output", str(out))
    assert cli(*args) == 1
    text = out.read_text()
    assert not BOX_DRAWING.search(text) and "\x1b[" not in text
    assert "(not stored)" in text.splitlines()[1]
    assert text.count("Judged against") == 1
    lines = {line.rstrip() for line in text.splitlines()}
    assert all(f"    {fix}".rstrip() in lines for fix in fix_lines(stored["office1"]))
    verbose = tmp_path / "verbose.txt"
    assert cli(*args[:-2], "--output", str(verbose), "--verbose") == 1
    passed = sum(1 for f in stored["office1"]["findings"] if f["status"] == "pass")
    assert "Passed (" not in text and f"Passed ({passed})" in verbose.read_text()


def test_findings_grouped_by_check(stored: dict[str, Any]) -> None:
    text = rendered(stored, "office1", 100, False)
    groups = [line.split(" ")[0] for line in text.splitlines() if " finding(s) on " in line]
    assert len(groups) == len(set(groups))  # one group per check
    assert groups[0] == "ALG001"


def test_readiness_per_site(stored: dict[str, Any]) -> None:
    ready = {
        site: stored[site]["sites"][0]["readiness"] for site in ("office1", "office2", "lab-faults")
    }
    assert ready["office2"] == 100, [
        (f["check"], f["host"], f["status"], f["message"][:120])
        for f in stored["office2"]["findings"]
        if f["status"] != "pass"
    ]
    assert ready["office1"] < 50
    assert ready["lab-faults"] < 100
