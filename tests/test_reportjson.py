"""The JSON report written in pieces is the same text as the document encoded whole."""

from __future__ import annotations

import dataclasses
import json

import pytest

from fleetaudit import api
from fleetaudit.model import Report
from fleetaudit.paths import builtin_dir
from fleetaudit.reportjson import report_pieces

LAB = builtin_dir("inventory") / "lab"


@pytest.fixture(scope="module")
def scanned() -> Report:
    folders = [LAB / "office1-gw1", LAB / "office1-sw1"]
    report = api.scan(folders, "cisco_ios")
    assert len(report.hosts) == 2 and any(f.status == "pass" for f in report.findings)
    report.waivers = {"applied": [], "expired": [{"check": "ALG001"}], "unused": []}
    return report


@pytest.mark.parametrize("indent", [None, 2])
@pytest.mark.parametrize("facts", [False, True])
@pytest.mark.parametrize("include_passing", [False, True])
def test_pieces_make_the_whole_document(
    scanned: Report, indent: int | None, facts: bool, include_passing: bool
) -> None:
    whole = scanned.to_json(include_passing, facts)
    whole["sites"] = [{"site": None, "readiness": 50}]
    pieces = report_pieces(
        scanned,
        include_passing=include_passing,
        facts=facts,
        indent=indent,
        extra={"sites": whole["sites"]},
    )
    assert "".join(pieces) == json.dumps(whole, indent=indent)


@pytest.mark.parametrize("indent", [None, 2])
def test_empty_lists_are_written_as_json_writes_them(scanned: Report, indent: int | None) -> None:
    empty = dataclasses.replace(scanned, hosts=[], findings=[])
    assert "".join(report_pieces(empty, indent=indent)) == json.dumps(
        empty.to_json(), indent=indent
    )


def test_each_compact_finding_is_seen_once_in_order(scanned: Report) -> None:
    seen: list[str] = []
    text = "".join(report_pieces(scanned, on_finding=lambda _f, t: seen.append(t)))
    assert [json.loads(t) for t in seen] == json.loads(text)["findings"]
