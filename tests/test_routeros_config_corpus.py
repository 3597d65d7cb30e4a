"""Issue 10: real public RouterOS exports (tests/corpus/configs/mikrotik_routeros/, found by
glob), each labelled by what a VoIP engineer expects before the tool ran on it; `scan`
must agree with every label. A check's status on a config is the worst of its findings
(fail > unknown > pass), as an engineer reads one device."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from fleetaudit.cli import main
from tests.report.apply_fixes import apply_routeros

CORPUS = Path(__file__).parent / "corpus" / "configs" / "mikrotik_routeros"
CASES = sorted(path.parent for path in CORPUS.glob("*/labels.yml"))
RANK = {"fail": 3, "error": 2, "unknown": 1, "pass": 0}


def scan_report(config: Path, out: Path) -> dict[str, Any]:
    main(
        [
            "scan",
            str(config),
            "--platform",
            "mikrotik_routeros",
            "--role",
            "router",
            "--policy",
            str(CORPUS / "policy.yml"),
            "--format",
            "json",
            "--verbose",
            "--quiet",
            "--output",
            str(out),
        ]
    )
    report: dict[str, Any] = json.loads(out.read_text())
    return report


def scan_statuses(path: Path, out: Path) -> dict[str, str]:
    worst: dict[str, str] = {}
    for finding in scan_report(path / "config.rsc", out)["findings"]:
        check, status = finding["check"], finding["status"]
        if RANK.get(status, 0) >= RANK.get(worst.get(check, "pass"), 0):
            worst[check] = status
    return worst


def test_corpus_spans_routeros_versions_with_provenance() -> None:
    majors = set()
    for case in CASES:
        provenance = yaml.safe_load((case / "provenance.yml").read_text())
        assert {"repo", "path", "commit", "licence", "url"} <= set(provenance), case.name
        assert len(provenance["commit"]) == 40, case.name
        majors.add(provenance["routeros_major"])
    assert len(CASES) >= 6 and {6, 7} <= majors


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_scan_agrees_with_the_engineers_labels(case: Path, tmp_path: Path) -> None:
    labels = yaml.safe_load((case / "labels.yml").read_text())["checks"]
    got = scan_statuses(case, tmp_path / "report.json")
    disagree = {
        check: (label["status"], got.get(check, "not run"), label["why"])
        for check, label in labels.items()
        if got.get(check, "not run") != label["status"]
    }
    assert not disagree, disagree


def _failing(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["check"], f["subject"]) for f in report["findings"] if f["status"] == "fail"}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_fix_is_proven_by_re_scan(case: Path, tmp_path: Path) -> None:
    """Every failing finding's remediation, applied to the export as the router would,
    makes that finding pass on a re-scan, and nothing else starts failing."""
    config = (case / "config.rsc").read_text()
    before = scan_report(case / "config.rsc", tmp_path / "before.json")
    fixable = [f for f in before["findings"] if f["status"] == "fail" and f["remediation"]]
    unproven = []
    for n, finding in enumerate(fixable):
        candidate = tmp_path / f"fixed{n}.rsc"
        candidate.write_text(apply_routeros(config, finding["remediation"]))
        after = _failing(scan_report(candidate, tmp_path / f"after{n}.json"))
        target = (finding["check"], finding["subject"])
        if target in after or after - _failing(before):
            unproven.append((target, sorted(after - _failing(before))))
    assert not unproven, unproven
