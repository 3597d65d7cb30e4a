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

CONFIGS = Path(__file__).parent / "corpus" / "configs"
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
    profile = yaml.safe_load((CONFIGS / "policy.yml").read_text(encoding="utf-8"))["voip"]
    if label.get("targets"):
        profile = {**profile, "targets": label["targets"]}
    policy = load_policy(profile, str(case / "labels.yml"))
    return api.scan([case / "config.txt"], case.parent.name, role=label.get("role"), policy=policy)


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
