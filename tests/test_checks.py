"""Every check against its fixtures, through the real runner (the offline audit path).

A fixture is ``tests/checks/<ID>/<expected>-<name>/`` holding ``host.yaml`` (platform,
role, optional ``voip`` profile and ``expect``) and the device's outputs as
``<command_slug>.txt``. ``<expected>`` is pass, fail or unknown. ``peers:`` in host.yaml
names sub-folders holding other devices of the same site (cross-device checks).
An output identical to the lab's (``inventory/lab/<host>/``) or to another case's is a
relative symlink to that one copy, so ``ls -l`` on a case shows which outputs are borrowed
and which (the regular files) are the case's own; tests/test_fixture_copies.py keeps it so.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fleetaudit.audit import Options, analyse, audit_offline, evidence_from_path
from fleetaudit.checkkit import ID_PATTERN, SLUG_PATTERN, load_checks
from fleetaudit.model import Report
from fleetaudit.policy import VoipPolicy, load_policy

ROOT = Path(__file__).parent / "checks"
CASES = sorted(ROOT.glob("*/*/host.yaml"))
EXPECTED = ("pass", "fail", "unknown")


def _run(case: Path) -> tuple[str, list[str], dict]:
    check_id, expected = case.parent.parent.name, case.parent.name.split("-")[0]
    meta = yaml.safe_load(case.read_text())
    policy = load_policy(meta.get("voip"), str(case))
    if meta.get("peers"):
        report = _with_peers(case, meta, policy, Options(only_checks=(check_id,)))
    else:
        report = audit_offline(
            [case.parent],
            meta["platform"],
            meta.get("role"),
            policy,
            Options(only_checks=(check_id,)),
        )
    return expected, [f.status for f in report.findings], {"report": report, "meta": meta}


def _with_peers(case: Path, meta: dict, policy: VoipPolicy, options: Options) -> Report:
    """Cross-device fixtures: ``peers: [sw1, ...]`` names sub-folders, each a device of
    the same site with its own ``host.yaml`` (platform, role) and outputs."""
    items = [evidence_from_path(case.parent, meta["platform"], meta.get("role"), ())]
    for name in meta["peers"]:
        peer = yaml.safe_load((case.parent / name / "host.yaml").read_text())
        items.append(evidence_from_path(case.parent / name, peer["platform"], peer.get("role"), ()))
    for item in items:
        item.site = "fixture"
    report = analyse(items, {i.name: policy for i in items}, options, "fixture", "offline", 0.0)
    report.findings = [f for f in report.findings if f.host == items[0].name]
    return report


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}")
def test_check_fixture(case: Path) -> None:
    expected, statuses, ctx = _run(case)
    assert statuses, "the check produced no result at all"
    if expected == "fail":
        assert "fail" in statuses
    elif expected == "pass":
        assert set(statuses) == {"pass"}, statuses
    else:
        assert "unknown" in statuses and "fail" not in statuses, statuses
    expect = ctx["meta"].get("expect") or {}
    failing = [f for f in ctx["report"].findings if f.status == "fail"]
    if "fail_subjects" in expect:
        assert sorted(f.subject for f in failing) == sorted(expect["fail_subjects"])
    for text in expect.get("message_contains", []):
        assert any(text in f.message for f in ctx["report"].findings), text
    for finding in failing:
        assert finding.evidence and finding.evidence[0].line, f"{finding.subject}: no evidence line"
        assert finding.remediation, f"{finding.subject}: no fix"


def test_every_check_has_pass_fail_and_unknown_fixtures() -> None:
    for check in load_checks():
        kinds = {
            p.name.split("-")[0] for p in (ROOT / check.id).glob("*/host.yaml") for p in [p.parent]
        }
        missing = set(EXPECTED) - kinds
        assert not missing, (
            f"{check.id} lacks {sorted(missing)} fixtures under tests/checks/{check.id}/"
        )


def test_fixture_folders_name_real_checks() -> None:
    ids = {c.id for c in load_checks()}
    for folder in ROOT.iterdir():
        assert folder.name in ids, f"tests/checks/{folder.name} names no check"
        for case in folder.iterdir():
            assert case.name.split("-")[0] in EXPECTED, (
                f"{case}: start its name with pass-/fail-/unknown-"
            )


def test_ids_and_slugs() -> None:
    checks = load_checks()
    assert len({c.id for c in checks}) == len(checks)
    assert len({c.slug for c in checks}) == len(checks)
    for check in checks:
        assert ID_PATTERN.match(check.id) and SLUG_PATTERN.match(check.slug)
        assert check.path is not None
        assert check.path.stem == f"{check.id.lower()}_{check.slug.replace('-', '_')}", (
            f"{check.path.name}: name the module <id>_<slug>.py"
        )


def test_every_check_documents_what_why_and_fix() -> None:
    for check in load_checks():
        for heading in ("## What it checks", "## Why it breaks calls", "## How to fix"):
            assert heading in check.doc, f"{check.id}: docstring lacks {heading!r}"
        for platform in check.platforms:
            assert platform in check.fix, f"{check.id}: no fix commands for {platform}"
        assert check.why and check.title
