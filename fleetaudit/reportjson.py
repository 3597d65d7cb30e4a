"""The JSON report written in pieces, host by host and finding by finding.

The text is the same as ``json.dumps(report.to_json(...))`` (compact, as the store keeps
it) or ``json.dumps(..., indent=2)`` (as ``--format json`` prints it), but the document is
never held whole: the run's head is encoded with two placeholders, and each host and each
finding is encoded on its own where they stand. A large run's memory stays its objects,
not their JSON as well.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from fleetaudit.model import Finding, Report

# stand in for the two long lists in the head's text; no report string holds a NUL
_HOSTS, _FINDINGS = "\x00hosts\x00", "\x00findings\x00"


def finding_json(finding: Finding) -> str:
    """One finding as the store's findings rows and the compact report hold it."""
    return json.dumps(finding.to_json())


def report_pieces(
    report: Report,
    *,
    include_passing: bool = True,
    facts: bool = False,
    indent: int | None = None,
    extra: dict[str, Any] | None = None,
    on_finding: Callable[[Finding, str], None] | None = None,
) -> Iterator[str]:
    """The report's JSON text in pieces; ``extra`` adds top-level keys after the rest.
    ``on_finding`` sees each finding with its compact JSON (``indent=None`` only): the
    store writes its findings rows from them, in the same pass."""
    head = report.to_json(include_passing, facts, lists=False)
    head["hosts"], head["findings"] = _HOSTS, _FINDINGS
    head.update(extra or {})
    encoder = json.JSONEncoder(indent=indent)
    before_hosts, rest = split_at(encoder.encode(head), _HOSTS)
    between, after = split_at(rest, _FINDINGS)
    yield before_hosts
    yield from _array((h.to_json(facts) for h in report.hosts), encoder.encode, indent)
    yield between
    wanted = (f for f in report.findings if include_passing or f.status != "pass")
    if indent is None:
        yield from _array_text(_compact_findings(wanted, on_finding), None)
    else:
        yield from _array((f.to_json() for f in wanted), encoder.encode, indent)
    yield after


def _compact_findings(
    findings: Iterable[Finding], on_finding: Callable[[Finding, str], None] | None
) -> Iterator[str]:
    for finding in findings:
        text = finding_json(finding)
        if on_finding is not None:
            on_finding(finding, text)
        yield text


def _array(
    items: Iterable[dict[str, Any]], encode: Callable[[Any], str], indent: int | None
) -> Iterator[str]:
    return _array_text((encode(item) for item in items), indent)


def array_pieces(items: Iterable[Any], indent: int | None, depth: int) -> Iterator[str]:
    """A JSON list of ``items`` as ``json.dumps`` writes it ``depth`` levels into a
    document (the value of a top-level key: 1), each item encoded on its own."""
    encode = json.JSONEncoder(indent=indent).encode
    return _array_text((encode(item) for item in items), indent, depth)


def split_at(text: str, marker: str) -> tuple[str, str]:
    """``text`` (a document encoded with ``marker`` as one string value) either side of it."""
    before, after = text.split(json.dumps(marker), 1)
    return before, after


def _array_text(texts: Iterable[str], indent: int | None, depth: int = 1) -> Iterator[str]:
    """``[a, b]`` as json writes a list of these texts, ``depth`` levels into the document."""
    if indent is None:
        opening, separator, closing, inner = "[", ", ", "]", ""
    else:
        inner = "\n" + " " * (indent * (depth + 1))
        opening, separator, closing = "[" + inner, "," + inner, "\n" + " " * (indent * depth) + "]"
    empty = True
    for text in texts:
        yield (opening if empty else separator) + (text.replace("\n", inner) if inner else text)
        empty = False
    yield "[]" if empty else closing
