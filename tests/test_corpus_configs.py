"""Real public configs (tests/corpus/configs/<platform>/<case>/config.txt) judged by
`scan` against what a VoIP engineer expects (labels.yml, written before the tool ran on
the config). Adding a case needs no code: a folder with config.txt, provenance.yml and
labels.yml.

A check's observed status on a config: ``fail`` when any of its findings fails, else
``unknown`` when any is unknown, else ``pass`` when it passed something, else
``not-applicable`` (it said nothing). A ``not-applicable`` label also accepts ``pass``:
both mean there is nothing to change.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from fleetaudit import api
from fleetaudit.model import Finding, Report
from fleetaudit.policy import load_policy
from tests.report.apply_fixes import apply_cisco

CONFIGS = Path(__file__).parent / "corpus" / "configs"
PLACEHOLDER = re.compile(r"<[a-z][a-z0-9 .]*>")  # as the fix plan marks "edit first"
STATUSES = ("fail", "unknown", "pass", "not-applicable")


def cases() -> list[Path]:
    return sorted(p.parent for p in CONFIGS.glob("*/*/config.txt"))


def _id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


def labels(case: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((case / "labels.yml").read_text(encoding="utf-8"))
    return data


def scan_case(case: Path) -> Report:
    label = labels(case)
    platform = case.parent.name
    profile = yaml.safe_load((CONFIGS / "policy.yml").read_text(encoding="utf-8"))["voip"]
    if label.get("targets"):
        profile = {**profile, "targets": label["targets"]}
    policy = load_policy(profile, str(case / "labels.yml"))
    return api.scan([case / "config.txt"], platform, role=label.get("role"), policy=policy)


def observed(findings: list[Finding], check: str) -> str:
    statuses = {f.status for f in findings if f.check == check}
    for status in ("fail", "unknown", "pass"):
        if status in statuses:
            return status
    return "not-applicable"


def agrees(expected: str, seen: str) -> bool:
    return seen == expected or (expected == "not-applicable" and seen == "pass")


def test_corpus_has_the_configs_asked_for() -> None:
    platforms = [case.parent.name for case in cases()]
    assert platforms.count("cisco_ios") >= 8
    assert platforms.count("cisco_asa") >= 4


@pytest.mark.parametrize("case", cases(), ids=_id)
def test_case_has_provenance_and_labels(case: Path) -> None:
    provenance = yaml.safe_load((case / "provenance.yml").read_text(encoding="utf-8"))
    for key in ("repo", "path", "commit", "licence", "url"):
        assert provenance.get(key), f"{_id(case)}: provenance.yml lacks {key}"
    assert re.fullmatch(r"[0-9a-f]{40}", provenance["commit"])
    label = labels(case)
    assert label["expect"], f"{_id(case)}: no labels"
    for check, expected in label["expect"].items():
        assert expected["status"] in STATUSES, (check, expected)
        assert expected["reason"].strip(), (check, "a label needs its one-line reason")


@pytest.mark.parametrize("case", cases(), ids=_id)
def test_scan_agrees_with_the_engineer(case: Path) -> None:
    report = scan_case(case)
    assert all(h.status in ("ok", "offline") for h in report.hosts), [h.error for h in report.hosts]
    wrong = []
    for check, expected in labels(case)["expect"].items():
        seen = observed(report.findings, check)
        if not agrees(expected["status"], seen):
            said = [f"{f.status}: {f.message}" for f in report.findings if f.check == check]
            wrong.append(
                f"{check}: expected {expected['status']} ({expected['reason']}), got {seen} {said}"
            )
    assert not wrong, "\n".join(wrong)


def _proofs() -> list[tuple[Path, str]]:
    """(case, fingerprint) of every failing finding with a fix on the judged configs."""
    found = []
    for case in cases():
        for finding in scan_case(case).findings:
            fixable = finding.status == "fail" and finding.remediation
            # a fix waiting for the user's value (the plan says "edit first") is not proven
            if fixable and not PLACEHOLDER.search(finding.remediation):
                found.append((case, finding.fingerprint))
    return found


@pytest.mark.parametrize(
    ("case", "fingerprint"), _proofs(), ids=lambda v: _id(v) if isinstance(v, Path) else v
)
def test_each_fix_proves_itself_by_re_audit(case: Path, fingerprint: str, tmp_path: Path) -> None:
    """The finding's own remediation, applied to the config as the device would, makes the
    re-scan pass it, and nothing that passed before fails now."""
    before = scan_case(case)
    finding = next(f for f in before.findings if f.fingerprint == fingerprint)
    fixed = tmp_path / case.parent.name / case.name
    fixed.mkdir(parents=True)
    for name in ("labels.yml",):
        (fixed / name).write_text((case / name).read_text(encoding="utf-8"), encoding="utf-8")
    config = (case / "config.txt").read_text(encoding="utf-8")
    (fixed / "config.txt").write_text(apply_cisco(config, finding.remediation), encoding="utf-8")
    after = scan_case(fixed)
    still = [f for f in after.findings if f.fingerprint == fingerprint and f.status != "pass"]
    assert not still, (finding.remediation, [f"{f.status}: {f.message}" for f in still])
    failed_before = {f.fingerprint for f in before.findings if f.status == "fail"}
    new = [f for f in after.findings if f.status == "fail" and f.fingerprint not in failed_before]
    assert not new, [f"{f.check} {f.subject}: {f.message}" for f in new]
