"""Reports written in pieces (Markdown line by line, SARIF result by result, JUnit suite by
suite) are the text the whole document would be."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from fleetaudit import api
from fleetaudit.paths import builtin_dir
from fleetaudit.report import junit
from fleetaudit.report.markdown import stripped_end
from fleetaudit.report.sarif import render

LAB = builtin_dir("inventory") / "lab"


@given(st.lists(st.text(alphabet="ab \n\t|")))
def test_pieces_join_to_the_joined_and_stripped_lines(lines: list[str]) -> None:
    assert "".join(stripped_end(lines)) == "\n".join(lines).rstrip() + "\n"


def test_sarif_in_pieces_is_the_document_json_writes() -> None:
    report = api.scan([LAB / "office1-gw1", LAB / "office1-sw1"], "cisco_ios")
    text = render(report)
    document = json.loads(text)
    assert len(document["runs"][0]["results"]) > 1
    assert text == json.dumps(document, indent=2) + "\n"
    report.findings = []
    empty = render(report)
    assert json.loads(empty)["runs"][0]["results"] == []
    assert empty == json.dumps(json.loads(empty), indent=2) + "\n"


def test_junit_in_pieces_is_the_tree_written_whole() -> None:
    report = api.scan([LAB / "office1-gw1", LAB / "office1-sw1"], "cisco_ios")
    for shown in (report, dataclasses.replace(report, findings=[])):
        text = junit.render(shown)
        head, _, body = text.partition("\n")
        root = ET.fromstring(body)
        ET.indent(root)  # what the whole tree was written as
        assert body == ET.tostring(root, encoding="unicode") + "\n"
        assert head == '<?xml version="1.0" encoding="UTF-8"?>'
    assert len(ET.fromstring(junit.render(report).partition("\n")[2])) == 2
