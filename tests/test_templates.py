"""Golden tests: every tests/templates/<platform>/<command_slug>/<case>.txt parses, through
its template and normaliser, to the facts in <case>.yml. Adding a case needs no code."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fleetaudit.parse import parse_output, to_data
from fleetaudit.templates import load_templates

CASES = sorted(Path(__file__).parent.glob("templates/*/*/*.txt"))


@pytest.mark.parametrize("case", CASES, ids=lambda p: "/".join(p.parts[-3:]))
def test_golden(case: Path) -> None:
    platform, slug = case.parent.parent.name, case.parent.name
    template = load_templates().get(platform, {}).get(slug)
    assert template is not None, f"no template templates/{platform}/{slug}.ttp"
    expected = yaml.safe_load(case.with_suffix(".yml").read_text())
    facts = to_data(parse_output(template, case.read_text()))
    assert facts == expected


def test_every_template_has_a_golden_case() -> None:
    covered = {(p.parent.parent.name, p.parent.name) for p in CASES}
    for platform, templates in load_templates().items():
        for slug in templates:
            assert (platform, slug) in covered, (
                f"templates/{platform}/{slug}.ttp has no golden case"
            )


def test_golden_cases_exist() -> None:
    assert CASES, "no golden cases found"


def test_reused_parsers_keep_no_state_between_outputs() -> None:
    """Compiled templates are cached; parsing every case twice, interleaved, gives the same facts."""
    templates = load_templates()

    def facts(case: Path) -> object:
        template = templates[case.parent.parent.name][case.parent.name]
        return to_data(parse_output(template, case.read_text()))

    first = [facts(case) for case in CASES]
    assert [facts(case) for case in reversed(CASES)] == list(reversed(first))
