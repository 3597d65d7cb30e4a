"""Asterisk parsers: golden cases and the .conf model.

Golden cases are ``tests/platforms/asterisk/<command_slug>/<case>.txt`` with ``<case>.yml``
(``provenance`` and ``expected``), found by glob: adding a case needs no code.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from fleetaudit.facts import Ref
from fleetaudit.platforms.asterisk.facts import Listing, Refused, Unknown
from fleetaudit.platforms.asterisk.parsers import PARSERS

ROOT = Path(__file__).parent / "platforms" / "asterisk"
CASES = sorted(ROOT.glob("*/*.txt"))


def to_data(value: Any) -> Any:
    """Facts as plain data: a Ref is its line number, a NaN is "nan", tuples are lists."""
    if isinstance(value, Refused):
        return {"refused": {"kind": value.kind, "line": value.line}}
    if isinstance(value, Unknown):
        return {"unknown": value.reason}
    if isinstance(value, Ref):
        return value.line
    if isinstance(value, Listing):
        return {
            "complete": value.complete,
            "layout": value.layout,
            "notes": list(value.notes),
            "items": [to_data(item) for item in value.items],
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {}
        for item in dataclasses.fields(value):
            field_value = getattr(value, item.name)
            if item.name == "details" and not field_value:
                continue
            data[item.name] = to_data(field_value)
        return data
    if isinstance(value, Mapping):
        return {key: to_data(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [to_data(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return value


@pytest.mark.parametrize("case", CASES, ids=lambda p: "/".join(p.parts[-2:]))
def test_golden(case: Path) -> None:
    golden = yaml.safe_load(case.with_suffix(".yml").read_text())
    assert golden.get("provenance"), f"{case.with_suffix('.yml')} says nowhere where it came from"
    parse = PARSERS[case.parent.name]
    assert to_data(parse(case.read_text())) == golden["expected"]


def test_every_command_has_golden_cases() -> None:
    covered = {case.parent.name for case in CASES}
    assert set(PARSERS) <= covered, f"no golden case for {sorted(set(PARSERS) - covered)}"
